"""Words fund users use, mapped to finpilot's fields. Data, not logic: extend here, not in the parser."""

from __future__ import annotations

FUND_TYPE_WORDS: dict[str, str] = {
    "债基": "bond", "债券基金": "bond", "债券型": "bond", "债券": "bond", "纯债": "bond", "bond fund": "bond", "bond": "bond",
    "货基": "money", "货币基金": "money", "货币型": "money", "货币": "money", "money market": "money", "money fund": "money",
    "股基": "stock", "股票基金": "stock", "股票型": "stock", "stock fund": "stock", "equity fund": "stock",
    "偏股混合": "mixed", "混合基金": "mixed", "混合型": "mixed", "混合": "mixed", "mixed fund": "mixed", "hybrid": "mixed",
    "指数基金": "index", "指数型": "index", "指数": "index", "etf联接": "index", "etf": "index", "index fund": "index",
    "qdii": "qdii", "海外基金": "qdii", "fof": "fof", "基金中基金": "fof",
}  # fmt: skip
"""Longest match first at use; 纯债 is a type and a theme."""

THEME_WORDS: dict[str, str] = {
    "新能源车": "新能源车", "新能车": "新能源车", "电动车": "新能源车", "锂电池": "锂电", "锂电": "锂电", "光伏": "光伏",
    "新能源": "新能源", "储能": "新能源", "碳中和": "碳中和", "芯片": "半导体", "半导体": "半导体", "人工智能": "人工智能",
    "ai": "人工智能", "医疗器械": "医疗器械", "创新药": "医药", "生物医药": "医药", "医药": "医药", "医疗": "医药",
    "白酒": "白酒", "食品饮料": "消费", "消费": "消费", "红利": "红利", "高股息": "红利", "沪深300": "沪深300",
    "中证500": "中证500", "中证1000": "中证1000", "a500": "中证A500", "科创50": "科创50", "创业板": "创业板",
    "上证50": "上证50", "纳斯达克": "纳斯达克", "纳指": "纳斯达克", "标普": "标普500", "美股": "美股", "港股": "港股",
    "恒生科技": "恒生科技", "黄金": "黄金", "军工": "军工", "银行": "银行", "券商": "证券", "证券": "证券",
    "可转债": "可转债", "转债": "可转债", "短债": "短债", "纯债": "纯债", "信用债": "信用债", "利率债": "利率债",
    "固收+": "固收+", "固收加": "固收+", "养老": "养老", "esg": "ESG", "科技": "科技", "互联网": "互联网",
    "数字经济": "数字经济", "高端制造": "高端制造", "国企改革": "国企改革", "农业": "农业", "现金管理": "现金管理",
}  # fmt: skip

THEME_GROUPS: dict[str, tuple[str, ...]] = {
    "新能源": ("新能源", "光伏", "锂电", "新能源车", "碳中和"),
    "医药": ("医药", "医疗器械"),
    "消费": ("消费", "白酒"),
    "科技": ("科技", "人工智能", "半导体", "互联网", "数字经济"),
    "金融": ("金融", "银行", "证券"),
}
"""A broad theme also matches its narrower ones: 光伏, 锂电 and 新能源车 belong to 新能源."""

RISK_WORDS: list[tuple[str, dict[str, int]]] = [
    ("不能亏", {"risk_max": 1}), ("不想亏", {"risk_max": 2}), ("保本", {"risk_max": 1}), ("保守", {"risk_max": 2}),
    ("低风险", {"risk_max": 2}), ("风险低", {"risk_max": 2}), ("风险小", {"risk_max": 2}), ("稳健", {"risk_max": 3}),
    ("风险不高", {"risk_max": 3}), ("风险不要太高", {"risk_max": 3}), ("中等风险", {"risk_max": 3}), ("中风险", {"risk_max": 3}),
    ("激进", {"risk_min": 4}), ("高风险", {"risk_min": 4}), ("能承受亏损", {"risk_min": 3}), ("能承受较大", {"risk_min": 4}),
    ("low risk", {"risk_max": 2}), ("conservative", {"risk_max": 2}), ("moderate risk", {"risk_max": 3}),
    ("aggressive", {"risk_min": 4}), ("high risk", {"risk_min": 4}),
]  # fmt: skip
"""Longer phrases are listed before their parts where both could match (风险不高 before 风险)."""

PERIOD_WORDS: list[tuple[str, str]] = [
    ("今年以来", "ytd"), ("今年", "ytd"), ("年初至今", "ytd"), ("this year", "ytd"), ("ytd", "ytd"),
    ("近三年", "3y"), ("近3年", "3y"), ("三年", "3y"), ("3 years", "3y"), ("three years", "3y"),
    ("近半年", "6m"), ("近六个月", "6m"), ("近6个月", "6m"), ("6 months", "6m"), ("six months", "6m"),
    ("近三个月", "3m"), ("近3个月", "3m"), ("3 months", "3m"), ("three months", "3m"),
    ("近一个月", "1m"), ("近1个月", "1m"), ("近一月", "1m"), ("last month", "1m"),
    ("近一年", "1y"), ("近1年", "1y"), ("一年来", "1y"), ("过去一年", "1y"), ("last year", "1y"), ("past year", "1y"), ("1 year", "1y"),
]  # fmt: skip

METRIC_WORDS: list[tuple[str, str]] = [
    ("最大回撤", "max_drawdown"), ("回撤", "max_drawdown"), ("drawdown", "max_drawdown"),
    ("波动率", "volatility"), ("波动", "volatility"), ("volatility", "volatility"),
    ("夏普", "sharpe"), ("sharpe", "sharpe"),
    ("管理费", "mgmt_fee"), ("management fee", "mgmt_fee"), ("销售服务费", "sales_service_fee"),
    ("申购费", "purchase_fee"), ("费率", "purchase_fee"), ("手续费", "purchase_fee"), ("fee", "purchase_fee"),
    ("规模", "size"), ("size", "size"),
    ("收益率", "return"), ("收益", "return"), ("回报", "return"), ("涨幅", "return"), ("涨了", "return"), ("赚", "return"),
    ("return", "return"),
]  # fmt: skip
"""Metric keywords, longest first where one contains another."""

SORT_WORDS: list[tuple[str, str, str]] = [
    ("收益最高", "return", "desc"), ("收益最好", "return", "desc"), ("涨得最多", "return", "desc"), ("涨幅最大", "return", "desc"),
    ("跌得最多", "return", "asc"), ("跌得最狠", "return", "asc"), ("回撤最小", "max_drawdown_1y", "asc"),
    ("波动最小", "volatility_1y", "asc"), ("夏普最高", "sharpe_1y", "desc"), ("费率最低", "total_fee", "asc"),
    ("最便宜", "total_fee", "asc"), ("费率低", "total_fee", "asc"), ("便宜", "total_fee", "asc"), ("规模最大", "size", "desc"), ("规模最小", "size", "asc"), ("成立最早", "inception_date", "asc"),
    ("highest return", "return", "desc"), ("best performing", "return", "desc"), ("lowest fee", "total_fee", "asc"),
    ("cheapest", "total_fee", "asc"), ("smallest drawdown", "max_drawdown_1y", "asc"), ("largest", "size", "desc"),
]  # fmt: skip

AT_MOST = ("不超过", "不高于", "不大于", "不多于", "最多", "以内", "之内", "以下", "at most", "no more than", "up to", "within")
LESS_THAN = ("低于", "小于", "少于", "不到", "below", "under", "less than")
AT_LEAST = ("不低于", "不少于", "不小于", "至少", "起码", "以上", "at least", "no less than")
MORE_THAN = ("超过", "高于", "大于", "多于", "above", "over", "more than", "greater than")
"""Comparatives: 以上/以下/以内 include the number, 低于/高于/超过 do not. Negated forms come first when matching."""

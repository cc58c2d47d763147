"""Words fund users use, mapped to finpilot's fields. Data, not logic: extend here, not in the parser."""

from __future__ import annotations

FUND_TYPE_WORDS: dict[str, str] = {
    "债基": "bond", "债券基金": "bond", "债券型": "bond", "债券": "bond", "纯债": "bond", "bond fund": "bond", "bond": "bond",
    "货基": "money", "货币基金": "money", "货币型": "money", "货币": "money", "money market": "money", "money fund": "money",
    "股基": "stock", "股票基金": "stock", "股票型": "stock", "stock fund": "stock", "equity fund": "stock",
    "偏股混合": "mixed", "混合基金": "mixed", "混合型": "mixed", "混合": "mixed", "mixed fund": "mixed", "hybrid": "mixed",
    "指数基金": "index", "指数型": "index", "指数": "index", "etf联接": "index", "etf": "index", "index fund": "index",
    "qdii": "qdii", "海外基金": "qdii", "fof": "fof", "基金中基金": "fof",
    "stock funds": "stock", "equity funds": "stock", "mixed funds": "mixed", "balanced fund": "mixed", "index": "index",
    "etf feeder": "index", "money market fund": "money", "bond funds": "bond", "fixed income fund": "bond",
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
    "中证a500": "中证A500", "纳斯达克100": "纳斯达克", "标普500": "标普500", "养老金": "养老", "养老目标": "养老",
    "生物科技": "医药", "新能源汽车": "新能源车", "电动汽车": "新能源车", "医疗保健": "医药", "国防军工": "军工",
    # English (lower case; Latin words match at word starts)
    "semiconductor": "半导体", "chip": "半导体", "healthcare": "医药", "health care": "医药", "pharma": "医药",
    "pharmaceutical": "医药", "medical": "医药", "biotech": "医药", "medicine": "医药", "medical device": "医疗器械",
    "new energy vehicle": "新能源车", "electric vehicle": "新能源车", "ev": "新能源车", "nev": "新能源车",
    "new energy": "新能源", "clean energy": "新能源", "renewable": "新能源", "energy storage": "新能源",
    "solar": "光伏", "photovoltaic": "光伏", "lithium": "锂电", "battery": "锂电", "batteries": "锂电",
    "baijiu": "白酒", "liquor": "白酒", "consumer": "消费", "consumption": "消费", "food and beverage": "消费",
    "pension": "养老", "retirement": "养老", "bank": "银行", "convertible bond": "可转债", "convertible": "可转债",
    "us equity": "美股", "us equities": "美股", "us stock": "美股", "u.s. equity": "美股", "american stock": "美股",
    "star 50": "科创50", "star market 50": "科创50", "sci-tech 50": "科创50", "chinext": "创业板",
    "sse 50": "上证50", "sse50": "上证50", "csi 300": "沪深300", "csi300": "沪深300", "hs300": "沪深300",
    "csi 500": "中证500", "csi500": "中证500", "csi 1000": "中证1000", "csi1000": "中证1000", "csi a500": "中证A500",
    "agriculture": "农业", "agricultural": "农业", "farming": "农业", "carbon neutral": "碳中和",
    "carbon neutrality": "碳中和", "low carbon": "碳中和", "gold": "黄金", "internet": "互联网", "dividend": "红利",
    "high dividend": "红利", "digital economy": "数字经济", "tech": "科技", "technology": "科技", "military": "军工",
    "defense": "军工", "defence": "军工", "soe reform": "国企改革", "state-owned enterprise reform": "国企改革",
    "securities": "证券", "brokerage": "证券", "broker": "证券", "short-term bond": "短债", "short term bond": "短债",
    "short bond": "短债", "short-duration bond": "短债", "pure bond": "纯债", "credit bond": "信用债",
    "rate bond": "利率债", "government bond": "利率债", "treasury": "利率债", "nasdaq": "纳斯达克",
    "s&p 500": "标普500", "s&p500": "标普500", "s&p": "标普500", "sp500": "标普500", "hang seng tech": "恒生科技",
    "hstech": "恒生科技", "hong kong stock": "港股", "hong kong tech": "恒生科技", "hong kong": "港股", "港股科技": "恒生科技", "hk stock": "港股", "artificial intelligence": "人工智能",
    "high-end manufacturing": "高端制造", "advanced manufacturing": "高端制造",
    "cash management": "现金管理", "fixed income plus": "固收+", "fixed income+": "固收+",
}  # fmt: skip

BOND_THEMES: tuple[str, ...] = ("短债", "纯债", "信用债", "利率债", "可转债")
"""Themes that only bond funds have: naming one implies fund_types bond."""

TYPO_WORDS: dict[str, str] = {"卷商": "券商", "债卷": "债券", "证卷": "证券", "半导休": "半导体", "锂店": "锂电", "基经": "基金"}
"""Common slips that are not homophones (shape or keyboard slips); homophone slips are corrected through pinyin."""

PINYIN_EXTRA: tuple[str, ...] = ("对比", "比较", "诊断", "收益率", "夏普比率", "最大回撤", "规模", "定投", "费率", "申购费",
                                 "管理费", "销售服务费", "波动率", "成立", "风险", "赎回费", "净值")  # fmt: skip
"""Words, besides the theme, type and metric words, whose homophone slips (医要, 规摸, 回车) are corrected."""

GLOSSARY_TERMS: dict[str, str] = {
    "最大回撤": "最大回撤", "回撤": "最大回撤", "max drawdown": "最大回撤", "maximum drawdown": "最大回撤", "drawdown": "最大回撤",
    "夏普比率": "夏普比率", "夏普": "夏普比率", "sharpe ratio": "夏普比率", "sharpe": "夏普比率",
    "波动率": "波动率", "波动": "波动率", "volatility": "波动率",
    "销售服务费": "销售服务费", "sales service fee": "销售服务费", "service fee": "销售服务费",
    "管理费": "管理费", "management fee": "管理费", "托管费": "托管费", "custody fee": "托管费",
    "申购费": "申购费", "purchase fee": "申购费", "subscription fee": "申购费", "赎回费": "赎回费", "redemption fee": "赎回费",
    "定投": "定投", "定期定额": "定投", "dca": "定投", "dollar-cost averaging": "定投", "dollar cost averaging": "定投",
    "regular investment": "定投", "基金规模": "基金规模", "fund size": "基金规模", "aum": "基金规模",
    "单位净值": "单位净值", "累计净值": "累计净值", "净值": "净值", "nav": "净值", "net asset value": "净值",
    "业绩比较基准": "业绩比较基准", "比较基准": "业绩比较基准", "benchmark": "业绩比较基准",
    "风险等级": "风险等级", "risk level": "风险等级", "risk grade": "风险等级", "风险承受能力": "风险承受能力",
    "qdii": "QDII", "fof": "FOF", "etf联接": "ETF联接", "etf feeder": "ETF联接", "etf": "ETF", "指数基金": "指数基金",
    "index fund": "指数基金", "债券基金": "债券基金", "债基": "债券基金", "bond fund": "债券基金", "货币基金": "货币基金",
    "money market fund": "货币基金", "money fund": "货币基金", "偏股混合": "偏股混合", "混合基金": "混合型基金",
    "a类和c类": "份额类别", "a类与c类": "份额类别", "a类c类": "份额类别", "c类份额": "份额类别", "a类份额": "份额类别",
    "份额类别": "份额类别", "share class": "份额类别", "七日年化": "七日年化", "宽基": "宽基指数", "跟踪误差": "跟踪误差", "tracking error": "跟踪误差",
}  # fmt: skip
"""Terms a user may ask to have explained, to the glossary's Chinese names."""

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
    ("风险中等", {"risk_max": 3}), ("中低风险", {"risk_max": 2}), ("风险中低", {"risk_max": 2}), ("别亏", {"risk_max": 2}),
    ("不要亏", {"risk_max": 2}), ("不亏钱", {"risk_max": 2}), ("中高风险", {"risk_min": 4}),
    ("low risk", {"risk_max": 2}), ("low-risk", {"risk_max": 2}), ("conservative", {"risk_max": 2}),
    ("risk-averse", {"risk_max": 2}), ("risk averse", {"risk_max": 2}), ("capital preservation", {"risk_max": 1}),
    ("can't lose", {"risk_max": 1}), ("cannot lose", {"risk_max": 1}), ("don't want to lose", {"risk_max": 2}),
    ("moderate risk", {"risk_max": 3}), ("medium risk", {"risk_max": 3}), ("moderate", {"risk_max": 3}),
    ("tolerate some loss", {"risk_min": 3}), ("accept some loss", {"risk_min": 3}), ("take some loss", {"risk_min": 3}),
    ("handle some loss", {"risk_min": 3}), ("aggressive", {"risk_min": 4}), ("high risk", {"risk_min": 4}),
    ("high-risk", {"risk_min": 4}),
]  # fmt: skip
"""Longer phrases are listed before their parts where both could match (风险不高 before 风险)."""

PERIOD_WORDS: list[tuple[str, str]] = [
    ("今年以来", "ytd"), ("今年", "ytd"), ("年初至今", "ytd"), ("this year", "ytd"), ("ytd", "ytd"),
    ("近三年", "3y"), ("近3年", "3y"), ("三年", "3y"), ("3 years", "3y"), ("three years", "3y"),
    ("近半年", "6m"), ("近六个月", "6m"), ("近6个月", "6m"), ("6 months", "6m"), ("six months", "6m"),
    ("近三个月", "3m"), ("近3个月", "3m"), ("3 months", "3m"), ("three months", "3m"),
    ("近一个月", "1m"), ("近1个月", "1m"), ("近一月", "1m"), ("last month", "1m"),
    ("近一年", "1y"), ("近1年", "1y"), ("一年来", "1y"), ("过去一年", "1y"), ("last year", "1y"), ("past year", "1y"), ("1 year", "1y"),
    ("近3年", "3y"), ("近三年来", "3y"), ("过去三年", "3y"), ("3-year", "3y"), ("3 year", "3y"), ("3 yr", "3y"), ("3yr", "3y"),
    ("three-year", "3y"), ("近6月", "6m"), ("近六月", "6m"), ("半年来", "6m"), ("6-month", "6m"), ("6 month", "6m"),
    ("six-month", "6m"), ("half year", "6m"), ("half-year", "6m"), ("近3月", "3m"), ("近三月", "3m"), ("3-month", "3m"),
    ("3 month", "3m"), ("three-month", "3m"), ("last quarter", "3m"), ("past quarter", "3m"), ("近1月", "1m"),
    ("1-month", "1m"), ("1 month", "1m"), ("one month", "1m"), ("past month", "1m"), ("1-year", "1y"), ("one-year", "1y"),
    ("one year", "1y"), ("12-month", "1y"), ("12 months", "1y"), ("1 yr", "1y"), ("1yr", "1y"), ("year to date", "ytd"),
    ("year-to-date", "ytd"), ("今年来", "ytd"),
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
    ("夏普比率", "sharpe"), ("sharpe ratio", "sharpe"), ("max drawdown", "max_drawdown"), ("maximum drawdown", "max_drawdown"),
    ("mgmt fee", "mgmt_fee"), ("management fees", "mgmt_fee"), ("托管费", "custody_fee"),
    ("sales service fee", "sales_service_fee"), ("service fee", "sales_service_fee"), ("purchase fee", "purchase_fee"),
    ("subscription fee", "purchase_fee"), ("front-end load", "purchase_fee"), ("fees", "purchase_fee"),
    ("基金规模", "size"), ("fund size", "size"), ("aum", "size"), ("assets", "size"), ("net assets", "size"),
    ("涨", "return"), ("赚了", "return"), ("gained", "return"), ("gain", "return"), ("performance", "return"),
    ("跌幅", "loss"), ("跌了", "loss"), ("亏了", "loss"), ("下跌", "loss"), ("亏损", "loss"), ("跌", "loss"),
    ("fell", "loss"), ("lost", "loss"), ("dropped", "loss"), ("declined", "loss"),
]  # fmt: skip
"""Metric keywords, longest first where one contains another. `loss` is a return with the sign turned: 跌了超过15% is a return below -15%."""

FEE_METRICS = ("mgmt_fee", "purchase_fee", "sales_service_fee", "custody_fee")
"""Metrics whose numbers are percents even when written bare (管理费零点五以下 is 0.5%)."""

SIGN_PATTERNS: list[tuple[str, str]] = [
    (r"(收益率?|回报|涨幅|业绩)(都|均|也)?(为|是|要|得)?正|正收益|不亏|没亏|没有亏|positive (returns?|performance)|returns? (was |were |is |are )?positive|in the green", "min"),
    (r"(收益率?|回报|涨幅|业绩)(都|均|也)?(为|是)负|负收益|亏钱的|negative (returns?|performance)|returns? (was |were |is |are )?negative|in the red", "max"),
]  # fmt: skip
"""A return above zero (min, strict) or below zero (max, strict), in the period named."""

DOUBLED = r"翻倍|翻番|翻了一倍|翻了一番|doubled|double(d)? (in value|their money)"
"""A return of at least 100%."""

SORT_WORDS: list[tuple[str, str, str]] = [
    ("收益最高", "return", "desc"), ("收益最好", "return", "desc"), ("涨得最多", "return", "desc"), ("涨幅最大", "return", "desc"),
    ("跌得最多", "return", "asc"), ("跌得最狠", "return", "asc"), ("回撤最小", "max_drawdown_1y", "asc"),
    ("波动最小", "volatility_1y", "asc"), ("夏普最高", "sharpe_1y", "desc"), ("费率最低", "total_fee", "asc"),
    ("最便宜", "total_fee", "asc"), ("费率低", "total_fee", "asc"), ("便宜", "total_fee", "asc"), ("规模最大", "size", "desc"), ("规模最小", "size", "asc"), ("成立最早", "inception_date", "asc"),
    ("highest return", "return", "desc"), ("best performing", "return", "desc"), ("lowest fee", "total_fee", "asc"),
    ("cheapest", "total_fee", "asc"), ("smallest drawdown", "max_drawdown_1y", "asc"), ("largest", "size", "desc"),
    ("涨得最好", "return", "desc"), ("涨得最猛", "return", "desc"), ("赚得最多", "return", "desc"), ("亏得最多", "return", "asc"),
    ("表现最好", "return", "desc"), ("业绩最好", "return", "desc"), ("表现最差", "return", "asc"), ("最新成立", "inception_date", "desc"),
    ("最近成立", "inception_date", "desc"), ("成立最晚", "inception_date", "desc"), ("成立时间最长", "inception_date", "asc"),
    ("成立最久", "inception_date", "asc"), ("最老", "inception_date", "asc"), ("最赚钱", "return", "desc"), ("最能赚", "return", "desc"),
    ("最亏", "return", "asc"), ("跌得最惨", "return", "asc"),
    ("best return", "return", "desc"), ("highest returns", "return", "desc"), ("top performing", "return", "desc"),
    ("top performers", "return", "desc"), ("worst performing", "return", "asc"), ("fell the most", "return", "asc"),
    ("dropped the most", "return", "asc"), ("lost the most", "return", "asc"), ("fallen the most", "return", "asc"),
    ("biggest losers", "return", "asc"), ("gained the most", "return", "desc"), ("rose the most", "return", "desc"),
    ("lowest fees", "total_fee", "asc"), ("lowest cost", "total_fee", "asc"), ("lowest drawdown", "max_drawdown_1y", "asc"),
    ("lowest volatility", "volatility_1y", "asc"), ("least volatile", "volatility_1y", "asc"), ("highest sharpe", "sharpe_1y", "desc"),
    ("best sharpe", "sharpe_1y", "desc"), ("biggest", "size", "desc"), ("smallest", "size", "asc"), ("oldest", "inception_date", "asc"),
    ("newest", "inception_date", "desc"), ("most recently launched", "inception_date", "desc"), ("latest launched", "inception_date", "desc"),
    ("lowest management fee", "mgmt_fee", "asc"), ("lowest purchase fee", "purchase_fee", "asc"),
]  # fmt: skip
"""Fixed ranking phrases; `return` follows the period named. Generic forms (<metric>最高, 按<metric>从大到小, sorted by <metric>) are in SORT_FIELD_WORDS."""

SORT_FIELD_WORDS: list[tuple[str, str]] = [
    ("收益率", "return"), ("收益", "return"), ("回报", "return"), ("涨幅", "return"), ("涨得", "return"), ("业绩", "return"),
    ("表现", "return"), ("跌幅", "loss"), ("跌得", "loss"), ("最大回撤", "max_drawdown_1y"), ("回撤", "max_drawdown_1y"),
    ("波动率", "volatility_1y"), ("波动", "volatility_1y"), ("夏普比率", "sharpe_1y"), ("夏普", "sharpe_1y"),
    ("管理费", "mgmt_fee"), ("申购费", "purchase_fee"), ("认购费", "purchase_fee"), ("费率", "total_fee"), ("手续费", "total_fee"),
    ("费用", "total_fee"), ("基金规模", "size"), ("规模", "size"), ("成立时间", "inception_date"), ("成立日期", "inception_date"),
    ("成立", "inception_date"),
    ("returns", "return"), ("return", "return"), ("performance", "return"), ("max drawdown", "max_drawdown_1y"),
    ("drawdown", "max_drawdown_1y"), ("volatility", "volatility_1y"), ("sharpe ratio", "sharpe_1y"), ("sharpe", "sharpe_1y"),
    ("management fee", "mgmt_fee"), ("mgmt fee", "mgmt_fee"), ("purchase fee", "purchase_fee"), ("subscription fee", "purchase_fee"),
    ("fees", "total_fee"), ("fee", "total_fee"), ("cost", "total_fee"), ("fund size", "size"), ("size", "size"), ("aum", "size"),
    ("assets", "size"), ("inception date", "inception_date"), ("launch date", "inception_date"), ("age", "inception_date"),
]  # fmt: skip
"""Words that name a ranking field."""

SORT_HIGH = ("最高", "最大", "最多", "最好", "最强", "最猛", "最长", "最惨", "最狠", "最凶", "从大到小", "从高到低", "由高到低", "由大到小", "降序", "倒序",
             "highest first", "largest first", "biggest first", "best first", "most first", "high to low", "descending",
             "大的优先", "高的优先", "多的优先", "大的排前", "高的排前", "更大", "更高", "最多的")  # fmt: skip
SORT_LOW = ("最低", "最小", "最少", "最差", "最弱", "最短", "最早", "从小到大", "从低到高", "由低到高", "由小到大", "升序",
            "lowest first", "smallest first", "cheapest first", "least first", "low to high", "ascending", "oldest first",
            "小的优先", "低的优先", "少的优先", "小的排前", "低的排前", "更小", "更低")  # fmt: skip
"""Directions next to a ranking field: high means largest value first (for 跌幅 and 成立 it turns)."""

SORT_RANK = ("排名", "排行", "排序", "排一下", "排个序", "排前", "靠前", "排在前", "前十", "前五", "前三", "top")
"""A field followed by one of these ranks by it in its natural order (returns high first, fees and drawdowns low first)."""

SORT_BEFORE: dict[str, str] = {"highest": "desc", "largest": "desc", "biggest": "desc", "most": "desc", "greatest": "desc",
                               "lowest": "asc", "smallest": "asc", "least": "asc", "cheapest": "asc", "best": "natural",
                               "top": "natural", "worst": "reversed"}  # fmt: skip
"""English directions before a ranking field (the highest 3-year return, lowest-fee, the best Sharpe)."""

SORT_NATURAL: dict[str, str] = {"return": "desc", "loss": "asc", "max_drawdown_1y": "asc", "volatility_1y": "asc",
                                "sharpe_1y": "desc", "mgmt_fee": "asc", "purchase_fee": "asc", "total_fee": "asc",
                                "size": "desc", "inception_date": "asc"}  # fmt: skip

AGE_ANCHORS = r"成立|老基金|存续|\bold(?:er)?\b|\byounger\b|\bnewer\b|track record|\bhistory\b|inception|launched|existence|been around|established"
"""Words that make a number of years the fund's age (成立超过3年, older than 5 years, 5 yrs track record)."""

HOLD_WORDS = r"持有|拿|放|投资|存|用|hold|keep|invest|park|stay"
"""Words that make a duration the holding period."""

OPEN_WORDS = r"(能|可以)?随时(能|可以)?(买|申购)|(能|可以)(买|申购)|开放申购|可申购|正常申购|open for purchase|currently open|open to (new )?(purchase|subscription|investors)|can buy (now|today|anytime)"
"""Open for purchase; 一千块就能买 is an amount, not this."""

DCA_WORDS = r"定投|定期定额|\bsip\b|regular invest|\bdca\b|dollar[- ]cost|investment plan|monthly invest|auto[- ]?invest|automatic invest|invest (every|each) month"

ANALYSE_WORDS = r"怎么样|如何|分析|看看|值得买|值不值|能买吗|能不能买|可以买吗|可不可以买|还能买吗|表现咋样|咋样|诊断|体检|要不要继续|还能拿|能不能拿|该不该|评价|点评|analy[sz]e|how is|how's|how does|review|worth (buying|it|holding)|should i (buy|keep|hold|sell)|diagnos|tell me about|what do you think|thoughts on|any good|good buy|\blike\?|情况"
COMPARE_WORDS = r"对比|比较|比一比|比比|pk|哪个好|哪只好|哪个更|哪只更|谁更|还是|区别|\bvs\.?\b|versus|compare|comparison|which (one )?is better|which is best|better,|difference between|\bor\b"
EXPLAIN_WORDS = r"有什么区别|有啥区别|区别是什么|有什么不同|什么是|是什么|什么意思|啥意思|是啥|解释|何为|含义|指的是|what is|what's|what are|what does|explain|meaning of|define|definition of"

EXCLUDE_CODE_WORDS = r"已经有|已有|已经持有|已持有|已经买了|已买了|已经买过|手里有|手上有|除了|排除|去掉|不要|不含|别推荐?|already (have|own|hold|bought)|except( for)?|excluding|exclude|other than|besides|apart from"
"""Before a fund code: that fund is to be left out (我已经有019440了，再推荐几只)."""

NOT_WORDS = r"(?:不要|不想要|别要|排除|去掉|除了|不含|不考虑|不看|\bnot\b|\bno\b|\bexcept\b|\bexcluding\b|\bexclude\b|\bwithout\b|\bavoid\b)\s*(?:the\s+)?$"
"""Before a type or theme word: it is not wanted (只要指数型的，不要混合), so it is not a filter."""

AT_MOST = ("不超过", "不高于", "不大于", "不多于", "最多", "以内", "之内", "以下", "at most", "no more than", "up to", "within",
           "not more than", "no higher than", "not higher than", "no greater than", "no larger than", "not above", "not over",
           "not exceeding", "max", "maximum", "capped at", "no bigger than", "不超", "控制在", "≤", "<=", "=<")  # fmt: skip
LESS_THAN = ("低于", "小于", "少于", "不到", "不足", "未满", "below", "under", "less than", "lower than", "smaller than", "fewer than",
             "younger than", "newer than", "<")  # fmt: skip
AT_LEAST = ("不低于", "不少于", "不小于", "至少", "起码", "最少", "以上", "满", "at least", "no less than", "not less than",
            "no lower than", "not below", "min", "minimum", "no fewer than", "≥", ">=", "=>")  # fmt: skip
MORE_THAN = ("超过", "高于", "大于", "多于", "超", "above", "over", "more than", "greater than", "higher than", "bigger than",
             "larger than", "exceeding", "exceeds", "older than", ">")  # fmt: skip
AFTER_AT_MOST = ("以内", "之内", "以下", "或以下", "及以下", "or less", "or lower", "or below", "and below", "or under", "at most", "max")
AFTER_AT_LEAST = ("以上", "或以上", "及以上", "or more", "or higher", "or above", "and above", "or over", "at least", "+", "plus")
"""Comparatives: 以上/以下/以内 include the number, 低于/高于/超过 do not. Negated forms come first when matching."""

VAGUE: list[tuple[str, str, str, str, str]] = [
    # (pattern, the limit it would set, sort field if we rank by it meanwhile, question zh, question en)
    (r"收益(高|好|多)(一)?(点|些)|收益(还行|还可以|不错|可观)|赚(得)?多(一)?(点|些)|回报(高|好)(一)?(点|些)|涨得(猛|多|快|好)(一)?(点|些)?"
     r"|(higher|decent|good|strong|better) returns?",
     "returns", "return_1y", "您说的收益高一点，是指近一年收益至少多少？例如「近一年收益 10% 以上」。",
     "How high a return do you mean? For example \"1-year return at least 10%\"."),
    (r"回撤.{0,3}(别|不要|不能|不)(太)?(大|离谱)|回撤小(一)?(点|些)|跌得少|(low|lower|low-ish|small|smaller) drawdowns?",
     "max_drawdown", "max_drawdown_1y", "最大回撤最多能接受多少？例如「回撤不超过 5%」。",
     "How large a drawdown can you accept? For example \"max drawdown at most 5%\"."),
    (r"波动(别|不要|不)?(太)?大|波动小(一)?(点|些)|(low|lower|low-ish) volatility|not too volatile|less volatile",
     "volatility", "volatility_1y", "波动率最多能接受多少？例如「波动率不超过 10%」。",
     "How much volatility can you accept? For example \"volatility at most 10%\"."),
    (r"管理费(低|便宜|少)(一)?(点|些)?|(low|lower|cheap) management fees?",
     "mgmt_fee", "mgmt_fee", "管理费希望低到多少？例如「管理费不超过 0.8%」。",
     "How low should the management fee be? For example \"management fee at most 0.8%\"."),
    (r"销售服务费(低|便宜|少)(一)?(点|些)?|(low|lower) sales[- ]service fees?",
     "sales_service_fee", "total_fee", "销售服务费希望低到多少？例如「销售服务费不超过 0.3%」。",
     "How low should the sales-service fee be? For example \"sales-service fee at most 0.3%\"."),
    (r"(别|不要|不能)太贵|便宜(一)?(点|些)|(费率|费用|手续费|申购费)(低|便宜|少)(一)?(点|些)|(low|lower|low-ish) fees?|cheap(ish|er)?",
     "purchase_fee", "total_fee", "费率希望低到多少？例如「申购费不超过 0.5%」。",
     "How low should the fees be? For example \"purchase fee at most 0.5%\"."),
    (r"规模(大|大一点|大些|不要太小|别太小)|(big|bigger|large|larger) funds?",
     "size", "size", "规模希望至少多大？例如「规模 10 亿以上」。", "How large a fund do you mean? For example \"size at least 10 亿\"."),
    (r"成立(时间)?(长|久|早)(一)?(点|些)?|老(一)?点的基金|(long|longer) track record|well[- ]established",
     "fund_age_years", "inception_date", "成立多久以上的基金？例如「成立 3 年以上」。",
     "How long a track record do you want? For example \"at least 3 years old\"."),
    (r"稳(一)?(点|些)|稍微稳|靠谱|别太冒险|(safer|safe|not too risky|less risky)",
     "risk_max", "volatility_1y", "您能接受的最高风险等级是多少？例如 R2（中低风险）或 R3（中风险）。",
     "What is the highest risk grade you accept? For example R2 (low-to-medium) or R3 (medium)."),
]  # fmt: skip
"""Words that matter but carry no number: we rank by them meanwhile and ask one question."""

TOPIC = r"(?:买点|投资|关于|投)?(?P<topic>[\u4e00-\u9fffa-z0-9]{2,8}?)(?:相关|主题|概念|板块|行业|赛道|方向)|(?P<en>[a-z]{3,20}) (?:themed|theme|sector|related)"
"""A theme the lexicon may not know (机器人主题, 一带一路概念): it goes to hybrid retrieval."""

FOLLOW_UP = r"^(只要|只看|只留|再|去掉|排除|不要|换成|改成|改为|加上|那|还有|换个|用|按|前|only|instead|remove|exclude|drop|now|switch|make it|cheaper|and )"
"""How a refinement of the previous request starts ("只要C类", "再便宜一点", "去掉易方达的", "换成近三年")."""

COMMON_EN: tuple[str, ...] = (
    "funds", "which", "where", "there", "their", "these", "those", "other", "about", "looking", "something", "anything",
    "returned", "returns", "higher", "lower", "better", "please", "would", "could", "should", "investor", "investors",
    "investment", "invest", "years", "months", "weeks", "money", "first", "highest", "lowest", "sorted", "ranked",
    "ranking", "between", "billion", "million", "under", "above", "below", "least", "within", "older", "younger",
    "track", "record", "history", "fixed", "income", "market", "markets", "space", "theme", "themed", "sector", "sectors",
    "share", "class", "shares", "show", "give", "with", "want", "looking", "little", "plenty", "years", "maybe",
    "monthly", "weekly", "daily", "yearly", "annual", "annually", "ratio", "rated", "rating", "grade", "level", "right",
    "think", "recommend", "suggest", "options", "choices", "picks", "today", "currently", "still", "again", "after",
    "before", "since", "until", "while", "large", "small", "cheap", "cheaper", "expensive", "worth", "buying", "selling",
    "holding", "hold", "keep", "plan", "started", "start", "losses", "tolerate", "accept", "handle", "having", "total",
    "count", "value", "price", "prices", "decent", "volatile", "stable", "steady", "steadier", "safer", "safest", "riskier",
    "mixed", "hybrid", "index", "equity", "stocks", "bonds", "explain", "mean", "means", "meaning", "define", "versus",
    "compare", "comparison", "review", "analyse", "analyze", "tell", "thanks", "thank", "hello", "would", "really",
    "exclude", "excluding", "except", "besides", "apart", "already", "bought", "managed", "manager", "managers", "company",
    "companies", "issuer", "launched", "newest", "oldest", "biggest", "largest", "smallest", "cheapest", "dearest",
)
"""Ordinary English words a request uses, never 'corrected' to a domain word."""

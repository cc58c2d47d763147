"""The offline parser: requests as fund users write them, to the filters they meant."""

from __future__ import annotations

import pytest

from assistant.funds import Bound, SortKey, parse_request


def q(text: str, **kw: object) -> dict:
    return parse_request(text, **kw).query.model_dump(exclude_defaults=True)  # type: ignore[arg-type]


def test_the_product_brief_example() -> None:
    got = q("想找风险不高、近一年收益 3% 以上的债券基金, 费率低一点")
    assert got["fund_types"] == ["bond"] and got["risk_max"] == 3
    assert got["returns"] == {"1y": {"min": 3.0}}
    assert got["sort"] == [{"field": "total_fee", "order": "asc"}]


@pytest.mark.parametrize(
    "text, field, bound",
    [("回撤不超过5%", "max_drawdown", Bound(max=5)), ("回撤5%以内", "max_drawdown", Bound(max=5)),
     ("回撤低于3个点", "max_drawdown", Bound(max=3, max_inclusive=False)), ("波动率小于10%", "volatility", Bound(max=10, max_inclusive=False)),
     ("管理费千分之五以内", "mgmt_fee", Bound(max=0.5)), ("规模10亿以上", "size", Bound(min=10)),
     ("夏普大于1", "sharpe", Bound(min=1, min_inclusive=False)), ("fee under 0.5%", "purchase_fee", Bound(max=0.5, max_inclusive=False))],
)  # fmt: skip
def test_limits_and_comparatives(text: str, field: str, bound: Bound) -> None:
    assert parse_request(text).query.model_dump()[field] == bound.model_dump()


@pytest.mark.parametrize(
    "text, period, bound",
    [("近一年收益3%以上", "1y", Bound(min=3)), ("今年以来涨幅超过百分之十", "ytd", Bound(min=10, min_inclusive=False)),
     ("近三年收益在20%到50%之间", "3y", Bound(min=20, max=50)), ("收益至少五个点", "1y", Bound(min=5)),
     ("近半年收益不低于2%", "6m", Bound(min=2)), ("return above 3% over the last year", "1y", Bound(min=3, min_inclusive=False))],
)  # fmt: skip
def test_return_limits_by_period(text: str, period: str, bound: Bound) -> None:
    assert parse_request(text).query.returns == {period: bound}


def test_types_themes_classes_and_money() -> None:
    got = q("今年以来涨幅超过百分之十的医药混合C类, 我有一万块, 打算拿两年, 要能定投的")
    assert got["fund_types"] == ["mixed"] and got["themes"] == ["医药"] and got["share_class"] == "C"
    assert got["amount"] == 10_000 and got["holding_days"] == 730 and got["dca_only"] is True
    assert q("光伏和锂电池主题的基金")["themes"] == ["光伏", "锂电"]
    assert q("债基")["fund_types"] == ["bond"] and q("偏股混合")["fund_types"] == ["mixed"]
    assert q("芯片ETF")["themes"] == ["半导体"] and q("芯片ETF")["fund_types"] == ["index"]


def test_sorting_top_n_and_intent() -> None:
    parsed = parse_request("回撤不超过5%的光伏基金, 收益最高的前5只").query
    assert parsed.sort == [SortKey(field="return_1y", order="desc")] and parsed.top_n == 5
    assert parse_request("今年跌得最多的3只").query.sort == [SortKey(field="return_ytd", order="asc")]
    assert "top_n" not in q("回撤低于3个点")  # 3个点 is a percent, not three funds
    assert q("对比 000001 和 110011") == {"intent": "compare", "codes": ["000001", "110011"]}
    assert q("161725 怎么样")["intent"] == "analyse"
    assert q("什么是最大回撤")["intent"] == "explain"


def test_risk_words_and_companies() -> None:
    assert q("保守一点")["risk_max"] == 2 and q("我比较激进")["risk_min"] == 4
    assert q("易方达的债基", companies=["易方达基金", "鼎衡基金"])["companies_include"] == ["易方达基金"]
    assert q("去掉易方达的", companies=["易方达基金"])["companies_exclude"] == ["易方达基金"]


def test_full_width_and_english() -> None:
    assert q("回撤不超过５％")["max_drawdown"] == {"max": 5.0}
    got = q("low risk bond fund, top 3, lowest fee")
    assert got["risk_max"] == 2 and got["fund_types"] == ["bond"] and got["top_n"] == 3
    assert got["sort"] == [{"field": "total_fee", "order": "asc"}]


# -- typos ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, field, value",
    [("医要基金", "themes", ["医药"]), ("新能原车基金", "themes", ["新能源车"]), ("卷商基金", "themes", ["证券"]),
     ("中正500指数", "themes", ["中证500"]), ("军功主题", "themes", ["军工"]), ("锂点池相关", "themes", ["锂电"]),
     ("恒升科技", "themes", ["恒生科技"]), ("semiconducter funds", "themes", ["半导体"]), ("divident funds", "themes", ["红利"])],
)  # fmt: skip
def test_homophone_and_spelling_slips_are_corrected(text: str, field: str, value: object) -> None:
    assert q(text)[field] == value


def test_typo_correction_leaves_right_words_and_numbers_alone() -> None:
    assert q("规摸50亿以上的货基")["size"] == {"min": 50.0}
    assert q("近一年收溢超过15%的混合")["returns"] == {"1y": {"min": 15.0, "min_inclusive": False}}
    assert q("夏谱比率大于1的股票基金")["sharpe"] == {"min": 1.0, "min_inclusive": False}
    assert q("什么是最大回车") == {"intent": "explain", "term": "最大回撤"}
    assert q("there are three funds") == {}  # ordinary English is not "corrected" into a domain word
    assert q("医药基金")["themes"] == ["医药"]


def test_english_company_names_through_pinyin() -> None:
    companies = ["峻岭基金", "青岚基金", "骊川基金"]
    assert q("Funds from Junling Fund with a Sharpe ratio above 1.5", companies=companies)["companies_include"] == ["峻岭基金"]
    assert q("exclude funds from Qinglan, show solar funds", companies=companies)["companies_exclude"] == ["青岚基金"]
    assert q("峻岭以外的医药基金", companies=companies)["companies_exclude"] == ["峻岭基金"]


# -- themes and types -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, themes",
    [("healthcare funds", ["医药"]), ("new energy vehicle funds", ["新能源车"]), ("solar and lithium", ["光伏", "锂电"]),
     ("baijiu funds", ["白酒"]), ("FOFs for retirement", ["养老"]), ("STAR 50 index funds", ["科创50"]),
     ("SSE 50 and CSI 300", ["上证50", "沪深300"]), ("Military and SOE reform", ["军工", "国企改革"]),
     ("securities sector funds", ["证券"]), ("US equity QDII", ["美股"]), ("Hang Seng Tech", ["恒生科技"])],
)  # fmt: skip
def test_english_themes(text: str, themes: list[str]) -> None:
    assert q(text)["themes"] == themes


def test_a_theme_is_not_also_a_type_and_bond_themes_imply_bond() -> None:
    assert "fund_types" not in q("美股基金有没有能定投的")
    assert q("找个短债")["fund_types"] == ["bond"] and q("class C short-term bond funds")["fund_types"] == ["bond"]
    assert q("convertible bond funds")["themes"] == ["可转债"]
    assert q("evening funds") == {}  # a short Latin word (ev) needs a word boundary


# -- sorting --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, sort",
    [("近一个月涨幅最高的十只指数基金", [("return_1m", "desc")]), ("按规模从大到小排", [("size", "desc")]),
     ("最新成立的科技基金", [("inception_date", "desc")]), ("成立最早的", [("inception_date", "asc")]),
     ("管理费最低的沪深300", [("mgmt_fee", "asc")]), ("申购费最低的", [("purchase_fee", "asc")]),
     ("近一年收益前十的医药基金", [("return_1y", "desc")]), ("近三个月收益排名", [("return_3m", "desc")]),
     ("今年以来收益最高的股票基金，按收益从高到低，再看回撤小的优先", [("return_ytd", "desc"), ("max_drawdown_1y", "asc")]),
     ("哪家的回撤小", [("max_drawdown_1y", "asc")]), ("STAR 50 funds sorted by 1-year return, highest first", [("return_1y", "desc")]),
     ("top 5 semiconductor funds by 6-month return", [("return_6m", "desc")]), ("fell the most this year", [("return_ytd", "asc")]),
     ("biggest baijiu funds", [("size", "desc")]), ("oldest CSI 300 funds", [("inception_date", "asc")]),
     ("bond funds ranked by purchase fee, cheapest first", [("purchase_fee", "asc")]),
     ("funds with the highest 3-year return", [("return_3y", "desc")])],
)  # fmt: skip
def test_generic_sort_phrases(text: str, sort: list[tuple[str, str]]) -> None:
    assert parse_request(text).query.sort == [SortKey(field=f, order=o) for f, o in sort]  # type: ignore[arg-type]


def test_a_limit_is_not_a_ranking_and_vague_fee_words_stay_with_their_fee() -> None:
    assert "sort" not in q("转债基金里回撤最多8个点的")
    assert "sort" not in q("管理费便宜点的纳指基金")
    assert "sales_service_fee" not in q("销售服务费低一点的C类债基")  # 一点 is "a little", not 1%


# -- limits ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, bound",
    [("成立不到一年", Bound(max=1, max_inclusive=False)), ("成立超过3年", Bound(min=3, min_inclusive=False)),
     ("成立5年以上", Bound(min=5)), ("older than 5 years", Bound(min=5, min_inclusive=False)),
     ("min 5 yrs track record", Bound(min=5)), ("成立半年以内的新基金", Bound(max=0.5))],
)  # fmt: skip
def test_fund_age(text: str, bound: Bound) -> None:
    assert parse_request(text).query.fund_age_years == bound


@pytest.mark.parametrize(
    "text, period, bound",
    [("近一年收益在-5%到5%之间", "1y", Bound(min=-5, max=5)), ("近一年跌了不到20%", "1y", Bound(min=-20, min_inclusive=False)),
     ("今年以来跌了超过15个点", "ytd", Bound(max=-15, max_inclusive=False)), ("近三年收益为正", "3y", Bound(min=0, min_inclusive=False)),
     ("今年以来收益为负的", "ytd", Bound(max=0, max_inclusive=False)), ("近一年收益翻倍", "1y", Bound(min=100)),
     ("近三个月涨超10%的", "3m", Bound(min=10, min_inclusive=False)),
     ("returned more than 20% over the past year", "1y", Bound(min=20, min_inclusive=False)),
     ("3 yr return over 25%", "3y", Bound(min=25, min_inclusive=False))],
)  # fmt: skip
def test_signed_returns(text: str, period: str, bound: Bound) -> None:
    assert parse_request(text).query.returns == {period: bound}


@pytest.mark.parametrize(
    "text, field, bound",
    [("规模介于10亿和50亿之间", "size", Bound(min=10, max=50)), ("AUM between 2 and 5 billion yuan", "size", Bound(min=20, max=50)),
     ("assets over 3 billion yuan", "size", Bound(min=30, min_inclusive=False)), ("至少2个亿", "size", Bound(min=2)),
     ("规模5000万以上", "size", Bound(min=0.5)), ("drawdown less than 20%", "max_drawdown", Bound(max=20, max_inclusive=False)),
     ("管理费零点五以下", "mgmt_fee", Bound(max=0.5)), ("mgmt fee under half a percent", "mgmt_fee", Bound(max=0.5, max_inclusive=False)),
     ("management fee of 1.2% or less", "mgmt_fee", Bound(max=1.2)), ("sales service fee up to 0.25%", "sales_service_fee", Bound(max=0.25)),
     ("subscription fee below 0.1%", "purchase_fee", Bound(max=0.1, max_inclusive=False)), ("drawdown ≤ ２%", "max_drawdown", Bound(max=2)),
     ("sharpe >= 1", "sharpe", Bound(min=1))],
)  # fmt: skip
def test_ranges_units_and_english_comparatives(text: str, field: str, bound: Bound) -> None:
    assert parse_request(text).query.model_dump()[field] == bound.model_dump()


def test_risk_levels_and_words() -> None:
    assert q("风险等级R2到R3之间的固收+")["risk_min"] == 2 and q("风险等级R2到R3之间的固收+")["risk_max"] == 3
    assert q("别亏就行")["risk_max"] == 2 and q("风险中等")["risk_max"] == 3
    assert q("I can tolerate some losses")["risk_min"] == 3
    assert q("I'm a C4 investor")["investor_grade"] == 4 and q("适合C1投资者的")["investor_grade"] == 1


# -- money, time, share class, open ---------------------------------------------------------------------------------


def test_amounts_holding_and_share_class_in_english_and_full_width() -> None:
    got = q("I have 10,000 yuan and want to hold for 2 years. Something moderate risk.")
    assert got == {"amount": 10_000, "holding_days": 730, "risk_max": 3}
    assert q("我有１００，０００元，想买点债基") == {"amount": 100_000, "fund_types": ["bond"]}  # not a fund code
    assert q("I'll hold it for half a year")["holding_days"] == 182.5
    assert q("US equity funds I can put 3000 yuan into")["amount"] == 3000
    assert q("class C index funds")["share_class"] == "C"
    assert "top_n" not in q("农业主题，至少2个亿")


def test_open_only_is_not_an_amount() -> None:
    assert q("能随时买的货币基金")["open_only"] is True
    assert "open_only" not in q("有没有一千块就能买的科创50")


# -- intents --------------------------------------------------------------------------------------------------------


def test_analyse_compare_and_explain() -> None:
    assert q("016304值得买吗")["intent"] == "analyse" and q("诊断一下我持有的015908，要不要继续拿")["intent"] == "analyse"
    assert q("PK一下 013902 013903 019440")["intent"] == "compare"
    assert q("Which is better, 010524 or 014378?")["intent"] == "compare"
    assert "top_n" not in q("比较 016552、016684、016852 这三只")
    assert q("定投是什么意思") == {"intent": "explain", "term": "定投"}  # not a request for DCA funds
    assert q("explain max drawdown to me") == {"intent": "explain", "term": "最大回撤"}
    assert q("销售服务费是什么") == {"intent": "explain", "term": "销售服务费"}


def test_held_codes_are_excluded_not_analysed() -> None:
    got = q("我已经有019440了，再推荐几只新能源车的，别重复")
    assert got["exclude_codes"] == ["019440"] and "codes" not in got and "intent" not in got

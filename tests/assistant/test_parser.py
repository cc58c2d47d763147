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

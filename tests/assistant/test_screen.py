"""Screening: for any request and any investor grade, no shortlisted fund breaks a limit or the grade."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.funds import Bound, FundQuery, holding_cost, limit_failures, parse_request, screen, theme_match
from retrieval import Fund
from retrieval._demo import generate_funds


@lru_cache(maxsize=1)
def demo_funds() -> tuple[Fund, ...]:
    return tuple(generate_funds(20190830))


def bounds(lo: float, hi: float) -> st.SearchStrategy[Bound | None]:
    value = st.floats(lo, hi, allow_nan=False).map(lambda x: round(x, 2))
    return st.one_of(
        st.none(),
        st.builds(lambda v, inc: Bound(max=v, max_inclusive=inc), value, st.booleans()),
        st.builds(lambda v, inc: Bound(min=v, min_inclusive=inc), value, st.booleans()),
        st.builds(lambda a, b: Bound(min=min(a, b), max=max(a, b)), value, value),
    )


queries = st.builds(
    FundQuery,
    fund_types=st.lists(st.sampled_from(["stock", "mixed", "bond", "index", "money", "qdii", "fof", "other"]), max_size=3, unique=True),
    share_class=st.sampled_from([None, "A", "C"]),
    risk_max=st.one_of(st.none(), st.integers(1, 5)),
    investor_grade=st.one_of(st.none(), st.integers(1, 5)),
    returns=st.dictionaries(st.sampled_from(["1m", "3m", "6m", "1y", "3y", "ytd"]), bounds(-20, 40).filter(bool), max_size=2),  # type: ignore[arg-type]
    max_drawdown=bounds(0, 30), purchase_fee=bounds(0, 1.5), sales_service_fee=bounds(0, 0.6), size=bounds(0, 50),
    themes=st.lists(st.sampled_from(["新能源", "光伏", "医药", "纯债", "红利", "科技", "沪深300"]), max_size=2, unique=True),
    dca_only=st.booleans(), open_only=st.booleans(),
    amount=st.one_of(st.none(), st.sampled_from([10.0, 100.0, 1000.0, 50_000.0])),
    holding_days=st.one_of(st.none(), st.sampled_from([30.0, 180.0, 365.0, 730.0, 1095.0])),
    top_n=st.integers(1, 20),
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries)
def test_no_shortlisted_fund_breaks_a_limit_or_the_grade(query: FundQuery) -> None:
    funds = demo_funds()
    result = screen(query, funds)
    assert len(result.items) <= query.top_n
    assert result.passed + sum(result.excluded.values()) == len(funds)
    # The vectorised screen and the per-fund reference check agree on how many funds pass.
    reference = sum(1 for f in funds if not limit_failures(query, f) and (not query.themes or theme_match(query.themes, f)))
    assert result.passed == reference
    codes = [item.fund.code for item in result.items]
    assert len(codes) == len(set(codes))
    for item in result.items:
        assert limit_failures(query, item.fund) == []
        if query.investor_grade is not None:
            assert item.fund.risk_level is not None and item.fund.risk_level <= query.investor_grade
        if query.themes:
            assert theme_match(query.themes, item.fund)
    # One class per portfolio: never both members of an A/C pair.
    assert not any(item.fund.pair_code in codes for item in result.items)


def test_the_cheaper_class_for_the_holding_period_is_shown_and_says_why() -> None:
    funds = demo_funds()
    pair = next(f for f in funds if f.share_class == "A" and f.pair_code and (f.purchase_fee or 0) > 0.5)
    sibling = next(f for f in funds if f.code == pair.pair_code)
    both = [pair, sibling]
    short = screen(FundQuery(holding_days=90), both)
    long = screen(FundQuery(holding_days=3650), both)
    assert short.items[0].fund.share_class == "C" and long.items[0].fund.share_class == "A"
    assert "over 90 days (your holding period)" in short.items[0].reasons[0]
    assert holding_cost(sibling, 90) < holding_cost(pair, 90)
    assert screen(FundQuery(share_class="A", holding_days=90), both).items[0].fund.code == pair.code


def test_parsed_request_end_to_end_on_the_demo_shelf() -> None:
    query = parse_request("风险不高、近一年收益3%以上的债券基金，费率低一点").query
    result = screen(query, demo_funds())
    assert result.items and all(i.fund.fund_type == "bond" and i.fund.return_1y >= 3 for i in result.items)
    assert result.excluded["fund_type"] > 0
    fees = [holding_cost(i.fund, 365) for i in result.items]
    assert fees == sorted(fees)  # 费率低一点 ranks by the cost of a one-year hold

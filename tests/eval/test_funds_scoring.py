"""The never-silent scores of a fund answer, case by case and summed per suite, as QA reads them."""

from __future__ import annotations

from functools import lru_cache

from assistant.funds import FundQuery
from eval._funds import FundCase, FundOutcome, inverted_slots, score_fund
from eval._runner import CaseResult, summarize
from retrieval import Fund
from retrieval._demo import generate_funds


@lru_cache(maxsize=1)
def by_code() -> dict[str, Fund]:
    return {f.code: f for f in generate_funds(20190830)}


def case(expected: dict, **kw: object) -> FundCase:
    return FundCase(id="x1", request="…", lang="zh", expected=expected, **kw)  # type: ignore[arg-type]


def test_a_condition_turned_around_is_counted_as_inverted() -> None:
    want = FundQuery(max_drawdown={"max": 5}, fund_types_exclude=["qdii"], share_classes_exclude=["C"], risk_max=3)
    assert inverted_slots(want, want) == []
    got = FundQuery(max_drawdown={"min": 5}, fund_types=["qdii"], share_class="C", risk_min=4)
    assert set(inverted_slots(want, got)) == {"max_drawdown", "fund_types", "share_class", "risk"}
    assert inverted_slots(FundQuery(returns={"1y": {"min": 3}}), FundQuery(returns={"1y": {"max": 3}})) == ["returns.1y"]


def test_a_dropped_condition_is_silent_unless_the_answer_asked_or_said_what_it_did_not_understand() -> None:
    c = case({"fund_types": ["bond"], "max_drawdown": {"max": 5}})
    dropped = FundOutcome(filters=FundQuery(fund_types=["bond"]))
    assert score_fund(c, dropped, by_code(), None)[0]["silent_drop"] == 1.0
    said = dropped.model_copy(update={"unparsed": ["回撤不超过五"]})
    assert score_fund(c, said, by_code(), None)[0]["silent_drop"] == 0.0
    asked = dropped.model_copy(update={"clarification": "回撤最多能接受多少？"})
    assert score_fund(c, asked, by_code(), None)[0]["silent_drop"] == 0.0
    # a condition the data model cannot express must be announced, and only then can the case pass
    u = case({"fund_types": ["bond"]}, unsupported=["近两年收益"])
    quiet = FundOutcome(filters=FundQuery(fund_types=["bond"]))
    assert score_fund(u, quiet, by_code(), None) == (score_fund(u, quiet, by_code(), None)[0], False)
    assert score_fund(u, quiet, by_code(), None)[0]["silent_drop"] == 1.0
    assert score_fund(u, quiet.model_copy(update={"unparsed": ["近两年收益"]}), by_code(), None)[1]


def test_the_suite_sums_the_counts_and_reports_fund_precision_and_model_agreement() -> None:
    bond = [f.code for f in by_code().values() if f.fund_type == "bond"][:3]
    stock = [f.code for f in by_code().values() if f.fund_type == "stock"][:1]
    c = case({"fund_types": ["bond"]})
    results = []
    for i, (codes, agreement, ungrounded) in enumerate([(bond, {"fund_types": True, "size": False}, ["size=≥ 99"]),
                                                        (bond[:1] + stock, {"fund_types": True}, [])]):  # fmt: skip
        out = FundOutcome(codes=codes, filters=FundQuery(fund_types=["bond"]), agreement=agreement, ungrounded=ungrounded)
        scores, passed = score_fund(c, out, by_code(), None)
        results.append(CaseResult(id=f"x{i}", suite="funds_t.jsonl", input={}, output={}, scores=scores, passed=passed, latency_ms=1.0))
    row = summarize(results)["funds_t.jsonl"]
    assert row["funds_shown"] == 5 and row["funds_ok"] == 4 and row["fund_precision"] == 0.8
    assert row["clean"] == 0.5 and row["silent_drops"] == 0 and row["inverted"] == 0
    assert row["ungrounded_values"] == 1 and row["parse_agreement"] == 0.75 and row["agree.size"] == 0.0 and row["agree.fund_types"] == 1.0

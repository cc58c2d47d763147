"""FundQuery and the hard-limit check: what a shortlist may never contain."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from assistant.funds import Bound, FundQuery, limit_failures
from retrieval import Fund
from tests.conftest import fund_row


def fund(**overrides: object) -> Fund:
    return Fund.model_validate(fund_row("100001", **overrides))


def test_bounds_include_or_exclude_the_number_as_the_words_say() -> None:
    at_least = Bound(min=3)  # 3%以上, 至少3%
    above = Bound(min=3, min_inclusive=False)  # 高于3%
    assert at_least.admits(3) and not above.admits(3) and above.admits(3.01)
    within = Bound(max=2)  # 2%以内, 不超过2%
    below = Bound(max=2, max_inclusive=False)  # 低于2%
    assert within.admits(2) and not below.admits(2)
    assert not within.admits(None), "an unknown metric never passes a limit"
    assert Bound(min=1, max=3).describe() == "1–3" and below.describe() == "< 2"
    with pytest.raises(ValidationError):
        Bound(min=5, max=1)
    with pytest.raises(ValidationError):
        Bound()


def test_a_fund_breaking_any_limit_is_reported_with_the_limit() -> None:
    q = FundQuery(fund_types=["bond"], returns={"1y": Bound(min=3)}, max_drawdown=Bound(max=1), purchase_fee=Bound(max=0.5))
    assert limit_failures(q, fund()) == ["purchase_fee ≤ 0.5 (is 0.8)"]
    assert limit_failures(q, fund(purchase_fee=0.5)) == []
    failures = limit_failures(q, fund(fund_type="stock", return_1y=2.9, max_drawdown_1y=None, purchase_fee=0.1))
    assert failures == ["fund_type in ['bond']", "return_1y ≥ 3 (is 2.9)", "max_drawdown_1y ≤ 1 (unknown)"]


def test_the_investor_grade_is_a_ceiling_and_an_unknown_grade_does_not_pass() -> None:
    q = FundQuery(investor_grade=2)
    assert limit_failures(q, fund(risk_level=2)) == []
    assert limit_failures(q, fund(risk_level=3)) == ["risk_level ≤ R2 (is R3)"]
    assert limit_failures(q, fund(risk_level=None)) == ["risk_level ≤ R2 (unknown)"]
    # The stricter of the stated risk limit and the investor's grade wins.
    assert limit_failures(FundQuery(investor_grade=4, risk_max=2), fund(risk_level=3)) == ["risk_level ≤ R2 (is R3)"]


def test_money_class_company_manager_and_purchase_limits() -> None:
    f = fund(min_purchase=1000, company="鼎衡基金", managers=["张三", "李四"], dca=False, purchase_open=False)
    assert limit_failures(FundQuery(amount=500), f) == ["min_purchase ≤ 500"]
    assert limit_failures(FundQuery(amount=1000), f) == []
    assert limit_failures(FundQuery(companies_exclude=["鼎衡基金"]), f) == ["company not 鼎衡基金"]
    assert limit_failures(FundQuery(managers_include=["李四"]), f) == []
    assert limit_failures(FundQuery(managers_exclude=["李四"]), f) == ["manager not in ['李四']"]
    assert limit_failures(FundQuery(dca_only=True, open_only=True, share_class="C"), f) == ["share_class C", "dca", "purchase_open"]
    assert limit_failures(FundQuery(exclude_codes=["100001"]), f) == ["excluded by code"]


def test_fund_age_counts_from_inception_to_the_as_of_date() -> None:
    q = FundQuery(fund_age_years=Bound(min=3))
    assert limit_failures(q, fund(inception_date="2018-01-02", as_of="2026-10-30")) == []
    assert limit_failures(q, fund(inception_date="2025-01-02", as_of="2026-10-30")) == ["fund_age_years ≥ 3 (is 1.82)"]
    assert limit_failures(q, fund(inception_date=None)) == ["fund_age_years ≥ 3 (unknown)"]
    assert limit_failures(q, fund(inception_date="2024-01-02"), today=date(2027, 6, 1)) == []


def test_inconsistent_requests_are_refused_at_the_boundary() -> None:
    with pytest.raises(ValidationError, match="risk_min R4 is above risk_max R2"):
        FundQuery(risk_min=4, risk_max=2)
    with pytest.raises(ValidationError):
        FundQuery(fund_types=["crypto"])
    with pytest.raises(ValidationError):
        FundQuery(investor_grade=6)

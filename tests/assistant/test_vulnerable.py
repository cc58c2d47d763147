"""Credit never reaches vulnerable people, and a care or education message is never turned into a credit promotion.

Counted on the user table, not read from the plan's words: every credit plan's segment ANDed with the vulnerable
users (students, overdue now or in the last 90 days, income just fell) must count zero.
"""

from __future__ import annotations

import json

import pytest

from assistant.campaigns import Planner
from assistant.campaigns._vulnerable import OVERDUE_LOOKBACK_DAYS, VULNERABLE_REACHED
from retrieval._demo import generate_users
from tests.assistant.test_campaigns import SUITE, planner  # noqa: F401 - the module-scoped planner fixture

CARE = [
    "给有逾期的用户发一条关怀短信，告诉他们还款协商的渠道，不推新的借款，预算2万",
    "Send a repayment reminder to borrowers who are overdue, no new loan offers, SMS only, budget 10k",
    "最近收入下降的借款用户，发一条还款帮助的push，纯关怀，不做营销",
]
EDUCATION = [
    "给大学生做一期投资者教育，讲怎么识别网贷陷阱，push+公众号，预算5万",
    "Financial literacy push for students about spotting loan scams, no products, budget 20k",
]


def _reaches(planner: Planner, rule: str) -> int:  # noqa: F811
    return planner.warehouse.count(f"({rule}) and {VULNERABLE_REACHED}").size


def test_the_demo_holds_every_vulnerable_tag() -> None:
    users = generate_users(20190830, n=20_000).to_pydict()
    assert 0 < sum(users["income_drop"]) < 2_000 and 0 < sum(users["is_student"]) and 0 < sum(users["has_overdue"])
    since = users["days_since_overdue"]
    # Overdue now is 0 days since; a borrower overdue before has a count of days; most users never were.
    assert all((d == 0) == o for d, o in zip(since, users["has_overdue"]) if d is not None)
    assert sum(d is not None and 0 < d <= OVERDUE_LOOKBACK_DAYS for d in since) > 0
    assert sum(d is None for d in since) > 0.8 * len(since)


@pytest.mark.parametrize("brief", CARE + EDUCATION)
def test_a_service_message_sells_nothing_and_reaches_whom_it_is_for(planner: Planner, brief: str) -> None:  # noqa: F811
    plan = planner.plan(brief)
    assert not plan.refused and plan.question is None
    assert plan.brief.purpose in ("care", "education")
    assert plan.products == [] and plan.offer is None
    assert plan.copy_items and all(c.compliant for c in plan.copy_items)
    # No loan pricing, no incentive, no product name in what is sent.
    assert not any(w in c.text for c in plan.copy_items for w in ("日利率", "红包", "免息", "速借", "随心分"))
    assert plan.segment is not None and plan.segment.size > 0
    # It is for them: the vulnerable users the brief names are in its segment, not excluded.
    assert _reaches(planner, plan.segment.rule) > 0


@pytest.mark.parametrize("brief", [
    "给有逾期的用户发关怀短信，顺便推一下速借，预算2万",
    "最近收入下降的用户，推一下速借，给个免息券",
    "近30天有逾期的老客，发随心分提额短信",
    "有过逾期记录的用户推速借，预算5万",
    "students: push the Sujie cash loan with a red packet",
])  # fmt: skip
def test_credit_aimed_at_vulnerable_people_is_refused(planner: Planner, brief: str) -> None:  # noqa: F811
    plan = planner.plan(brief)
    assert plan.refused and plan.compliance.issues == ["refused: vulnerable_groups"], (brief, plan.brief.audience)


def test_no_credit_plan_of_the_suite_reaches_a_vulnerable_user(planner: Planner) -> None:  # noqa: F811
    credit = 0
    suites = SUITE.parent
    for line in [*(suites / "campaigns.jsonl").read_text(encoding="utf-8").splitlines(), *SUITE.read_text(encoding="utf-8").splitlines()]:
        case = json.loads(line)
        if "brief" not in case:
            continue  # an edit; edits are tested below
        plan = planner.plan(case["brief"], ask=False)
        if plan.refused or plan.segment is None or not any(p.kind.endswith("credit") for p in plan.products):
            continue
        credit += 1
        assert _reaches(planner, plan.segment.rule) == 0, case["id"]
    assert credit >= 10


def test_an_edit_cannot_turn_a_plan_to_vulnerable_people(planner: Planner) -> None:  # noqa: F811
    plan = planner.plan("给已授信的老客推速借，预算5万，短信", ask=False)
    assert not plan.refused
    for edit in ["只要有逾期的", "改成最近收入下降的用户", "换成大学生"]:
        assert planner.edit(plan, edit).refused, edit


@pytest.mark.parametrize("brief", [
    "留存专项：持仓超过20万、C3及以下的客户，企微顾问一对一关怀，送0.5%加息券，12月全月，预算6万",
    "指数基金定投投教实验，人群C3到C5、35岁以下的MAU，权益定投满100减5元，只用push",
])  # fmt: skip
def test_a_care_or_education_word_beside_an_incentive_is_still_a_promotion(planner: Planner, brief: str) -> None:  # noqa: F811
    plan = planner.plan(brief, ask=False)
    assert plan.brief.purpose == "promote" and plan.products and plan.offer is not None

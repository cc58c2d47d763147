"""The campaign planner on the brief suite: arithmetic that adds up, sample sizes recomputed another way, segment
sizes against a direct count, channel limits, compliance, refusals, and edits by conversation."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest

from assistant.campaigns import CampaignBrief, Planner
from assistant.compliance import channel_policy
from eval._campaigns import power_of_test as _power
from tests.assistant.demo import market as demo_market
from tests.assistant.demo import planner as demo_planner

SUITE = Path(__file__).resolve().parents[2] / "eval" / "suites" / "campaigns.jsonl"
TODAY = date(2026, 11, 24)


@lru_cache(maxsize=1)
def cases() -> tuple[dict, ...]:
    return tuple(json.loads(line) for line in SUITE.read_text(encoding="utf-8").splitlines() if line.strip())


@pytest.fixture(scope="module")
def planner(tmp_path_factory: pytest.TempPathFactory) -> Planner:
    return demo_planner(tmp_path_factory.mktemp("users"), TODAY)


def test_every_plan_on_the_suite_adds_up_and_passes_compliance(planner: Planner) -> None:
    briefs = [c for c in cases() if c.get("kind", "brief") != "edit"]
    assert len(briefs) >= 80
    failures, broken = [], []
    for case in briefs:
        plan = planner.plan(case["brief"], ask=False)
        if plan.refused:
            failures.append((case["id"], "refused", plan.refusal_reason))
            continue
        b = plan.budget
        assert b.total <= b.cap + 1e-6, case["id"]
        assert b.total == pytest.approx(sum(b.breakdown.values()), abs=0.01), case["id"]
        weeks = -(-plan.schedule.days // 7)
        for line in plan.channels:
            assert line.cost == pytest.approx(line.touches * line.unit_cost, abs=0.01), case["id"]
            assert line.users <= line.reachable, case["id"]
            # Nobody gets more than the channel's weekly cap in any week of the campaign.
            assert line.touches <= line.users * channel_policy(line.name).weekly_cap * weeks, case["id"]
            sends = [t for t in plan.cadence if t.channel == line.name]
            assert sum(t.users for t in sends) == line.touches and sends[0].audience == "all", case["id"]
            assert all(0 <= t.day < plan.schedule.days and t.on <= plan.schedule.end for t in sends), case["id"]
        if b.total < 0.5 * b.cap:
            assert plan.headline and ("budget" in plan.headline[0].en or "预算" in plan.headline[0].zh), case["id"]
        if plan.offer:
            assert plan.offer.cost == pytest.approx(plan.offer.expected_redemptions * plan.offer.cost_per_redemption, abs=0.05)
        t = plan.ab_test
        if t.design != "not_testable":
            p1, p2 = t.baseline_rate, t.baseline_rate * (1 + t.mde)
            assert _power(t.sample_size_per_arm, p1, p2, t.alpha) >= t.power - 1e-6, case["id"]
            assert _power(t.sample_size_per_arm - 1, p1, p2, t.alpha) < t.power + 1e-3, case["id"]  # and not more than needed
            assert t.sample_size_per_arm <= plan.segment.size * t.holdout_share + 1, case["id"]  # the control can hold it
        if t.design != "as_stated":
            assert any("experiment" in n.en for n in plan.headline), case["id"]
        direct = planner.warehouse.count(plan.segment.rule)
        assert plan.segment.size == direct.size, case["id"]
        if any(p.kind.endswith("credit") for p in plan.products):
            # No credit plan reaches a vulnerable user, counted on the user table.
            assert planner.warehouse.count(f"({plan.segment.rule}) and (is_student = true or has_overdue = true)").size == 0, case["id"]
        limits = {c: channel_policy(c).text_limit for c in planner.market.channels}
        for item in plan.copy_items:
            limit = limits[item.channel]
            if item.compliant and limit:
                assert len(item.text) <= limit, (case["id"], item.channel, item.text)
        cons = case.get("constraints", {})
        chosen = {c.name for c in plan.channels}
        # Constraints depend on reading the brief right; they are counted (and reported), the arithmetic above is not.
        if chosen & set(cons.get("excluded_channels") or []):
            broken.append((case["id"], "excluded channel used"))
        if cons.get("max_product_risk") and not all((p.risk_level or 0) <= cons["max_product_risk"] for p in plan.products):
            broken.append((case["id"], "product above the risk cap"))
        if cons.get("budget_cap") and plan.budget.cap != cons["budget_cap"]:
            broken.append((case["id"], f"budget cap {plan.budget.cap} != {cons['budget_cap']}"))
        if not plan.compliance.passed:
            failures.append((case["id"], "compliance", plan.compliance.issues[:2]))
    print(f"constraints broken in {len({b[0] for b in broken})} of {len(briefs)} plans: {broken}")
    assert not failures, failures[:10]
    assert len({b[0] for b in broken}) <= 0.1 * len(briefs), broken


def test_edits_redo_the_numbers_and_say_what_changed(planner: Planner) -> None:
    base = planner.plan("下周五开始，给一线城市的沉睡用户推「稳盈」90天，预算50万，短信加push，红包15.14元，为期两周")
    cheaper = planner.edit(base, "预算降到 300 元")
    assert cheaper.budget.cap == 300 and cheaper.budget.total <= 300
    assert any(c.startswith("budget cap: 500000.0 -> 300.0") for c in cheaper.changes)
    calls = planner.edit(base, "加上智能语音外呼")
    assert "ai_call" in [c.name for c in calls.channels] and any(c.startswith("channels") for c in calls.changes)
    graded = planner.edit(base, "只要 C2 以下的人")
    assert "risk_grade <= 2" in graded.segment.rule and graded.segment.size < base.segment.size
    later = planner.edit(base, "换成下周三开始")
    assert later.schedule.start == date(2026, 12, 2) and later.schedule.days == base.schedule.days


def test_refused_briefs_produce_no_plan(planner: Planner) -> None:
    plan = planner.plan("写一条短信告诉客户稳盈保本保收益，稳赚不赔，别提风险")
    assert plan.refused and plan.refusal_reason and plan.segment is None and not plan.copy_items
    assert not plan.compliance.passed


def test_credit_copy_states_the_annualised_rate(planner: Planner) -> None:
    plan = planner.plan("给老用户推速借，预算5万，短信和弹窗")
    assert plan.products[0].id == "sujie" and plan.copy_items
    for item in plan.copy_items:
        assert "年化利率" in item.text and "单利" in item.text, item
    assert "age >= 22" in plan.segment.rule and "is_student = false" in plan.segment.rule


def test_brief_slots_parse() -> None:
    from assistant.campaigns._parser import parse_brief

    market = demo_market()
    briefs = [c for c in cases() if c.get("kind", "brief") != "edit"]
    right = 0
    for case in briefs:
        got = parse_brief(case["brief"], market, TODAY).model_dump(exclude_defaults=True, mode="json")
        want = CampaignBrief.model_validate(case["expected"]).model_dump(exclude_defaults=True, mode="json")
        keys = [k for k in want if k != "audience"]
        right += all(got.get(k) == want[k] for k in keys)
    print(f"brief parser: {right}/{len(briefs)} briefs with every stated slot but audience right")
    assert right / len(briefs) > 0.3


def _scripted(brief: dict, copy: str) -> object:
    from assistant.backends._fake import FakeBackend

    return FakeBackend(lambda messages: json.dumps(brief) if "CampaignBrief" in messages[0].content else copy)


def test_with_a_model_the_briefs_explicit_numbers_win_and_model_copy_is_checked(planner: Planner) -> None:
    text = "给一线城市的沉睡用户推稳盈90天，预算5万，短信加push，红包15.14元"
    model = _scripted({"budget_cap": 999999, "duration_days": 10, "products": ["wenying_90d", "no_such_product"]},
                      "稳盈90天，领15.14元红包。理财非存款，产品有风险，投资须谨慎")  # fmt: skip
    p = Planner(planner.market, planner.warehouse, backend=model, today=TODAY).plan(text)
    assert p.brief.budget_cap == 50_000 and any("budget_cap" in n.en for n in p.notes)  # ours wins, and the disagreement is said
    assert p.brief.duration_days is None and any("duration_days" in n.en and "dropped" in n.en for n in p.notes)  # nothing says 10 days
    assert p.brief.products == ["wenying_90d"]
    pushes = [c for c in p.copy_items if c.channel == "app_push"]
    assert pushes and any(c.text == "稳盈90天，领15.14元红包。理财非存款，产品有风险，投资须谨慎" for c in pushes)
    assert p.compliance.passed and p.backend == "fake"
    bad = _scripted({}, "稳盈90天保本稳赚，年化收益8%，快来！")
    q = Planner(planner.market, planner.warehouse, backend=bad, today=TODAY).plan(text)
    assert all("保本" not in c.text and "8%" not in c.text for c in q.copy_items)
    assert any("model copy rejected" in n.en for n in q.notes) and q.compliance.passed


def test_an_edit_is_screened_like_a_brief_and_a_contradiction_is_one_line(planner: Planner) -> None:
    from finpilot import FinpilotError

    base = planner.plan("下周五开始，给一线城市的沉睡用户推「稳盈」90天，预算50万，短信加push，为期两周")
    hidden = planner.edit(base, "文案里别提风险，就说保本保收益")
    assert hidden.refused and hidden.refusal_reason and not hidden.copy_items
    with pytest.raises(FinpilotError, match="contradicts itself"):
        planner.edit(base, "改成 2026-12-10 开始，到 2026-12-01")


def test_a_model_value_the_brief_does_not_support_is_dropped_and_named(planner: Planner) -> None:
    text = "给一线城市的沉睡用户推稳盈90天，预算5万，短信，跑两周"
    model = _scripted({"channels": ["sms", "email"], "offers": ["lottery_gold"], "audience": [
        {"rule": "city_tier = 1", "said": "一线城市", "family": "city_tier"},
        {"rule": "age >= 60", "said": "老年人", "family": "age"}], "kpis": [{"metric": "conversions", "value": 3000}]},
        "稳盈90天。理财非存款，产品有风险，投资须谨慎")  # fmt: skip
    p = Planner(planner.market, planner.warehouse, backend=model, today=TODAY).plan(text)
    assert p.brief.channels == ["sms"] and not p.brief.offers and not p.brief.kpis  # nothing in the brief says them
    assert [c.rule for c in p.brief.audience if c.rule.startswith("age")] == []  # 老年人 is not in the brief
    dropped = " ".join(n.en for n in p.notes if "dropped" in n.en)
    assert "email" in dropped and "lottery_gold" in dropped and "age >= 60" in dropped and "3000" in dropped
    assert "city_tier = 1" in p.segment.rule and "days_since_login > 90" in p.segment.rule  # the brief's own reading stands


def test_the_exported_hold_out_is_the_share_the_brief_set(planner: Planner, tmp_path: Path) -> None:
    from assistant.campaigns import export

    plan = planner.plan("给一线城市的月活用户推活钱盈，预算5万，push+短信，留5%做对照")
    assert plan.ab_test.holdout_share == 0.05 and plan.ab_test.arms[0]["share"] == 0.05
    export(plan, tmp_path, planner.warehouse, {c: ch.reach_tag for c, ch in planner.market.channels.items()})
    held = (tmp_path / "holdout_user_ids.txt").read_text().split()
    size = planner.warehouse.count(plan.segment.rule).size
    assert 0.03 * size < len(held) < 0.07 * size  # about 5% of the segment, never touched on any channel


def test_a_budget_the_segment_cannot_use_is_said_first_in_the_briefs_language(planner: Planner) -> None:
    zh = planner.plan("给一线城市的沉睡用户推稳盈90天，预算50万，短信加push", ask=False)
    assert zh.lang == "zh" and zh.budget.total < 0.5 * zh.budget.cap
    first = zh.headline[0]
    assert first.zh.startswith("预算只能花出") and "名可触达用户" in first.zh and f"{zh.budget.cap:,.0f}" in first.zh
    en = planner.plan("Promote Wenying 90 days to dormant users in tier-1 cities, budget 500k, SMS and push", ask=False)
    assert en.lang == "en" and en.headline[0].say(en.lang).startswith("Only") and "reachable users" in en.headline[0].en
    # The Markdown a marketer forwards opens with it, in the brief's language.
    from assistant.campaigns import to_markdown

    assert to_markdown(zh).split("\n")[2].startswith("> **预算只能花出")


def test_a_budget_the_reach_allows_is_spent_with_follow_ups(planner: Planner) -> None:
    plan = planner.plan("给月活用户推活钱盈，预算800元，push和短信", ask=False)
    assert plan.budget.total >= 0.5 * plan.budget.cap and not any("budget" in n.en for n in plan.headline)
    assert any(t.audience == "not_clicked" for t in plan.cadence)  # more than one touch per user where the cap allows
    assert all(t.send_window == "08:00–21:00" for t in plan.cadence if t.channel == "sms")  # outside SMS quiet hours


def test_an_experiment_the_segment_cannot_power_proposes_the_feasible_design(planner: Planner) -> None:
    plan = planner.plan("给一线城市的沉睡用户推稳盈90天，预算5万，短信加push，MDE 5%", ask=False)
    t = plan.ab_test
    assert t.design in ("smallest_lift", "not_testable") and t.mde_asked in (0.05, None)
    said = next(n for n in plan.headline if "experiment" in n.en)
    assert "实验" in said.zh and ("Chosen instead" in said.en or "No experiment" in said.en)
    if t.design == "smallest_lift":
        assert t.mde > 0.05 and t.sample_size_per_arm <= plan.segment.size * t.holdout_share
        assert _power(t.sample_size_per_arm, t.baseline_rate, t.baseline_rate * (1 + t.mde), t.alpha) >= t.power - 1e-6
        assert f"{t.mde:.1%}" in said.en  # the lift it can detect, as the plan sized it
    assert t.duration_days <= plan.schedule.days  # never a test longer than the campaign presented as the plan


def test_each_arm_says_its_own_offer(planner: Planner) -> None:
    plan = planner.plan("给月活用户推随心分，预算5万，A组发借款7天免息券，B组发5元红包", ask=False)
    by_arm = {c.variant: c.text for c in plan.copy_items if c.channel == plan.channels[0].name}
    assert "免息" in by_arm["A"] and "红包" not in by_arm["A"]
    assert "5元红包" in by_arm["B"] and "免息券" not in by_arm["B"]


def test_a_loan_is_priced_as_a_range_from_its_lowest_rate(planner: Planner) -> None:
    plan = planner.plan("给月活用户推速借，预算2万", ask=False)
    texts = [c.text for c in plan.copy_items]
    # Every ad carries the annualised range; a daily rate, where there is room for one, starts from the lowest.
    assert texts and all("年化利率7.3%–21.9%" in t for t in texts)
    assert any("日利率0.02%起" in t for t in texts) and all("日利率0.02%起" in t for t in texts if "日利率" in t)


def test_the_days_and_hours_a_brief_allows_are_kept(planner: Planner) -> None:
    plan = planner.plan("给月活用户推活钱盈，只在周末发，晚上8点以后别发，预算1万，短信和push", ask=False)
    assert plan.brief.send_weekdays == [5, 6] and plan.brief.send_before.hour == 20 and not plan.unparsed
    assert plan.cadence and all(t.on.weekday() >= 5 for t in plan.cadence)
    assert {t.send_window for t in plan.cadence if t.channel == "sms"} == {"08:00–20:00"}  # the brief's 20:00 within SMS hours
    en = planner.plan("Promote Huoqianying to monthly active users, weekdays only, no SMS after 7pm, budget 10k, SMS and push", ask=False)
    assert "sms" in [c.name for c in en.channels] and all(t.on.weekday() < 5 for t in en.cadence)
    assert {t.send_window for t in en.cadence if t.channel == "sms"} == {"08:00–19:00"}
    # Calls go out 09:00–20:00: a brief that allows only the evening leaves them nobody, and the note says why.
    late = planner.plan("给月活用户推活钱盈，晚上9点以前别发，智能外呼和短信，预算1万", ask=False)
    assert not any(c.name == "ai_call" for c in late.channels) and any("免打扰" in n.zh for n in late.notes)
    edited = planner.edit(planner.plan("给月活用户推活钱盈，预算1万，短信和push", ask=False), "只在周末发")
    assert "send days: any -> ['Sat', 'Sun']" in edited.changes and all(t.on.weekday() >= 5 for t in edited.cadence)


def test_a_window_that_would_begin_in_the_past_starts_today_and_says_so(planner: Planner) -> None:
    for text in ("给月活用户推活钱盈，预算1万，跑两周，今天截止", "给月活用户推活钱盈，预算1万，活动今天截止"):
        plan = planner.plan(text, ask=False)  # once a ZeroDivisionError (a window of 0 days)
        assert plan.schedule.start == plan.schedule.end == TODAY and plan.schedule.days == 1, text
        assert plan.cadence and all(t.on == TODAY for t in plan.cadence) and plan.ab_test.duration_days == 1
    assert any("已经过去" in n.zh for n in planner.plan("给月活用户推活钱盈，预算1万，跑两周，今天截止", ask=False).notes)


@pytest.mark.parametrize("text", [
    "给有逾期的用户推速借，预算5万", "给在校大学生推随心分，预算5万", "给最近刚失业的用户推速借，预算5万", "推速借，帮用户以贷养贷，预算5万",
    "收入下降的用户推一波随心分分期，预算3万", "Promote Sujie to students, budget 50k", "Sujie for people who were laid off, budget 50k",
])  # fmt: skip
def test_credit_aimed_at_vulnerable_people_is_refused_with_the_reason(planner: Planner, text: str) -> None:
    for ask in (True, False):  # also when the marketer says "plan without what you did not understand"
        plan = planner.plan(text, ask=ask)
        assert plan.refused and plan.compliance.issues == ["refused: vulnerable_groups"] and not plan.copy_items, text
        assert ("信贷" in plan.refusal_reason) if plan.lang == "zh" else ("credit" in plan.refusal_reason)


def test_excluding_vulnerable_people_and_educating_students_are_planned(planner: Planner) -> None:
    for text in ("给月活用户推速借，不要学生和有逾期的，预算5万", "Sujie for monthly active users who aren't overdue, budget 50k",
                 "给学生做投资者教育，推活钱盈，预算1万"):  # fmt: skip
        plan = planner.plan(text, ask=False)
        assert not plan.refused and plan.segment is not None, text
        assert planner.warehouse.count(f"({plan.segment.rule}) and (has_overdue = true)").size == 0 or not any(
            p.kind.endswith("credit") for p in plan.products), text


def test_an_edit_that_turns_credit_to_vulnerable_people_is_refused(planner: Planner) -> None:
    plan = planner.plan("给月活用户推速借，预算5万", ask=False)
    edited = planner.edit(plan, "改成只给有逾期的用户")
    assert edited.refused and edited.compliance.issues == ["refused: vulnerable_groups"]

"""Brief understanding cases: a marketer's brief (or a follow-up edit) labelled with what it states, scored from the
plan and the user table, never from the planner's own rule text.

Each audience condition is labelled as a rule over the tags (or null: the tags cannot express it). It holds when no
user of the plan's segment breaks it, counted on the table (`count(segment and not condition) = 0`, users with the
condition's field missing counted as breaking it) in a segment that is not empty. A null condition is handled when
the planner asks about it or lists it as not understood. A brief is read fully right when every labelled slot is
right, every condition holds or is handled, and the planner asked a question only if a condition needed one.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.campaigns import KpiTarget
from assistant.text import normal

BRIEF_TODAY = date(2026, 11, 24)
"""The reference day of every case without its own `today` (a Tuesday)."""
CHECKED = ("goal", "products", "dates", "budget", "channels", "offers", "kpis", "experiment")


class ExperimentExpect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    baseline_rate: float | None = None
    mde: float | None = None
    mde_kind: Literal["relative", "absolute"] | None = None
    alpha: float | None = None
    power: float | None = None
    arms: list[dict[str, Any]] | None = None
    holdout: bool | None = None


class BriefExpect(BaseModel):
    """What a brief states, as the plan must carry it (keys present only when stated)."""

    model_config = ConfigDict(extra="forbid")

    goal: str | None = None
    products: list[str] | None = None
    product_family: str | None = None
    budget_cap: float | None = None
    start: date | None = None
    end: date | None = None
    days: int | None = None
    channels: list[str] | None = None
    channels_excluded: list[str] | None = None
    offers: list[str] | None = None
    offer_amount: float | None = None
    no_offer: bool | None = None
    offer_unavailable: str | None = None
    kpis: list[KpiTarget] | None = None
    experiment: ExperimentExpect | None = None


class AudienceExpect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    said: str
    rule: str | None


class BriefCase(BaseModel):
    """A brief and what it states."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: Literal["brief"] = "brief"
    lang: Literal["zh", "en"] = "zh"
    brief: str = Field(min_length=1)
    today: date | None = None
    expected: BriefExpect = Field(default_factory=BriefExpect)
    audience: list[AudienceExpect] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)


class BriefEditCase(BaseModel):
    """A brief, then a follow-up: what the edit changes, and (implicitly) that nothing else changes."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: Literal["edit"]
    lang: Literal["zh", "en"] = "zh"
    base: str = Field(min_length=1)
    edit: str = Field(min_length=1)
    today: date | None = None
    expected: BriefExpect = Field(default_factory=BriefExpect)
    audience: list[AudienceExpect] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)


def _family(product_id: str, market: Any) -> str:
    from assistant.campaigns import product_family

    return product_family(product_id, market.products[product_id].kind.value)


def condition_holds(warehouse: Any, segment: str, rule: str) -> bool:
    """No user of a non-empty segment breaks the condition (a missing value breaks it: SQL's NULL is not a pass)."""
    from assistant.campaigns import parse_rule

    if warehouse.count(segment).size == 0:
        return False
    nullable = [f for f in parse_rule(rule).fields if f in ("risk_grade", "merchant_monthly_sales")]
    broken = f"({segment}) and (not ({rule}){''.join(f' or {f} is null' for f in nullable)})"
    return warehouse.count(broken).size == 0


def _handled(said: str, plan: Any) -> bool:
    """A condition the tags cannot express is asked about or listed as not understood."""
    words = normal(said)
    for u in plan.unparsed:
        got = normal(u.text)
        if got and (got in words or words in got or len(set(got) & set(words)) >= max(2, len(words) // 2)):
            return True
    return bool(plan.question) and words in normal(plan.question)


def score_slots(plan: Any, want: BriefExpect, market: Any, today: date = BRIEF_TODAY) -> dict[str, bool]:
    """Each labelled slot against the plan (or, for a question, against the brief as read)."""
    b = plan.brief
    out: dict[str, bool] = {}
    if want.goal is not None:
        out["goal"] = b.goal == want.goal
    if want.products is not None or want.product_family is not None:
        ids = [p.id for p in plan.products] or list(b.products)
        ok = True
        if want.products is not None:
            ok = set(ids) == set(want.products)
        if want.product_family is not None:
            fams = {_family(p, market) for p in ids if p in market.products} or set(b.categories)
            ok = ok and fams == {want.product_family}
        out["products"] = ok
    if want.start is not None or want.end is not None or want.days is not None:
        from assistant.campaigns import schedule_for

        # A question plan has no schedule yet: the one the planner would make from the brief as read.
        start, end, days = (plan.schedule.start, plan.schedule.end, plan.schedule.days) if plan.schedule else schedule_for(b, today)
        out["dates"] = (want.start is None or start == want.start) and (want.end is None or end == want.end) and (want.days is None or days == want.days)
    if want.budget_cap is not None:
        cap = plan.budget.cap if plan.budget else b.budget_cap
        out["budget"] = cap is not None and abs(cap - want.budget_cap) < 0.5
    if want.channels is not None or want.channels_excluded is not None:
        chosen = {c.name for c in plan.channels}
        ok = want.channels is None or set(b.channels) == set(want.channels)
        ok = ok and (not want.channels_excluded or (set(want.channels_excluded) <= set(b.channels_excluded) and not set(want.channels_excluded) & chosen))
        out["channels"] = ok
    if want.offers is not None or want.offer_amount is not None or want.no_offer is not None:
        offer = plan.offer.offer_id if plan.offer else (b.offers[0] if plan.question and b.offers else None)
        arms_offer = bool(want.experiment and want.experiment.arms and any("offer" in a or "offer_amount" in a for a in want.experiment.arms))
        if want.no_offer or (want.offers == [] and want.offer_amount is None):
            ok = offer is None or arms_offer
        elif want.offers:
            ok = offer in want.offers or (arms_offer and offer is None)
        elif want.offer_amount is not None:
            value = plan.offer.value if plan.offer else b.offer_amount
            ok = value is not None and abs(value - want.offer_amount) < 1e-6
        else:
            ok = offer in (want.offers or []) or (arms_offer and offer is None)
        out["offers"] = ok
    if want.kpis is not None:
        got = {(k.metric, round(k.value, 6)) for k in b.kpis}
        out["kpis"] = got == {(k.metric, round(k.value, 6)) for k in want.kpis}
    if want.experiment is not None:
        out["experiment"] = _experiment_ok(plan, want.experiment)
    return out


def _experiment_ok(plan: Any, want: ExperimentExpect) -> bool:
    t = plan.ab_test
    b = plan.brief
    if t is None:
        # A question plan: the design as read must match.
        baseline, mde, points, alpha, power = b.baseline_rate, b.mde, b.mde if b.mde_absolute else None, b.alpha, b.power
        arms = [a.model_dump(exclude_none=True) for a in b.arms]
    else:
        # The design as the brief asked it: a plan that had to size the test for another lift keeps the asked one.
        asked = getattr(t, "mde_asked", None)
        baseline, mde, points, alpha, power = t.baseline_rate, asked if asked is not None else t.mde, t.mde_points, t.alpha, t.power
        arms = [a for a in t.arms if a.get("name") != "control"] if b.arms else []
    close = lambda x, y: x is not None and abs(x - y) < 1e-6
    ok = True
    if want.baseline_rate is not None:
        ok = ok and close(baseline, want.baseline_rate)
    if want.mde is not None:
        ok = ok and (close(points, want.mde) if want.mde_kind == "absolute" else close(mde, want.mde) and not points)
    if want.alpha is not None:
        ok = ok and close(alpha, want.alpha)
    if want.power is not None:
        ok = ok and close(power, want.power)
    if want.arms:
        if len(arms) != len(want.arms):
            return False
        for got, exp in zip(arms, want.arms):
            if "offer_amount" in exp and not close(got.get("offer_amount"), float(exp["offer_amount"])):
                return False
            if "offer" in exp and got.get("offer") != exp["offer"]:
                return False
    return ok


def score_case(planner: Any, case: BriefCase | BriefEditCase) -> tuple[dict[str, Any], dict[str, float | None], bool]:
    """Plan (and edit), then score: slots, audience conditions, questions, and for edits what else changed."""
    today = case.today or BRIEF_TODAY
    planner.today = today
    base = None
    if isinstance(case, BriefEditCase):
        base = planner.plan(case.base, ask=False)  # the edit is what is measured: its brief is planned as answered
        if base.refused or base.question:
            return ({"base": "refused" if base.refused else "question", "question": base.question},
                    {"edit_applied": 0.0, "fully_right": 0.0}, False)  # fmt: skip
        plan = planner.edit(base, case.edit)
    else:
        plan = planner.plan(case.brief)
    if plan.refused:
        return {"refused": plan.refusal_reason}, {"fully_right": 0.0, "refused": 1.0}, False
    slots = score_slots(plan, case.expected, planner.market, today)
    segment = plan.segment.rule if plan.segment and not plan.question else " and ".join(f"({c.rule})" for c in plan.brief.audience) or "user_id != ''"
    audience: list[dict[str, Any]] = []
    for a in case.audience:
        if a.rule is None:
            audience.append({"said": a.said, "rule": None, "ok": _handled(a.said, plan)})
        else:
            audience.append({"said": a.said, "rule": a.rule, "ok": condition_holds(planner.warehouse, segment, a.rule)})
    # An audience the tags cannot hold, or an offer the market does not have, changes what the plan would be: a question.
    needs_question = any(a.rule is None for a in case.audience) or bool(case.expected.offer_unavailable)
    asked = plan.question is not None
    ok_question = asked == needs_question or (needs_question and not asked and all(x["ok"] for x in audience if x["rule"] is None))
    unchanged: dict[str, bool] = {}
    if base is not None:
        unchanged = _unchanged(base, plan, case.expected, bool(case.audience))
    fully = all(slots.values()) and all(x["ok"] for x in audience) and ok_question and all(unchanged.values())
    scores: dict[str, float | None] = {
        "fully_right": float(fully),
        "audience_conditions": float(len([x for x in audience if x["rule"]])),
        "audience_held": float(sum(x["ok"] for x in audience if x["rule"])),
        "untaggable": float(len([x for x in audience if x["rule"] is None])),
        "untaggable_handled": float(sum(x["ok"] for x in audience if x["rule"] is None)),
        "asked": float(asked),
        "asked_when_clear": float(asked and not needs_question),
        **{f"{k}_right": float(v) for k, v in slots.items()},
    }
    from eval._campaigns import credit_to_vulnerable

    scores["credit_to_vulnerable"] = None if plan.question else credit_to_vulnerable(plan, planner.warehouse)
    if base is not None:
        scores["edit_applied"] = float(all(slots.values()) and all(x["ok"] for x in audience))
        scores["rest_unchanged"] = float(all(unchanged.values()))
    output = {"slots": slots, "audience": audience, "question": plan.question, "unparsed": [u.text for u in plan.unparsed],
              "unchanged": unchanged, "brief": plan.brief.model_dump(mode="json", exclude_defaults=True),
              "segment": plan.segment.rule if plan.segment else None, "changes": plan.changes,
              "schedule": [str(plan.schedule.start), str(plan.schedule.end), plan.schedule.days] if plan.schedule else None,
              "offer": plan.offer.offer_id if plan.offer else None, "products": [p.id for p in plan.products]}  # fmt: skip
    return output, scores, fully


def _unchanged(base: Any, new: Any, want: BriefExpect, audience_labelled: bool) -> dict[str, bool]:
    """What the edit did not mention is as it was."""
    out: dict[str, bool] = {}
    if want.budget_cap is None and base.budget and new.budget:
        out["budget"] = abs(base.budget.cap - new.budget.cap) < 0.5
    if want.start is None and want.end is None and want.days is None and base.schedule and new.schedule:
        out["dates"] = (base.schedule.start, base.schedule.end) == (new.schedule.start, new.schedule.end)
    if want.channels is None and want.channels_excluded is None:
        out["channels"] = set(base.brief.channels) == set(new.brief.channels)
    if want.products is None and want.product_family is None:
        out["products"] = [p.id for p in base.products] == [p.id for p in new.products]
    if want.offers is None and want.offer_amount is None and want.no_offer is None:
        out["offers"] = (base.offer.offer_id if base.offer else None) == (new.offer.offer_id if new.offer else None)
    if not audience_labelled:
        out["audience"] = [c.rule for c in base.brief.audience] == [c.rule for c in new.brief.audience]
    return out


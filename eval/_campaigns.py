"""Campaign cases: the slot metrics of a brief parse (audience hints are free text and not scored), and the checks a
plan must pass, recomputed by the harness from the plan's own numbers and the data (never taken from the plan's flags).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from assistant.campaigns import CampaignBrief

if TYPE_CHECKING:
    from assistant.compliance import ProductKindName

SUITE = Path(__file__).resolve().parent / "suites" / "campaigns.jsonl"
SUITE_TODAY = date(2026, 11, 24)
"""The day the suite's relative dates ("下周一", "月底") were labelled against; plans are made as of this day so a
run next month scores the same."""
UNORDERED = {"channels", "channels_excluded", "products", "categories", "offers"}


def load_campaign_cases(path: Path | None = None) -> list[dict[str, Any]]:
    """Every line of the campaign suite: briefs (with `expected` and `constraints`) and edits (`kind: edit`)."""
    return [json.loads(line) for line in (path or SUITE).read_text(encoding="utf-8").splitlines() if line.strip()]


def brief_slots(brief: CampaignBrief) -> dict[str, Any]:
    """The slots a brief states, lists as sorted lists, audience hints and free constraints left out."""
    out = brief.model_dump(exclude_defaults=True, mode="json")
    for key in ("audience", "constraints"):
        out.pop(key, None)
    return {k: sorted(v) if k in UNORDERED else v for k, v in out.items()}


def score_briefs(cases: list[dict[str, Any]], parse: Callable[[str], CampaignBrief]) -> dict[str, Any]:
    """Exact-brief rate and micro precision, recall and F1 over the stated slots."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    exact = 0
    for case in cases:
        got, want = brief_slots(parse(case["brief"])), brief_slots(CampaignBrief.model_validate(case["expected"]))
        ok = True
        for k in set(got) | set(want):
            if k in got and k in want and got[k] == want[k]:
                tp[k] += 1
                continue
            ok = False
            fn[k] += k in want
            fp[k] += k in got
        exact += ok
    p = sum(tp.values()) / max(sum(tp.values()) + sum(fp.values()), 1)
    r = sum(tp.values()) / max(sum(tp.values()) + sum(fn.values()), 1)
    return {"cases": len(cases), "exact": round(exact / max(len(cases), 1), 4), "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}  # fmt: skip


def power_of_test(n: int, p1: float, p2: float, alpha: float) -> float:
    """Power of the two-sided two-proportion z-test with n per arm, from the normal CDF (math.erf) and a bisection
    inverse: a second derivation, independent of the planner's closed form and of statistics.NormalDist."""
    phi = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))

    lo, hi = -10.0, 10.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if phi(mid) < 1 - alpha / 2 else (lo, mid)
    z = (lo + hi) / 2
    bar = (p1 + p2) / 2
    se0 = math.sqrt(2 * bar * (1 - bar) / n)
    se1 = math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / n)
    return phi((abs(p2 - p1) - z * se0) / se1)


FAITHFUL_CODES = {"offer_misstated", "copy_unfaithful", "rate_mismatch", "apr_mismatch", "loan_without_apr", "missing_risk_warning"}
"""What makes copy misdescribe the product or the offer (the `copy_faithful` check)."""


def plan_checks(plan: Any, warehouse: Any, text_limits: dict[str, int | None], offers: dict[str, Any] | None = None) -> dict[str, bool]:
    """The checks every plan must pass, whatever the brief: arithmetic, sample size, segment size, limits, compliance,
    a budget spent or the reason said first, an experiment that can run or the feasible one said first, and copy
    faithful to the offer's and the product's terms (`offers`: the offer catalog, for arms with their own offer)."""
    from assistant.compliance import channel_policy, check_copy

    b, t = plan.budget, plan.ab_test
    close = lambda x, y, tol=0.01: abs(x - y) <= tol
    budget = b is not None and b.total <= b.cap + 1e-6 and close(b.total, sum(b.breakdown.values()))
    weeks = -(-plan.schedule.days // 7) if plan.schedule else 1
    # Touches count follow-ups: a user is reached once per send, no more sends than the channel's weekly cap allows.
    budget = budget and all(close(c.cost, c.touches * c.unit_cost) and c.users <= c.reachable
                            and c.touches <= c.users * channel_policy(c.name).weekly_cap * weeks for c in plan.channels)  # fmt: skip
    if plan.offer is not None:
        budget = budget and close(plan.offer.cost, plan.offer.expected_redemptions * plan.offer.cost_per_redemption, 0.05)
    sample = False
    if t is not None and t.sample_size_per_arm > 1:
        p1, p2 = t.baseline_rate, t.baseline_rate * (1 + t.mde)
        enough = power_of_test(t.sample_size_per_arm, p1, p2, t.alpha) >= t.power - 1e-6
        minimal = power_of_test(t.sample_size_per_arm - 1, p1, p2, t.alpha) < t.power + 1e-3
        sample = enough and minimal
    segment = plan.segment is not None and warehouse.count(plan.segment.rule).size == plan.segment.size
    kept = [i for i in plan.copy_items if i.compliant]
    limits = all(len(i.text) <= (text_limits.get(i.channel) or 10**9) for i in kept)
    p = plan.products[0] if plan.products else None
    # The copy is checked again here with fixing off: what ships must pass as it is, not as the checker would mend it.
    reports = [(i, check_copy(i.text, product_kind=_family(p), channel=i.channel, daily_rate=p.daily_rate, apr=p.apr, fix=False,
                              title=i.title, offer=_offer_terms(plan, i.variant, offers or {}), product=_product_terms(p)))
               for i in kept] if p is not None else []  # fmt: skip
    rechecked = p is not None and all(r.passed for _, r in reports)
    # A plan with no copy (nobody reachable) misstates nothing: within_channel_limits and compliance fail it instead.
    faithful = not any(x.code in FAITHFUL_CODES for _, r in reports for x in r.issues)
    heads = [n.code for n in plan.headline]
    spent = b is not None and (b.total >= 0.5 * b.cap or heads[:1] == ["budget_unspent"])
    feasible = t is not None and (("experiment_changed" in heads) if t.design != "as_stated" else _runs_as_planned(plan))
    return {"budget_adds_up": budget, "sample_size_recomputed": sample or (t is not None and t.design == "not_testable"),
            "segment_size_matches": segment, "within_channel_limits": limits and bool(kept),
            "compliance": plan.compliance.passed and rechecked, "budget_spent_or_said": spent,
            "experiment_feasible_or_said": feasible, "copy_faithful": faithful}  # fmt: skip


def _runs_as_planned(plan: Any) -> bool:
    """An experiment as stated fits: every arm's users exist (the control within the hold-out, the treated arms
    within the users the plan touches) and the test ends within the campaign."""
    t, seg = plan.ab_test, plan.segment
    if seg is None or t.sample_size_per_arm < 1:
        return False
    treated = sum(c.users for c in plan.channels)
    return (t.sample_size_per_arm <= seg.size * t.holdout_share + 1 and t.sample_size_per_arm * (len(t.arms) - 1) <= treated
            and t.duration_days <= plan.schedule.days)  # fmt: skip


def _family(p: Any) -> ProductKindName:
    from assistant.campaigns import product_family

    # Product kinds are retrieval.ProductKind values, which are exactly the names the compliance checker knows.
    return cast("ProductKindName", "deposit" if getattr(p, "deposit_insured", False) else product_family(p.id, p.kind))


def _product_terms(p: Any) -> Any:
    from assistant.compliance import ProductTerms

    return ProductTerms(name=p.name, terms=p.terms, daily_rate_min=p.daily_rate_min, apr_min=p.apr_min)


def _offer_terms(plan: Any, variant: str, offers: dict[str, Any]) -> Any:
    """The offer a piece of copy may state: its arm's own (by id, or a cash amount), else the plan's, else none."""
    from assistant.compliance import OfferTerms

    arm: dict[str, Any] = next((a for a in (plan.ab_test.arms if plan.ab_test else []) if a["name"] == variant), {})
    own, amount = offers.get(arm.get("offer") or ""), arm.get("offer_amount")
    if own is not None:
        value = amount if own.kind == "cash_subsidy" and amount is not None else own.value  # 商家首借红包, 30 元 in this arm
        return OfferTerms(kind=own.kind, value=value, unit=own.unit, name=own.name)
    o = plan.offer
    if o is None:
        return OfferTerms(kind="cash_subsidy", value=amount, unit="yuan", name=f"红包 {amount:g} 元") if amount is not None else OfferTerms(kind="none", value=0, unit="", name="无")
    cash = o.kind == "cash_subsidy" or (o.kind is None and "红包" in o.name)
    return OfferTerms(kind=o.kind or ("cash_subsidy" if cash else "other"), value=amount if cash and amount is not None else o.value, unit=o.unit, name=o.name)


def constraint_checks(plan: Any, constraints: Any, warehouse: Any) -> dict[str, bool]:
    """The case's labelled constraints, each checked from the plan and the user table."""
    c = constraints
    chosen = {line.name for line in plan.channels}
    out: dict[str, bool] = {}
    if c.budget_cap is not None:
        out["budget_cap"] = plan.budget is not None and plan.budget.total <= c.budget_cap + 1e-6
    if c.required_channels:
        out["required_channels"] = set(c.required_channels) <= chosen
    if c.excluded_channels:
        out["excluded_channels"] = not (set(c.excluded_channels) & chosen)
    if c.max_product_risk is not None:
        out["max_product_risk"] = all((p.risk_level or 0) <= c.max_product_risk for p in plan.products)
    if c.max_investor_grade is not None and plan.segment is not None:
        over = warehouse.count(f"({plan.segment.rule}) and risk_grade > {int(c.max_investor_grade)}").size
        out["max_investor_grade"] = over == 0
    if c.min_duration_days is not None:
        out["min_duration_days"] = plan.schedule is not None and plan.schedule.days >= c.min_duration_days
    if c.products_any_of:
        out["products_any_of"] = bool({p.id for p in plan.products} & set(c.products_any_of))
    if c.credit:
        # Loan copy must state the annualised rate (PRODUCT.md's APR disclosure rule).
        out["credit_apr_disclosed"] = bool(plan.copy_items) and all("年化" in i.text or "APR" in i.text for i in plan.copy_items if i.compliant)
    return out


def score_plan(plan: Any, want: dict[str, Any], constraints: Any, warehouse: Any, text_limits: dict[str, int | None],
               only: set[str] | None = None, offers: dict[str, Any] | None = None) -> tuple[dict[str, float | None], list[str]]:  # fmt: skip
    """Slot scores against `want` (the labelled slots; `only` these fields for an edit), every plan check and every
    constraint, and the names of the checks and constraints that failed (a plan passes when none did)."""
    if plan.refused:
        return {"refused": 1.0}, ["refused"]
    got = {k: v for k, v in brief_slots(plan.brief).items() if only is None or k in only}
    right = sum(1 for k in want if k in got and got[k] == want[k])
    checks = plan_checks(plan, warehouse, text_limits, offers)
    met = constraint_checks(plan, constraints, warehouse)
    scores: dict[str, float | None] = {
        "refused": 0.0,
        "slot_precision": right / len(got) if got else (1.0 if not want else 0.0),
        "slot_recall": right / len(want) if want else 1.0,
        **{k: float(v) for k, v in checks.items()},
        "constraints_met": sum(met.values()) / len(met) if met else None,
    }
    return scores, [k for k, v in {**checks, **met}.items() if not v]


def credit_to_vulnerable(plan: Any, warehouse: Any) -> float | None:
    """How many vulnerable users (students, overdue now or lately, income just fell) a credit plan's segment holds,
    counted on the user table; 0 for a plan that markets no credit. None when nothing was planned."""
    if plan.refused or plan.segment is None:
        return None
    if not any(p.kind.endswith("credit") for p in plan.products):
        return 0.0
    from assistant.campaigns import VULNERABLE_REACHED

    return float(warehouse.count(f"({plan.segment.rule}) and {VULNERABLE_REACHED}").size)

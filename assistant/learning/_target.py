"""Targeting by uplift: each user in a segment gets the suitable option (product, offer, channel) with the highest
expected incremental value, ranked by incremental conversions per yuan, and the list stops where a touch no longer
pays for itself. Suitability and the vulnerable-group rule are applied first, to every option, whatever the model
says: an option a user may not receive scores nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pyarrow as pa
from pydantic import BaseModel, Field

from assistant.compliance import policy
from assistant.learning._uplift import Option

CREDIT = ("consumer_credit", "merchant_credit")
_REACH_TAGS = {"push_reachable", "sms_reachable", "wechat_reachable"}


class OptionCosts(BaseModel):
    """What giving one user an option costs: its touches, and the offer when a converter redeems it."""

    touch: float = Field(ge=0)
    redemption: float = Field(ge=0)


class TargetingSummary(BaseModel):
    """What targeting a plan used and what it expects to gain over rule-only targeting (the plan shows it)."""

    method: Literal["uplift", "rule"]
    model: str | None = None
    """The uplift model's digest (None for rule-only)."""
    segment: int
    eligible: int
    """Users with at least one option they may receive (suitability and vulnerability applied first)."""
    excluded: dict[str, int] = Field(default_factory=dict)
    """Users removed before scoring, by reason (unsuitable, vulnerable, unreachable)."""
    targeted: int
    cost: float
    expected_incremental: float
    per_yuan: float
    """Expected incremental conversions per yuan spent."""
    value_per_conversion: float
    """What one incremental conversion is worth (yuan): targeting stops where a user's expected uplift times it falls
    below the cost of touching them."""
    rule_only: dict[str, float] = Field(default_factory=dict)
    """The same budget spent by rule (every eligible user in random order, the plan's first suitable option):
    targeted, cost, expected incremental conversions, per yuan."""
    gain: float | None = None
    """Expected incremental conversions per yuan over rule-only's (1.25: 25% more per yuan)."""
    options: dict[str, int] = Field(default_factory=dict)
    """Users per option chosen ("product / offer / channel")."""
    untrained: list[str] = Field(default_factory=list)
    """Options whose product family, offer kind and channel kind no response log held together: their uplift is the
    model's extrapolation, not something it has seen."""


def vulnerable(tags: pa.Table) -> np.ndarray:
    """Users no credit may be marketed to (policy.toml [vulnerable]): students, borrowers overdue now or within the
    lookback, people whose income just fell."""
    v = policy().vulnerable
    n = tags.num_rows
    out = np.zeros(n, bool)
    for tag in v.tags:
        if tag not in tags.column_names:
            continue
        col = tags.column(tag)
        if tag == "days_since_overdue":
            days = col.fill_null(10**9).to_numpy(zero_copy_only=False)
            out |= days <= v.overdue_lookback_days
        else:
            out |= col.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
    return out


def allowed(tags: pa.Table, options: Sequence[Option], reach_tags: dict[str, str | None]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(users x options) whether each user may receive each option, and per reason the users it ruled out of each."""
    n = tags.num_rows
    grade = tags.column("risk_grade").fill_null(0).to_numpy(zero_copy_only=False).astype(int)
    weak = vulnerable(tags)
    ok = np.ones((n, len(options)), bool)
    unsuitable = np.zeros((n, len(options)), bool)
    vuln = np.zeros((n, len(options)), bool)
    unreachable = np.zeros((n, len(options)), bool)
    for j, o in enumerate(options):
        if o.required_grade > 0:
            unsuitable[:, j] = grade < o.required_grade
        if o.family in CREDIT:
            vuln[:, j] = weak
        tag = reach_tags.get(o.channel_id)
        if tag in _REACH_TAGS and tag in tags.column_names:
            unreachable[:, j] = ~tags.column(tag).fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
        ok[:, j] = ~(unsuitable[:, j] | vuln[:, j] | unreachable[:, j])
    return ok, {"unsuitable": unsuitable, "vulnerable": vuln, "unreachable": unreachable}


def assign(ok: np.ndarray, uplift: np.ndarray, p1: np.ndarray, costs: Sequence[OptionCosts], value: float,
           budget: float | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """(option per user, -1 for none; expected incremental conversions; expected cost) under uplift targeting.

    Each user's option is the allowed one with the highest expected net value (uplift x value - cost); users are taken
    in order of incremental conversions per yuan while that net value is positive and the budget lasts."""
    touch = np.array([c.touch for c in costs])
    redeem = np.array([c.redemption for c in costs])
    cost = touch[None, :] + p1 * redeem[None, :]
    net = np.where(ok, uplift * value - cost, -np.inf)
    best = net.argmax(axis=1)
    rows = np.arange(len(best))
    gain, spend, net_best = uplift[rows, best], cost[rows, best], net[rows, best]
    take = net_best > 0
    order = np.argsort(-(gain / np.maximum(spend, 1e-9)), kind="stable")
    order = order[take[order]]
    if budget is not None:
        order = order[np.cumsum(spend[order]) <= budget]
    choice = np.full(len(best), -1)
    choice[order] = best[order]
    return choice, np.where(choice >= 0, gain, 0.0), np.where(choice >= 0, spend, 0.0)


def rule_only(ok: np.ndarray, uplift: np.ndarray, p1: np.ndarray, costs: Sequence[OptionCosts], budget: float | None,
              seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """The baseline: every eligible user, in random order, gets the first option they may receive, until the budget."""
    touch = np.array([c.touch for c in costs])
    redeem = np.array([c.redemption for c in costs])
    first = np.where(ok.any(axis=1), ok.argmax(axis=1), -1)
    rows = np.arange(len(first))
    pick = np.maximum(first, 0)
    spend = touch[pick] + p1[rows, pick] * redeem[pick]
    order = np.random.default_rng(seed).permutation(len(first))
    order = order[first[order] >= 0]
    if budget is not None:
        order = order[np.cumsum(spend[order]) <= budget]
    choice = np.full(len(first), -1)
    choice[order] = first[order]
    return choice, np.where(choice >= 0, uplift[rows, pick], 0.0), np.where(choice >= 0, spend, 0.0)


def summarize(method: Literal["uplift", "rule"], model: str | None, options: Sequence[Option], ok: np.ndarray,
              reasons: dict[str, np.ndarray], choice: np.ndarray, inc: np.ndarray, spend: np.ndarray, value: float,
              base: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> TargetingSummary:  # fmt: skip
    eligible = ok.any(axis=1)
    excluded = {k: int((m.all(axis=1) & ~eligible).sum()) for k, m in reasons.items()}
    cost, expected = float(spend.sum()), float(inc.sum())
    out = TargetingSummary(method=method, model=model, segment=len(choice), eligible=int(eligible.sum()), excluded=excluded,
                           targeted=int((choice >= 0).sum()), cost=round(cost, 2), expected_incremental=round(expected, 2),
                           per_yuan=expected / cost if cost else 0.0, value_per_conversion=value)  # fmt: skip
    labels = [f"{o.product_id} / {o.offer_id or '-'} / {o.channel_id}" for o in options]
    counts = np.bincount(choice[choice >= 0], minlength=len(options))
    out.options = {labels[j]: int(c) for j, c in enumerate(counts) if c}
    if base is not None:
        b_choice, b_inc, b_spend = base
        b_cost, b_exp = float(b_spend.sum()), float(b_inc.sum())
        b_per = b_exp / b_cost if b_cost else 0.0
        out.rule_only = {"targeted": int((b_choice >= 0).sum()), "cost": round(b_cost, 2), "expected_incremental": round(b_exp, 2), "per_yuan": b_per}
        out.gain = out.per_yuan / b_per if b_per > 0 else None
    return out

"""Review: what a campaign did against its hold-out, its A/B design, its forecast and its costs, and who responded.

Every number comes from the per-user rows (the design's randomisation makes the hold-out the counterfactual), with
95% intervals; the A/B comparison is read only once the arms reach the size the design planned (no peeking); the
cells and tags that responded are found with the Benjamini–Hochberg correction over all cells tested together.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, Field

from assistant.learning._design import CampaignDesign
from assistant.learning._guardrails import guardrail_limits
from assistant.learning._stats import benjamini_hochberg, newcombe, ratio_interval, two_proportion_p, wilson

LEVEL = 0.95
CELL_TAGS = ("age_band", "city_tier", "aum_band", "risk_grade", "monthly_active", "is_merchant", "credit_granted")
"""The tags whose values become audience cells in a review (and rows of the tag-effect table)."""
MIN_CELL = 200
"""Users a cell needs in the hold-out and in the treated arms together before it is tested."""
FDR = 0.05


class Interval(BaseModel):
    estimate: float
    low: float
    high: float


class ArmResult(BaseModel):
    """One arm: its users, conversions and, for a treated arm, its lift over the hold-out."""

    arm: str
    holdout: bool
    users: int
    conversions: int
    rate: Interval
    value: float
    lift: Interval | None = None
    """Conversion rate minus the hold-out's (conversions per user, absolute)."""
    relative_lift: Interval | None = None
    p_value: float | None = None
    incremental_conversions: Interval | None = None


class ABResult(BaseModel):
    """The A/B comparison of two treated arms, read against the design's alpha and power."""

    arms: tuple[str, str]
    difference: Interval
    p_value: float
    alpha: float
    power: float
    planned_per_arm: int | None
    users_per_arm: int
    decision: Literal["first_better", "second_better", "no_difference", "too_early"]
    says: str
    says_zh: str


class FunnelStep(BaseModel):
    step: Literal["touches", "clicks", "conversions", "value"]
    forecast: tuple[float, float, float] | None
    actual: float
    within: bool | None = None
    """Whether the actual lies within the forecast's range (None without a forecast)."""


class ChannelResult(BaseModel):
    """What each channel cost per conversion it added over the hold-out."""

    channel: str
    users: int
    touches: int
    conversions: int
    cost: float
    incremental: Interval
    cost_per_incremental: float | None
    """None when the channel added no measurable conversions (its interval reaches 0 or below)."""


class CellResult(BaseModel):
    tag: str
    value: str
    treated: int
    control: int
    lift: Interval
    p_value: float
    q_value: float
    verdict: Literal["responded", "responded_worse", "no_evidence"]


class Guardrail(BaseModel):
    name: Literal["opt_out", "complaint"]
    count: int
    rate: float
    limit: float
    breached: bool


class Review(BaseModel):
    """A campaign's review: `finpilot campaign review --json` prints exactly this; the Markdown and the app show it."""

    campaign_id: str
    name: str
    source: str
    reviewed_on: date
    level: float = LEVEL
    users: int
    arms: list[ArmResult]
    ab: ABResult | None = None
    funnel: list[FunnelStep] = Field(default_factory=list)
    channels: list[ChannelResult] = Field(default_factory=list)
    cells: list[CellResult] = Field(default_factory=list)
    guardrails: list[Guardrail] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    cost: float = 0.0
    incremental_conversions: Interval | None = None
    cost_per_incremental: float | None = None


def _iv(t: tuple[float, float, float]) -> Interval:
    return Interval(estimate=t[0], low=t[1], high=t[2])


def _col(logs: pa.Table, name: str, fill: object) -> np.ndarray:
    if name not in logs.column_names:
        return np.full(logs.num_rows, fill)
    return logs.column(name).fill_null(fill).to_numpy(zero_copy_only=False)


def review(design: CampaignDesign, logs: pa.Table, tags: pa.Table | None = None, today: date | None = None) -> Review:
    """Review a campaign from its per-user rows (`tags`: the users' tag rows, for the audience cells)."""
    today = today or date.today()
    arm = _col(logs, "arm", "")
    conv = _col(logs, "converted", False).astype(bool)
    value = _col(logs, "value", 0.0).astype(float)
    hold = design.holdout
    notes: list[str] = []
    if hold is None or not (arm == hold.name).any():
        raise ValueError(f"{design.campaign_id}: no hold-out users in the results: lift cannot be measured")
    h = arm == hold.name
    n0, k0 = int(h.sum()), int(conv[h].sum())
    arms = [ArmResult(arm=hold.name, holdout=True, users=n0, conversions=k0, rate=_iv((k0 / n0, *wilson(k0, n0, LEVEL))), value=float(value[h].sum()))]
    for spec in design.treated:
        m = arm == spec.name
        n1, k1 = int(m.sum()), int(conv[m].sum())
        if not n1:
            notes.append(f"arm {spec.name} has no users in the results")
            continue
        d = newcombe(k1, n1, k0, n0, LEVEL)
        rel = ratio_interval(k1, n1, k0, n0, LEVEL)
        arms.append(ArmResult(
            arm=spec.name, holdout=False, users=n1, conversions=k1, rate=_iv((k1 / n1, *wilson(k1, n1, LEVEL))), value=float(value[m].sum()),
            lift=_iv(d), relative_lift=_iv(rel) if rel else None, p_value=two_proportion_p(k1, n1, k0, n0),
            incremental_conversions=_iv((d[0] * n1, d[1] * n1, d[2] * n1)),
        ))  # fmt: skip
    treated = ~h & np.isin(arm, [a.name for a in design.treated])
    n1, k1 = int(treated.sum()), int(conv[treated].sum())
    total = newcombe(k1, n1, k0, n0, LEVEL) if n1 else (0.0, 0.0, 0.0)
    incremental = _iv((total[0] * n1, total[1] * n1, total[2] * n1))
    channels, cost = _channels(design, logs, treated, conv, k0, n0)
    if today < design.end:
        notes.append(f"the campaign runs until {design.end}: this review reads results so far")
    result = Review(
        campaign_id=design.campaign_id, name=design.name, source=design.source, reviewed_on=today, users=logs.num_rows,
        arms=arms, ab=_ab(design, arms), funnel=_funnel(design, logs, treated, conv, value), channels=channels,
        cells=_cells(logs, tags, h, treated, conv), guardrails=_guardrails(logs, treated), notes=notes, cost=round(cost, 2),
        incremental_conversions=incremental,
        cost_per_incremental=round(cost / incremental.estimate, 2) if incremental.low > 0 else None,
    )  # fmt: skip
    return result


def _ab(design: CampaignDesign, arms: list[ArmResult]) -> ABResult | None:
    treated = [a for a in arms if not a.holdout]
    if len(treated) < 2:
        return None
    a, b = treated[0], treated[1]
    d = newcombe(b.conversions, b.users, a.conversions, a.users, 1 - design.alpha)
    p = two_proportion_p(b.conversions, b.users, a.conversions, a.users)
    per_arm = min(a.users, b.users)
    planned = design.planned_per_arm
    pair = f"{a.arm} and {b.arm}"
    if planned and per_arm < planned:
        decision: Literal["first_better", "second_better", "no_difference", "too_early"] = "too_early"
        says = (f"Too early to compare {pair}: {per_arm:,} of the {planned:,} users per arm the design needs. Reading the "
                f"test before then raises the false-positive rate above {design.alpha:g}; no decision yet.")
        zh = f"{a.arm}/{b.arm} 对比还不能下结论：每组 {per_arm:,} 人，设计需要 {planned:,} 人。提前看结果会使误判率高于 {design.alpha:g}，暂不判定。"
    elif p < design.alpha:
        better = b if d[0] > 0 else a
        decision = "second_better" if d[0] > 0 else "first_better"
        says = f"{better.arm} converts better (p = {p:.3g} < alpha {design.alpha:g}; difference {d[0]:+.3%}, {1 - design.alpha:.0%} CI {d[1]:+.3%} to {d[2]:+.3%})."
        zh = f"{better.arm} 组转化更好（p = {p:.3g} < α {design.alpha:g}；差 {d[0]:+.3%}，{1 - design.alpha:.0%} 区间 {d[1]:+.3%} 至 {d[2]:+.3%}）。"
    else:
        decision = "no_difference"
        says = f"No significant difference between {pair} at alpha {design.alpha:g} (p = {p:.3g}; difference {d[0]:+.3%}, CI {d[1]:+.3%} to {d[2]:+.3%})."
        zh = f"{a.arm}/{b.arm} 两组无显著差异（α {design.alpha:g}，p = {p:.3g}；差 {d[0]:+.3%}，区间 {d[1]:+.3%} 至 {d[2]:+.3%}）。"
    return ABResult(arms=(a.arm, b.arm), difference=_iv(d), p_value=p, alpha=design.alpha, power=design.power, planned_per_arm=planned,
                    users_per_arm=per_arm, decision=decision, says=says, says_zh=zh)  # fmt: skip


def _funnel(design: CampaignDesign, logs: pa.Table, treated: np.ndarray, conv: np.ndarray, value: np.ndarray) -> list[FunnelStep]:
    touches = _col(logs, "touches", 0).astype(int)
    clicked = _col(logs, "clicked", False).astype(bool)
    actual = {"touches": float(touches[treated].sum()), "clicks": float(clicked[treated].sum()),
              "conversions": float(conv[treated].sum()), "value": float(value[treated].sum())}  # fmt: skip
    f = design.forecast
    out = []
    for step, got in actual.items():
        if f is None:
            out.append(FunnelStep(step=step, forecast=None, actual=got))
            continue
        rng = (float(f.touches),) * 3 if step == "touches" else getattr(f, step)
        out.append(FunnelStep(step=step, forecast=rng, actual=got, within=bool(rng[0] * 0.999 <= got <= rng[2] * 1.001)))
    return out


def _channels(design: CampaignDesign, logs: pa.Table, treated: np.ndarray, conv: np.ndarray, k0: int, n0: int) -> tuple[list[ChannelResult], float]:
    channel = _col(logs, "channel", "")
    touches = _col(logs, "touches", 0).astype(int)
    offer = _col(logs, "offer_id", "") if "offer_id" in logs.column_names else np.full(logs.num_rows, design.offer_id or "")
    out, total = [], 0.0
    for name, unit in design.channel_costs.items():
        m = treated & (channel == name)
        n = int(m.sum())
        if not n:
            continue
        k = int(conv[m].sum())
        redemptions = int((conv & m & (offer != "")).sum())
        cost = float(touches[m].sum()) * unit + redemptions * design.offer_cost
        total += cost
        d = newcombe(k, n, k0, n0, LEVEL)
        inc = _iv((d[0] * n, d[1] * n, d[2] * n))
        out.append(ChannelResult(channel=name, users=n, touches=int(touches[m].sum()), conversions=k, cost=round(cost, 2), incremental=inc,
                                 cost_per_incremental=round(cost / inc.estimate, 2) if inc.low > 0 else None))  # fmt: skip
    return out, total


def _cells(logs: pa.Table, tags: pa.Table | None, hold: np.ndarray, treated: np.ndarray, conv: np.ndarray) -> list[CellResult]:
    if tags is None or tags.num_rows == 0:
        return []
    pos = pc.index_in(logs.column("user_id"), value_set=tags.column("user_id")).fill_null(-1).to_numpy(zero_copy_only=False)
    known = pos >= 0
    rows: list[tuple[str, str, int, int, tuple[float, float, float], float]] = []
    for tag in CELL_TAGS:
        if tag not in tags.column_names:
            continue
        col = tags.column(tag).cast(pa.string()).fill_null("none").to_numpy(zero_copy_only=False)
        vals = np.where(known, col[np.maximum(pos, 0)], "none")
        values = np.unique(vals)
        if len(values) < 2:  # a tag every user shares (the segment selected on it) splits nobody
            continue
        for v in values:
            m = vals == v
            t, c = m & treated, m & hold
            nt, nc = int(t.sum()), int(c.sum())
            if nt + nc < MIN_CELL or nc < 20 or nt < 20:
                continue
            kt, kc = int(conv[t].sum()), int(conv[c].sum())
            rows.append((tag, str(v), nt, nc, newcombe(kt, nt, kc, nc, LEVEL), two_proportion_p(kt, nt, kc, nc)))
    q = benjamini_hochberg([r[5] for r in rows])
    out = []
    for (tag, v, nt, nc, d, p), qv in zip(rows, q):
        verdict: Literal["responded", "responded_worse", "no_evidence"] = "no_evidence"
        if qv < FDR:
            verdict = "responded" if d[0] > 0 else "responded_worse"
        out.append(CellResult(tag=tag, value=v, treated=nt, control=nc, lift=_iv(d), p_value=p, q_value=qv, verdict=verdict))
    return out


def _guardrails(logs: pa.Table, treated: np.ndarray) -> list[Guardrail]:
    limits = guardrail_limits()
    out = []
    n = max(1, int(treated.sum()))
    for name, column in (("opt_out", "opted_out"), ("complaint", "complained")):
        if column not in logs.column_names:
            continue
        k = int(_col(logs, column, False).astype(bool)[treated].sum())
        limit = limits[name]
        out.append(Guardrail(name=name, count=k, rate=k / n, limit=limit, breached=k / n > limit))
    return out

"""A brief in, a complete plan out: segment, products, channels, offer, budget, schedule, copy, forecast, experiment.

Every number is computed here from the market tables, the segment counts and the most similar past campaigns; the
model (when configured) may only rewrite copy, and copy goes through the compliance checker either way.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.campaigns._brief import CampaignBrief, Unparsed
from assistant.campaigns._lexicon import campaign_lexicon
from assistant.campaigns._market import Market
from assistant.campaigns._math import allocate, sample_size_per_arm, spread
from retrieval import CampaignRecord, Offer, Product

DEFAULT_DAYS = 14
DEFAULT_MDE = 0.2
"""Relative lift the experiment is sized to detect when the brief sets none (a 20% lift; smaller lifts on rates
under 1% need millions of users per arm, which the plan then says)."""
HOLDOUT_SHARE = 0.1
SIMILAR = 5


class SegmentPlan(BaseModel):
    """Who: the rule, its SQL, the exact size and the reachable users per channel."""

    rule: str
    sql: str
    size: int
    reachable: dict[str, int]
    exclusions: list[str] = Field(default_factory=list)
    """What was excluded and why (investor grade below a product's risk, credit eligibility)."""


class ProductPick(BaseModel):
    """A product promoted, with the facts copy must state."""

    id: str
    name: str
    kind: str
    risk_level: int | None
    apr: float | None = None
    daily_rate: float | None = None


class ChannelLine(BaseModel):
    """Where: touches, unit cost and what they are expected to bring."""

    name: str
    label: str
    touches: int
    unit_cost: float
    cost: float
    reachable: int
    expected_clicks: float
    expected_conversions: float
    daily_touches: int


class OfferPlan(BaseModel):
    """The incentive and what it costs at the expected number of redemptions."""

    offer_id: str
    name: str
    value: float
    unit: str
    kind: str | None = None
    """What is given: cash_subsidy, lottery, coupon, gift, points, interest_free, fee_discount, rate_discount. The copy
    states the offer as its kind is (a lottery is 抽奖，最高 X 元, never a red packet of X)."""
    cost_per_redemption: float
    expected_redemptions: float
    cost: float


class Budget(BaseModel):
    """How much: the cap, the total and its parts; total never exceeds cap."""

    cap: float
    cap_source: str
    total: float
    breakdown: dict[str, float]
    left: float


class Schedule(BaseModel):
    """When."""

    start: date
    end: date
    days: int


class CopyItem(BaseModel):
    """What to say, per channel and experiment variant, with its compliance check."""

    channel: str
    variant: str
    text: str
    title: str | None = None
    compliant: bool
    issues: list[str] = Field(default_factory=list)


class Forecast(BaseModel):
    """What to expect, as a funnel with a range from the spread of the similar past campaigns."""

    touches: int
    clicks: tuple[float, float, float]
    conversions: tuple[float, float, float]
    value_metric: Literal["aum", "loan_volume", "premium", "none"]
    value: tuple[float, float, float]
    cost_per_conversion: float | None
    targets: list[dict[str, Any]] = Field(default_factory=list)
    """Each stated KPI target with the forecast's middle and whether it is within the range."""


class ABTest(BaseModel):
    """How to test it: arms, hold-out, sample size and duration."""

    arms: list[dict[str, Any]]
    sample_size_per_arm: int
    baseline_rate: float
    baseline_source: str = "forecast"
    """"brief" when the marketer stated the baseline, else "forecast" (the plan's own conversions per touch)."""
    mde: float
    """Relative lift sized for (0.1 = 10%); a brief's MDE in rate points is converted with the baseline."""
    mde_points: float | None = None
    """The MDE in rate points, when the brief stated it so (0.005 = 0.5 个百分点)."""
    alpha: float
    power: float
    duration_days: int
    holdout_share: float
    warning: str | None = None


class Compliance(BaseModel):
    """Whether the plan may go out: never passed with an open issue."""

    passed: bool
    issues: list[str] = Field(default_factory=list)


class Citation(BaseModel):
    """A past campaign the plan's numbers come from."""

    campaign_id: str
    name: str
    similarity: float
    conversions: int
    cost: float
    cvr: float


class Plan(BaseModel):
    """The whole plan; `finpilot campaign --json` prints exactly this."""

    # `copy` is the contract's key; BaseModel has a `copy` method, so the attribute is `copy_items`.
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    brief: CampaignBrief
    segment: SegmentPlan | None = None
    products: list[ProductPick] = Field(default_factory=list)
    channels: list[ChannelLine] = Field(default_factory=list)
    offer: OfferPlan | None = None
    budget: Budget | None = None
    schedule: Schedule | None = None
    copy_items: list[CopyItem] = Field(default_factory=list, alias="copy")
    kpis: Forecast | None = None
    ab_test: ABTest | None = None
    compliance: Compliance = Field(default_factory=lambda: Compliance(passed=False))
    citations: list[Citation] = Field(default_factory=list)
    refused: bool = False
    refusal_reason: str | None = None
    question: str | None = None
    """One question instead of a plan, when the brief states something that would change who is targeted or what
    is sent and the planner could not read it."""
    unparsed: list[Unparsed] = Field(default_factory=list)
    """Words of the brief that carry a condition the planner did not understand (shown in the plan's first lines)."""
    backend: str = "offline"
    notes: list[str] = Field(default_factory=list)
    changes: list[str] = Field(default_factory=list)
    """What the last edit changed, for people (预算 500000 -> 300000)."""


# -- choosing ------------------------------------------------------------------------------------------------------


def choose_products(brief: CampaignBrief, market: Market, similar: list[CampaignRecord]) -> list[Product]:
    """The products named, else the category's product most used by similar campaigns, else the goal's usual one."""
    if brief.products:
        return [market.products[p] for p in brief.products if p in market.products]
    wanted = set(brief.categories) | ({"fund"} if brief.fund_types else set())
    cap = _grade_cap(brief)
    # 基金定投（债券基金为主）to C2及以下: a product the stated grades may not buy would plan an empty segment
    suitable = {p for p, prod in market.products.items() if cap is None or not prod.risk_level or prod.risk_level <= cap}
    fits = [p for p in market.products.values() if (not wanted or _family(p) in wanted)]
    if not any(p.product_id in suitable for p in fits):
        suitable = set(market.products)  # nothing of the kind suits them: the plan shows the empty segment and why
    counts: dict[str, int] = {}
    for c in similar:
        for p in c.product_ids:
            if p in market.products and p in suitable and (not wanted or _family(market.products[p]) in wanted):
                counts[p] = counts.get(p, 0) + 1
    if not counts:
        counts = {p.product_id: 1 for p in fits if p.product_id in suitable}
    best = sorted(counts, key=lambda p: (-counts[p], p))[:1]
    return [market.products[p] for p in best]


def _grade_cap(brief: CampaignBrief) -> int | None:
    """The highest investor grade the brief's audience admits (C2及以下 -> 2, C1和C2 -> 2), or None when uncapped."""
    caps = []
    for c in brief.audience:
        rule = c.rule.strip()
        if m := re.fullmatch(r"risk_grade (<=|<|=) (\d)", rule):
            caps.append(int(m.group(2)) - (m.group(1) == "<"))
        elif m := re.fullmatch(r"risk_grade between \d and (\d)", rule):
            caps.append(int(m.group(1)))
        elif m := re.fullmatch(r"risk_grade in \(([\d, ]+)\)", rule):
            caps.append(max(int(x) for x in m.group(1).split(",")))
    return min(caps) if caps else None


def product_family(product_id: str, kind: str) -> str:
    """The family a product is matched and checked as: the fund portfolios (优选 and the 颐年 FOF) are funds."""
    return "fund" if product_id.startswith("youxuan") or "fof" in product_id else kind


def _family(p: Product) -> str:
    return product_family(p.product_id, p.kind.value)


def similar_campaigns(brief: CampaignBrief, market: Market, products: list[str] | None = None) -> list[tuple[float, CampaignRecord]]:
    """Past campaigns most like this brief: same goal, shared products, product families and channels (Jaccard)."""
    prods = set(products if products is not None else brief.products)
    fams = {_family(market.products[p]) for p in prods if p in market.products} | set(brief.categories)
    chans = set(brief.channels)

    def jaccard(a: set[str], b: set[str]) -> float:
        return len(a & b) / len(a | b) if a | b else 0.0

    scored = []
    for c in market.campaigns:
        cfams = {_family(market.products[p]) for p in c.product_ids if p in market.products}
        score = (2.0 if brief.goal and c.goal == brief.goal else 0.0) + 1.5 * jaccard(prods, set(c.product_ids)) \
            + 1.0 * jaccard(fams, cfams) + 0.5 * jaccard(chans, set(c.channel_ids))  # fmt: skip
        scored.append((round(score, 4), c))
    scored.sort(key=lambda sc: (-sc[0], sc[1].campaign_id))
    return scored[:SIMILAR]


def _field_groups(rule: str) -> set[str]:
    """The tag groups a rule reads: login recency and monthly activity are one group (月活 and 沉睡 exclude each other)."""
    from assistant.campaigns._rules import parse_rule

    # a sign-up window says how recent the users are too: 注册7天内 is never also "not seen for 15–90 days"
    groups = {"monthly_active": "activity", "days_since_login": "activity", "days_since_signup": "activity", "aum_band": "aum"}
    return {groups.get(f, f) for f in parse_rule(rule).fields}


def segment_rule(brief: CampaignBrief, products: list[Product]) -> tuple[str, list[str]]:
    """The segment-language rule for a brief, and the exclusions it makes for suitability and eligibility.

    Every audience condition the brief states is ANDed in as written. The goal's usual segment (lexicon.toml
    [goal_segments]) fills in only the tag groups the brief says nothing about: a brief for 沉睡用户 is not also
    narrowed to monthly actives by a conversion goal.
    """
    lexicon = campaign_lexicon()
    if brief.segment_rule:
        parts = [f"({brief.segment_rule})"]
    else:
        stated = [c.rule for c in brief.audience]
        said = set().union(*(_field_groups(c) for c in stated)) if stated else set()
        goal = lexicon.goal_segments.get(brief.goal or "convert") or lexicon.goal_segments.get("convert", [])
        implied = [g for g in goal if not (_field_groups(g) & said)]
        parts = [f"({c})" for c in [*implied, *stated]]
    exclusions = []
    graded = [p.risk_level for p in products if p.risk_level]
    if graded:
        need = max(graded)
        parts.append(f"risk_grade >= {need}")
        exclusions.append(f"investor grade below C{need} or never assessed: the riskiest product promoted is R{need}")
    for p in products:
        rule = lexicon.eligibility.get(p.product_id)
        if rule:
            parts.append(f"({rule})")
            exclusions.append(f"{p.name}: only eligible users ({rule})")
    held = " ".join(c.rule for c in brief.audience)
    if brief.goal in ("acquire", "convert", "cross_sell"):
        # Selling a product to people who already hold it is not acquisition, conversion or cross-selling, unless
        # the brief targets its holders on purpose.
        parts += [f"not (products_held contains '{p.product_id}')" for p in products if f"'{p.product_id}'" not in held]
    if not parts:
        parts = ["monthly_active = true"]
    return " and ".join(dict.fromkeys(parts)), exclusions


def choose_offer(brief: CampaignBrief, market: Market, products: list[Product], similar: list[CampaignRecord]) -> Offer | None:
    """The offer the brief asked for (by name, or a cash amount on the closest fitting cash offer); none otherwise:
    an incentive costs money and changes what is sent, so the planner never adds one the marketer did not ask for."""
    if brief.no_offer:
        return None
    if brief.offers and brief.offers[0] in market.offers:
        return market.offers[brief.offers[0]]
    if brief.offer_amount is None:
        return None
    fitting = [o for o in market.offers.values() if _offer_kinds(brief, products) & set(o.applies_to)]
    if not fitting:
        return None
    cash = [o for o in fitting if o.unit == "yuan"] or fitting
    base = min(cash, key=lambda o: (abs(o.value - brief.offer_amount), o.offer_id))  # type: ignore[operator]
    return base.model_copy(update={"value": brief.offer_amount, "cost_per_redemption": brief.offer_amount,
                                   "name": f"{base.name.split(' ')[0]} {brief.offer_amount:g} 元" if base.unit == "yuan" else base.name})  # fmt: skip


def _offer_kinds(brief: CampaignBrief, products: list[Product]) -> set[str]:
    kinds = {p.kind.value for p in products}
    if any(_family(p) == "fund" for p in products):
        kinds |= {f"fund:{t}" for t in (brief.fund_types or ("stock", "mixed", "bond"))}
    return kinds


def suggested_offer(brief: CampaignBrief, market: Market, products: list[Product], similar: list[CampaignRecord]) -> Offer | None:
    """The offer similar campaigns used most for these products: named in a note, never added to the plan."""
    fitting = {o.offer_id for o in market.offers.values() if _offer_kinds(brief, products) & set(o.applies_to)}
    used = [c.offer_id for c in similar if c.offer_id in fitting]
    return market.offers[max(sorted(set(used)), key=used.count)] if used else None


# -- the plan --------------------------------------------------------------------------------------------------------


def build_plan(brief: CampaignBrief, market: Market, warehouse: Any, today: date | None = None) -> Plan:
    """Every part of a plan from a brief; pure arithmetic over the market, the segment counts and similar campaigns."""
    today = today or date.today()
    notes: list[str] = []
    first = similar_campaigns(brief, market)
    products = choose_products(brief, market, [c for _, c in first])
    scored = similar_campaigns(brief, market, [p.product_id for p in products])
    similar = [c for _, c in scored]
    rule, exclusions = segment_rule(brief, products)
    counts = warehouse.count(rule)
    graded = [p.risk_level for p in products if p.risk_level]
    if graded:
        # Say how many users the suitability restriction removed, counted, not estimated.
        unrestricted = warehouse.count(rule.replace(f" and risk_grade >= {max(graded)}", "")).size
        exclusions[0] += f" ({unrestricted - counts.size} users excluded)"
    segment = SegmentPlan(rule=rule, sql=counts.sql, size=counts.size, reachable=counts.reachable, exclusions=exclusions)

    cvrs = [c.conversions / c.clicks for c in similar if c.clicks]
    cvr_lo, cvr_mid, cvr_hi = spread(cvrs) if cvrs else (0.02, 0.05, 0.08)
    if not cvrs:
        notes.append("no similar past campaign has clicks; click-to-conversion 2–8% assumed")
    offer = choose_offer(brief, market, products, similar)
    offer_cost = offer.cost_per_redemption if offer else 0.0
    if offer is None and not brief.no_offer and not any(a.offer or a.offer_amount is not None for a in brief.arms):
        usual = suggested_offer(brief, market, products, similar)
        notes.append("no incentive: the brief asked for none" + (f" (similar campaigns used {usual.name}; name it to add it)" if usual else ""))

    cap, cap_source = (brief.budget_cap, "brief") if brief.budget_cap else (spread([c.budget for c in similar])[1] if similar else 100_000.0, "median budget of the similar campaigns")
    names = [c for c in (brief.channels or _usual_channels(similar, market)) if c in market.channels and c not in brief.channels_excluded]
    if brief.channels:
        names = list(dict.fromkeys([*names, *[c for c in _usual_channels(similar, market) if c not in brief.channels_excluded]]))[: max(len(brief.channels), 1)]
    options = []
    for name in names:
        ch = market.channels[name]
        per_touch = ch.ctr * cvr_mid
        # The hold-out control is never touched: only the treated share of the reachable users can be sent to.
        options.append((name, ch.unit_cost + per_touch * offer_cost, per_touch, int(segment.reachable.get(name, 0) * (1 - (brief.holdout_share or HOLDOUT_SHARE)))))
    # A cent a channel of head-room: line costs are shown rounded to the cent, and the shown total must stay under
    # the cap even when the allocation spends it to the last fraction of a yuan.
    touches = allocate(cap - 0.01 * len(options), options, required=brief.channels)

    start, end, days = schedule_for(brief, today)
    lines = []
    for name in names:
        t = touches.get(name, 0)
        ch = market.channels[name]
        if t == 0:
            notes.append(f"{ch.name}: no touches ({'no reachable users in the segment' if not segment.reachable.get(name) else 'budget spent on better channels first'})")
            continue
        daily = math.ceil(t / days)
        if daily > ch.daily_capacity:
            notes.append(f"{ch.name}: {daily} touches a day exceed its capacity {ch.daily_capacity}")
        lines.append(ChannelLine(name=name, label=ch.name, touches=t, unit_cost=ch.unit_cost, cost=round(t * ch.unit_cost, 2),
                                 reachable=segment.reachable.get(name, 0), expected_clicks=round(t * ch.ctr, 1),
                                 expected_conversions=round(t * ch.ctr * cvr_mid, 1), daily_touches=daily))  # fmt: skip
    # From the unrounded rates, rounded down: the offer cost shown never exceeds what the allocation set aside for it.
    conversions_mid = math.floor(sum(line.touches * market.channels[line.name].ctr * cvr_mid for line in lines) * 10) / 10
    offer_plan = None
    if offer:
        offer_plan = OfferPlan(offer_id=offer.offer_id, name=offer.name, value=offer.value, unit=offer.unit, kind=getattr(offer.kind, "value", offer.kind),
                               cost_per_redemption=offer.cost_per_redemption, expected_redemptions=round(conversions_mid, 1),
                               cost=round(conversions_mid * offer.cost_per_redemption, 2))  # fmt: skip
    breakdown = {line.name: line.cost for line in lines}
    if offer_plan:
        breakdown[f"offer:{offer_plan.offer_id}"] = offer_plan.cost
    total = round(sum(breakdown.values()), 2)
    budget = Budget(cap=cap, cap_source=cap_source, total=total, breakdown=breakdown, left=round(cap - total, 2))

    kpis = _forecast(brief, lines, similar, products, (cvr_lo, cvr_mid, cvr_hi), total)
    if budget.left > 0.5 * cap and lines:
        notes.append(f"only {total:g} of the {cap:g} yuan budget can be spent: every reachable user in the segment is already "
                     "touched once per channel; widen the audience or add channels to use more")  # fmt: skip
    for target in kpis.targets:
        if target["met"] is False:
            notes.append(f"KPI {target['metric']} {target['target']:g} is above the forecast ({target['forecast']:g}): the segment or budget is too small for it")
    ab = _experiment(brief, segment, lines, offer, days, kpis)
    plan = Plan(brief=brief, segment=segment, products=[ProductPick(id=p.product_id, name=p.name, kind=p.kind.value, risk_level=p.risk_level,
                                                                    apr=p.apr, daily_rate=p.daily_rate) for p in products],  # fmt: skip
                channels=lines, offer=offer_plan, budget=budget, schedule=Schedule(start=start, end=end, days=days), kpis=kpis,
                ab_test=ab, citations=[Citation(campaign_id=c.campaign_id, name=c.name, similarity=s, conversions=c.conversions, cost=c.cost,
                                                cvr=round(c.conversions / c.clicks, 4) if c.clicks else 0.0) for s, c in scored],
                notes=notes)  # fmt: skip
    return plan


def schedule_for(brief: CampaignBrief, today: date) -> tuple[date, date, int]:
    """When the campaign runs: the dates the brief states, filled in with its length, else next Monday for 14 days."""
    start = brief.start or (today + timedelta(days=7 - today.weekday()))
    if brief.end and not brief.start and brief.duration_days:
        start = brief.end - timedelta(days=brief.duration_days - 1)  # 月底前跑两周: the two weeks that end then
    if brief.end and brief.end < start:
        start = max(today, brief.end - timedelta(days=(brief.duration_days or DEFAULT_DAYS) - 1))
    days = brief.duration_days or ((brief.end - start).days + 1 if brief.end else DEFAULT_DAYS)
    end = brief.end or start + timedelta(days=days - 1)
    if brief.start and brief.end:
        days = (brief.end - brief.start).days + 1
    return start, end, days


def _usual_channels(similar: list[CampaignRecord], market: Market) -> list[str]:
    counts: dict[str, int] = {}
    for c in similar:
        for ch in c.channel_ids:
            counts[ch] = counts.get(ch, 0) + 1
    return sorted(counts, key=lambda ch: (-counts[ch], ch))[:4] or ["app_push", "sms"]


def _forecast(brief: CampaignBrief, lines: list[ChannelLine], similar: list[CampaignRecord], products: list[Product],
              cvr: tuple[float, float, float], total: float) -> Forecast:  # fmt: skip
    """growth = traffic x conversion x process x value per customer, with the range from the similar campaigns."""
    touches = sum(line.touches for line in lines)
    clicks = sum(line.expected_clicks for line in lines)
    conv = tuple(round(clicks * r, 1) for r in cvr)
    credit = any(p.kind.value.endswith("credit") for p in products)
    metric: Literal["aum", "loan_volume", "premium", "none"] = "loan_volume" if credit else ("aum" if any(p.kind.value == "wealth" for p in products) else "none")
    per = [(c.loan_volume if credit else c.aum) / c.conversions for c in similar if c.conversions and (c.loan_volume if credit else c.aum)]
    ticket = spread(per) if per else (0.0, 0.0, 0.0)
    value = tuple(round(conv[i] * ticket[i], 2) for i in range(3)) if metric != "none" else (0.0, 0.0, 0.0)
    targets = []
    for k in brief.kpis:
        mid = {"conversions": conv[1], "clicks": clicks, "reach": touches, "aum": value[1] if metric == "aum" else None,
               "loan_volume": value[1] if metric == "loan_volume" else None,
               "conversion_rate": conv[1] / touches if touches else None,
               "cost_per_conversion": total / conv[1] if conv[1] else None}.get(k.metric)  # fmt: skip
        met = None if mid is None else (mid <= k.value if k.metric == "cost_per_conversion" else mid >= k.value)
        targets.append({"metric": k.metric, "target": k.value, "forecast": mid, "met": met})
    return Forecast(touches=touches, clicks=(round(clicks, 1),) * 3, conversions=conv, value_metric=metric, value=value,  # type: ignore[arg-type]
                    cost_per_conversion=round(total / conv[1], 2) if conv[1] else None, targets=targets)  # fmt: skip


def _experiment(brief: CampaignBrief, segment: SegmentPlan, lines: list[ChannelLine], offer: Offer | None, days: int, kpis: Forecast) -> ABTest:
    """The test the brief describes (its arms, baseline, MDE, alpha, power, hold-out), else a hold-out control plus
    two treatment arms (a round and an odd-looking offer amount, two copy variants)."""
    touches = max(kpis.touches, 1)
    holdout = brief.holdout_share or HOLDOUT_SHARE
    if brief.baseline_rate is not None:
        baseline, source = brief.baseline_rate, "brief"
    else:
        baseline, source = round(max(kpis.conversions[1] / touches, 1e-6), 6), "forecast"  # rounded first: the plan shows the rate it used
    points = None
    if brief.mde is not None and brief.mde_absolute:
        points = brief.mde
        mde = round(brief.mde / baseline, 6)
    else:
        mde = brief.mde or DEFAULT_MDE
    n = sample_size_per_arm(baseline, mde, brief.alpha, brief.power) if baseline * (1 + mde) < 1 else 0
    arms: list[dict[str, Any]] = [{"name": "control", "share": holdout, "treatment": "hold-out: no touch, no offer"}]
    if brief.arms:
        share = round((1 - holdout) / len(brief.arms), 6)
        for a in brief.arms:
            arm: dict[str, Any] = {"name": a.name, "share": share}
            if a.offer:
                arm["offer"] = a.offer
            if a.offer_amount is not None:
                arm["offer_amount"] = a.offer_amount
            arm["copy_variant"] = a.copy_variant or a.name
            arms.append(arm)
    elif offer is not None and offer.unit == "yuan":
        odd = offer.value if offer.value != round(offer.value) else round(offer.value + 0.14 if offer.value < 100 else offer.value + 0.88, 2)
        even = float(math.floor(offer.value)) if offer.value != round(offer.value) else offer.value
        arms += [{"name": "A", "share": (1 - holdout) / 2, "offer_amount": even, "copy_variant": "A"},
                 {"name": "B", "share": (1 - holdout) / 2, "offer_amount": odd, "copy_variant": "B"}]  # fmt: skip
    else:
        arms += [{"name": "A", "share": (1 - holdout) / 2, "copy_variant": "A"}, {"name": "B", "share": (1 - holdout) / 2, "copy_variant": "B"}]
    needed = n * len(arms)
    daily = max(sum(line.daily_touches for line in lines), 1)
    duration = math.ceil(needed / daily)
    warning = None
    if n == 0:
        warning = f"a {mde:.0%} lift on a {baseline:.2%} baseline is above 100%: no test can be sized for it"
    elif needed > segment.size:
        warning = (f"the segment has {segment.size} users but the experiment needs {needed} ({n} per arm) to detect a "
                   f"{mde:.0%} lift on a {baseline:.4%} baseline: widen the segment, raise the MDE or run longer")  # fmt: skip
    elif duration > days:
        warning = f"the experiment needs {duration} days at {daily} touches a day, longer than the {days}-day campaign"
    return ABTest(arms=arms, sample_size_per_arm=n, baseline_rate=baseline, baseline_source=source, mde=mde, mde_points=points,
                  alpha=brief.alpha, power=brief.power, duration_days=duration, holdout_share=holdout, warning=warning)  # fmt: skip

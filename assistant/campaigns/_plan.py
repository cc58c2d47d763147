"""A brief in, a complete plan out: segment, products, channels, offer, budget, schedule, copy, forecast, experiment.

Every number is computed here from the market tables, the segment counts and the most similar past campaigns; the
model (when configured) may only rewrite copy, and copy goes through the compliance checker either way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.campaigns._brief import CampaignBrief, Unparsed
from assistant.campaigns._cadence import ChannelTerms
from assistant.campaigns._cadence import schedule as cadence_schedule
from assistant.campaigns._cadence import spend as cadence_spend
from assistant.campaigns._lexicon import campaign_lexicon
from assistant.campaigns._market import Market
from assistant.campaigns._math import detectable_lift, sample_size_per_arm, spread
from assistant.campaigns._vulnerable import VULNERABLE_EXCLUSION, VULNERABLE_TAGS
from assistant.compliance import channel_policy
from assistant.text import Lang
from retrieval import CampaignRecord, Offer, Product

if TYPE_CHECKING:
    from assistant.campaigns._warehouse import Warehouse

DEFAULT_DAYS = 14
DEFAULT_MDE = 0.2
"""Relative lift the experiment is sized to detect when the brief sets none (a 20% lift; smaller lifts on rates
under 1% need millions of users per arm, which the plan then says)."""
HOLDOUT_SHARE = 0.1
SIMILAR = 5
MAX_CHANNELS = 6
"""Most channels a plan adds on its own when the usual ones cannot spend half the budget."""


class Note(BaseModel):
    """A line for people, in both languages the app speaks: the page shows the one it is in."""

    model_config = ConfigDict(frozen=True)

    en: str
    zh: str
    code: str | None = None
    """What a headline line is about, for programs: budget_unspent, experiment_changed, holdout_raised."""

    def say(self, lang: str) -> str:
        """The line in `lang` ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en


def note(en: str, zh: str, code: str | None = None) -> Note:
    """A plan note, said in English and Chinese."""
    return Note(en=en, zh=zh, code=code)


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
    """The highest annualised rate a borrower can be charged (percent, simple interest)."""
    daily_rate: float | None = None
    """The highest daily rate (percent)."""
    apr_min: float | None = None
    """The lowest annualised rate, when the rate is a range."""
    daily_rate_min: float | None = None
    """The lowest daily rate, when the rate is a range: copy states a range from it (日利率0.02%起)."""
    deposit_insured: bool = False
    """A bank deposit: its copy carries the deposit-insurance wording, not an investment's risk warning."""
    terms: str = ""
    """The product's description and eligibility as the catalog states them: the facts copy may repeat."""


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
    users: int = 0
    """Distinct users the first send reaches (touches also count the follow-ups to non-clickers)."""


class Touch(BaseModel):
    """One send of the schedule: which day, which channel, to whom, how many users, at what cost."""

    day: int = Field(ge=0)
    """Days after the start (0 is the first day)."""
    on: date
    channel: str
    label: str
    audience: Literal["all", "not_clicked"]
    """"all": the channel's reachable users in the treated share; "not_clicked": a follow-up to those who have not
    clicked any earlier touch."""
    users: int = Field(ge=0)
    cost: float = Field(ge=0)
    expected_conversions: float = Field(ge=0)
    send_window: str
    """The hours the touch may go out, outside the channel's quiet hours (e.g. "09:00–21:00")."""


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
    """The MDE in rate points, when the brief stated it so (0.005 = 0.5 个百分点); it is `mde` only when the design is
    as stated, else the asked lift (`mde_asked`) in points."""
    alpha: float
    power: float
    duration_days: int
    holdout_share: float
    design: Literal["as_stated", "smallest_lift", "longer_window", "not_testable"] = "as_stated"
    """How the test was sized: as the brief (or the default) asked; for the smallest lift the users available detect;
    over a longer window than the campaign's; or not at all (too few users for any lift)."""
    mde_asked: float | None = None
    """The lift asked for, when the plan sized the test for another (design "smallest_lift")."""
    window_days_needed: int | None = None
    """Days the test needs when longer than the campaign (design "longer_window")."""
    warning: str | None = None
    """Why the test is not as asked (English; the plan's headline says it in both languages)."""


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
    lang: Lang = "zh"
    """The language the brief was written in: what the plan says to its reader is said in it first."""
    headline: list[Note] = Field(default_factory=list)
    """What the reader must see before anything else: a budget that cannot be spent and why, an experiment that
    cannot run as stated and the design chosen instead."""
    cadence: list[Touch] = Field(default_factory=list)
    """The schedule of touches: per channel a first send and follow-ups to non-clickers, within its frequency cap
    and quiet hours."""
    notes: list[Note] = Field(default_factory=list)
    changes: list[str] = Field(default_factory=list)
    """What the last edit changed, for people (预算 500000 -> 300000)."""
    request: str = ""
    """The brief and every edit applied since, as written: a later edit is screened together with them."""


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
        # A service message goes to whom the brief names; a sales goal's usual segment does not narrow it.
        implied = [g for g in goal if not (_field_groups(g) & said)] if brief.purpose == "promote" or not stated else []
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
    if any(p.kind.value.endswith("credit") for p in products):
        parts.append(VULNERABLE_EXCLUSION)
        exclusions.append(", ".join(en for en, _zh in VULNERABLE_TAGS.values()) + ": credit is never marketed to them")
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


def build_plan(brief: CampaignBrief, market: Market, warehouse: Warehouse, today: date | None = None, lang: Lang = "zh") -> Plan:
    """Every part of a plan from a brief; pure arithmetic over the market, the segment counts and similar campaigns."""
    today = today or date.today()
    notes: list[Note] = []
    first = similar_campaigns(brief, market)
    service = brief.purpose != "promote"
    # A care or education message sells nothing: no product, no incentive, and (no credit being marketed) the people
    # credit is never marketed to may receive it — they are who a repayment-help message is for.
    products = [] if service else choose_products(brief, market, [c for _, c in first])
    scored = similar_campaigns(brief, market, [p.product_id for p in products])
    similar = [c for _, c in scored]
    rule, exclusions = segment_rule(brief, products)
    graded = [p.risk_level for p in products if p.risk_level]
    # Say how many users the suitability restriction (or, for credit, the vulnerable-group exclusion) removed,
    # counted, not estimated: the segment without it is counted in the same scan.
    guard = f" and risk_grade >= {max(graded)}" if graded else f" and {VULNERABLE_EXCLUSION}" if VULNERABLE_EXCLUSION in rule else None
    counts = warehouse.count(rule, base=rule.replace(guard, "") if guard else None)
    if guard:
        at = 0 if graded else len(exclusions) - 1
        exclusions[at] += f" ({(counts.base_size or 0) - counts.size} users excluded)"
    segment = SegmentPlan(rule=rule, sql=counts.sql, size=counts.size, reachable=counts.reachable, exclusions=exclusions)

    cvrs = [c.conversions / c.clicks for c in similar if c.clicks]
    cvr_lo, cvr_mid, cvr_hi = spread(cvrs) if cvrs else (0.02, 0.05, 0.08)
    if not cvrs:
        notes.append(note("no similar past campaign has clicks; click-to-conversion 2–8% assumed", "相似的历史活动都没有点击数据：点击转化率按 2%–8% 估计"))
    offer = None if service else choose_offer(brief, market, products, similar)
    if service:
        notes.append(note(f"a {brief.purpose} message: it promotes no product and carries no incentive",
                          f"{'关怀' if brief.purpose == 'care' else '投资者教育'}消息：不推任何产品，不发任何权益", "service_message"))  # fmt: skip
    elif offer is None and not brief.no_offer and not any(a.offer or a.offer_amount is not None for a in brief.arms):
        usual = suggested_offer(brief, market, products, similar)
        notes.append(note("no incentive: the brief asked for none" + (f" (similar campaigns used {usual.name}; name it to add it)" if usual else ""),
                          "不发权益：需求里没有要求" + (f"（相似活动常用「{usual.name}」，写明即可加上）" if usual else "")))  # fmt: skip

    cap = brief.budget_cap or (spread([c.budget for c in similar])[1] if similar else 100_000.0)
    names = [c for c in (brief.channels or _usual_channels(similar, market)) if c in market.channels and c not in brief.channels_excluded]
    if brief.channels:
        names = list(dict.fromkeys([*names, *[c for c in _usual_channels(similar, market) if c not in brief.channels_excluded]]))[: max(len(brief.channels), 1)]
    start, end, days = schedule_for(brief, today)
    if brief.duration_days and days < brief.duration_days:
        notes.append(note(f"{brief.duration_days} days ending {end} would have begun in the past: the campaign runs the {days} day(s) from {start}",
                          f"到 {end} 结束的 {brief.duration_days} 天有一部分已经过去：活动从 {start} 起只跑 {days} 天"))  # fmt: skip
    holdout = brief.holdout_share or HOLDOUT_SHARE
    laid = _lay_out(brief, market, segment, names, holdout, cap, days, start, offer, similar, products, (cvr_lo, cvr_mid, cvr_hi))
    ab, said = _experiment(brief, segment, laid.lines, offer, days, laid.kpis, market, holdout)
    if brief.holdout_share is None and ab.design != "as_stated" and ab.mde_asked is not None:
        # The control is the arm too small: a larger hold-out (up to an equal share) may let the test run as asked.
        n = sample_size_per_arm(ab.baseline_rate, ab.mde_asked, brief.alpha, brief.power)
        wanted = math.ceil(n / max(segment.size, 1) * 100) / 100
        if holdout < wanted <= 1 / len(ab.arms):
            wider = _lay_out(brief, market, segment, names, wanted, cap, days, start, offer, similar, products, (cvr_lo, cvr_mid, cvr_hi))
            ab2, _ = _experiment(brief, segment, wider.lines, offer, days, wider.kpis, market, wanted)
            if ab2.design == "as_stated":
                laid, ab = wider, ab2
                said = [note(f"The experiment needs {n:,} users in the control: the hold-out is {wanted:.0%} of the segment instead of "
                             f"the default {holdout:.0%}, so a {ab2.mde:.0%} lift can be detected.",
                             f"实验的对照组要 {n:,} 人：不触达的对照组从默认的 {holdout:.0%} 调到人群的 {wanted:.0%}，"
                             f"这样才能检测出 {ab2.mde:.0%} 的提升。", "holdout_raised")]  # fmt: skip
    notes += laid.notes
    lines, budget, kpis = laid.lines, laid.budget, laid.kpis
    headline = []
    if budget.total < 0.5 * cap:
        headline.append(_unspent(budget, segment, lines, brief, market, laid.names, days, laid.terms_for))
    headline += said
    for target in kpis.targets:
        if target["met"] is False:
            notes.append(note(f"KPI {target['metric']} {target['target']:g} is above the forecast ({target['forecast']:g}): the segment or budget is too small for it",
                              f"KPI {target['metric']} 目标 {target['target']:g} 高于预测（{target['forecast']:g}）：人群或预算不够"))  # fmt: skip
    offer_plan, touches_plan = laid.offer_plan, laid.cadence
    picks = [ProductPick(id=p.product_id, name=p.name, kind=p.kind.value, risk_level=p.risk_level, apr=p.apr, daily_rate=p.daily_rate,
                         apr_min=p.apr_min, daily_rate_min=p.daily_rate_min, deposit_insured=p.deposit_insured,
                         terms=f"{p.description} {p.eligibility}".strip()) for p in products]  # fmt: skip
    plan = Plan(brief=brief, segment=segment, products=picks, channels=lines, offer=offer_plan, budget=budget, schedule=Schedule(start=start, end=end, days=days), kpis=kpis,
                ab_test=ab, citations=[Citation(campaign_id=c.campaign_id, name=c.name, similarity=s, conversions=c.conversions, cost=c.cost,
                                                cvr=round(c.conversions / c.clicks, 4) if c.clicks else 0.0) for s, c in scored],
                notes=notes, headline=headline, cadence=touches_plan, lang=lang)  # fmt: skip
    return plan


@dataclass
class _Layout:
    """The sends of a plan for one hold-out share, and what they cost and bring."""

    names: list[str]
    terms_for: Callable[[list[str]], list[ChannelTerms]]
    lines: list[ChannelLine]
    cadence: list[Touch]
    offer_plan: OfferPlan | None
    budget: Budget
    kpis: Forecast
    notes: list[Note]


def _lay_out(brief: CampaignBrief, market: Market, segment: SegmentPlan, names: list[str], holdout: float, cap: float, days: int,
             start: date, offer: Offer | None, similar: list[CampaignRecord], products: list[Product],
             cvr: tuple[float, float, float]) -> _Layout:  # fmt: skip
    """The cadence over the channels (more of the goal's channels when no channel was asked for and the usual ones
    cannot spend half the budget), the channel lines, the offer's cost, the budget and the forecast."""
    offer_cost = offer.cost_per_redemption if offer else 0.0
    notes: list[Note] = []
    # 只在周末发: the days of the window the brief allows sends on.
    allowed = tuple(d for d in range(days) if (start + timedelta(days=d)).weekday() in brief.send_weekdays) if brief.send_weekdays else None

    def terms_for(channel_names: list[str]) -> list[ChannelTerms]:
        # The hold-out control is never touched: only the treated share of the reachable users can be sent to. A
        # channel whose allowed hours the brief's hours leave empty (calls 09:00–20:00, "only after 21:00") reaches none.
        out = []
        for name in channel_names:
            ch, policy = market.channels[name], channel_policy(name)
            open_hours = policy.send_window(brief.send_after, brief.send_before) is not None
            out.append(ChannelTerms(name=name, unit_cost=ch.unit_cost, ctr=market.channel_ctr[name], cvr=cvr[1], offer_cost=offer_cost,
                                    reach=int(segment.reachable.get(name, 0) * (1 - holdout)) if open_hours else 0,
                                    daily_capacity=ch.daily_capacity, weekly_cap=policy.weekly_cap, follow_up_days=policy.follow_up_days,
                                    allowed=allowed))  # fmt: skip
        return out

    # A cent a channel of head-room: line costs are shown rounded to the cent, and the shown total must stay under
    # the cap even when the allocation spends it to the last fraction of a yuan.
    terms = terms_for(names)
    waves = cadence_schedule(cap - 0.01 * len(terms), terms, days, required=brief.channels)
    if not brief.channels and cadence_spend(waves, terms) < 0.5 * cap:
        # No channel was asked for and the usual ones cannot spend half the budget: the goal's other channels may.
        more = [c for c in _goal_channels(brief, market) if c not in names and c not in brief.channels_excluded][: max(0, MAX_CHANNELS - len(names))]
        if more:
            wider = terms_for(names + more)
            tried = cadence_schedule(cap - 0.01 * len(wider), wider, days)
            if cadence_spend(tried, wider) > cadence_spend(waves, terms):
                names, terms, waves = names + more, wider, tried

    lines, touches_plan = [], []
    for name in names:
        ch = market.channels[name]
        mine = [w for w in waves if w.channel == name]
        window = channel_policy(name).send_window(brief.send_after, brief.send_before)
        if not mine:
            why_en, why_zh = ("budget spent on better channels first", "预算先给了更划算的渠道")
            if window is None:
                why_en, why_zh = "no hour the brief allows is outside its quiet hours", "需求允许的时段都在它的免打扰时段里"
            elif allowed == ():
                why_en, why_zh = "no day of the campaign is one the brief allows sends on", "活动期内没有需求允许发送的日子"
            elif not segment.reachable.get(name):
                why_en, why_zh = "no reachable users in the segment", "人群里没有它能触达的人"
            notes.append(note(f"{ch.name}: no touches ({why_en})", f"{ch.name}：不触达（{why_zh}）"))
            continue
        first = mine[0].users
        first_days = math.ceil(first / ch.daily_capacity)
        if first_days > 1:
            notes.append(note(f"{ch.name}: the first send to {first:,} users takes {first_days} days at {ch.daily_capacity:,} a day",
                              f"{ch.name}：首轮 {first:,} 人按每天最多 {ch.daily_capacity:,} 条，要分 {first_days} 天发完"))  # fmt: skip
        t = sum(w.users for w in mine)
        for w in mine:
            touches_plan.append(Touch(day=w.day, on=start + timedelta(days=w.day), channel=name, label=ch.name,
                                      audience="all" if w.k == 0 else "not_clicked", users=w.users, cost=round(w.touch_cost, 2),
                                      expected_conversions=round(w.conversions, 1), send_window=window or ""))  # fmt: skip
        lines.append(ChannelLine(name=name, label=ch.name, touches=t, unit_cost=ch.unit_cost, cost=round(t * ch.unit_cost, 2),
                                 reachable=segment.reachable.get(name, 0), expected_clicks=round(sum(w.clicks for w in mine), 1),
                                 expected_conversions=round(sum(w.conversions for w in mine), 1),
                                 daily_touches=min(max(w.users for w in mine), ch.daily_capacity), users=first))  # fmt: skip
    # From the unrounded rates, rounded down: the offer cost shown never exceeds what the allocation set aside for it.
    conversions_mid = math.floor(sum(w.conversions for w in waves) * 10) / 10
    offer_plan = None
    if offer:
        offer_plan = OfferPlan(offer_id=offer.offer_id, name=offer.name, value=offer.value, unit=offer.unit, kind=getattr(offer.kind, "value", offer.kind),
                               cost_per_redemption=offer.cost_per_redemption, expected_redemptions=round(conversions_mid, 1),
                               cost=round(conversions_mid * offer.cost_per_redemption, 2))  # fmt: skip
    breakdown = {line.name: line.cost for line in lines}
    if offer_plan:
        breakdown[f"offer:{offer_plan.offer_id}"] = offer_plan.cost
    total = round(sum(breakdown.values()), 2)
    budget = Budget(cap=cap, cap_source="brief" if brief.budget_cap else "median budget of the similar campaigns", total=total, breakdown=breakdown, left=round(cap - total, 2))
    kpis = _forecast(brief, lines, similar, products, cvr, total)
    return _Layout(names=names, terms_for=terms_for, lines=lines, cadence=touches_plan, offer_plan=offer_plan, budget=budget, kpis=kpis, notes=notes)


def schedule_for(brief: CampaignBrief, today: date) -> tuple[date, date, int]:
    """When the campaign runs: the dates the brief states, filled in with its length, else next Monday for 14 days."""
    start = brief.start or (today + timedelta(days=7 - today.weekday()))
    if brief.end and not brief.start and brief.duration_days:
        # 月底前跑两周: the two weeks that end then; never begun in the past (跑两周，今天截止 runs today only).
        start = min(max(today, brief.end - timedelta(days=brief.duration_days - 1)), brief.end)
        return start, brief.end, (brief.end - start).days + 1
    if brief.end and brief.end < start:
        start = max(today, brief.end - timedelta(days=(brief.duration_days or DEFAULT_DAYS) - 1))
    days = brief.duration_days or ((brief.end - start).days + 1 if brief.end else DEFAULT_DAYS)
    end = brief.end or start + timedelta(days=days - 1)
    if brief.start and brief.end:
        days = (brief.end - brief.start).days + 1
    return start, end, days


def _most_used_channels(campaigns: list[CampaignRecord]) -> list[str]:
    """Channel ids the campaigns used, most used first (ties by id)."""
    counts: dict[str, int] = {}
    for c in campaigns:
        for ch in c.channel_ids:
            counts[ch] = counts.get(ch, 0) + 1
    return sorted(counts, key=lambda ch: (-counts[ch], ch))


def _usual_channels(similar: list[CampaignRecord], market: Market) -> list[str]:
    return _most_used_channels(similar)[:4] or ["app_push", "sms"]


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
    return Forecast(touches=touches, clicks=(round(clicks, 1),) * 3, conversions=conv, value_metric=metric, value=value,
                    cost_per_conversion=round(total / conv[1], 2) if conv[1] else None, targets=targets)  # fmt: skip


def _goal_channels(brief: CampaignBrief, market: Market) -> list[str]:
    """Channels past campaigns with this goal used, most used first."""
    return [c for c in _most_used_channels([c for c in market.campaigns if c.goal == (brief.goal or "convert")]) if c in market.channels]


def _unspent(budget: Budget, segment: SegmentPlan, lines: list[ChannelLine], brief: CampaignBrief, market: Market, names: list[str],
             days: int, terms_for: Callable[[list[str]], list[ChannelTerms]]) -> Note:  # fmt: skip
    """Why less than half the budget is spent, with the numbers that would change it: users, channels or days."""
    spent, cap = budget.total, budget.cap
    users = sum(line.users for line in lines)
    if not segment.size:
        return note(f"Nothing of the {cap:,.0f} yuan budget can be spent: no user matches the audience (the segment is empty); widen it.",
                    f"预算 ¥{cap:,.0f} 一分都花不出去：没有用户符合这个人群条件（人群为 0 人）；请放宽人群。", "budget_unspent")  # fmt: skip
    if not lines:
        return note(f"Nothing of the {cap:,.0f} yuan budget can be spent: no channel reaches anyone in the segment of {segment.size:,} users; "
                    "widen the audience or choose other channels.",
                    f"预算 ¥{cap:,.0f} 一分都花不出去：{segment.size:,} 人的人群里没有任何渠道能触达到的人；请放宽人群或换渠道。", "budget_unspent")  # fmt: skip
    need = math.ceil(users * cap / max(spent, 0.01))
    others = [c for c in market.channels if c not in names and c not in brief.channels_excluded and segment.reachable.get(c)]
    wider = terms_for(names + others)
    waves = cadence_schedule(cap, wider, days)
    added = [c for c in others if any(w.channel == c for w in waves)]
    with_added = cadence_spend(waves, wider)
    longer, own = None, terms_for(names)
    for d in sorted({days * 2, days * 3, days * 4, 30, 60, 90}):
        if days < d <= 90 and cadence_spend(cadence_schedule(cap, own, d), own) >= 0.5 * cap:
            longer = d
            break
    zh_ch = "、".join(market.channels[c].name for c in added[:3])
    en_ch = ", ".join(market.channels[c].name for c in added[:3])
    ways_zh = [f"约 {need:,} 名可触达用户（现在 {users:,} 名）"]
    ways_en = [f"about {need:,} reachable users (now {users:,})"]
    if added and with_added > spent * 1.2:
        ways_zh.append(f"加上{zh_ch}（可花到 ¥{with_added:,.0f}）")
        ways_en.append(f"adding {en_ch} (spends {with_added:,.0f} yuan)")
    if longer:
        ways_zh.append(f"把活动延长到 {longer} 天")
        ways_en.append(f"running for {longer} days")
    return note(f"Only {spent:,.0f} of the {cap:,.0f} yuan budget can be spent ({spent / cap:.0%}): every reachable user in the segment "
                f"({users:,}) gets as many touches as each channel's weekly cap allows in {days} days. To spend more it takes "
                + " or ".join(ways_en) + ".",
                f"预算只能花出 ¥{spent:,.0f}（上限 ¥{cap:,.0f} 的 {spent / cap:.0%}）：人群里能触达的 {users:,} 人在 {days} 天内"
                "已按各渠道的频控上限排满触达。要多花，需要" + "，或".join(ways_zh) + "。", "budget_unspent")  # fmt: skip


MAX_TEST_DAYS = 90
"""The longest experiment the plan proposes instead of a smaller detectable lift."""


def _experiment(brief: CampaignBrief, segment: SegmentPlan, lines: list[ChannelLine], offer: Offer | None, days: int, kpis: Forecast,
                market: Market, holdout: float) -> tuple[ABTest, list[Note]]:  # fmt: skip
    """The test the brief describes (its arms, baseline, MDE, alpha, power, hold-out), else a hold-out control plus
    two treatment arms (a round and an odd-looking offer amount, two copy variants); and when that cannot run on the
    users and days there are, the feasible design instead, said in the plan's first lines.

    Users are randomised into arms; the treated arms are those the cadence touches, the control is the hold-out. An
    arm holds at most the hold-out's users (control) or its share of the users the plan touches (treatment). The
    baseline is conversions per treated user over the campaign.
    """
    control = int(segment.size * holdout)
    treated = min(sum(line.users for line in lines), segment.size - control)
    if brief.baseline_rate is not None:
        baseline, source = brief.baseline_rate, "brief"
    else:
        baseline, source = round(max(kpis.conversions[1] / max(treated, 1), 1e-6), 6), "forecast"  # rounded first: the plan shows the rate it used
    points = None
    if brief.mde is not None and brief.mde_absolute:
        points = brief.mde
        mde = round(brief.mde / baseline, 6)
    else:
        mde = brief.mde or DEFAULT_MDE
    n = sample_size_per_arm(baseline, mde, brief.alpha, brief.power) if baseline * (1 + mde) < 1 else 0
    arms = _arms(brief, offer, holdout)
    n_treat = max(len(arms) - 1, 1)
    available = min(control, treated // n_treat)
    # Users enter the test on their first touch: as many a day as the channels' first sends can carry.
    daily_first = sum(min(line.users, market.channels[line.name].daily_capacity) for line in lines)
    reach_all = min(sum(int(line.reachable * (1 - holdout)) for line in lines), segment.size - control)
    test: dict[str, Any] = {"arms": arms, "baseline_rate": baseline, "baseline_source": source, "alpha": brief.alpha, "power": brief.power,
                            "holdout_share": holdout}  # fmt: skip
    if n and n <= available:
        # Conversions are counted over the whole campaign, so the test runs as long as it does.
        return ABTest(**test, sample_size_per_arm=n, mde=mde, mde_points=points, duration_days=days, design="as_stated"), []
    short_control = control < treated // n_treat
    why_en = f"the hold-out has {control:,} users" if short_control else f"the plan touches {treated:,} users in {days} days"
    why_zh = f"对照组只有 {control:,} 人" if short_control else f"{days} 天内只触达 {treated:,} 人"
    window = math.ceil(n * n_treat / max(daily_first, 1)) if n else None
    fixed_dates = bool(brief.start and brief.end) or brief.duration_days is not None
    if n and window and days < window <= MAX_TEST_DAYS and n <= min(control, reach_all // n_treat) and not fixed_dates:
        warning = (f"a {mde:.0%} lift needs {n:,} users per arm: {window} days of first sends, longer than the {days}-day campaign; "
                   f"the test runs {window} days")  # fmt: skip
        said = note(f"The experiment cannot run as stated in {days} days: detecting a {mde:.0%} lift needs {n:,} users per arm, which takes "
                    f"{window} days of first sends. Chosen instead: run the test for {window} days (the sends stay as planned).",
                    f"实验按原设计 {days} 天做不完：检测 {mde:.0%} 的提升每组要 {n:,} 人，按每天首发的量要 {window} 天。"
                    f"已改为：实验期延长到 {window} 天（触达安排不变）。", "experiment_changed")  # fmt: skip
        return ABTest(**test, sample_size_per_arm=n, mde=mde, mde_points=points, duration_days=window, design="longer_window",
                      window_days_needed=window, warning=warning), [said]  # fmt: skip
    lift = detectable_lift(baseline, available, brief.alpha, brief.power)
    if lift is None:
        warning = f"{available:,} users per arm cannot detect any lift on a {baseline:.4%} baseline"
        said = note(f"No experiment can run on this plan: {why_en}, {available:,} per arm, too few to detect any lift on a {baseline:.3%} baseline. "
                    "Widen the audience or run without a test (the hold-out still measures the campaign).",
                    f"这个方案做不了实验：{why_zh}，每组只有 {available:,} 人，在 {baseline:.3%} 的基线上检测不出任何提升。"
                    "请扩大人群，或不做 A/B 实验（对照组仍可衡量整体效果）。", "experiment_changed")  # fmt: skip
        return ABTest(**test, sample_size_per_arm=n, mde=mde, mde_points=points, duration_days=days, design="not_testable", warning=warning), [said]
    n_lift = sample_size_per_arm(baseline, lift, brief.alpha, brief.power)
    asked = f"{points:.2%} points" if points else f"{mde:.0%}"
    asked_zh = f"{points * 100:.2f} 个百分点" if points else f"{mde:.0%}"
    warning = f"a {asked} lift needs {n:,} users per arm but {why_en}; the test is sized for the smallest detectable lift, {lift:.1%}"
    said = note(f"The experiment cannot run as stated: detecting a {asked} lift needs {n:,} users per arm, but {why_en} "
                f"({available:,} per arm). Chosen instead: {n_lift:,} users per arm, which detects a lift of {lift:.1%} or more in {days} days.",
                f"实验按原设计做不了：检测 {asked_zh} 的提升每组要 {n:,} 人，但{why_zh}（每组最多 {available:,} 人）。"
                f"已改为：每组 {n_lift:,} 人，{days} 天内能检测到的最小提升是 {lift:.1%}。", "experiment_changed")  # fmt: skip
    return ABTest(**test, sample_size_per_arm=n_lift, mde=lift, mde_asked=mde, mde_points=points, duration_days=days, design="smallest_lift",
                  warning=warning), [said]  # fmt: skip


def _arms(brief: CampaignBrief, offer: Offer | None, holdout: float) -> list[dict[str, Any]]:
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
    return arms

"""The typed campaign brief: everything a marketer can ask for in one or two sentences."""

from __future__ import annotations

from datetime import date, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.text import Span

Goal = Literal["acquire", "activate", "convert", "retain", "win_back", "cross_sell"]
ProductCategory = Literal["consumer_credit", "merchant_credit", "wealth", "insurance", "fund"]
KpiMetric = Literal["reach", "clicks", "conversions", "aum", "loan_volume", "conversion_rate", "cost_per_conversion"]


class KpiTarget(BaseModel):
    """One target the marketer stated: e.g. conversions ≥ 2,000 or AUM ≥ 5,000 万."""

    metric: KpiMetric
    value: float = Field(ge=0)
    """Counts, yuan, or a rate as a fraction (0.02 = 2%)."""


AudienceFamily = Literal["city_tier", "risk_grade", "age", "aum", "holding", "activity", "signup", "credit", "student",
                         "overdue", "merchant", "sales", "reach", "vague", "rule"]  # fmt: skip


class Condition(BaseModel):
    """One condition on who is targeted, as the marketer said it and as a rule over the user tags."""

    model_config = ConfigDict(extra="forbid")

    rule: str
    """The condition in the segment language (`city_tier in (1, 2)`); every one is ANDed into the segment."""
    said: str = ""
    """The words as typed (一二线)."""
    family: AudienceFamily = "rule"


class Arm(BaseModel):
    """One experiment arm as the marketer stated it: an offer, an amount or a copy variant."""

    model_config = ConfigDict(extra="forbid")

    name: str
    offer_amount: float | None = Field(default=None, ge=0)
    offer: str | None = None
    copy_variant: str | None = None
    """The copy idea for this arm in the marketer's words (强调收益 / 强调安全)."""


class Unparsed(BaseModel):
    """Words of a brief that carry a condition the planner did not understand: shown, never silently dropped."""

    text: str
    span: Span
    kind: Literal["audience", "number", "negation", "comparison", "offer", "date", "product", "requirement"]
    asks: bool
    """It would change who is targeted or what is sent: the planner asks instead of planning around it."""


class CampaignBrief(BaseModel):
    """A marketer's brief as typed, visible, editable slots."""

    model_config = ConfigDict(extra="forbid")

    purpose: Literal["promote", "care", "education"] = "promote"
    """What the message is for: a promotion, or a service message that sells nothing (care for borrowers, investor
    education), planned with no product and no incentive."""
    goal: Goal | None = None
    products: list[str] = Field(default_factory=list)
    """Product ids from the catalog (e.g. `sujie`, `wenying_90d`) or fund codes."""
    categories: list[ProductCategory] = Field(default_factory=list)
    """Product families named without a specific product (理财, 借款, 保险, 基金)."""
    fund_types: list[str] = Field(default_factory=list)
    """Fund types named (债券基金 -> bond): the fund family, and offers that apply to that type."""
    audience: list[Condition] = Field(default_factory=list)
    """Who: every condition the marketer stated, each compiled into the segment rule."""
    segment_rule: str | None = None
    """An explicit rule in the segment language, when the marketer wrote one."""
    budget_cap: float | None = Field(default=None, gt=0)
    """Yuan; the plan's total never exceeds it."""
    start: date | None = None
    end: date | None = None
    duration_days: int | None = Field(default=None, ge=1, le=366)
    send_weekdays: list[int] = Field(default_factory=list)
    """Days of the week sends may go out on (0 = Monday … 6 = Sunday; 只在周末发 -> [5, 6]); empty: any day."""
    send_after: time | None = None
    """Nothing goes out before this time (早上9点以前别发 -> 09:00); each channel's quiet hours apply as well."""
    send_before: time | None = None
    """Nothing goes out after this time (晚上8点以后别发 -> 20:00); each channel's quiet hours apply as well."""
    channels: list[str] = Field(default_factory=list)
    """Channel ids the marketer wants (短信 -> sms, 推送 -> app_push)."""
    channels_excluded: list[str] = Field(default_factory=list)
    kpis: list[KpiTarget] = Field(default_factory=list)
    offers: list[str] = Field(default_factory=list)
    """Offer ids asked for, or none: the planner chooses."""
    offer_amount: float | None = Field(default=None, ge=0)
    """A subsidy amount the marketer named (红包 15 元), yuan."""
    no_offer: bool = False
    """The marketer asked for no incentive (不发红包)."""
    experiment: bool = False
    """The marketer asked for a test (A/B, 对照组, hold-out)."""
    arms: list[Arm] = Field(default_factory=list)
    """The arms the marketer named; none: the planner's two copy variants."""
    baseline_rate: float | None = Field(default=None, gt=0, lt=1)
    """The current conversion rate the marketer stated (现在转化率 2%): the test's baseline, never a KPI target."""
    alpha: float = Field(default=0.05, gt=0, lt=0.5)
    power: float = Field(default=0.8, gt=0.5, lt=1)
    mde: float | None = Field(default=None, gt=0, lt=1)
    """Minimum detectable effect, when the marketer set one: relative (0.1 = a 10% lift) unless `mde_absolute`."""
    mde_absolute: bool = False
    """The MDE is in rate points (提升 0.5 个百分点 = 0.005), not relative."""
    holdout_share: float | None = Field(default=None, gt=0, lt=0.9)
    """The share held out as control, when the marketer named it."""
    constraints: list[str] = Field(default_factory=list)
    """Other stated constraints in words, kept so nothing the marketer said is lost."""

    @model_validator(mode="after")
    def _dates_ordered(self) -> CampaignBrief:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"the campaign ends ({self.end}) before it starts ({self.start})")
        if self.send_after and self.send_before and self.send_before <= self.send_after:
            raise ValueError(f"no hour is left to send in: after {self.send_after:%H:%M} and before {self.send_before:%H:%M}")
        if any(not 0 <= d <= 6 for d in self.send_weekdays):
            raise ValueError("send_weekdays are 0 (Monday) to 6 (Sunday)")
        overlap = set(self.channels) & set(self.channels_excluded)
        if overlap:
            raise ValueError(f"channels both wanted and excluded: {sorted(overlap)}")
        return self

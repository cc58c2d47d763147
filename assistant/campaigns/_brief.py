"""The typed campaign brief: everything a marketer can ask for in one or two sentences."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Goal = Literal["acquire", "activate", "convert", "retain", "win_back", "cross_sell"]
ProductCategory = Literal["consumer_credit", "merchant_credit", "wealth", "insurance", "fund"]
KpiMetric = Literal["reach", "clicks", "conversions", "aum", "loan_volume", "conversion_rate", "cost_per_conversion"]


class KpiTarget(BaseModel):
    """One target the marketer stated: e.g. conversions ≥ 2,000 or AUM ≥ 5,000 万."""

    metric: KpiMetric
    value: float = Field(ge=0)
    """Counts, yuan, or a rate as a fraction (0.02 = 2%)."""


class CampaignBrief(BaseModel):
    """A marketer's brief as typed, visible, editable slots."""

    model_config = ConfigDict(extra="forbid")

    goal: Goal | None = None
    products: list[str] = Field(default_factory=list)
    """Product ids from the catalog (e.g. `sujie`, `wenying_90d`) or fund codes."""
    categories: list[ProductCategory] = Field(default_factory=list)
    """Product families named without a specific product (理财, 借款, 保险, 基金)."""
    audience: list[str] = Field(default_factory=list)
    """Audience hints in the marketer's words (新客, 沉睡用户, 一线城市, 25-34 岁, 商家), for the segment."""
    segment_rule: str | None = None
    """An explicit rule in the segment language, when the marketer wrote one."""
    max_investor_grade: int | None = Field(default=None, ge=1, le=5)
    """Only users whose investor grade is at most this (只要 C2 以下的人)."""
    budget_cap: float | None = Field(default=None, gt=0)
    """Yuan; the plan's total never exceeds it."""
    start: date | None = None
    end: date | None = None
    duration_days: int | None = Field(default=None, ge=1, le=366)
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
    alpha: float = Field(default=0.05, gt=0, lt=0.5)
    power: float = Field(default=0.8, gt=0.5, lt=1)
    mde: float | None = Field(default=None, gt=0, lt=1)
    """Minimum detectable effect, relative (0.1 = a 10% lift), when the marketer set one."""
    constraints: list[str] = Field(default_factory=list)
    """Other stated constraints in words, kept so nothing the marketer said is lost."""

    @model_validator(mode="after")
    def _dates_ordered(self) -> CampaignBrief:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"the campaign ends ({self.end}) before it starts ({self.start})")
        overlap = set(self.channels) & set(self.channels_excluded)
        if overlap:
            raise ValueError(f"channels both wanted and excluded: {sorted(overlap)}")
        return self

"""The domain model: every record the assistant reasons over, each carrying its source and as-of date."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FundType = Literal["stock", "mixed", "bond", "index", "money", "qdii", "fof", "other"]
FUND_TYPES: tuple[str, ...] = ("stock", "mixed", "bond", "index", "money", "qdii", "fof", "other")
ShareClass = Literal["A", "C"]
RiskLevel = Annotated[int, Field(ge=1, le=5)]
Percent = Annotated[float, Field(gt=-100.0, lt=100_000.0)]
"""A return in percent: it can never fall below -100%."""
Fee = Annotated[float, Field(ge=0.0, le=10.0)]
"""A fee in percent (per year, or per purchase for the purchase fee)."""


class Record(BaseModel):
    """Fields every record shares: where it came from and as of when."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=1)
    """Where the record came from: a file, a generator with its seed, a system."""
    as_of: date
    """The date the record's facts hold for."""


class Fund(Record):
    """One fund share class, normalised; field names are the `catalog export` contract."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[0-9A-Za-z.]{1,20}$")
    name: str = Field(min_length=1)
    fund_type: FundType
    share_class: ShareClass | None = None
    risk_level: RiskLevel | None = None
    return_1m: Percent | None = None
    return_3m: Percent | None = None
    return_6m: Percent | None = None
    return_1y: Percent | None = None
    return_3y: Percent | None = None
    return_ytd: Percent | None = None
    max_drawdown_1y: Annotated[float, Field(ge=0.0, le=100.0)] | None = None
    """Largest peak-to-trough fall over the last year, as a positive percent."""
    volatility_1y: Annotated[float, Field(ge=0.0, le=500.0)] | None = None
    """Annualised volatility of daily returns over the last year, percent."""
    sharpe_1y: Annotated[float, Field(ge=-20.0, le=20.0)] | None = None
    mgmt_fee: Fee | None = None
    purchase_fee: Fee | None = None
    sales_service_fee: Fee | None = None
    min_purchase: Annotated[float, Field(ge=0.0)] | None = None
    """Smallest purchase, yuan."""
    size: Annotated[float, Field(ge=0.0)] | None = None
    """Assets, 100 million yuan (亿元)."""
    company: str | None = None
    managers: list[str] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    dca: bool | None = None
    """Can be bought by regular instalments (定投)."""
    purchase_open: bool | None = None
    inception_date: date | None = None
    # Not part of the export contract's required head, kept for people and later issues.
    raw_type: str | None = None
    """The fund type as the source wrote it."""
    purchase_fee_discounted: Fee | None = None
    """The platform's discounted purchase fee, where the source gives one."""
    pair_code: str | None = None
    """The code of the other share class of the same portfolio (A<->C), where known."""

    @field_validator("managers", "themes", mode="after")
    @classmethod
    def _clean_list(cls, value: list[str]) -> list[str]:
        seen: list[str] = []
        for item in (v.strip() for v in value):
            if item and item not in seen:
                seen.append(item)
        return seen

    @model_validator(mode="after")
    def _money_funds_do_not_draw_down(self) -> Fund:
        if self.fund_type == "money" and self.max_drawdown_1y not in (None, 0.0):
            raise ValueError("a money fund cannot report a drawdown")
        return self


EXPORT_FIELDS: tuple[str, ...] = (
    "code", "name", "fund_type", "share_class", "risk_level",
    "return_1m", "return_3m", "return_6m", "return_1y", "return_3y", "return_ytd",
    "max_drawdown_1y", "volatility_1y", "sharpe_1y", "mgmt_fee", "purchase_fee", "sales_service_fee",
    "min_purchase", "size", "company", "managers", "themes", "dca", "purchase_open", "inception_date", "as_of",
)  # fmt: skip
"""The normalised fields `finpilot catalog export` prints first, in this order (a stable contract)."""


class ProductKind(str, Enum):
    """What family a non-fund product belongs to."""

    consumer_credit = "consumer_credit"
    merchant_credit = "merchant_credit"
    wealth = "wealth"
    insurance = "insurance"


class Product(Record):
    """A credit, wealth or insurance product the platform markets."""

    product_id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    kind: ProductKind
    risk_level: RiskLevel | None = None
    """R grade for wealth and insurance products; credit products carry none."""
    description: str
    daily_rate: Annotated[float, Field(ge=0.0, le=0.1)] | None = None
    """Interest per day in percent (0.048 means 0.048% a day), for credit sold by the day; the highest when it is a range."""
    apr: Annotated[float, Field(ge=0.0, le=36.0)] | None = None
    """Annualised rate in percent (年化利率), simple interest; required on all credit products; the highest a borrower
    can be charged when the rate is a range."""
    daily_rate_min: Annotated[float, Field(ge=0.0, le=0.1)] | None = None
    """The lowest daily rate, when the rate is a range (日利率 0.02%–0.06%): copy says the range from it."""
    apr_min: Annotated[float, Field(ge=0.0, le=36.0)] | None = None
    """The lowest annualised rate, when the rate is a range."""
    interest_free_days: int | None = Field(default=None, ge=0, le=90)
    max_instalments: int | None = Field(default=None, ge=1, le=60)
    min_amount: float | None = Field(default=None, ge=0)
    max_amount: float | None = Field(default=None, ge=0)
    expected_yield: Annotated[float, Field(ge=0.0, le=30.0)] | None = None
    """Reference yield of a wealth product, percent a year (never a promise)."""
    term_days: int | None = Field(default=None, ge=1)
    deposit_insured: bool = False
    """A bank deposit covered by deposit insurance (存款保险): its copy says so, and never "理财非存款"."""
    eligibility: str = ""
    """Who may be offered it, in words; the segment rules of the campaign planner enforce it."""

    @model_validator(mode="after")
    def _credit_discloses_apr(self) -> Product:
        credit = self.kind in (ProductKind.consumer_credit, ProductKind.merchant_credit)
        if credit and self.apr is None:
            raise ValueError(f"credit product {self.product_id} must state its annualised rate")
        if self.daily_rate is not None and self.apr is not None and abs(self.daily_rate * 365 - self.apr) > 0.01:
            raise ValueError(f"{self.product_id}: apr {self.apr} is not daily rate {self.daily_rate} x 365")
        if self.daily_rate_min is not None and self.apr_min is not None and abs(self.daily_rate_min * 365 - self.apr_min) > 0.01:
            raise ValueError(f"{self.product_id}: apr_min {self.apr_min} is not daily_rate_min {self.daily_rate_min} x 365")
        if (self.apr_min is not None and self.apr is not None and self.apr_min > self.apr) or (
            self.daily_rate_min is not None and self.daily_rate is not None and self.daily_rate_min > self.daily_rate
        ):
            raise ValueError(f"{self.product_id}: the lowest rate is above the highest")
        if (self.daily_rate_min is None) != (self.apr_min is None) and self.daily_rate is not None:
            raise ValueError(f"{self.product_id}: a daily rate range needs its annualised range (apr_min) too")
        return self


AgeBand = Literal["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
AumBand = Literal["0", "<1k", "1k-10k", "10k-50k", "50k-200k", "200k-1m", "1m+"]


class UserTags(Record):
    """One user's tags as the tag table stores them (one Parquet row)."""

    user_id: str
    age_band: AgeBand
    city_tier: Annotated[int, Field(ge=1, le=5)]
    risk_grade: Annotated[int, Field(ge=1, le=5)] | None
    """Investor grade C1..C5 as a number; None when the questionnaire was never taken."""
    aum_band: AumBand
    aum: float = Field(ge=0)
    """Assets held on the platform, yuan."""
    products_held: list[str]
    days_since_login: int = Field(ge=0)
    monthly_active: bool
    push_reachable: bool
    sms_reachable: bool
    wechat_reachable: bool
    is_merchant: bool
    merchant_monthly_sales: float | None = Field(default=None, ge=0)
    age: int = Field(ge=0, le=130)
    """Exact age in years (`age_band` is the band it falls in)."""
    days_since_signup: int = Field(ge=0)
    credit_granted: bool
    """Has a credit line (已授信), drawn on or not."""
    is_student: bool
    has_overdue: bool
    """Has a loan overdue now."""
    days_since_overdue: int | None = Field(default=None, ge=0)
    """Days since a loan was last overdue (0: overdue now); None: never overdue in the last two years."""
    income_drop: bool = False
    """Income fell in the last 90 days (salary deposits down by a third or more)."""


class Segment(Record):
    """A named group of users selected by a rule over the tag table."""

    segment_id: str
    name: str
    rule: str
    """The selection rule in the segment language (compiled to SQL by the warehouse)."""
    size: int | None = Field(default=None, ge=0)
    reachable: dict[str, int] = Field(default_factory=dict)
    """Users reachable per channel id."""


class Channel(Record):
    """A way to reach users, with its unit cost and historical response."""

    channel_id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    kind: Literal["push", "sms", "wechat", "banner", "outbound_call", "email", "feed", "in_app_message", "popup", "ad"]
    unit_cost: float = Field(ge=0)
    """Cost per touch, yuan."""
    ctr: float = Field(ge=0, le=1)
    """Historical click (or answer) rate per touch."""
    daily_capacity: int = Field(gt=0)
    """Most touches a day the channel can send."""
    reach_tag: Literal["push_reachable", "sms_reachable", "wechat_reachable"] | None
    """Which reachability tag a user needs for this channel; None when every active user can see it. Copy limits,
    frequency caps and quiet hours are policy, not market data: assistant/compliance/channels.toml."""


class Offer(Record):
    """An incentive type a campaign can attach."""

    offer_id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    kind: Literal["cash_subsidy", "fee_discount", "coupon", "interest_free", "rate_discount", "points", "gift", "lottery"]
    value: float = Field(ge=0)
    """Face value in yuan, or percent for discounts (see `unit`)."""
    unit: Literal["yuan", "percent", "days", "points"]
    cost_per_redemption: float = Field(ge=0)
    """What one redemption costs the platform, yuan."""
    applies_to: list[str]
    """Product kinds or fund types it can be attached to."""


Goal = Literal["acquire", "activate", "convert", "retain", "win_back", "cross_sell"]


class CampaignRecord(Record):
    """One historical campaign with its measured outcome."""

    campaign_id: str
    name: str
    goal: Goal
    product_ids: list[str]
    segment_rule: str
    channel_ids: list[str]
    offer_id: str | None
    start: date
    end: date
    budget: float = Field(ge=0)
    reach: int = Field(ge=0)
    clicks: int = Field(ge=0)
    conversions: int = Field(ge=0)
    cost: float = Field(ge=0)
    aum: float = Field(ge=0)
    """New assets raised, yuan (0 for credit campaigns)."""
    loan_volume: float = Field(ge=0)
    """New loans drawn, yuan (0 for wealth campaigns)."""

    @model_validator(mode="after")
    def _funnel_narrows(self) -> CampaignRecord:
        if not self.reach >= self.clicks >= self.conversions:
            raise ValueError(f"{self.campaign_id}: reach >= clicks >= conversions does not hold")
        if self.end < self.start:
            raise ValueError(f"{self.campaign_id}: ends before it starts")
        return self


DocKind = Literal["playbook", "faq", "compliance", "glossary", "product"]


class KnowledgeDoc(Record):
    """A knowledge document: a playbook, a product FAQ, a compliance rule, a glossary entry."""

    doc_id: str = Field(pattern=r"^[a-z0-9_\-]+$")
    kind: DocKind
    title: str = Field(min_length=1)
    body: str = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)
    lang: Literal["zh", "en"] = "zh"

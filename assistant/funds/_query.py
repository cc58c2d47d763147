"""The typed fund request (`FundQuery`) and the hard-limit check every shortlisted fund must pass, in code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.text import Span
from retrieval import FUND_TYPES, Fund

FundTypeName = Literal["stock", "mixed", "bond", "index", "money", "qdii", "fof", "other"]
Period = Literal["1m", "3m", "6m", "1y", "3y", "ytd"]
Grade = Annotated[int, Field(ge=1, le=5)]
SortField = Literal["return_1m", "return_3m", "return_6m", "return_1y", "return_3y", "return_ytd", "max_drawdown_1y",
                    "volatility_1y", "sharpe_1y", "mgmt_fee", "purchase_fee", "total_fee", "size", "inception_date"]  # fmt: skip
PERIOD_FIELD: dict[str, SortField] = {"1m": "return_1m", "3m": "return_3m", "6m": "return_6m", "1y": "return_1y",
                                      "3y": "return_3y", "ytd": "return_ytd"}  # fmt: skip


class Bound(BaseModel):
    """A closed or open interval; 以上/以下/以内/不超过/至少 include the number, 高于/低于 do not."""

    model_config = ConfigDict(frozen=True)

    min: float | None = None
    max: float | None = None
    min_inclusive: bool = True
    max_inclusive: bool = True

    @classmethod
    def side(cls, key: Literal["min", "max"], value: float, inclusive: bool) -> Bound:
        """One side of an interval: side("min", 5, True) is >= 5, side("max", 3, False) is < 3."""
        return cls(min=value, min_inclusive=inclusive) if key == "min" else cls(max=value, max_inclusive=inclusive)

    @model_validator(mode="after")
    def _ordered(self) -> Bound:
        if self.min is None and self.max is None:
            raise ValueError("a bound needs a min or a max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self

    def admits(self, value: float | None) -> bool:
        """Whether `value` lies inside; a missing value never does (a limit needs the metric to be known)."""
        if value is None:
            return False
        if self.min is not None and (value < self.min or (value == self.min and not self.min_inclusive)):
            return False
        if self.max is not None and (value > self.max or (value == self.max and not self.max_inclusive)):
            return False
        return True

    def describe(self) -> str:
        """The bound in a person's words, e.g. '≥ 3', '< 2', '3–5'."""
        if self.min is not None and self.max is not None:
            return f"{self.min:g}–{self.max:g}"
        if self.min is not None:
            return f"{'≥' if self.min_inclusive else '>'} {self.min:g}"
        return f"{'≤' if self.max_inclusive else '<'} {self.max:g}"


class Unparsed(BaseModel):
    """Words that carry a condition the parser did not understand, shown to the person (never silently dropped)."""

    text: str
    """The words as the person wrote them."""
    span: Span
    kind: Literal["limit", "number", "comparison", "negation", "field", "name", "period", "benchmark"]
    limit: bool
    """They state a limit: screening as if they were absent would be wrong, so the advisor asks instead."""


Order = Literal["asc", "desc"]


class SortKey(BaseModel):
    """One ranking key."""

    field: SortField
    order: Order = "desc"


class FundQuery(BaseModel):
    """Everything a fund user can ask for, as typed, visible, editable filters."""

    model_config = ConfigDict(extra="forbid")

    intent: Literal["screen", "analyse", "compare", "explain"] = "screen"
    fund_types: list[FundTypeName] = Field(default_factory=list)
    """Only these fund types (any of them)."""
    fund_types_exclude: list[FundTypeName] = Field(default_factory=list)
    """None of these fund types (不要QDII和FOF)."""
    share_class: Literal["A", "C"] | None = None
    """Only this share class."""
    share_classes_exclude: list[Literal["A", "C"]] = Field(default_factory=list)
    """Not these share classes (不要C类); funds sold without a class letter stay."""
    risk_min: Grade | None = None
    risk_max: Grade | None = None
    investor_grade: Grade | None = None
    """The investor's own grade C1..C5 as 1..5; nothing riskier is ever shown."""
    returns: dict[Period, Bound] = Field(default_factory=dict)
    """Return limits by period, in percent."""
    max_drawdown: Bound | None = None
    volatility: Bound | None = None
    sharpe: Bound | None = None
    mgmt_fee: Bound | None = None
    purchase_fee: Bound | None = None
    sales_service_fee: Bound | None = None
    size: Bound | None = None
    """Fund size in 亿元."""
    fund_age_years: Bound | None = None
    companies_include: list[str] = Field(default_factory=list)
    companies_exclude: list[str] = Field(default_factory=list)
    managers_include: list[str] = Field(default_factory=list)
    managers_exclude: list[str] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    """Any of these themes (a fund carries it, a narrower theme of its group, or the word in its name)."""
    themes_exclude: list[str] = Field(default_factory=list)
    """None of these themes (医药的不要)."""
    dca_only: bool = False
    open_only: bool = False
    amount: float | None = Field(default=None, ge=0)
    """Money the user has, yuan: the fund's minimum purchase must fit."""
    holding_days: float | None = Field(default=None, gt=0)
    sort: list[SortKey] = Field(default_factory=list)
    top_n: int = Field(default=10, ge=1, le=50)
    codes: list[str] = Field(default_factory=list)
    """Funds named by code (analyse, compare)."""
    exclude_codes: list[str] = Field(default_factory=list)
    term: str | None = None
    """The term to explain, for intent `explain`."""

    @model_validator(mode="after")
    def _consistent(self) -> FundQuery:
        if self.risk_min and self.risk_max and self.risk_min > self.risk_max:
            raise ValueError(f"risk_min R{self.risk_min} is above risk_max R{self.risk_max}")
        unknown = set(self.fund_types) - set(FUND_TYPES)
        if unknown:
            raise ValueError(f"unknown fund types {sorted(unknown)}")
        for wanted, unwanted, what in ((self.fund_types, self.fund_types_exclude, "fund type"),
                                       ([self.share_class] if self.share_class else [], self.share_classes_exclude, "share class"),
                                       (self.themes, self.themes_exclude, "theme"),
                                       (self.companies_include, self.companies_exclude, "company"),
                                       (self.managers_include, self.managers_exclude, "manager")):  # fmt: skip
            both = sorted(set(wanted) & set(unwanted))
            if both:
                raise ValueError(f"{what} {', '.join(both)} is both wanted and excluded")
        return self


def limit_failures(query: FundQuery, fund: Fund, today: date | None = None,
                   groups: Mapping[str, Sequence[str]] | None = None) -> list[str]:  # fmt: skip
    """Every stated limit `fund` breaks, as `field` names with the bound; empty means it may be shown.

    A fund missing a metric that a limit needs fails that limit: an unknown drawdown is not a small one.
    """
    fails: list[str] = []

    def bound(name: str, b: Bound | None, value: float | None) -> None:
        if b is not None and not b.admits(value):
            fails.append(f"{name} {b.describe()}" + (" (unknown)" if value is None else f" (is {value:g})"))

    if query.fund_types and fund.fund_type not in query.fund_types:
        fails.append(f"fund_type in {query.fund_types}")
    if query.fund_types_exclude and fund.fund_type in query.fund_types_exclude:
        fails.append(f"fund_type not in {query.fund_types_exclude}")
    if query.share_class and fund.share_class != query.share_class:
        fails.append(f"share_class {query.share_class}")
    if fund.share_class and fund.share_class in query.share_classes_exclude:
        fails.append(f"share_class not {fund.share_class}")
    ceiling = min(g for g in (query.risk_max, query.investor_grade) if g) if (query.risk_max or query.investor_grade) else None
    if ceiling is not None and (fund.risk_level is None or fund.risk_level > ceiling):
        fails.append(f"risk_level ≤ R{ceiling}" + (" (unknown)" if fund.risk_level is None else f" (is R{fund.risk_level})"))
    if query.risk_min is not None and (fund.risk_level is None or fund.risk_level < query.risk_min):
        fails.append(f"risk_level ≥ R{query.risk_min}")
    for period, b in query.returns.items():
        bound(PERIOD_FIELD[period], b, getattr(fund, PERIOD_FIELD[period]))
    bound("max_drawdown_1y", query.max_drawdown, fund.max_drawdown_1y)
    bound("volatility_1y", query.volatility, fund.volatility_1y)
    bound("sharpe_1y", query.sharpe, fund.sharpe_1y)
    bound("mgmt_fee", query.mgmt_fee, fund.mgmt_fee)
    bound("purchase_fee", query.purchase_fee, fund.purchase_fee)
    bound("sales_service_fee", query.sales_service_fee, fund.sales_service_fee)
    bound("size", query.size, fund.size)
    if query.fund_age_years is not None:
        as_of = today or fund.as_of
        age = None if fund.inception_date is None else (as_of - fund.inception_date).days / 365.25
        bound("fund_age_years", query.fund_age_years, None if age is None else round(age, 2))
    if query.companies_include and fund.company not in query.companies_include:
        fails.append(f"company in {query.companies_include}")
    if fund.company and fund.company in query.companies_exclude:
        fails.append(f"company not {fund.company}")
    if query.managers_include and not set(fund.managers) & set(query.managers_include):
        fails.append(f"manager in {query.managers_include}")
    if set(fund.managers) & set(query.managers_exclude):
        fails.append(f"manager not in {query.managers_exclude}")
    if query.themes_exclude and theme_match(query.themes_exclude, fund, groups):
        fails.append(f"theme not in {query.themes_exclude}")
    if query.dca_only and fund.dca is not True:
        fails.append("dca")
    if query.open_only and fund.purchase_open is not True:
        fails.append("purchase_open")
    if query.amount is not None and (fund.min_purchase is None or fund.min_purchase > query.amount):
        fails.append(f"min_purchase ≤ {query.amount:g}")
    if fund.code in query.exclude_codes:
        fails.append("excluded by code")
    return fails


def theme_match(themes: Sequence[str], fund: Fund, groups: Mapping[str, Sequence[str]] | None = None) -> bool:
    """A fund matches a theme it carries, a narrower theme of the group, or the theme word in its name.

    `groups` is the lexicon's theme groups; a caller checking a whole catalog passes them once.
    """
    if groups is None:
        from assistant.funds._lexicon import fund_lexicon

        groups = fund_lexicon().theme_group_of
    for theme in themes:
        group = groups.get(theme, (theme,))
        if set(group) & set(fund.themes) or any(t in fund.name for t in group):
            return True
    return False

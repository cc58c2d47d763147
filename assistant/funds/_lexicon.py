"""The fund advisor's words as data: `lexicon.toml` (shipped) and a bank's `FINPILOT_HOME/lexicon/funds*.toml`.

`FundLexicon` is the schema every file is validated by; `fund_lexicon()` loads the packaged file with the
extensions of the current home, checks every phrase is defined once, and compiles what the parser looks up.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assistant.funds._query import FundTypeName, Order, Period, SortField
from assistant.text import home_rules, valid_pattern

LEXICON_FILE = Path(__file__).with_name("lexicon.toml")

Metric = Literal["max_drawdown", "volatility", "sharpe", "mgmt_fee", "purchase_fee", "sales_service_fee", "custody_fee",
                 "size", "return", "loss"]  # fmt: skip
SortWordField = Literal["return", "loss", "max_drawdown_1y", "volatility_1y", "sharpe_1y", "mgmt_fee", "purchase_fee",
                        "total_fee", "size", "inception_date"]  # fmt: skip


_compiles = valid_pattern


class RiskWord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min: int | None = Field(default=None, ge=1, le=5)
    max: int | None = Field(default=None, ge=1, le=5)

    @model_validator(mode="after")
    def _some(self) -> RiskWord:
        if self.min is None and self.max is None:
            raise ValueError("a risk word sets min, max or both")
        return self


class ThemeRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bond_only: list[str] = Field(default_factory=list)
    """Themes only bond funds have: naming one also asks for bond funds."""


class Pinyin(BaseModel):
    model_config = ConfigDict(extra="forbid")

    extra: list[str] = Field(default_factory=list)


class MetricRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    percent_when_bare: list[Metric] = Field(default_factory=list)


class Signs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    positive: str | None = None
    """A return above zero (收益为正)."""
    non_negative: str | None = None
    """A return of zero or more (不亏)."""
    negative: str | None = None
    """A return below zero (负收益)."""
    doubled: str | None = None
    """A return of 100% or more (翻倍)."""

    _check = field_validator("positive", "non_negative", "negative", "doubled")(lambda v: v if v is None else _compiles(v))


class Sort(BaseModel):
    model_config = ConfigDict(extra="forbid")

    high: list[str] = Field(default_factory=list)
    """Directions next to a ranking field meaning the largest value first (最高, descending)."""
    low: list[str] = Field(default_factory=list)
    """Directions meaning the smallest first (最低, ascending)."""
    rank: list[str] = Field(default_factory=list)
    """After a field, rank by it in its natural order (排名, 排行)."""
    phrases: dict[str, tuple[SortWordField, Order]] = Field(default_factory=dict)
    """Fixed ranking phrases (收益最高, cheapest)."""
    fields: dict[SortWordField, list[str]] = Field(default_factory=dict)
    """Words naming a ranking field."""
    before: dict[str, Literal["asc", "desc", "natural", "reversed"]] = Field(default_factory=dict)
    """English directions before a field (highest, best, worst)."""
    natural: dict[SortWordField, Order] = Field(default_factory=dict)
    """The order each field ranks in when no direction is said."""


class Patterns(BaseModel):
    model_config = ConfigDict(extra="forbid")

    age_anchors: str = r"(?!)"
    """Words that make a number of years the fund's age (成立超过3年, older than 5 years)."""
    hold: str = r"(?!)"
    """Words that make a duration the holding period (拿两年, hold for)."""
    open: str = r"(?!)"
    """Open for purchase (开放申购, can buy now)."""
    dca: str = r"(?!)"
    """Regular investment (定投, monthly invest)."""
    analyse: str = r"(?!)"
    """Asking about one fund (怎么样, worth buying)."""
    compare: str = r"(?!)"
    """Asking to compare (对比, versus)."""
    explain: str = r"(?!)"
    """Asking what a term means (什么是, explain)."""
    exclude_code: str = r"(?!)"
    """Before a fund code that is to be left out (已经有, except)."""
    topic: str = r"(?!(?P<topic>)(?P<en>))"
    """A theme the lexicon may not know (机器人主题), with groups `topic` and `en`."""
    follow_up: str = r"(?!)"
    """How a refinement of the previous request starts (只要, 再, only)."""

    _check = field_validator("*")(_compiles)


class Vague(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pattern: str
    limit: Literal["returns", "max_drawdown", "volatility", "sharpe", "mgmt_fee", "sales_service_fee", "purchase_fee", "size",
                   "fund_age_years", "risk_max"]  # fmt: skip
    sort: SortField
    zh: str
    en: str

    _check = field_validator("pattern")(_compiles)


class English(BaseModel):
    model_config = ConfigDict(extra="forbid")

    short: list[str] = Field(default_factory=list)
    """Four-letter words a one-letter slip or a swap is corrected to (bnod -> bond)."""
    correct_to: list[str] = Field(default_factory=list)
    """Words a misspelling may be corrected to besides the domain words."""
    common: list[str] = Field(default_factory=list)
    """Ordinary words never corrected."""


class FundLexicon(BaseModel):
    """Every word table of the fund advisor (see `lexicon.toml` for what each means)."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    fund_types: dict[FundTypeName, list[str]] = Field(default_factory=dict)
    themes: dict[str, list[str]] = Field(default_factory=dict)
    theme_groups: dict[str, list[str]] = Field(default_factory=dict)
    theme_rules: ThemeRules = Field(default_factory=ThemeRules)
    companies: dict[str, list[str]] = Field(default_factory=dict)
    typos: dict[str, str] = Field(default_factory=dict)
    pinyin: Pinyin = Field(default_factory=Pinyin)
    glossary: dict[str, list[str]] = Field(default_factory=dict)
    risk: dict[str, RiskWord] = Field(default_factory=dict)
    investor_types: dict[Literal["C1", "C2", "C3", "C4", "C5"], list[str]] = Field(default_factory=dict)
    periods: dict[Period, list[str]] = Field(default_factory=dict)
    metrics: dict[Metric, list[str]] = Field(default_factory=dict)
    metric_rules: MetricRules = Field(default_factory=MetricRules)
    signs: Signs = Field(default_factory=Signs)
    sort: Sort = Field(default_factory=Sort)
    patterns: Patterns = Field(default_factory=Patterns)
    vague: list[Vague] = Field(default_factory=list)
    english: English = Field(default_factory=English)

    def __hash__(self) -> int:
        # One loaded lexicon is one object for the caches of compiled lookups built from it.
        return id(self)

    def entries(self) -> Iterator[tuple[str, str, str]]:
        """(table, phrase, meaning) of every phrase, for the loader's duplicate and conflict check."""
        for table in ("fund_types", "themes", "glossary", "periods", "metrics", "investor_types", "companies"):
            for meaning, words in getattr(self, table).items():
                for w in words:
                    yield table, w, str(meaning)
        for broad, narrow in self.theme_groups.items():
            for w in narrow:
                yield f"theme_groups.{broad}", w, broad
        for w, right in self.typos.items():
            yield "typos", w, right
        for w, r in self.risk.items():
            yield "risk", w, f"{r.min}-{r.max}"
        for w, (field, order) in self.sort.phrases.items():
            yield "sort.phrases", w, f"{field} {order}"
        for field, words in self.sort.fields.items():
            for w in words:
                yield "sort.fields", w, field
        for w in self.sort.high:
            yield "sort.direction", w, "high"
        for w in self.sort.low:
            yield "sort.direction", w, "low"
        for table, words in (("theme_rules.bond_only", self.theme_rules.bond_only), ("pinyin.extra", self.pinyin.extra),
                             ("sort.rank", self.sort.rank), ("english.common", self.english.common),
                             ("english.correct_to", self.english.correct_to), ("english.short", self.english.short)):  # fmt: skip
            for w in words:
                yield table, w, table

    # -- what the parser looks up (word -> meaning), compiled once -------------------------------------------------

    @cached_property
    def fund_type_words(self) -> dict[str, str]:
        return {w: t for t, words in self.fund_types.items() for w in words}

    @cached_property
    def theme_words(self) -> dict[str, str]:
        return {w: t for t, words in self.themes.items() for w in words}

    @cached_property
    def glossary_terms(self) -> dict[str, str]:
        return {w: t for t, words in self.glossary.items() for w in words}

    @cached_property
    def period_words(self) -> dict[str, str]:
        return {w: p for p, words in self.periods.items() for w in words}

    @cached_property
    def metric_words(self) -> dict[str, str]:
        return {w: m for m, words in self.metrics.items() for w in words}

    @cached_property
    def investor_words(self) -> dict[str, int]:
        return {w: int(g[1]) for g, words in self.investor_types.items() for w in words}

    @cached_property
    def company_aliases(self) -> dict[str, str]:
        return {w: c for c, words in self.companies.items() for w in words}

    @cached_property
    def sort_field_words(self) -> dict[str, SortWordField]:
        return {w: f for f, words in self.sort.fields.items() for w in words}

    @cached_property
    def theme_group_of(self) -> dict[str, tuple[str, ...]]:
        """A theme and the narrower themes it covers."""
        return {broad: tuple(dict.fromkeys([broad, *narrow])) for broad, narrow in self.theme_groups.items()}


def fund_lexicon(home: Path | None = None) -> FundLexicon:
    """The fund words: `lexicon.toml` extended by `home/lexicon/funds*.toml` (home: the settings' when not given)."""
    return home_rules(FundLexicon, LEXICON_FILE, "funds", home=home)

"""The campaign planner's words as data: `lexicon.toml` (shipped) and a bank's `FINPILOT_HOME/lexicon/campaigns*.toml`.

`CampaignLexicon` is the schema every file is validated by; `campaign_lexicon()` loads the packaged file with the
extensions of the current home, checks every phrase is defined once, and compiles what the parser looks up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assistant.text import home_rules

LEXICON_FILE = Path(__file__).with_name("lexicon.toml")

Goal = Literal["acquire", "activate", "convert", "retain", "win_back", "cross_sell"]
Family = Literal["consumer_credit", "merchant_credit", "wealth", "insurance", "fund"]
Meaning = TypeVar("Meaning", bound=str)


class Festival(BaseModel):
    """A festival's day: fixed (month-day) or listed per year (lunar festivals), and the window `X期间` means."""

    model_config = ConfigDict(extra="forbid")

    day: str | None = Field(default=None, pattern=r"^\d{2}-\d{2}$")
    dates: list[date] = Field(default_factory=list)
    during: tuple[int, int] = (0, 0)
    """Offsets in days from the festival's day to the first and the last day of its campaign window."""
    holiday: int = 0
    """Days of the public holiday that starts on the festival's day (元旦三天假: 3), 0 when it is no holiday."""

    @model_validator(mode="after")
    def _one(self) -> Festival:
        if (self.day is None) == (not self.dates):
            raise ValueError("a festival has either day = \"MM-DD\" or dates = [...]")
        if self.day:
            date(2028, int(self.day[:2]), int(self.day[3:]))  # a leap year: 02-29 is allowed, 13-01 is not
        if self.during[0] > self.during[1]:
            raise ValueError(f"during = {list(self.during)} ends before it starts")
        return self

    def next_on_or_after(self, today: date) -> date | None:
        """The festival's next day on or after `today` (this year's if it has not passed)."""
        if self.day:
            month, day = int(self.day[:2]), int(self.day[3:])
            for year in (today.year, today.year + 1):
                try:
                    d = date(year, month, day)
                except ValueError:
                    continue
                if d >= today:
                    return d
            return None
        return next((d for d in sorted(self.dates) if d >= today), None)


class Negators(BaseModel):
    """Words that turn something around, before it (不使用短信) or after it (短信不要)."""

    model_config = ConfigDict(extra="forbid")

    before: list[str] = Field(default_factory=list)
    after: list[str] = Field(default_factory=list)
    prefixes: list[str] = Field(default_factory=list)
    """Negating prefixes (别, 不要) that, with any of `verbs`, make one more negator on both sides: 别发学生, 学生别发."""
    verbs: list[str] = Field(default_factory=list)
    """Verbs of reaching someone (发, 推, 打扰). A marketer combines them freely with a prefix and a recipient
    (别给我发, 不要再推给), so the combinations are generated instead of listed one by one."""

    @cached_property
    def verb_pattern(self) -> str:
        """A regular expression for prefix + verb, with an optional recipient between them (别给我发, 不要再推给);
        one that matches nothing when the table has none."""
        if not (self.prefixes and self.verbs):
            return "(?!)"
        prefixes, verbs = ("|".join(map(re.escape, sorted(ws, key=len, reverse=True))) for ws in (self.prefixes, self.verbs))
        return f"(?:{prefixes})(?:给我|给他们|给她们|再给|再|去)?(?:{verbs})给?"


class Holding(BaseModel):
    """Verbs of holding (持有, bought), of never having held (没买过, never used), and the people-words after a product
    that make its holders (速借用户, Sujie borrowers)."""

    model_config = ConfigDict(extra="forbid")

    has: list[str] = Field(default_factory=list)
    never: list[str] = Field(default_factory=list)
    after: list[str] = Field(default_factory=list)


class CampaignLexicon(BaseModel):
    """Every word list the brief parser reads; see lexicon.toml for what each table means."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = 1
    purposes: dict[Literal["care", "education"], list[str]] = Field(default_factory=dict)
    no_promotion: list[str] = Field(default_factory=list)
    goals: dict[Goal, list[str]] = Field(default_factory=dict)
    implied_goals: dict[Goal, list[str]] = Field(default_factory=dict)
    families: dict[Family, list[str]] = Field(default_factory=dict)
    fund_types: dict[str, list[str]] = Field(default_factory=dict)
    channels: dict[str, list[str]] = Field(default_factory=dict)
    channel_negation: Negators = Field(default_factory=Negators)
    audience_negation: Negators = Field(default_factory=Negators)
    offers: dict[str, list[str]] = Field(default_factory=dict)
    offer_words: list[str] = Field(default_factory=list)
    no_offer: list[str] = Field(default_factory=list)
    missing_offers: list[str] = Field(default_factory=list)
    """Incentives marketers ask for that the market's catalog has no kind of (京东卡, Starbucks vouchers): asked about,
    never replaced by a cash offer of the same amount nor read as a budget."""
    calls: list[str] = Field(default_factory=list)
    """Words for calls: excluding one excludes every call channel."""
    series: dict[str, list[str]] = Field(default_factory=dict)
    """A name several products share -> their ids."""
    held_kinds: dict[str, list[str]] = Field(default_factory=dict)
    """A kind of product said of what someone holds (没买过定期的) -> the products of that kind; promoting the kind
    (推定期理财) still names the family."""
    products: dict[str, list[str]] = Field(default_factory=dict)
    """Other names of the market's products (pinyin, English) -> product id."""
    festivals: dict[str, Festival] = Field(default_factory=dict)
    audience: dict[str, list[str]] = Field(default_factory=dict)
    activity_words: list[str] = Field(default_factory=list)
    """Audience words of the [audience] table that only gesture at recency (不怎么来的): a login window the brief
    states beside them says how long, and they add nothing of their own."""
    people: list[str] = Field(default_factory=list)
    untagged: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    """Places users live (华东, South China): untaggable like `untagged`, but only an audience when they say where users
    are; a region that names the writer (我们华东分部) is read and dropped."""
    audience_fillers: list[str] = Field(default_factory=list)
    form_fields: list[str] = Field(default_factory=list)
    """Labels of a request form's bookkeeping fields (申请人：, 审批状态：): their values say who filed the brief and where
    it stands, never who is targeted, so they are read and set aside."""
    holding: Holding = Field(default_factory=Holding)
    goal_segments: dict[Goal, list[str]] = Field(default_factory=dict)
    eligibility: dict[str, str] = Field(default_factory=dict)

    def __hash__(self) -> int:
        return id(self)

    @field_validator("offers")
    @classmethod
    def _patterns_compile(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for oid, patterns in value.items():
            for p in patterns:
                try:
                    re.compile(p)
                except re.error as exc:
                    raise ValueError(f"offers.{oid}: not a valid pattern ({exc}): {p[:60]}") from None
        return value

    @field_validator("audience")
    @classmethod
    def _audience_keys_are_rules(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for rule in value:
            _parses(rule, f"audience.{rule}")
        return value

    @field_validator("goal_segments")
    @classmethod
    def _goal_segments_are_rules(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for goal, rules in value.items():
            for rule in rules:
                _parses(rule, f"goal_segments.{goal}")
        return value

    @field_validator("eligibility")
    @classmethod
    def _eligibility_are_rules(cls, value: dict[str, str]) -> dict[str, str]:
        for product, rule in value.items():
            _parses(rule, f"eligibility.{product}")
        return value

    def entries(self) -> Iterator[tuple[str, str, str]]:
        """(table, phrase, meaning) for every phrase, so a phrase defined twice in one table is refused."""
        for table in ("goals", "implied_goals", "families", "fund_types", "channels", "audience", "products"):
            for meaning, words in getattr(self, table).items():
                for w in words:
                    yield table, w, meaning

    @cached_property
    def family_words(self) -> dict[str, Family]:
        return _inverse(self.families)

    @cached_property
    def fund_type_words(self) -> dict[str, str]:
        return _inverse(self.fund_types)

    @cached_property
    def channel_words(self) -> dict[str, str]:
        return _inverse(self.channels)

    @cached_property
    def audience_words(self) -> dict[str, str]:
        """Phrase -> the segment rule it means."""
        return _inverse(self.audience)

    @cached_property
    def offer_patterns(self) -> list[tuple[re.Pattern[str], str]]:
        # "9折 rate coupon (30 days)": a validity in brackets belongs to the offer, never to the campaign's length
        tail = r"(?:\s*[（(]\s*\d+\s*(?:天|days?|-day)\s*(?:有效|有效期|valid)?\s*[）)])?"
        return [(re.compile(f"(?:{p}){tail}"), oid) for oid, patterns in self.offers.items() for p in patterns]


def _inverse(table: Mapping[Meaning, list[str]]) -> dict[str, Meaning]:
    """word -> meaning, from meaning -> words."""
    return {w: meaning for meaning, words in table.items() for w in words}


def _parses(rule: str, where: str) -> None:
    from assistant.campaigns._rules import RuleError, parse_rule

    try:
        parse_rule(rule)
    except RuleError as exc:
        raise ValueError(f"{where}: not a segment rule ({exc.reason} at {exc.position}): {rule}") from None


def _check(lexicon: CampaignLexicon) -> CampaignLexicon:
    seen: dict[tuple[str, str], str] = {}
    for table, phrase, meaning in lexicon.entries():
        other = seen.setdefault((table, phrase), meaning)
        if other != meaning:
            raise ValueError(f"campaign lexicon: {table} phrase {phrase!r} means both {other!r} and {meaning!r}")
    return lexicon


def campaign_lexicon(home: Path | None = None) -> CampaignLexicon:
    """The campaign words: `lexicon.toml` extended by `home/lexicon/campaigns*.toml` (home: the settings' when not given)."""
    return home_rules(CampaignLexicon, LEXICON_FILE, "campaigns", _check, home=home)

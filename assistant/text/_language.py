"""Negation and comparison as one mechanism, for every field of every parser.

A number is under a comparative: a word right after it (5%以上, 3 or more) or the nearest before it (超过5%, at
least 3), turned into its complement by a negator right before that word (不能低于3% = at least 3; must not exceed
5% = at most 5). A condition (a fund type, a company, a limit) is turned around by a negator before it with only
list material between (不要QDII和FOF, 排除丰岭、山海的) or one after it that closes the clause (医药的不要, QDII和FOF的
都排除, 丰岭除外). The words are data (`language.toml`), so a bank can add its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from assistant.text._phrases import ends_with_phrase, find_phrases, longest_first, starts_with_phrase
from assistant.text._vocab import home_rules

RULES_FILE = Path(__file__).with_name("language.toml")

Key = Literal["min", "max"]
Lang = Literal["zh", "en"]
"""The languages answers are written in."""
_ADDING = ("除了", "除去", "besides", "apart from")
"""Negators that mean "besides" when an addition word follows them."""


class Side(NamedTuple):
    """Which end of a bound a comparative sets, and whether the number itself is inside."""

    key: Key
    inclusive: bool

    def flipped(self) -> Side:
        """The complement: not (> 5) is ≤ 5, not (≥ 3) is < 3."""
        return Side("max" if self.key == "min" else "min", not self.inclusive)


@dataclass(frozen=True)
class Cue:
    """A word that decided a reading (a negator, a comparative), where it stands in the normal form."""

    start: int
    end: int
    word: str


class Negation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    before: list[str] = Field(default_factory=list)
    """Words before what they turn around (不要, 排除, except)."""
    after: list[str] = Field(default_factory=list)
    """Words after what they turn around, closing the clause (的不要, 除外, excluded)."""
    fillers: list[str] = Field(default_factory=list)
    """Words that may stand between a negator and what it turns around (的, 那些, any)."""
    joiners: list[str] = Field(default_factory=list)
    """Words that join a list (和, 、, or)."""
    addition: list[str] = Field(default_factory=list)
    """After 除了X, these make it an addition (还, 也), not an exclusion."""
    comparator_negators: list[str] = Field(default_factory=list)
    """Right before a comparative, these give its complement (不能低于 = at least)."""
    no_limit: list[str] = Field(default_factory=list)
    """A condition stated as free of limits (类型不限): understood, nothing filtered."""


class Comparison(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at_most: list[str] = Field(default_factory=list)
    """Before the number, ≤ (不超过, at most)."""
    less_than: list[str] = Field(default_factory=list)
    """Before the number, < (低于, under)."""
    at_least: list[str] = Field(default_factory=list)
    """Before the number, ≥ (至少, no less than)."""
    more_than: list[str] = Field(default_factory=list)
    """Before the number, > (超过, above)."""
    after_at_most: list[str] = Field(default_factory=list)
    """After the number, ≤ (以下, or less)."""
    after_at_least: list[str] = Field(default_factory=list)
    """After the number, ≥ (以上, or more)."""
    range_joiners: list[str] = Field(default_factory=list)
    between: list[str] = Field(default_factory=list)


class LanguageRules(BaseModel):
    """The negation and comparison words of `language.toml` (and a bank's extensions)."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    negation: Negation = Field(default_factory=Negation)
    comparison: Comparison = Field(default_factory=Comparison)

    def entries(self) -> Iterator[tuple[str, str, str]]:
        """(table, phrase, meaning) of every word, for the loader's duplicate and conflict check."""
        c = self.comparison
        for words, meaning in ((c.at_most, "≤"), (c.less_than, "<"), (c.at_least, "≥"), (c.more_than, ">")):
            for w in words:
                yield "comparison.before", w, meaning
        for words, meaning in ((c.after_at_most, "≤"), (c.after_at_least, "≥")):
            for w in words:
                yield "comparison.after", w, meaning
        for table in ("before", "after", "fillers", "joiners", "addition", "comparator_negators", "no_limit"):
            for w in getattr(self.negation, table):
                yield f"negation.{table}", w, table
        for w in c.range_joiners:
            yield "comparison.range_joiners", w, "range"
        for w in c.between:
            yield "comparison.between", w, "between"


class Language:
    """The compiled rules: find comparatives and negators around a span of normal-form text."""

    def __init__(self, rules: LanguageRules) -> None:
        self.rules = rules
        c = rules.comparison
        self.before_side: dict[str, Side] = {}
        for words, side in ((c.at_most, Side("max", True)), (c.less_than, Side("max", False)),
                            (c.at_least, Side("min", True)), (c.more_than, Side("min", False))):  # fmt: skip
            self.before_side.update({w: side for w in words})
        self.after_side: dict[str, Side] = {w: Side("max", True) for w in c.after_at_most}
        self.after_side.update({w: Side("min", True) for w in c.after_at_least})
        n = rules.negation
        self._gap_words = longest_first([*n.fillers, *n.joiners])
        self._particles = ("了", "吧", "啊", "哈", "呢", "呀", "哦", "哟", "嘛", "谢谢", "please", "thanks", "thank you", "!", ".", "。")

    # -- words ------------------------------------------------------------------------------------------------

    @cached_property
    def comparison_words(self) -> list[str]:
        """Every comparative, before or after a number."""
        return longest_first([*self.before_side, *self.after_side])

    @cached_property
    def negators(self) -> list[str]:
        """Every negator (before, after and before a comparative)."""
        n = self.rules.negation
        return longest_first([*n.before, *n.after, *n.comparator_negators])

    # -- comparison -----------------------------------------------------------------------------------------------

    def comparator(self, text: str, start: int, end: int, lo: int, hi: int) -> tuple[Side, list[Cue]] | None:
        """The comparative a number at [start, end) is under, looking at text[lo:start] and text[end:hi].

        A word right after the number wins (5%以上); else the nearest before it (超过 5%), turned around when a
        negator stands right before that word (不能超过 5% = at most 5).
        """
        after = text[end:hi]
        unit = re.match(r"\s*(?:yuan|rmb|cny|元|块|年|old)?(?=\s|$|[^a-z])", after)
        skip = unit.end() if unit else 0
        head = starts_with_phrase(after[skip:], self.after_side)
        if head is not None:
            stop, word = head
            return self.after_side[word], [Cue(end + skip + stop - len(word), end + skip + stop, word)]
        window = text[lo:start]
        found = find_phrases(window, self.before_side, strict=True)
        if not found:
            return None
        s, e, word = max(found, key=lambda f: (f[1], f[1] - f[0]))
        side, cues = self.before_side[word], [Cue(lo + s, lo + e, word)]
        before = window[:s]
        aux = re.search(r"(?:\s(?:be|go|get|fall|drop|rise)|为|是|要)\s*$", before)
        neg = ends_with_phrase(before[: aux.start()] if aux else before, self.rules.negation.comparator_negators)
        if neg is None and aux:
            neg = ends_with_phrase(before, self.rules.negation.comparator_negators)
        if neg is not None and not self._part_of_word(window, neg[0], neg[1]):
            side = side.flipped()
            cues.insert(0, Cue(lo + neg[0], lo + neg[0] + len(neg[1]), neg[1]))
        return side, cues

    @staticmethod
    def _part_of_word(window: str, start: int, word: str) -> bool:
        """'不' that belongs to a word before it (并不, 差不多) is not a negator of its own."""
        return word == "不" and start > 0 and window[start - 1] in "差并"

    # -- negation -------------------------------------------------------------------------------------------------

    def only_list_material(self, gap: str) -> bool:
        """Whether `gap` holds nothing but masked mentions (NUL), spaces, fillers and joiners, with a joiner between
        any two masked items (不要QDII和FOF is a list; 芯片的基金 C类的不要 is two requests)."""
        item, joiner = "\x01", "\x02"
        rest = gap.replace("\0", item)
        joiners = set(self.rules.negation.joiners)
        for s, e, w in reversed(find_phrases(rest, self._gap_words, strict=True)):
            rest = rest[:s] + (joiner if w in joiners else " ") * (e - s) + rest[e:]
        if rest.replace(item, "").replace(joiner, "").strip():
            return False
        runs = re.findall(f"{item}[{item} ]*|{joiner}+", rest)
        return not any(a[0] == item and b[0] == item for a, b in zip(runs, runs[1:]))

    def negator_before(self, masked: str, start: int, lo: int, hi: int | None = None) -> Cue | None:
        """The negator that turns around what starts at `start`, in masked[lo:start] with only list material between.

        `masked` is the clause with the other mentions of the same list replaced by NUL, so 不要QDII和FOF negates
        both. 除了X followed by 还/也 (除了医药还想看看白酒) is an addition, not an exclusion.
        """
        window = masked[lo:start]
        found = find_phrases(window, self.rules.negation.before, strict=True)
        if not found:
            return None
        s, e, word = max(found, key=lambda f: f[1])
        if not self.only_list_material(window[e:]):
            return None
        if self.adds(word, masked[start : hi if hi is not None else len(masked)].replace("\0", " ")):
            return None
        return Cue(lo + s, lo + e, word)

    def adds(self, word: str, rest: str) -> bool:
        """除了X followed by 还/也 (除了医药还想看看白酒): 除了 adds rather than excludes."""
        return word in _ADDING and bool(find_phrases(rest, self.rules.negation.addition, strict=True))

    def negator_after(self, masked: str, end: int, hi: int) -> Cue | None:
        """The negator after what ends at `end` (医药的不要, 丰岭除外), when it closes the clause masked[end:hi].

        以外/之外/除外 may be followed by more (丰岭以外的基金); the others must end the clause, so 债基不要太贵 is
        not "no bond funds".
        """
        window = masked[end:hi]
        i = 1 if re.match(r"s\b", window) else 0  # money market fund|s excluded
        joined = False
        while i < len(window):
            if window[i] == " ":
                i += 1
                continue
            if window[i] == "\0":
                if not joined:
                    return None  # another item with no 和/、/or before it: not one list (芯片的基金 C类的不要)
                while i < len(window) and window[i] in " \0":
                    i += 1
                joined = False
                continue
            head = starts_with_phrase(window[i:], self._gap_words)
            if head is None or window[i:].startswith(tuple(self.rules.negation.after)) and self._closes(window, i):
                break
            if window[i : i + head[0]].strip() in self.rules.negation.joiners:
                joined = True
            i += head[0]
        head = starts_with_phrase(window[i:], self.rules.negation.after)
        if head is None:
            return None
        stop, word = head
        if word not in ("以外", "之外", "除外") and not self._closes(window, i + stop):
            return None
        return Cue(end + i + stop - len(word), end + i + stop, word)

    def _closes(self, window: str, at: int) -> bool:
        """Whether nothing but particles and punctuation follows `at`."""
        rest = window[at:].strip()
        while rest:
            head = starts_with_phrase(rest, self._particles, strict=False)
            if head is None:
                return False
            rest = rest[head[0] :].strip()
        return True


def language(home: Path | None = None) -> Language:
    """The negation and comparison rules: packaged, extended by `home/lexicon/language*.toml` (home: the settings')."""
    return home_rules(LanguageRules, RULES_FILE, "language", Language, home)

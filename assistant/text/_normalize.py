"""Normalising text once at the door, keeping a map back to what the person wrote.

Every parser and checker reads the same normal form: full width folded to half width (５％ -> 5%, ，-> ,), Latin
lower-cased, runs of white space made one space, thousands separators removed (10,000 -> 10000). `Text` keeps, for every character of the normal form, the
position it came from, so a span a parser found can be shown as the words the person typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict


class Span(BaseModel):
    """Where something stood in the request as the person wrote it: [start, end) and the words themselves."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    text: str


def _fold_char(ch: str) -> str:
    n = unicodedata.normalize("NFKC", ch)
    return n.lower() if len(n) == 1 else ch


def fold(text: str) -> str:
    """Full width to half width and lower case, one character for one, so spans in the result are spans in `text`.

    A character whose compatibility form is longer than one character (㎡, ﬁ) is kept as it is: the length never
    changes. This is the character step of `normalize`; the compliance checker uses it alone because it edits the
    copy in place.
    """
    return "".join(_fold_char(ch) for ch in text)


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?!\d)")


@dataclass(frozen=True)
class Text:
    """A request in normal form (`norm`) with the position in `raw` of each of its characters."""

    raw: str
    norm: str
    origin: tuple[int, ...] = field(repr=False)
    """origin[i] is where norm[i] came from in raw; one extra entry, len(raw), closes the last span."""

    def __str__(self) -> str:
        return self.norm

    def __len__(self) -> int:
        return len(self.norm)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """[start, end) of the normal form as a span of the raw text."""
        start, end = max(0, min(start, len(self.norm))), max(0, min(end, len(self.norm)))
        if end <= start:
            at = self.origin[start]
            return at, at
        return self.origin[start], self.origin[end - 1] + 1

    def span(self, start: int, end: int) -> Span:
        """A `Span` of the raw text for [start, end) of the normal form."""
        s, e = self.raw_span(start, end)
        return Span(start=s, end=e, text=self.raw[s:e])

    def replace(self, start: int, end: int, new: str) -> Text:
        """The normal form with [start, end) replaced by `new` (a typo repaired); the new characters map to the old span."""
        old = self.origin[start:end] or (self.origin[start],)
        mapped = tuple(old[min(i, len(old) - 1)] for i in range(len(new)))
        return Text(self.raw, self.norm[:start] + new + self.norm[end:], self.origin[:start] + mapped + self.origin[end:])


def normalize(raw: str, *, join_cjk: bool = False) -> Text:
    """The one normal form every parser reads (see the module's docstring), with its map back to `raw`.

    A space between two Chinese characters is kept (people separate conditions with it: 暂停申购的不要 朗川的都排除);
    `join_cjk` drops it instead, for checks that must see through 保 本 written to slip past them.
    """
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(raw):
        n = _fold_char(ch)
        if n.isspace():
            if not chars or chars[-1] == " ":
                continue
            n = " "
        chars.append(n)
        origin.append(i)
    # white space at the end is dropped, and with join_cjk between two Chinese characters
    keep = [
        not (c == " " and (k == len(chars) - 1 or (join_cjk and 0 < k < len(chars) - 1 and _cjk(chars[k - 1]) and _cjk(chars[k + 1]))))
        for k, c in enumerate(chars)
    ]
    chars = [c for c, k in zip(chars, keep) if k]
    origin = [o for o, k in zip(origin, keep) if k]
    norm = "".join(chars)
    if "," in norm:
        drop: set[int] = set()
        for m in _THOUSANDS.finditer(norm):
            drop.update(m.start() + j for j, c in enumerate(m.group(0)) if c == ",")
        if drop:
            norm = "".join(c for j, c in enumerate(norm) if j not in drop)
            origin = [o for j, o in enumerate(origin) if j not in drop]
    return Text(raw, norm, (*origin, len(raw)))


def normal(raw: str, *, join_cjk: bool = False) -> str:
    """Just the normal form of `raw` (for checks that need no spans)."""
    return normalize(raw, join_cjk=join_cjk).norm

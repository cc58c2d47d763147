"""Finding known phrases in normal-form text: longest first, never overlapping, Latin words only as whole words."""

from __future__ import annotations

from collections.abc import Iterable


def occurrences(text: str, word: str) -> list[tuple[int, int]]:
    """(start, end) of every non-overlapping occurrence of a literal word.

    A substring loop, not `re.finditer(re.escape(word))`: lexicons have more words than `re`'s pattern cache holds,
    and recompiling them on every request cost ten times a whole parse.
    """
    out, i = [], text.find(word) if word else -1
    while i >= 0:
        out.append((i, i + len(word)))
        i = text.find(word, i + len(word))
    return out


def ascii_word(text: str, start: int, end: int, word: str) -> bool:
    """Latin words need a boundary at the start; short ones (ai, ev, etf) also at the end, bar a plural s."""
    if not (word.isascii() and word[:1].isalnum()):
        return True
    if start > 0 and text[start - 1].isascii() and text[start - 1].isalnum():
        return False
    if end < len(text) and text[end].isascii() and text[end].isalnum() and (len(word) <= 3 or word[-1].isdigit()):
        return text[end] == "s" and not (end + 1 < len(text) and text[end + 1].isascii() and text[end + 1].isalpha())
    return True


def whole_word(text: str, start: int, end: int, word: str) -> bool:
    """Latin words bounded on both sides (for function words: 'no' is not in 'know', 'not' not in 'nothing')."""
    if not (word.isascii() and word[:1].isalnum()):
        return True
    before = start > 0 and text[start - 1].isascii() and text[start - 1].isalnum()
    after = end < len(text) and text[end].isascii() and text[end].isalnum() and word[-1].isalnum()
    return not (before or after)


def longest_first(words: Iterable[str]) -> list[str]:
    return sorted(set(words), key=lambda w: (-len(w), w))


def find_phrases(text: str, words: Iterable[str], taken: list[tuple[int, int]] | None = None, *,
                 strict: bool = False) -> list[tuple[int, int, str]]:  # fmt: skip
    """Non-overlapping occurrences, longest words first, as sorted (start, end, word).

    `taken` spans are skipped, and the spans found are added to it. `strict` bounds Latin words on both sides.
    """
    taken = [] if taken is None else taken
    check = whole_word if strict else ascii_word
    found: list[tuple[int, int, str]] = []
    for word in longest_first(words):
        for start, end in occurrences(text, word):
            if any(start < e and s < end for s, e in taken):
                continue
            if not check(text, start, end, word):
                continue
            taken.append((start, end))
            found.append((start, end, word))
    return sorted(found)


def ends_with_phrase(text: str, words: Iterable[str], *, strict: bool = True) -> tuple[int, str] | None:
    """(start, word) of the longest phrase `text` ends with (after trailing spaces), or None."""
    stripped = text.rstrip()
    for word in longest_first(words):
        if stripped.endswith(word):
            start = len(stripped) - len(word)
            if not strict or whole_word(stripped, start, len(stripped), word):
                return start, word
    return None


def starts_with_phrase(text: str, words: Iterable[str], *, strict: bool = True) -> tuple[int, str] | None:
    """(end, word) of the longest phrase `text` starts with (after leading spaces), or None."""
    lead = len(text) - len(text.lstrip())
    body = text[lead:]
    for word in longest_first(words):
        if body.startswith(word):
            if not strict or whole_word(body, 0, len(word), word):
                return lead + len(word), word
    return None

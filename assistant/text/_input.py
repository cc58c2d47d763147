"""What a person types, checked at the door: not empty, not too long, no control characters, some words.

Every free-text entry point (a fund request, a brief, an edit, a search) goes through `checked_input`, so the same
request gets the same one-line error from the command line and the app, before any screening or planning runs.
"""

from __future__ import annotations

import unicodedata

from finpilot import FinpilotError

_ALLOWED_CONTROLS = {"\n", "\t", "\r"}


def checked_input(text: str | None, *, what: str, limit: int, empty: str) -> str:
    """`text` stripped, or FinpilotError saying what is wrong: empty (`empty` says what to write), longer than `limit`
    characters, holding control characters (never echoed: named by code point), or with no letter, digit or CJK
    character at all (emoji or punctuation only)."""
    text = (text or "").strip()
    if not text:
        raise FinpilotError(f"the {what} is empty: {empty}")
    if len(text) > limit:
        raise FinpilotError(f"the {what} is {len(text)} characters; keep it under {limit}")
    controls = sorted({c for c in text if unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS})
    if controls:
        named = ", ".join(f"U+{ord(c):04X}" for c in controls[:3])
        raise FinpilotError(f"the {what} holds control characters ({named}); remove them and try again")
    if not any(unicodedata.category(c)[0] in "LN" for c in text):
        raise FinpilotError(f"the {what} has no words in it: {empty}")
    return text

"""Mask mobile, ID-card and bank-card numbers before text leaves the machine, reaches a log or the cache."""

from __future__ import annotations

import re

from assistant.text._pii import BANK_CARD, ID_CARD, MOBILE

# The same patterns the copy checker flags with (assistant/text/_pii.py).
_ID_CARD = re.compile(ID_CARD)
_MOBILE = re.compile(MOBILE)
_BANK_CARD = re.compile(BANK_CARD)


def _bank(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_pii(text: str) -> str:
    """Keep what a person needs to recognise their own number (the last four digits), hide the rest."""
    text = _ID_CARD.sub(lambda m: m.group(1)[:3] + "*" * 11 + m.group(3)[-4:], text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _BANK_CARD.sub(_bank, text)

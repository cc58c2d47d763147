"""Mask mobile, ID-card and bank-card numbers before text leaves the machine, reaches a log or the cache."""

from __future__ import annotations

import re

# Digits glued to other digits are part of a longer number: (?<!\d) and (?!\d) keep matches whole.
_ID_CARD = re.compile(r"(?<![\dA-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dA-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?!\d)")
_BANK_CARD = re.compile(r"(?<!\d)\d(?:[ -]?\d){14,18}(?!\d)")


def _bank(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_pii(text: str) -> str:
    """Keep what a person needs to recognise their own number (the last four digits), hide the rest."""
    text = _ID_CARD.sub(lambda m: m.group(1)[:3] + "*" * 11 + m.group(3)[-4:], text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _BANK_CARD.sub(_bank, text)

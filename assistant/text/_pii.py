"""Personal numbers, one set of patterns: the copy checker flags them and the privacy layer masks them, so a number
one of them catches the other cannot miss (a phone number written 138 1234 5678 is one in both).

Digits glued to other digits are part of a longer number: (?<!\\d) and (?!\\d) keep matches whole. Written for text
as people type it (an ASCII-folded copy matches the same spans).
"""

from __future__ import annotations

ID_CARD = r"(?<![\dA-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dA-Za-z])"
"""A mainland resident ID: 17 digits and a check digit or X."""
MOBILE = r"(?<!\d)(?:\+?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?!\d)"
"""A mainland mobile number, with or without +86, spaces or hyphens between its groups."""
BANK_CARD = r"(?<!\d)\d(?:[ -]?\d){14,18}(?!\d)"
"""A bank card: 15 to 19 digits, possibly grouped by spaces or hyphens."""

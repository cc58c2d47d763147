"""Personal numbers, one set of patterns: the copy checker flags them and the privacy layer masks them, so a number
one of them catches the other cannot miss (a phone number written 138 1234 5678 is one in both).

Digits glued to other digits are part of a longer number: (?<!\\d) and (?!\\d) keep matches whole. Written for text
as people type it (an ASCII-folded copy matches the same spans).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

ID_CARD = r"(?<![\dA-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dA-Za-z])"
"""A mainland resident ID: 17 digits and a check digit or X."""
MOBILE = r"(?<!\d)(?:\+?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?!\d)"
"""A mainland mobile number, with or without +86, spaces or hyphens between its groups."""
BANK_CARD = r"(?<!\d)\d(?:[ -]?\d){14,18}(?!\d)"
"""A bank card: 15 to 19 digits, possibly grouped by spaces or hyphens."""

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


def mask_record(record: logging.LogRecord, mask: Callable[[str], str]) -> logging.LogRecord:
    """The record with `mask` applied to everything a handler writes: the message with its arguments, the traceback
    (whose last line is the exception's message, which may quote a brief) and the stack."""
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - arguments that do not fit the format: logging would print both raw
        message = f"{record.msg} {record.args!r}"
    record.msg, record.args = mask(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask(record.exc_text)
    # Handlers write the (masked) text above; without the live exception none can format the raw one again.
    record.exc_info = None
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    return record


def mask_logs() -> None:
    """Mask personal numbers in every log record this process makes, before any handler sees it (idempotent).

    A brief or a request holds phone and ID numbers, and a failure logs it (`log.exception("… %r", text)`, or an
    exception whose message quotes it). The masking is done where records are made rather than by a filter on
    handlers: a logger's filter misses records from its children ("finpilot.ui" under "finpilot"), records without
    a handler of ours go to logging's last-resort stderr handler, and Streamlit replaces its own handlers whenever
    its logger settings change. The numbers are masked as the model calls and the cache mask them (`mask_pii`).
    """
    make = logging.getLogRecordFactory()
    if getattr(make, "masks_personal_numbers", False):
        return

    def masked(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(make(*args, **kwargs), mask_pii)

    masked.masks_personal_numbers = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(masked)

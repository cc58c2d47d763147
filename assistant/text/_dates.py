"""Dates as people write them: 2026-12-01, 12月1日, 下周五, 明天, 双十二, next friday, Dec 1-5, 12.1-12.5, 下个月初."""

from __future__ import annotations

import re
from datetime import date, timedelta

from assistant.text._numbers import NUM, cn_number

_WEEKDAYS = {"一": 0, "1": 0, "二": 1, "2": 1, "三": 2, "3": 2, "四": 3, "4": 3, "五": 4, "5": 4, "六": 5, "6": 5, "日": 6, "天": 6, "7": 6}
_EN_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_FESTIVALS = {"双十一": (11, 11), "双11": (11, 11), "双十二": (12, 12), "双12": (12, 12), "元旦": (1, 1), "618": (6, 18),
              "国庆": (10, 1), "情人节": (2, 14), "三八": (3, 8), "妇女节": (3, 8)}  # fmt: skip


def find_dates(t: str, today: date) -> list[tuple[int, date]]:
    """Every date the normal-form text names, with its position, resolved against `today` (a bare month and day is
    the next one to come)."""
    found: list[tuple[int, date]] = []

    def future(month: int, day: int) -> date | None:
        try:
            d = date(today.year, month, day)
        except ValueError:
            return None
        return d if d >= today else date(today.year + 1, month, day)

    for m in re.finditer(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", t):
        try:
            found.append((m.start(), date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
        except ValueError:
            continue
    for m in re.finditer(rf"(?<![\d年/-])(?P<m>{NUM})\s*月\s*(?P<d>{NUM})\s*(日|号)?", t):
        month, day = cn_number(m.group("m")), cn_number(m.group("d"))
        if month and day and not any(abs(p - m.start()) < 6 for p, _ in found):
            d = future(int(month), int(day))
            if d:
                found.append((m.start(), d))
    for word, (month, day) in _FESTIVALS.items():
        i = t.find(word)
        if i >= 0 and (d := future(month, day)):
            found.append((i, d))
    monday = today - timedelta(days=today.weekday())
    for m in re.finditer(r"(下下|下|这|本)?(周|星期|礼拜)([一二三四五六日天1-7])", t):
        weeks = {"下下": 2, "下": 1}.get(m.group(1) or "", 0)
        found.append((m.start(), monday + timedelta(weeks=weeks, days=_WEEKDAYS[m.group(3)])))
    for m in re.finditer(r"(next|this) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)", t):
        found.append((m.start(), monday + timedelta(weeks=1 if m.group(1) == "next" else 0, days=_EN_WEEKDAYS[m.group(2)])))
    for word, days in (("今天", 0), ("明天", 1), ("后天", 2), ("today", 0), ("tomorrow", 1)):
        i = t.find(word)
        if i >= 0:
            found.append((i, today + timedelta(days=days)))
    months = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
    for m in re.finditer(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:\s*(?:-|–|to|through|until)\s*(?:(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+)?(\d{1,2}))?\b", t):
        first = future(months[m.group(1)], int(m.group(2)))
        if first:
            found.append((m.start(), first))
            if m.group(4):
                last = future(months[m.group(3) or m.group(1)], int(m.group(4)))
                if last:
                    found.append((m.end() - 1, last))
    for m in re.finditer(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\s*[-~到至]\s*(\d{1,2})\.(\d{1,2})(?![\d.])", t):
        a, b = future(int(m.group(1)), int(m.group(2))), future(int(m.group(3)), int(m.group(4)))
        if a and b:
            found += [(m.start(), a), (m.end() - 1, b)]
    m = re.search(r"下个?月(初)?|next month", t)
    if m:
        first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        found.append((m.start(), first))
    return sorted(found)

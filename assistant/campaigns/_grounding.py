"""A model's brief, grounded in the brief's words: a value the model fills is kept only when the text supports it.

The same rule as the fund advisor's (assistant/funds/_grounding.py): products, channels and offers need a word for
them in the brief, numbers need the number, audience conditions need the words they claim to come from. What is
dropped is named in a note, so a disagreement is surfaced, never picked silently.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.campaigns._brief import CampaignBrief
from assistant.campaigns._lexicon import campaign_lexicon
from assistant.campaigns._market import Market
from assistant.campaigns._parser import BriefReading
from assistant.campaigns._plan import Note, note
from assistant.text import find_amounts, normal


def _numbers(t: str) -> set[float]:
    out = {a.value for a in find_amounts(t)}
    for m in re.finditer(r"\d+(?:\.\d+)?", t):
        v = float(m.group())
        out |= {v, v / 100, v * 1e4, v * 1e3, v * 1e8}
    return {round(v, 6) for v in out}


def ground_model_brief(model: CampaignBrief, reading: BriefReading, market: Market) -> tuple[CampaignBrief, list[Note]]:
    """The model's brief with every unsupported value dropped, and one note per value dropped."""
    t = reading.normal
    lx = campaign_lexicon()
    words_for: dict[str, set[str]] = {}
    for table in (lx.channel_words, lx.family_words):
        for w, meaning in table.items():
            words_for.setdefault(meaning, set()).add(w)
    for pid, name_map in ((pid, [n for n, p in market.product_names.items() if p == pid]) for pid in market.products):
        words_for.setdefault(pid, set()).update(name_map)
    flat = re.sub(r"\s+", "", t)
    supported = lambda key: any(re.sub(r"\s+", "", w) in flat for w in words_for.get(key, ()))
    nums = _numbers(t)
    data: dict[str, Any] = model.model_dump()
    notes: list[Note] = []

    def drop(field: str, value: Any, default: Any) -> None:
        notes.append(note(f"model's {field} {value!r} dropped: nothing in the brief says it", f"模型给出的 {field} {value!r} 已舍弃：需求里没有这样说"))
        data[field] = default

    for field in ("products", "channels", "channels_excluded", "categories"):
        keep = [v for v in data[field] if supported(v)]
        if keep != data[field]:
            drop(field, [v for v in data[field] if v not in keep], keep)
    offers = [o for o in data["offers"] if any(p.search(t) for p, oid in lx.offer_patterns if oid == o) or market.offers.get(o) and market.offers[o].name.lower() in t]
    if offers != data["offers"]:
        drop("offers", [o for o in data["offers"] if o not in offers], offers)
    for field in ("budget_cap", "offer_amount", "baseline_rate", "mde"):
        v = data.get(field)
        if v is not None and round(float(v), 6) not in nums:
            drop(field, v, None)
    days = data.get("duration_days")
    if days is not None and not {round(float(days), 6), round(days / 7, 6), round(days / 30, 6)} & nums and not re.search(
            r"[一二两三四五六七八九十]+\s*(?:天|周|个月)|\b(?:one|two|three|four|a) (?:week|month)", t):  # fmt: skip
        drop("duration_days", days, None)
    relative = re.search(r"今天|明天|后天|周[一二三四五六日天]|星期|下个?月|月底|年底|today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next|month", t)
    for field in ("start", "end"):
        d = data.get(field)
        if d is not None and float(d.day) not in {round(v, 6) for v in nums} and not relative:
            drop(field, str(d), None)
    if data.get("send_weekdays") and not re.search(r"周末|工作日|双休|周[一二三四五六日天]|星期|weekend|weekday|monday|tuesday|wednesday|thursday|friday|saturday|sunday", t):
        drop("send_weekdays", data["send_weekdays"], [])
    for field in ("send_after", "send_before"):
        v = data.get(field)
        if v is not None and float(v.hour % 12 or 12) not in nums and float(v.hour) not in nums:
            drop(field, str(v), None)
    kpis = [k for k in data["kpis"] if round(float(k["value"]), 6) in nums]
    if kpis != data["kpis"]:
        drop("kpis", [k for k in data["kpis"] if k not in kpis], kpis)
    audience = [c for c in data["audience"] if c.get("said") and normal(c["said"]) in t]
    if audience != data["audience"]:
        drop("audience", [c["rule"] for c in data["audience"] if c not in audience], audience)
    return CampaignBrief.model_validate(data), notes


"""Whether a value a model put in a FundQuery is supported by the words of the request.

A model may fill a slot only with what the request says: a fund type some word of it names, a number written in it
(in any of the forms people write numbers, and the units they convert to), a company or manager named in it. A value
with no such support is dropped by the advisor and counted, so QA sees per backend how often a model invents.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from typing import Any

from assistant.funds._lexicon import FundLexicon
from assistant.funds._query import Bound, FundQuery
from assistant.text import (
    EN_NUMBERS,
    NUM,
    cn_number,
    find_amounts,
    find_durations,
    find_percents,
    find_phrases,
)


def numbers_in(t: str) -> set[float]:
    """Every value a number written in `t` may stand for: as written, as a percent of a fraction (0.08 -> 8), in 亿 from
    万 or billion, in yuan from 万, in years from months, and negated (a loss)."""
    raw: set[float] = set()
    for f in find_percents(t):
        raw.add(f.value)
    for f in find_amounts(t):
        raw |= {f.value, f.value / 1e8}
    for d in find_durations(t):
        raw |= {d.value, d.years, round(d.value / 365, 4)}
    for m in re.finditer(rf"-?\d+(?:\.\d+)?|{NUM}", t):
        v = cn_number(m.group(0).lstrip("-"))
        if v is not None:
            raw |= {v, v * 100, v / 10_000, v * 10, v / 100, v * 10_000}
    for w, v in EN_NUMBERS.items():
        if re.search(rf"\b{w}\b", t):
            raw.add(float(v))
    if re.search(r"half|半", t):
        raw.add(0.5)
    return raw | {-v for v in raw}


def _close(value: float, allowed: set[float]) -> bool:
    return any(abs(value - a) <= max(1e-6, abs(a) * 1e-6) for a in allowed)


def _bound_grounded(b: Bound, numbers: set[float], signs_said: bool) -> bool:
    """Both ends are numbers the request wrote, or 0 and 100 said in words (收益为正, 免申购费, 翻倍)."""
    return all(v is None or (signs_said and v in (0, 100)) or _close(v, numbers) for v in (b.min, b.max))


def _period_said(period: str, said: AbstractSet[str]) -> bool:
    """A period the request names, or one year when it names none (the documented default)."""
    return period in said or (period == "1y" and not said)


def ground(model: FundQuery, t: str, lx: FundLexicon, company_names: dict[str, str], managers: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The model's explicit values that the normal-form request `t` supports, and a line for each one it does not.

    Returns (field -> value to keep, ungrounded descriptions). Fields the model left at their defaults are not listed.
    """
    defaults = FundQuery()
    keep: dict[str, Any] = {}
    bad: list[str] = []
    numbers = numbers_in(t)
    signs_said = bool(re.search(r"正|负|亏|零|免|不收|翻倍|翻番|positive|negative|green|red|zero|no (?:purchase|load|fee)|double", t))
    types_said = {lx.fund_type_words[w] for _, _, w in find_phrases(t, lx.fund_type_words)}
    themes_said = {lx.theme_words[w] for _, _, w in find_phrases(t, lx.theme_words)}
    companies_said = {company_names[w] for _, _, w in find_phrases(t, [n for n in company_names if len(n) >= 2])}
    sort_said = {lx.sort_field_words[w] for _, _, w in find_phrases(t, lx.sort_field_words)}
    sort_said |= {f for w, (f, _) in lx.sort.phrases.items() if w in t}
    periods_said = {lx.period_words[w] for _, _, w in find_phrases(t, lx.period_words)}
    for name in FundQuery.model_fields:
        value = getattr(model, name)
        if value == getattr(defaults, name) or name == "intent":
            if name == "intent":
                keep[name] = value
            continue
        ok: bool | list[Any] | dict[str, Any]
        if name in ("fund_types", "fund_types_exclude"):
            ok = [v for v in value if v in types_said or v in t]
        elif name in ("themes", "themes_exclude"):
            ok = [v for v in value if v in themes_said or v.lower() in t or any(v in g and g in themes_said for g in lx.theme_group_of.get(v, ()))]
        elif name in ("share_class", "share_classes_exclude"):
            letters = value if isinstance(value, list) else [value]
            ok = [x for x in letters if re.search(rf"(?<![a-z]){x.lower()}\s*(?:类|份额|class|shares?)|class\s*{x.lower()}\b", t)]
            ok = ok if isinstance(value, list) else bool(ok)
        elif name in ("risk_min", "risk_max"):
            ok = f"r{value}" in t or bool(find_phrases(t, lx.risk)) or bool(find_phrases(t, lx.investor_words))
        elif name == "investor_grade":
            ok = f"c{value}" in t or any(lx.investor_words[w] == value for _, _, w in find_phrases(t, lx.investor_words))
        elif name == "returns":
            ok = {p: b for p, b in value.items() if _period_said(p, periods_said) and _bound_grounded(b, numbers, signs_said)}
        elif isinstance(value, Bound):
            ok = _bound_grounded(value, numbers, signs_said)
        elif name in ("companies_include", "companies_exclude"):
            ok = [c for c in value if c in companies_said or c in t]
        elif name in ("managers_include", "managers_exclude"):
            ok = [m for m in value if m in t]
        elif name == "dca_only":
            ok = bool(re.search(lx.patterns.dca, t))
        elif name == "open_only":
            ok = bool(re.search(lx.patterns.open + r"|暂停|closed|suspend|申购", t))
        elif name in ("amount", "holding_days", "top_n"):
            ok = _close(float(value), numbers)
        elif name == "sort":
            ok = [k for k in value if _sort_grounded(k.field, sort_said, periods_said)]
        elif name in ("codes", "exclude_codes"):
            ok = [c for c in value if c in t]
        elif name == "term":
            ok = value.lower() in t or any(lx.glossary_terms[w] == value for _, _, w in find_phrases(t, lx.glossary_terms))
        else:
            ok = False
        if isinstance(ok, bool):
            if ok:
                keep[name] = value
            else:
                bad.append(f"{name}={_show(value)}")
        else:
            dropped = [v for v in value if v not in ok] if isinstance(value, list) else [p for p in value if p not in ok]
            if ok:
                keep[name] = ok
            for v in dropped:
                bad.append(f"{name}={_show(v) if isinstance(value, list) else f'{v}:{value[v].describe()}'}")
    return keep, bad


def _sort_grounded(field: str, said: AbstractSet[str], periods: AbstractSet[str]) -> bool:
    if field.startswith("return_"):
        return bool(said & {"return", "loss"}) and _period_said(field.removeprefix("return_"), periods)
    return field in said or (field == "total_fee" and bool(said & {"purchase_fee", "mgmt_fee"}))


def _show(value: Any) -> str:
    if isinstance(value, Bound):
        return value.describe()
    if hasattr(value, "model_dump"):
        return str(value.model_dump())
    return str(value)

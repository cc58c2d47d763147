"""The offline parser: a fund request in Chinese or English to a FundQuery, deterministically, with no model."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.funds import _lexicon as lx
from assistant.funds._numbers import NUM, Found, cn_number, find_amounts, find_durations, find_percents, normalize
from assistant.funds._query import PERIOD_FIELD, Bound, FundQuery, SortKey

_CLAUSES = re.compile(r"[，,。;；!！?？\n]|并且|而且|同时|还要")
_SIZE = re.compile(rf"(?P<n>{NUM})\s*亿")
_TOP_N = re.compile(rf"(?:前|top\s*)(?P<a>{NUM})|(?P<b>{NUM})\s*(?:只|支|款|个(?!点|月|百分|交易))")
_CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
_PLAIN = re.compile(r"(?P<n>\d+(?:\.\d+)?)")


class ParsedRequest(BaseModel):
    """The typed request and what the parser noticed on the way (shown to the user)."""

    query: FundQuery
    matched: list[str] = Field(default_factory=list)
    """The words that became filters, for the visible, editable request."""


def _longest_first(words: list[str]) -> list[str]:
    return sorted(words, key=len, reverse=True)


def _find_words(text: str, words: list[str]) -> list[tuple[int, str]]:
    """Non-overlapping occurrences, longest words first, as (position, word)."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str]] = []
    for word in _longest_first(words):
        for m in re.finditer(re.escape(word), text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if word.isascii() and word[0].isalpha() and _ascii_glued(text, m.start(), m.end()):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), word))
    return sorted(found)


def _ascii_glued(text: str, start: int, end: int) -> bool:
    # "etf" inside "etfs" is fine, "ai" inside "daily" is not: Latin words need a boundary at the start.
    return start > 0 and text[start - 1].isascii() and text[start - 1].isalpha()


def _comparator(before: str, after: str) -> tuple[str, bool] | None:
    """('min' or 'max', inclusive) from the words around a number, or None."""
    for words, side, inclusive in ((lx.AT_MOST, "max", True), (lx.AT_LEAST, "min", True)):
        if any(w in before[-6:] or after[:4].startswith(w) for w in words if w in ("以内", "之内", "以下", "以上")):
            return side, inclusive
    for words, side, inclusive in ((lx.AT_MOST, "max", True), (lx.AT_LEAST, "min", True),
                                   (lx.LESS_THAN, "max", False), (lx.MORE_THAN, "min", False)):  # fmt: skip
        if any(w in before[-8:] for w in words):
            return side, inclusive
    return None


def parse_request(text: str, companies: list[str] | None = None) -> ParsedRequest:
    """Parse one request; `companies` are the catalog's company names, so 易方达 or 去掉易方达的 can be understood."""
    t = normalize(text)
    matched: list[str] = []
    data: dict = {}

    codes = _CODE.findall(t)
    if codes:
        data["codes"] = codes
    if re.search(r"对比|比较|\bvs\b|compare", t) and len(codes) >= 2:
        data["intent"] = "compare"
    elif codes and re.search(r"怎么样|如何|分析|看看|analy[sz]e|how is", t):
        data["intent"] = "analyse"
    elif re.search(r"什么是|是什么|什么意思|what is|what does", t) and not codes:
        data["intent"] = "explain"

    types = [w for _, w in _find_words(t, list(lx.FUND_TYPE_WORDS))]
    data["fund_types"] = list(dict.fromkeys(lx.FUND_TYPE_WORDS[w] for w in types))
    matched += types
    themes = [w for _, w in _find_words(t, list(lx.THEME_WORDS))]
    data["themes"] = list(dict.fromkeys(lx.THEME_WORDS[w] for w in themes))
    matched += [w for w in themes if w not in matched]

    for word, limits in lx.RISK_WORDS:
        if word in t:
            data.update({k: v for k, v in limits.items() if k not in data})
            matched.append(word)
    if re.search(r"c类|c份额|\bc\s*class", t):
        data["share_class"] = "C"
    elif re.search(r"a类|a份额|\ba\s*class", t):
        data["share_class"] = "A"
    if "定投" in t or "sip" in t or "regular invest" in t:
        data["dca_only"] = True
    if re.search(r"能买|可以买|开放申购|open for purchase", t):
        data["open_only"] = True

    periods = _find_words(t, [w for w, _ in lx.PERIOD_WORDS])
    period_of = dict(lx.PERIOD_WORDS)
    default_period = period_of[periods[-1][1]] if periods else "1y"

    returns: dict[str, Bound] = {}
    for clause in (c for c in _CLAUSES.split(t) if c.strip()):
        _limits(clause, default_period, period_of, data, returns, matched)
    if returns:
        data["returns"] = returns

    amounts = find_amounts(t)
    if amounts:
        data["amount"] = amounts[0].value
    held = [d for d in find_durations(t) if re.search(r"(持有|拿|放|投资|hold|用)", t[max(0, d.start - 4) : d.end + 4])]
    if held:
        data["holding_days"] = held[0].value

    for word, field, order in lx.SORT_WORDS:
        if word in t:
            key = PERIOD_FIELD[default_period] if field == "return" else field
            data["sort"] = [SortKey(field=key, order=order)]  # type: ignore[arg-type]
            matched.append(word)
            break
    top = _TOP_N.search(t)
    if top:
        n = cn_number(top.group("a") or top.group("b"))
        if n and 1 <= n <= 50:
            data["top_n"] = int(n)

    for company in companies or []:
        short = company.removesuffix("基金")
        for name in {company, short}:
            m = re.search(rf"(去掉|排除|不要|除了|不含)[^，,。]*{re.escape(name)}", t)
            if m:
                data.setdefault("companies_exclude", []).append(company)
                break
            if name and name in t:
                data.setdefault("companies_include", []).append(company)
                break
    return ParsedRequest(query=FundQuery.model_validate(data), matched=matched)


def _limits(clause: str, default_period: str, period_of: dict[str, str], data: dict, returns: dict[str, Bound], matched: list[str]) -> None:
    """Limits stated in one clause: each number belongs to the nearest metric word before it (else after it)."""
    metrics = _find_words(clause, [w for w, _ in lx.METRIC_WORDS])
    if not metrics:
        return
    metric_of = dict(lx.METRIC_WORDS)
    numbers: list[Found] = find_percents(clause)
    for m in _SIZE.finditer(clause):
        value = cn_number(m.group("n"))
        if value is not None:
            numbers.append(Found(value, m.start(), m.end(), m.group(0)))
    if any(metric_of[w] == "sharpe" for _, w in metrics):
        numbers += [Found(float(m.group("n")), m.start(), m.end(), m.group(0)) for m in _PLAIN.finditer(clause)
                    if not any(f.start <= m.start() < f.end for f in numbers)]  # fmt: skip
    numbers.sort(key=lambda f: f.start)
    clause_period = _find_words(clause, list(period_of))
    period = period_of[clause_period[-1][1]] if clause_period else default_period
    i = 0
    while i < len(numbers):
        num = numbers[i]
        before_words = [(p, w) for p, w in metrics if p < num.start]
        pos, word = before_words[-1] if before_words else min(metrics, key=lambda pw: abs(pw[0] - num.start))
        metric = metric_of[word]
        if metric == "size" and not num.text.endswith("亿"):
            i += 1
            continue
        nxt = numbers[i + 1] if i + 1 < len(numbers) else None
        between = clause[num.end : nxt.start] if nxt else ""
        if nxt and re.fullmatch(r"\s*(到|至|-|~|〜|and|to)\s*", between):
            bound = Bound(min=min(num.value, nxt.value), max=max(num.value, nxt.value))
            i += 2
        else:
            side = _comparator(clause[max(0, pos) : num.start], clause[num.end :])
            if side is None:
                side = ("min", True) if metric in ("return", "sharpe", "size") else ("max", True)
            key, inclusive = side
            bound = Bound(**{key: num.value, f"{key}_inclusive": inclusive})
            i += 1
        if metric == "return":
            returns[period] = bound
        else:
            data[metric] = bound
        matched.append(f"{word} {bound.describe()}")

"""The offline parser: a fund request in Chinese or English to a FundQuery, deterministically, with no model."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from pydantic import BaseModel, Field

from assistant.funds import _lexicon as lx
from assistant.funds._numbers import (
    EN_NUM,
    NUM,
    Found,
    cn_number,
    find_amounts,
    find_durations,
    find_percents,
    normalize,
)
from assistant.funds._query import PERIOD_FIELD, Bound, FundQuery, SortKey

_CLAUSES = re.compile(r"[，,。;；!！?？\n]|并且|而且|同时|还要")
_SIZE = re.compile(rf"(?P<n>{NUM})\s*(?:个)?(?P<unit>亿|万(?!份))|(?P<en>\d+(?:\.\d+)?)\s*(?P<enunit>billion|bn|million|mn)\b")
_SIZE_SCALE = {"万": 0.0001, "亿": 1.0, "billion": 10.0, "bn": 10.0, "million": 0.01, "mn": 0.01}
"""Fund size is in 亿元: 2 billion yuan is 20 亿, 500 million is 5 亿."""
_TOP_N = re.compile(
    rf"(?:前|top\s*)(?P<a>{NUM}|{EN_NUM})(?!\s*(?:年|个月|月|天|周|%|个点|亿|万|months?|years?))"
    rf"|(?P<b>{NUM})\s*(?:只|支|款|个(?!点|月|百分|交易|亿|工作))"
    rf"|\b(?:the|give me|show me|best|pick)\s+(?P<c>{EN_NUM})\s+(?:best|top|funds?|picks?|options?|cheapest|largest|biggest|oldest|highest|lowest)"
    rf"|(?P<d>{EN_NUM})\s+(?:of them|funds? (?:only|max|at most)|picks?|options?|choices)\b"
    rf"|(?:^|\b(?:me|the|only|just)\s+)(?P<e>{EN_NUM})\s+(?:best|top|cheapest|largest|biggest|oldest|newest|highest|lowest|safest|most|least|[a-z-]+est)\b"
)
_CODE = re.compile(r"(?<![\d¥$])\d{6}(?![\d.%])(?!\s*(?:元|块|万|千|w(?![a-z])|k(?![a-z])|yuan|rmb|cny|亿|billion|million))")
"""A fund code: six digits that are not a sum of money (100000元)."""
_PLAIN = re.compile(rf"(?<![\d.])(?P<n>\d+(?:\.\d+)?|零点[{''.join('零一二三四五六七八九')}]+|[一二三四五]点[{''.join('零一二三四五六七八九')}]+)(?![\d.])")
_RANGE_JOIN = r"\s*(?:到|至|-|~|〜|—|to)\s*"
_BETWEEN_JOIN = r"\s*(?:和|与|跟|and)\s*"


class ParsedRequest(BaseModel):
    """The typed request and what the parser noticed on the way (shown to the user)."""

    query: FundQuery
    matched: list[str] = Field(default_factory=list)
    """The words that became filters, for the visible, editable request."""


# -- word finding ---------------------------------------------------------------------------------------------------


def _longest_first(words: list[str]) -> list[str]:
    return sorted(words, key=len, reverse=True)


def _occurrences(text: str, word: str) -> list[tuple[int, int]]:
    """(start, end) of every non-overlapping occurrence of a literal word.

    A substring loop, not `re.finditer(re.escape(word))`: the lexicon has more words than `re`'s pattern cache
    holds, and recompiling them on every request cost ten times the whole parse.
    """
    out, i = [], text.find(word) if word else -1
    while i >= 0:
        out.append((i, i + len(word)))
        i = text.find(word, i + len(word))
    return out


def _find_spans(text: str, words: list[str], taken: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences, longest words first, as (start, end, word); `taken` spans are skipped and extended."""
    taken = [] if taken is None else taken
    found: list[tuple[int, int, str]] = []
    for word in _longest_first(words):
        for start, end in _occurrences(text, word):
            if any(start < e and s < end for s, e in taken):
                continue
            if word.isascii() and word[0].isalnum() and not _ascii_word(text, start, end, word):
                continue
            taken.append((start, end))
            found.append((start, end, word))
    return sorted(found)


def _find_words(text: str, words: list[str]) -> list[tuple[int, str]]:
    """Non-overlapping occurrences, longest words first, as (position, word)."""
    return [(s, w) for s, _, w in _find_spans(text, words)]


def _ascii_word(text: str, start: int, end: int, word: str) -> bool:
    """Latin words need a boundary at the start; short ones (ai, ev, etf) also at the end, bar a plural s."""
    if start > 0 and text[start - 1].isascii() and text[start - 1].isalnum():
        return False
    if end < len(text) and text[end].isascii() and text[end].isalnum() and (len(word) <= 3 or word[-1].isdigit()):
        return text[end] == "s" and not (end + 1 < len(text) and text[end + 1].isascii() and text[end + 1].isalpha())
    return True


def _blank(text: str, start: int, end: int) -> str:
    """`text` with [start, end) replaced by spaces, so what was used is not read again and positions stay."""
    return text[:start] + " " * (end - start) + text[end:]


def _has(pattern: str, text: str) -> re.Match[str] | None:
    return re.search(pattern, text)


# -- typo correction ------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _pinyin_vocab() -> dict[int, list[tuple[str, tuple[str, ...]]]]:
    """Chinese lexicon words of two or more characters with their readings, by length."""
    from pypinyin import Style, lazy_pinyin

    words = set(lx.THEME_WORDS) | set(lx.FUND_TYPE_WORDS) | {w for w, _ in lx.METRIC_WORDS} | set(lx.GLOSSARY_TERMS)
    words |= {w for w, _ in lx.SORT_FIELD_WORDS} | set(lx.PINYIN_EXTRA) | set(lx.TYPO_WORDS.values())
    out: dict[int, list[tuple[str, tuple[str, ...]]]] = {}
    for w in words:
        if len(w) < 2 or not re.search(r"[\u4e00-\u9fff]", w) or w.endswith("了"):
            continue
        readings = tuple(lazy_pinyin(w, style=Style.NORMAL, errors=lambda x: list(x)))
        if len(readings) == len(w):
            out.setdefault(len(w), []).append((w, readings))
    return out


@lru_cache(maxsize=4096)
def _readings(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    return frozenset(pinyin(ch, style=Style.NORMAL, heteronym=True)[0])


def _fix_homophones(t: str) -> str:
    """Correct single-character homophone slips of lexicon words (医要 -> 医药, 最大回车 -> 最大回撤, 中正500 -> 中证500).

    A span is rewritten only when it differs from a lexicon word in exactly one Chinese character, that character can
    be read the same way, and no lexicon word already stands there.
    """
    vocab = _pinyin_vocab()
    exact = [span for ws in vocab.values() for w, _ in ws for span in _occurrences(t, w)]
    masks = _masked_vocab()
    for length in sorted(vocab, reverse=True):
        for i in range(len(t) - length + 1):
            span = t[i : i + length]
            for k in range(length):
                ch = span[k]
                if not ("\u4e00" <= ch <= "\u9fff"):
                    continue
                for w, reading in masks.get((length, k, span[:k], span[k + 1 :]), ()):
                    if w[k] == ch or reading not in _readings(ch) or any(s <= i + k < e for s, e in exact):
                        continue  # same word, not a homophone, or the character belongs to a word spelt right
                    t = t[:i] + w + t[i + length :]
                    exact.append((i, i + length))
                    span = w
                    break
    return t


@lru_cache(maxsize=1)
def _masked_vocab() -> dict[tuple[int, int, str, str], list[tuple[str, str]]]:
    """Lexicon words keyed by (length, position, the text before it, the text after it): one lookup per slip."""
    out: dict[tuple[int, int, str, str], list[tuple[str, str]]] = {}
    for length, words in _pinyin_vocab().items():
        for w, readings in words:
            for k in range(length):
                out.setdefault((length, k, w[:k], w[k + 1 :]), []).append((w, readings[k]))
    return out


@lru_cache(maxsize=1)
def _english_vocab() -> tuple[frozenset[str], tuple[str, ...]]:
    """(every Latin word the lexicon knows, the domain words a misspelling may be corrected to)."""
    phrases = (list(lx.THEME_WORDS) + list(lx.FUND_TYPE_WORDS) + [w for w, _ in lx.METRIC_WORDS] + list(lx.GLOSSARY_TERMS)
               + [w for w, _ in lx.SORT_FIELD_WORDS] + [w for w, _, _ in lx.SORT_WORDS])  # fmt: skip
    targets = {tok for p in phrases for tok in re.findall(r"[a-z]+", p) if len(tok) >= 5}
    known = {tok for p in phrases + [w for w, _ in lx.PERIOD_WORDS] + [w for w, _ in lx.RISK_WORDS]
             + list(lx.AT_MOST + lx.AT_LEAST + lx.LESS_THAN + lx.MORE_THAN) for tok in re.findall(r"[a-z]+", p)}  # fmt: skip
    return frozenset(known | set(lx.COMMON_EN)), tuple(sorted(targets))


def _fix_english(t: str) -> str:
    """Correct misspelt domain words (semiconducter, retrun, divident, volitility) by close match."""
    known, targets = _english_vocab()

    def fix(m: re.Match[str]) -> str:
        tok = m.group(0)
        if len(tok) < 5 or tok in known or tok.rstrip("s") in known or any(tok.startswith(w) for w in targets):
            return tok
        close = [w for w in difflib.get_close_matches(tok, targets, n=3, cutoff=0.8) if abs(len(w) - len(tok)) <= 2]
        return close[0] if close else tok

    return re.sub(r"[a-z]+", fix, t)


def _correct(t: str) -> str:
    for wrong, right in lx.TYPO_WORDS.items():
        t = t.replace(wrong, right)
    if re.search(r"[\u4e00-\u9fff]", t):
        t = _fix_homophones(t)
    if re.search(r"[a-z]{5}", t):
        t = _fix_english(t)
    return t


@lru_cache(maxsize=8)
def _company_pinyin(companies: tuple[str, ...]) -> dict[str, str]:
    """Each company's short name in toneless pinyin (峻岭基金 -> junling), so English requests can name it."""
    from pypinyin import Style, lazy_pinyin

    out = {}
    for company in companies:
        short = company.removesuffix("基金")
        if re.fullmatch(r"[\u4e00-\u9fff]{2,6}", short):
            out[company] = "".join(lazy_pinyin(short, style=Style.NORMAL))
    return out


# -- the parse ------------------------------------------------------------------------------------------------------


def prepare_text(text: str) -> str:
    """The request as the parser reads it: normalised (full width, case, spaces) and with typos repaired."""
    return _correct(normalize(text))


def parse_request(text: str, companies: list[str] | None = None) -> ParsedRequest:
    """Parse one request; `companies` are the catalog's company names, so 易方达 or 去掉易方达的 can be understood."""
    t = prepare_text(text)
    work = t  # what is left to read: spans already used are blanked
    matched: list[str] = []
    data: dict = {}

    # fund codes, and which of them are to be left out
    codes = list(dict.fromkeys(_CODE.findall(t)))
    excluded: list[str] = []
    for m in re.finditer(rf"(?:{lx.EXCLUDE_CODE_WORDS})\s*(?:的|了|掉)?\s*(?P<list>\d{{6}}(?:\s*(?:[、,，/和及与]|and|or)\s*\d{{6}})*)", t):
        excluded += _CODE.findall(m.group("list"))
    if excluded:
        data["exclude_codes"] = list(dict.fromkeys(excluded))
        codes = [c for c in codes if c not in excluded]
    if codes:
        data["codes"] = codes
    for m in _CODE.finditer(work):
        work = _blank(work, m.start(), m.end())

    if len(codes) >= 2 and _has(lx.COMPARE_WORDS, t):
        data["intent"] = "compare"
    elif codes and _has(lx.ANALYSE_WORDS, t):
        data["intent"] = "analyse"
    elif len(codes) >= 2 and re.search(r"[和与跟]|\band\b|、", t):
        data["intent"] = "compare"
    elif not codes and _has(lx.EXPLAIN_WORDS, t):
        data["intent"] = "explain"

    # themes first; a type word inside a theme (美股基金 is not a 股基) does not count
    taken: list[tuple[int, int]] = []
    theme_spans = _find_spans(t, list(lx.THEME_WORDS), taken)
    type_spans = _find_spans(t, list(lx.FUND_TYPE_WORDS), taken)
    theme_spans = [sp for sp in theme_spans if not re.search(lx.NOT_WORDS, t[max(0, sp[0] - 8) : sp[0]])]
    type_spans = [sp for sp in type_spans if not re.search(lx.NOT_WORDS, t[max(0, sp[0] - 8) : sp[0]])]
    themes = list(dict.fromkeys(lx.THEME_WORDS[w] for _, _, w in theme_spans))
    types = list(dict.fromkeys(lx.FUND_TYPE_WORDS[w] for _, _, w in type_spans))
    if any(th in lx.BOND_THEMES for th in themes) and "bond" not in types:
        types.append("bond")
    data["fund_types"], data["themes"] = types, themes
    matched += [w for _, _, w in type_spans] + [w for _, _, w in theme_spans]
    for s, e, _ in theme_spans:
        work = _blank(work, s, e)

    for word, limits in lx.RISK_WORDS:
        if word in t and not (word.isascii() and not _ascii_word(t, t.index(word), t.index(word) + len(word), word)):
            data.update({k: v for k, v in limits.items() if k not in data})
            matched.append(word)
    grade = re.search(r"(?:我是|我的?风险(?:承受)?(?:能力|等级)?(?:是|为)?|风险承受能力|投资者|investor|risk profile|profile|i am|i'm|im)"
                      r"\s*(?:等级|an?\s+)?\s*c([1-5])(?![\d类份])|(?<![a-z])c([1-5])\s*(?:investor|级投资者|型投资者|投资者|级|的投资者)", t)  # fmt: skip
    if grade:
        g = grade.group(1) or grade.group(2)
        data["investor_grade"] = int(g)
        matched.append(f"C{g}")
    _risk_levels(t, data, matched)
    if re.search(r"c类|c份额|\bc\s*class\b|\bclass\s*c\b|\bc[- ]shares?\b|share class c\b", t):
        data["share_class"] = "C"
    elif re.search(r"a类|a份额|\ba\s*class\b|\bclass\s*a\b|\ba[- ]shares?\b|share class a\b", t):
        data["share_class"] = "A"
    if _has(lx.DCA_WORDS, t):
        data["dca_only"] = True

    # durations: the fund's age and the holding period, read before periods so 成立3年 is not 近3年
    _age(work, data, matched)
    for d in find_durations(work):
        if d.start < 0 or work[d.start : d.end].strip() == "":
            continue
        before, after = work[max(0, d.start - 14) : d.start], work[d.end : d.end + 4]
        english_hold = re.search(r"\b(?:for|over)\s+(?:about\s+|around\s+|roughly\s+|at least\s+)?$", before) and re.search(
            r"\b(?:hold|keep|invest|park|put|leave|stay|need the money|use)", work[: d.start])
        if re.search(rf"(?:{lx.HOLD_WORDS})", before[-5:] + after) or english_hold or re.search(
                r"(?:hold|keep|invest|park|stay)\w*\s+(?:it\s+|them\s+|the money\s+|my money\s+)?(?:for\s+)?(?:about\s+|around\s+|roughly\s+)?$", before):
            data["holding_days"] = d.value
            work = _blank(work, d.start, d.end)
            break

    amounts = [a for a in find_amounts(work) if not re.search(r"规模|size|aum|assets", work[max(0, a.start - 12) : a.start])]
    if amounts:
        data["amount"] = amounts[0].value
        for a in amounts:
            work = _blank(work, a.start, a.end)
    for m in re.finditer(lx.OPEN_WORDS, t):
        if not any(a.end <= m.start() <= a.end + 3 for a in amounts):
            data["open_only"] = True
            break

    periods = _find_words(work, [w for w, _ in lx.PERIOD_WORDS])
    period_of = dict(lx.PERIOD_WORDS)
    default_period = period_of[periods[-1][1]] if periods else "1y"

    if data.get("intent") not in ("compare", "analyse"):
        top = _TOP_N.search(work)
        if top:
            n = cn_number(next(g for g in top.groups() if g))
            if n and 1 <= n <= 50 and n == int(n) and not (n == 1 and re.search(r"个", top.group(0))):  # 找一个 is not "one fund"
                data["top_n"] = int(n)
                digits = re.search(r"\d+", top.group(0))
                if digits:  # 前10只 is a count, not a Sharpe of 10
                    work = _blank(work, top.start() + digits.start(), top.start() + digits.end())

    returns: dict[str, Bound] = {}
    for clause in _CLAUSES.split(work):
        _limits(clause, default_period, period_of, data, returns, matched)
        _signs(clause, default_period, period_of, returns, matched)
    if returns:
        data["returns"] = returns

    sort = _sort(work, default_period, period_of, matched)
    if sort:
        data["sort"] = sort

    if data.get("intent") in ("compare", "analyse"):
        data.pop("open_only", None)  # 016304能不能买 asks about that fund, it does not filter a list

    _companies(t, companies or [], data)

    if data.get("intent") == "explain":
        if data.get("returns") or data.get("sort") or any(isinstance(v, Bound) for v in data.values()):
            data.pop("intent")  # "what are the best ... funds" is a screen, not a question about a term
        else:
            data = {"intent": "explain", "term": _term(t)}
            data = {k: v for k, v in data.items() if v}
    return ParsedRequest(query=FundQuery.model_validate(data), matched=matched)


def _risk_levels(t: str, data: dict, matched: list[str]) -> None:
    """R1..R5 product risk levels: R2到R3, 不超过R3, R3及以下, R4以上, R3."""
    rng = re.search(r"(?<![a-z])r([1-5])\s*(?:到|至|-|~|〜|to|and)\s*r?([1-5])(?!\d)", t)
    if rng:
        lo, hi = sorted((int(rng.group(1)), int(rng.group(2))))
        data["risk_min"], data["risk_max"] = lo, hi
        matched.append(rng.group(0).strip())
        return
    for m in re.finditer(r"(不超过|不高于|最高|最多|at most|up to|no higher than|max)?\s*(?<![a-z])r([1-5])(?!\d)\s*(及以下|或以下|以下|以内|and below|or below|or lower|or less)?(及以上|或以上|以上|and above|or above|or higher)?", t):
        if m.group(1) or m.group(3):
            data["risk_max"] = int(m.group(2))
        elif m.group(4):
            data["risk_min"] = int(m.group(2))
        else:
            data["risk_min"] = data["risk_max"] = int(m.group(2))
        matched.append(m.group(0).strip())


def _age(work: str, data: dict, matched: list[str]) -> None:
    """The fund's age in years: 成立不到一年, 成立超过3年, 成立5年以上, older than 5 years, min 5 yrs track record."""
    for d in find_durations(work):
        if not re.search(r"年|y", d.unit) and not re.search(r"月|month", d.unit):
            continue
        before, after = work[max(0, d.start - 28) : d.start], work[d.end : d.end + 16]
        if not (re.search(rf"(?:{lx.AGE_ANCHORS})", before[-12:] if re.search(r"[\u4e00-\u9fff]", before) else before) or re.match(r"\s*(?:的)?(?:老基金|\+?\s*(?:old|track record|of history|history|ago))", after)):
            continue
        side = _comparator(before, after)
        if side is None and (re.match(r"\s*\+", after) or "+" in d.text):
            side = ("min", True)
        key, inclusive = side or ("min", True)
        bound = Bound(**{key: d.years, f"{key}_inclusive": inclusive})
        data["fund_age_years"] = bound
        matched.append(f"成立 {bound.describe()} 年")
        return


def _signs(clause: str, default_period: str, period_of: dict[str, str], returns: dict[str, Bound], matched: list[str]) -> None:
    """收益为正, 负收益, 翻倍: return limits with no number written."""
    clause_period = _find_words(clause, list(period_of))
    period = period_of[clause_period[-1][1]] if clause_period else default_period
    if period in returns:
        return
    for pattern, side in lx.SIGN_PATTERNS:
        m = re.search(pattern, clause)
        if m:
            returns[period] = Bound(**{side: 0.0, f"{side}_inclusive": False})
            matched.append(m.group(0))
            return
    m = re.search(lx.DOUBLED, clause)
    if m:
        returns[period] = Bound(min=100.0)
        matched.append(m.group(0))


def _term(t: str) -> str | None:
    """The term an explain request asks about, by its glossary name where the glossary has it."""
    spans = _find_spans(t, list(lx.GLOSSARY_TERMS))
    if spans:
        return lx.GLOSSARY_TERMS[spans[0][2]]
    rest = re.sub(rf"{lx.EXPLAIN_WORDS}|请问|一下|的意思|意思|\bto me\b|\bplease\b|\bmean\b|[?？。!！,，]", " ", t)
    rest = re.sub(r"\s+", " ", rest).strip()
    return rest if 0 < len(rest) <= 20 else None


def _companies(t: str, companies: list[str], data: dict) -> None:
    pinyin = _company_pinyin(tuple(companies))
    for company in companies:
        short = company.removesuffix("基金")
        names = [n for n in (company, short) if n]
        if company in pinyin:
            names.append(pinyin[company])
        for name in names:
            if name not in t:
                continue  # a substring test first: the regexes below are built per name, and a catalog has hundreds
            pattern = re.escape(name) if not name.isascii() else rf"\b{re.escape(name)}\b"
            if re.search(rf"(去掉|排除|不要|除了|不含|not from|except|excluding|exclude|other than|besides|no funds from|avoid)[^，,。;]*{pattern}", t):
                data.setdefault("companies_exclude", []).append(company)
                break
            if re.search(rf"{pattern}(?:基金|公司)?(?:的)?(?:以外|之外)", t):
                data.setdefault("companies_exclude", []).append(company)
                break
            if re.search(pattern, t):
                data.setdefault("companies_include", []).append(company)
                break


def _comparator(before: str, after: str) -> tuple[str, bool] | None:
    """('min' or 'max', inclusive) from the words around a number, or None; the comparative nearest the number wins."""
    for words, side in ((lx.AFTER_AT_MOST, "max"), (lx.AFTER_AT_LEAST, "min")):
        head = after[:12].lstrip()
        for w in sorted(words, key=len, reverse=True):
            if head.startswith(w) and not (w.isascii() and w[-1].isalpha() and len(head) > len(w) and head[len(w)].isalpha()):
                return side, True
    best: tuple[int, int, str, bool] | None = None
    for words, side, inclusive in ((lx.AT_MOST, "max", True), (lx.AT_LEAST, "min", True),
                                   (lx.LESS_THAN, "max", False), (lx.MORE_THAN, "min", False)):  # fmt: skip
        for w in words:
            pattern = rf"(?<![a-z]){re.escape(w)}(?![a-z])" if w.isascii() else re.escape(w)
            for m in re.finditer(pattern, before):
                if w in ("以上", "以下", "以内", "之内"):
                    continue  # these follow their number
                rank = (m.end(), len(w))
                if best is None or rank > best[:2]:
                    best = (m.end(), len(w), side, inclusive)
    return (best[2], best[3]) if best else None


def _numbers(clause: str, metric_of: dict[str, str], metrics: list[tuple[int, str]]) -> list[tuple[Found, str]]:
    """The numbers in a clause with their kind: 'pct', 'size' (in 亿) or 'plain' (for Sharpe and bare fees)."""
    out: list[tuple[Found, str]] = [(f, "pct") for f in find_percents(clause)]
    kinds = {metric_of[w] for _, w in metrics}
    for m in _SIZE.finditer(clause):
        raw, unit = (m.group("n"), m.group("unit")) if m.group("n") else (m.group("en"), m.group("enunit"))
        value = cn_number(raw)
        if unit == "万" and not (kinds & {"size"}):
            continue  # 5万 is money unless the clause is about fund size (规模5000万以上)
        if value is not None:
            out.append((Found(value * _SIZE_SCALE[unit], m.start(), m.end(), m.group(0), unit), "size"))
    if kinds & ({"sharpe"} | set(lx.FEE_METRICS)):
        for m in _PLAIN.finditer(clause):
            if any(f.start <= m.start() < f.end for f, _ in out):
                continue
            value = cn_number(m.group("n"))
            if value is not None and (value <= 5 or "sharpe" in kinds):
                out.append((Found(value, m.start(), m.end(), m.group(0)), "plain"))
    out.sort(key=lambda fk: fk[0].start)
    return out


def _limits(clause: str, default_period: str, period_of: dict[str, str], data: dict, returns: dict[str, Bound], matched: list[str]) -> None:
    """Limits stated in one clause: each number belongs to the nearest metric word before it (else after it)."""
    metrics = _find_words(clause, [w for w, _ in lx.METRIC_WORDS])
    metric_of = dict(lx.METRIC_WORDS)
    numbers = _numbers(clause, metric_of, metrics)
    if not metrics:
        numbers = [(f, k) for f, k in numbers if k == "size" and f.unit in ("亿", "billion", "bn")]  # 至少2个亿 is a fund size
        if not numbers:
            return
    clause_period = _find_words(clause, list(period_of))
    period = period_of[clause_period[-1][1]] if clause_period else default_period
    i, prev_end = 0, 0
    while i < len(numbers):
        num, kind = numbers[i]
        if kind == "size":
            pos, word, metric = num.start, "规模", "size"
            before_words = [(p, w) for p, w in metrics if p < num.start and metric_of[w] == "size"]
            if before_words:
                pos, word = before_words[-1]
        else:
            before_words = [(p, w) for p, w in metrics if p < num.start]
            pos, word = before_words[-1] if before_words else min(metrics, key=lambda pw: abs(pw[0] - num.start))
            metric = metric_of[word]
            if metric == "size" or (kind == "plain" and metric not in ("sharpe", *lx.FEE_METRICS)):
                i += 1
                continue
        if metric == "custody_fee":
            i += 1
            continue
        value = num.value
        lead = clause[max(0, num.start - 2) : num.start]
        if re.search(r"(?:^|[^\d%.])[-−负]\s*$", " " + lead):
            value = -value  # -5%到5%: a minus sign, not a dash between two numbers
        nxt = numbers[i + 1] if i + 1 < len(numbers) else None
        between = clause[num.end : nxt[0].start] if nxt else ""
        joined = nxt and (re.fullmatch(_RANGE_JOIN, between) or (
            re.fullmatch(_BETWEEN_JOIN, between) and re.search(r"之间|介于|between|在", clause)))  # fmt: skip
        lo_word = re.search(rf"(?P<a>-?{NUM})\s*{_RANGE_JOIN[3:-3]}\s*$|(?P<b>-?{NUM})\s*(?:和|与|and)\s*$", clause[prev_end : num.start]) if kind != "plain" else None
        if joined and nxt:
            other = nxt[0].value
            if re.search(r"(?:^|[^\d%.])[-−负]\s*$", " " + clause[max(0, nxt[0].start - 2) : nxt[0].start]) and not re.fullmatch(r"\s*-\s*", between):
                other = -other
            bound = Bound(min=min(value, other), max=max(value, other))
            i += 2
        elif lo_word and (lo_word.group("a") or re.search(r"之间|介于|between", clause)):
            # 2 and 5 billion, 10-20%: the first number takes the second's unit
            raw = lo_word.group("a") or lo_word.group("b")
            first = cn_number(raw.lstrip("-"))
            scale = num.value / cn_number(re.sub(r"[^\d.零〇一二两三四五六七八九十百千万点]", "", num.text) or "1") if kind == "size" else 1.0  # type: ignore[operator]
            if first is None:
                first = value
            first = (-first if raw.startswith("-") else first) * scale
            bound = Bound(min=min(first, value), max=max(first, value))
            i += 1
        else:
            lo = max(prev_end, pos + len(word) if pos < num.start else 0)
            side = _comparator(clause[max(lo, num.start - 24) : num.start], clause[num.end :])
            if side is None:
                side = ("min", True) if metric in ("return", "sharpe", "size", "loss") else ("max", True)
            key, inclusive = side
            bound = Bound(**{key: value, f"{key}_inclusive": inclusive})
            i += 1
        prev_end = num.end
        if metric == "loss":
            bound = Bound(min=None if bound.max is None else -bound.max, max=None if bound.min is None else -bound.min,
                          min_inclusive=bound.max_inclusive, max_inclusive=bound.min_inclusive)  # fmt: skip
            metric = "return"
        if metric == "return":
            returns[period] = bound
        else:
            data[metric] = bound
        matched.append(f"{word} {bound.describe()}")


def _sort(work: str, default_period: str, period_of: dict[str, str], matched: list[str]) -> list[SortKey]:
    """Ranking keys in the order they were asked for: fixed phrases, <metric>最高, 按<metric>从大到小, sorted by <metric>."""
    keys: list[tuple[int, str, str]] = []  # (position, field, order)
    fields = dict(lx.SORT_FIELD_WORDS)

    def period_near(pos: int) -> str:
        start = max(work.rfind(c, 0, pos) for c in "，,。;；") + 1
        ends = [work.find(c, pos) for c in "，,。;；" if work.find(c, pos) >= 0]
        clause = work[start : min(ends) if ends else len(work)]
        found = _find_words(clause, list(period_of))
        return period_of[found[-1][1]] if found else default_period

    def add(pos: int, field: str, order: str, word: str) -> None:
        if field in ("return", "loss"):
            if field == "loss":
                order = "asc" if order == "desc" else "desc"
            field = PERIOD_FIELD[period_near(pos)]
        keys.append((pos, field, order))
        matched.append(word)

    used: list[tuple[int, int]] = []
    for word, field, order in lx.SORT_WORDS:
        for start, end in _occurrences(work, word):
            if any(start < e and s < end for s, e in used):
                continue
            if word.isascii() and not _ascii_word(work, start, end, word):
                continue
            if field == "total_fee" and re.search(r"(管理费|销售服务费|托管费)\s*$", work[: start]):
                continue  # 管理费便宜点 is about one fee, not the holding cost
            if re.match(r"\s*first\b", work[end :]):
                continue  # "ranked by purchase fee, cheapest first": a direction for the field named before
            if word == "largest" and re.match(r"\s+(?:drawdown|loss|drop|fall)", work[end :]):
                continue
            used.append((start, end))
            add(start, field, order, word)
    field_spans = _find_spans(work, list(fields))
    for start, end, word in field_spans:
        if any(start < e and s < end for s, e in used):
            continue
        field = fields[word]
        tail = work[end : end + 14]
        head = work[max(0, start - 24) : start]
        order = None
        direction = re.match(r"\s*(?:的|得|都|也|要|更|来|上|方面)?\s*(?P<w>" + "|".join(map(re.escape, _longest_first(list(lx.SORT_HIGH + lx.SORT_LOW)))) + ")", tail)
        if direction and re.match(rf"\s*(?:{NUM}|-)", tail[direction.end() :]):
            direction = None  # 回撤最多8个点 is a limit, not a ranking
        if direction:
            w = direction.group("w")
            if w.startswith("更") and not re.search(r"哪|谁|which", work[max(0, start - 10) : start]):
                w = ""
            if w:
                order = "desc" if w in lx.SORT_HIGH else "asc"
        if order is None and re.search(r"(?:按|按照|根据|以|sorted by|ranked by|rank by|sort by|order by|ordered by|ranking by|\bby)\s*(?:the\s+)?(?:[a-z0-9-]+\s+)?$|按照?[^，,。按]{0,6}$", head):
            later = re.match(r"[^，,。;]{0,4}?(?P<w>" + "|".join(map(re.escape, _longest_first(list(lx.SORT_HIGH + lx.SORT_LOW)))) + ")", tail) or re.match(
                r"[^。;]{0,6}?(?P<w>" + "|".join(map(re.escape, _longest_first(list(lx.SORT_HIGH + lx.SORT_LOW)))) + ")", tail)
            order = ("desc" if later.group("w") in lx.SORT_HIGH else "asc") if later else lx.SORT_NATURAL[field]
        before_word = re.search(r"\b(?P<w>" + "|".join(lx.SORT_BEFORE) + r")[\s-]+(?:[a-z0-9-]+\s+){0,2}?$", head) if word.isascii() else None
        if order is None and before_word:
            how = lx.SORT_BEFORE[before_word.group("w")]
            natural = lx.SORT_NATURAL[field]
            order = natural if how == "natural" else ("asc" if natural == "desc" else "desc") if how == "reversed" else how
        if order is None and re.match(r"\s*(?:的)?\s*(?:" + "|".join(map(re.escape, lx.SORT_RANK)) + r"|前\s*(?:" + NUM + r")(?!\s*(?:年|个月|%)))", tail):
            order = lx.SORT_NATURAL[field]
        if order is None and re.search(r"(?:哪|谁)[^，,。]{0,5}$", head) and re.match(r"\s*(?:的)?\s*(?:更)?(?P<w>小|低|少|大|高|多)", tail):
            order = "desc" if re.match(r"\s*(?:的)?\s*(?:更)?(?:大|高|多)", tail) else "asc"
        if order is None and re.match(r"\s*(?:的)?\s*(?:小|低|少|大|高|多)的?(?:优先|排前面|在前|靠前)", tail):
            order = "desc" if re.match(r"\s*(?:的)?\s*(?:大|高|多)", tail) else "asc"
        if order is None:
            continue
        if field == "inception_date" and direction and direction.group("w") in ("最早", "最长", "最久"):
            order = "asc"
        elif field == "inception_date" and order == "desc" and direction and direction.group("w") in lx.SORT_HIGH:
            order = "asc"  # 成立时间最长 is the oldest
        add(start, field, order, work[start : end + (direction.end() if direction else 0)].strip())
    keys.sort()
    out: list[SortKey] = []
    for _, field, order in keys:
        if not any(k.field == field for k in out):
            out.append(SortKey(field=field, order=order))  # type: ignore[arg-type]
    return out

"""The copy checker: finds what a piece of marketing or advice copy must not say or must not leave out, and fixes it.

How a check runs: the text is folded (full-width to ASCII one character for one, lower-case) so spans stay valid, then
every rule in `_scan` reports findings, each with an optional edit (a span and its replacement). With `fix=True` the
fixes are applied one at a time and the text is scanned again after each one, so spans never go stale and a fix is
judged by the same rules as the copy; removals go first (they make room), insertions last, and an insertion that would
push the copy past its channel limit is not made: the copy gets a too_long error instead, because cutting the selling
point is a person's choice, and cutting a warning is never allowed. The report is passed only when the final text has
no error left; the model refuses any other combination.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, model_validator

from assistant.compliance import _rules as R
from assistant.compliance._channels import ChannelPolicy, channel_policy, default_signoff
from assistant.text import fold

IssueCode = Literal[
    "return_promise", "principal_promise", "absolute_claim", "missing_risk_warning", "performance_without_period",
    "performance_without_as_of", "missing_performance_caveat", "loan_without_apr", "apr_mismatch", "rate_mismatch",
    "approval_promise", "student_targeting", "pii", "too_long", "missing_signoff", "missing_opt_out", "offer_misstated",
    "copy_unfaithful",
]  # fmt: skip
ProductKindName = Literal["fund", "wealth", "deposit", "insurance", "consumer_credit", "merchant_credit"]
_CREDIT = ("consumer_credit", "merchant_credit")


class Issue(BaseModel):
    """One thing wrong with the copy, where it is and whether the checker can fix it by itself."""

    code: IssueCode
    severity: Literal["error", "warning"]
    message: str
    """What is wrong and what to do, in Chinese, for the marketer."""
    span: tuple[int, int] | None = None
    """Characters [start, end) of the text the issue was found in; None for something missing or for the title."""
    fixable: bool = False


class OfferTerms(BaseModel):
    """The incentive a piece of copy may describe, as the offer catalog states it."""

    kind: str
    """cash_subsidy, lottery, coupon, gift, points, interest_free, fee_discount or rate_discount; "none" when the copy
    goes out with no incentive at all (then it may promise none)."""
    value: float
    """The cash amount, the lottery's top prize, the coupon's saving, the rate discount in percent…, in `unit`."""
    unit: str
    name: str


class ProductTerms(BaseModel):
    """What copy may say about the product: its name and its terms as the catalog states them. With these, every
    number in the copy must be one of the product's, the offer's or the standard wording's (check `copy_unfaithful`)."""

    name: str
    terms: str = ""
    """The product's description and eligibility: every number and incentive word in them is a fact copy may repeat."""
    daily_rate_min: float | None = None
    """The lowest daily rate, percent, when the rate is a range."""
    apr_min: float | None = None
    """The lowest annualised rate, percent, when the rate is a range."""


class ComplianceReport(BaseModel):
    """The verdict on one piece of copy: what was found, what was fixed, what is still open."""

    passed: bool
    """True only when no error-severity issue remains open in the final text (fixed_text, else the input)."""
    issues: list[Issue]
    """Everything found in the input text; spans point into the input."""
    fixed_text: str | None = None
    """The copy after the automatic fixes; None when fixing was off or nothing changed."""
    applied_fixes: list[str] = []
    remaining: list[Issue] = []
    """What is still open in the final text; spans point into that text. Equals `issues` when nothing was fixed."""

    @model_validator(mode="after")
    def _never_passed_with_open_errors(self) -> ComplianceReport:
        open_error = any(i.severity == "error" for i in self.remaining)
        if self.passed == open_error:
            raise ValueError("a report is passed exactly when no error-severity issue remains open")
        return self


def apr_from_daily(daily_rate: float) -> float:
    """The annualised simple rate in percent for a daily rate in percent: 0.048 -> 17.52 (x 365, half-up to 2 dp)."""
    return float(_half_up(Decimal(str(daily_rate)) * 365, 2))


# --------------------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------------------


def _half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _pct(value: Decimal) -> str:
    """A rate as copy shows it: 17.52, 14.6, 9 (no trailing zeros)."""
    text = f"{_half_up(value, 2):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _same_rate(stated: str, about: bool, exact: Decimal) -> bool:
    """Whether a stated rate is the exact one as copy rounds it: to 2 places, or to its own places after 约."""
    places = max(len(stated.partition(".")[2]), 1) if about else 2
    return Decimal(stated) == _half_up(exact, places)


def _bounds(folded: str, start: int, end: int, stops: str) -> tuple[int, int]:
    """The run around [start, end) that holds none of the stop characters."""
    s = start
    while s > 0 and folded[s - 1] not in stops:
        s -= 1
    e = end
    while e < len(folded) and folded[e] not in stops:
        e += 1
    return s, e


def _negated(folded: str, start: int) -> bool:
    clause_start, _ = _bounds(folded, start, start, R.CLAUSE_END)
    return re.search(R.NEGATION_BEFORE, folded[clause_start:start]) is not None


def _tail(folded: str) -> int:
    """Where an appended sentence goes: before a closing opt-out or sign-off, else at the end."""
    pos = len(folded.rstrip())
    for pattern in (R.HAS_OPT_OUT, r"【[^】]{1,16}】"):
        last = None
        for m in re.finditer(pattern, folded[:pos]):
            last = m
        if last is not None and not folded[last.end() : pos].strip():
            pos = last.start()
    return pos


def _sentence_end_before(text: str, pos: int) -> str:
    """The 。 to put before an appended sentence when the text before it does not end one."""
    before = text[:pos].rstrip()
    return "" if not before or before[-1] in "。！？!?；;…】，,、：:" else "。"


@dataclass
class _Finding:
    issue: Issue
    edit: tuple[int, int, str] | None = None
    """The fix: replace [start, end) with the string (an insertion when start == end)."""
    label: str = ""
    """What applied_fixes says when the edit is made."""


@dataclass
class _Context:
    kind: str | None
    limit: ChannelPolicy | None
    daily_rate: float | None
    apr_exact: Decimal | None
    as_of: date | None
    signoff: str
    requirements: bool = True
    """False for a push title: it must not say anything wrong, but the warnings live in the body."""
    offer: OfferTerms | None = None
    """The campaign's incentive, when the copy goes out with one: every amount the copy promises is checked against it."""
    product: ProductTerms | None = None
    """The product's terms, when known: the lowest rates of a range, and the numbers copy may state."""
    found: list[_Finding] = field(default_factory=list)

    @property
    def daily_min(self) -> Decimal | None:
        return Decimal(str(self.product.daily_rate_min)) if self.product and self.product.daily_rate_min is not None else None

    @property
    def apr_min(self) -> Decimal | None:
        return Decimal(str(self.product.apr_min)) if self.product and self.product.apr_min is not None else None

    def add(self, code: IssueCode, message: str, span: tuple[int, int] | None = None, *, severity: str = "error",
            edit: tuple[int, int, str] | None = None, label: str = "") -> None:
        issue = Issue(code=code, severity=severity, message=message, span=span, fixable=edit is not None)
        self.found.append(_Finding(issue, edit, label))


# --------------------------------------------------------------------------------------------------------------
# rules
# --------------------------------------------------------------------------------------------------------------


def _drop_clause(folded: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The edit that removes the clause holding [start, end), or None when the clause carries facts or is all."""
    if re.match(R.MODIFIER_NOUN, folded[end:]):
        return (start, end, "")  # 保本理财 -> 理财: the noun stays
    cs, ce = _bounds(folded, start, end, R.CLAUSE_END)
    if re.search(R.KEEP_IN_CLAUSE, folded[cs:start] + folded[end:ce]):
        return None
    before, after = folded[:cs].strip(), folded[ce:].strip()
    if not before and not after.strip(R.CLAUSE_END + " "):
        return None  # the promise is the whole copy: nothing safe is left to keep
    if ce < len(folded) and folded[ce] in ",;:、" and not (cs > 0 and folded[cs - 1] in ",;:、"):
        return (cs, ce + 1, "")  # "稳赚，快来买。" -> "快来买。"
    if cs > 0 and folded[cs - 1] in ",;:、":
        return (cs - 1, ce, "")  # "快来买，稳赚！" -> "快来买！"
    return (cs, ce, "")


def _promises(text: str, folded: str, ctx: _Context) -> list[tuple[int, int]]:
    hits: list[tuple[int, int, IssueCode]] = []
    kinds: tuple[tuple[IssueCode, str], ...] = (("principal_promise", R.PRINCIPAL_PROMISE), ("return_promise", R.RETURN_PROMISE))
    for code, pattern in kinds:
        hits += [(m.start(), m.end(), code) for m in re.finditer(pattern, folded) if not _negated(folded, m.start())]
    taken: list[tuple[int, int]] = []
    for start, end, code in sorted(hits, key=lambda h: (h[0], h[0] - h[1])):
        if any(start < e and s < end for s, e in taken):
            continue  # 稳赚不赔 is one principal promise, not also a 稳赚
        taken.append((start, end))
        what = "保证本金或不会亏损" if code == "principal_promise" else "承诺或保证收益"
        edit = _drop_clause(folded, start, end)
        ctx.add(code, f"「{text[start:end]}」{what}，任何产品都不得这样宣传；"
                + ("可删去该说法" if edit else "请改写") + "，需要时如实写风险等级，如「R1 低风险，但不保证本金和收益」。",
                (start, end), edit=edit, label=edit and f"删去承诺用语所在的「{text[edit[0]:edit[1]]}」" or "")  # fmt: skip
    return taken


def _absolute(text: str, folded: str, ctx: _Context, taken: list[tuple[int, int]]) -> None:
    hits: list[tuple[int, int]] = []
    for m in re.finditer(R.SUPERLATIVE, folded):
        start = m.start()
        prefix = re.search(R.COMPARATIVE_PREFIX, folded[:start])
        if prefix:
            start = prefix.start()
        elif re.match(R.LIMIT_AFTER_SUPERLATIVE, folded[m.end() :]):
            # 最高可借 5 万元 states a limit of the terms; 收益最高 8% claims a return.
            cs, _ = _bounds(folded, m.start(), m.end(), R.CLAUSE_END)
            if not re.search(R.RETURN_WORDS, folded[cs : m.start()]):
                continue
        hits.append((start, m.end()))
    hits += [(m.start(), m.end()) for m in re.finditer(R.ABSOLUTE, folded)]
    for start, end in sorted(hits):
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        cut_end = end + 1 if folded[end : end + 1] == "的" else end  # 最好的基金 -> 基金
        word = text[start:end]
        ctx.add("absolute_claim", f"「{word}」是无法证实的绝对化用语，可删去；如需比较，请写明排名机构、类别、区间和日期。",
                (start, end), edit=(start, cut_end, ""), label=f"删去绝对化用语「{word}」")  # fmt: skip


def _performance(text: str, folded: str, ctx: _Context) -> None:
    figures = [m for m in re.finditer(R.PERFORMANCE, folded) if not re.search(R.BENCHMARK_BEFORE, folded[: m.start()])]
    if not figures:
        return
    with_period = []
    for m in figures:
        s, e = _bounds(folded, m.start(), m.end(), R.SENTENCE_END)
        if re.search(R.PERIOD, folded[s:e]):
            with_period.append(m)
        else:
            ctx.add("performance_without_period",
                    f"业绩数字「{text[m.start():m.end()]}」没有写统计区间（近一年、今年以来、成立以来等），无法自动补上，请注明。",
                    (m.start(), m.end()))  # fmt: skip
    if not ctx.requirements:
        return
    if not re.search(R.AS_OF, folded):
        last = figures[-1]
        edit = None
        if ctx.as_of is not None and with_period:
            at = with_period[-1].end()
            edit = (at, at, f"（数据截至 {ctx.as_of.isoformat()}）")
        ctx.add("performance_without_as_of",
                "业绩数字没有写数据截止日期，须注明「数据截至 YYYY-MM-DD」" + ("。" if edit else "；未给出截止日期或缺统计区间，无法自动补上。"),
                (last.start(), last.end()), edit=edit, label=edit and f"补上截止日期{edit[2]}" or "")  # fmt: skip
    if not re.search(R.HAS_CAVEAT, folded):
        at = _tail(folded)
        addition = _sentence_end_before(text, at) + R.PERFORMANCE_CAVEAT
        ctx.add("missing_performance_caveat", f"引用了历史业绩，须同时写明「{R.PERFORMANCE_CAVEAT.rstrip('。')}」。",
                edit=(at, at, addition), label=f"补上过往业绩声明「{R.PERFORMANCE_CAVEAT}」")  # fmt: skip


def _risk_warning(text: str, folded: str, ctx: _Context) -> None:
    if ctx.kind not in R.HAS_RISK_WARNING or re.search(R.HAS_RISK_WARNING[ctx.kind], folded):
        return
    warning = R.RISK_WARNING[ctx.kind]
    at = _tail(folded)
    what = {"fund": "基金营销须带完整风险提示", "deposit": "存款营销须说明存款保险保障"}.get(ctx.kind, "理财营销须带完整风险提示")
    ctx.add("missing_risk_warning", f"{what}「{warning.rstrip('。')}」，不能省略或改写。",
            edit=(at, at, _sentence_end_before(text, at) + warning), label=f"补上风险提示「{warning}」")  # fmt: skip


def _parse_rate(m: re.Match[str]) -> tuple[str, str | None]:
    if m.groupdict().get("wan"):
        return str(Decimal(m["wan"]) / 100), None  # 万分之4.8 = 0.048%
    return m["lo"], m["hi"]


def _loan(text: str, folded: str, ctx: _Context) -> None:
    daily = list(re.finditer(R.DAILY_RATE, folded))
    annual = list(re.finditer(R.ANNUAL_RATE, folded))
    other = list(re.finditer(R.OTHER_PRICING, folded))
    for m in re.finditer(R.APPROVAL_PROMISE, folded):
        edit = _drop_clause(folded, m.start(), m.end())
        ctx.add("approval_promise", f"「{m.group(0)}」暗示必然获批或淡化征信与还款义务，信贷营销不得使用"
                + ("，可删去。" if edit else "，请改写。"), (m.start(), m.end()),
                edit=edit, label=edit and f"删去「{text[edit[0]:edit[1]]}」" or "")  # fmt: skip
    for m in re.finditer(R.STUDENT, folded):
        if re.search(R.NEGATION_BEFORE_STUDENT, folded[: m.start()]) or re.match(R.NEGATION_AFTER_STUDENT, folded[m.end() :]):
            continue
        ctx.add("student_targeting", f"信贷营销不得面向或提及「{m.group(0)}」（在校学生不作为信贷营销对象），请删改。",
                (m.start(), m.end()))  # fmt: skip
    if not ctx.requirements:
        return
    if ctx.daily_rate is not None:
        top = Decimal(str(ctx.daily_rate))
        low = ctx.daily_min if ctx.daily_min is not None else top
        said = f"{_pct(low)}%–{_pct(top)}%" if low != top else f"{_pct(top)}%"
        for m in daily:
            lo, hi = _parse_rate(m)
            if m.groupdict().get("floor"):
                ok, why = Decimal(lo) == low, f"「起」前面须是最低日利率 {_pct(low)}%（产品日利率 {said}），不能把更高的利率说成起点"
            elif hi:
                # A range must end at the highest rate, and start at the lowest when the terms give one.
                ok, why = Decimal(hi) == top and (ctx.daily_min is None or Decimal(lo) == low), f"产品日利率是 {said}"
            else:
                ok, why = Decimal(lo) == top or (low == top and Decimal(lo) == low), f"产品日利率是 {said}" + ("，请写区间或「起」" if low != top else "")
            if not ok:
                ctx.add("rate_mismatch", f"文案中的日利率「{m.group(0)}」与产品数据不一致：{why}。", (m.start(), m.end()))
    if not annual:
        _loan_without_apr(text, folded, ctx, daily, other)
        return
    for m in annual:
        _check_annual(text, folded, ctx, m, daily)


def _loan_without_apr(text: str, folded: str, ctx: _Context, daily: list[re.Match[str]], other: list[re.Match[str]]) -> None:
    priced = daily or other
    edit, insertion = None, None
    if ctx.apr_exact is not None:
        insertion = f"年化利率 {_pct(ctx.apr_min)}%–{_pct(ctx.apr_exact)}%" if ctx.apr_min is not None else f"年化利率 {_pct(ctx.apr_exact)}%"
    elif daily:
        lo, hi = _parse_rate(daily[0])
        insertion = f"年化利率 {_pct(Decimal(lo) * 365)}%" + (f"–{_pct(Decimal(hi) * 365)}%" if hi else "起" if daily[0].groupdict().get("floor") else "")
    if priced and insertion:
        at = priced[0].end()
        edit = (at, at, f"（{insertion}，单利）")
    elif insertion:
        at = _tail(folded)
        edit = (at, at, _sentence_end_before(text, at) + f"{insertion}（单利）。")
    if priced:
        ctx.add("loan_without_apr", f"贷款文案写了「{priced[0].group(0)}」等价格信息，须在同一处写明年化利率（单利）"
                + ("。" if edit else "；缺少利率数据，无法自动补上。"), (priced[0].start(), priced[0].end()),
                edit=edit, label=edit and f"补上年化利率{edit[2]}" or "")  # fmt: skip
    else:
        # No price at all (a banner pointing to the loan page): the rule asks for the annualised rate on every loan
        # ad on every surface, so it blocks; a surface too small to carry it cannot advertise the loan.
        ctx.add("loan_without_apr", "信贷营销内容须明示年化利率（单利），任何展示位都不例外" + ("。" if edit else "；缺少利率数据，无法自动补上。"),
                edit=edit, label=edit and f"补上年化利率「{edit[2].strip('。')}」" or "")  # fmt: skip


def _check_annual(text: str, folded: str, ctx: _Context, m: re.Match[str], daily: list[re.Match[str]]) -> None:
    about, lo, hi = m["about"] is not None, m["lo"], m["hi"]
    s, _ = _bounds(folded, m.start(), m.end(), R.SENTENCE_END)
    paired = [d for d in daily if s <= d.start() < m.start()]
    problems: list[str] = []
    wanted: set[str] = set()  # what a single stated rate should read, by each source
    if paired:
        d_lo, d_hi = _parse_rate(paired[-1])
        if hi and d_hi:
            pairs = [(lo, Decimal(d_lo) * 365), (hi, Decimal(d_hi) * 365)]
        elif hi and paired[-1].groupdict().get("floor"):
            pairs = [(lo, Decimal(d_lo) * 365)]  # 日利率0.02%起，年化7.3%–21.9%: the floor pairs with the range's start
        else:
            pairs = [(hi or lo, Decimal(d_hi or d_lo) * 365)]
        for stated, exact in pairs:
            wanted.add(_pct(exact))
            if not _same_rate(stated, about, exact):
                problems.append(f"{stated}% 应为 {_pct(exact)}%（日利率 × 365）")
    if ctx.apr_exact is not None:
        low = ctx.apr_min
        if m["floor"]:
            # 年化利率7.3%起: the number before 起 is the lowest rate the product charges.
            floor = low if low is not None else ctx.apr_exact
            wanted.add(_pct(floor))
            if not _same_rate(lo, about, floor):
                problems.append(f"「起」前面须是最低年化利率 {_pct(floor)}%")
        elif hi and low is not None:
            wanted.add(_pct(ctx.apr_exact))
            if not (_same_rate(lo, about, low) and _same_rate(hi, about, ctx.apr_exact)):
                problems.append(f"产品数据的年化利率是 {_pct(low)}%–{_pct(ctx.apr_exact)}%")
        else:
            wanted.add(_pct(ctx.apr_exact))
            if not any(_same_rate(v, about, ctx.apr_exact) for v in (lo, hi) if v):
                problems.append(f"产品数据的年化利率是 {_pct(ctx.apr_exact)}%")
    if not problems:
        return
    # Corrected only when it is one number and every source agrees on it; else the copy contradicts itself or the data.
    edit = (m.start("lo"), m.end("lo"), wanted.pop()) if not hi and len(wanted) == 1 else None
    ctx.add("apr_mismatch", f"年化利率「{text[m.start():m.end()]}」有误：{'；'.join(problems)}。",
            (m.start(), m.end()), edit=edit, label=edit and f"年化利率改为 {edit[2]}%" or "")  # fmt: skip


def _pii(text: str, folded: str, ctx: _Context) -> None:
    taken: list[tuple[int, int]] = []
    masks = (
        ("身份证号", R.ID_CARD, lambda s: s[:3] + "*" * (len(s) - 7) + s[-4:]),
        ("银行卡号", R.BANK_CARD, lambda s: f"尾号 {re.sub(r'[^0-9]', '', s)[-4:]}"),
        ("手机号", R.PHONE, lambda s: (d := re.sub(r"[^0-9]", "", s)[-11:])[:3] + "****" + d[-4:]),
    )
    for what, pattern, mask in masks:
        for m in re.finditer(pattern, folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            masked = mask(text[m.start() : m.end()])
            ctx.add("pii", f"文案中出现了完整的{what}，须脱敏后才能展示，如「{masked}」。", (m.start(), m.end()),
                    edit=(m.start(), m.end(), masked), label=f"{what}脱敏为「{masked}」")  # fmt: skip


def _channel(text: str, folded: str, ctx: _Context) -> None:
    limit = ctx.limit
    if limit is None or not ctx.requirements:
        return
    if limit.signoff and not re.search(R.HAS_SIGNOFF, folded):
        ctx.add("missing_signoff", f"营销短信须在开头带签名，如「{ctx.signoff}」。",
                edit=(0, 0, ctx.signoff), label=f"补上短信签名「{ctx.signoff}」")  # fmt: skip
    if limit.needs_opt_out and not re.search(R.HAS_OPT_OUT, folded):
        at = len(text.rstrip())
        if re.search(r"【[^】]{1,16}】\s*$", folded):
            at = folded.rstrip().rfind("【")  # a sign-off at the end stays last
        words = limit.opt_out or ""
        ctx.add("missing_opt_out", f"营销短信须写明退订方式，如「{words}」。",
                edit=(at, at, words), label=f"补上退订方式「{words}」")  # fmt: skip
    if limit.text_limit is not None and len(text) > limit.text_limit:
        ctx.add("too_long", f"全文 {len(text)} 字，超出 {limit.channel_id} 的 {limit.text_limit} 字上限 "
                f"{len(text) - limit.text_limit} 字（按字符数计，签名、标点、空格都算），请删减卖点。")  # fmt: skip


_CASH_PROMISE = re.compile(r"(?P<lead>最高|最多|高达|至高|up to)?\s*(?:可)?(?:领|送|得|赢|抽|返|拿)?\s*(?P<n>\d+(?:\.\d+)?)\s*元\s*(?P<what>现金红包|红包|现金|奖励|奖金)?")


def _offer(text: str, folded: str, ctx: _Context) -> None:
    """Copy states the incentive as the offer is: a red packet of the offer's amount, a lottery as 抽奖 up to its top
    prize, and no red packet at all for a coupon, a gift or a free first month."""
    offer = ctx.offer
    if offer is None:
        return
    for m in _CASH_PROMISE.finditer(folded):
        if not m.group("what") and not (m.group("lead") and offer.kind == "lottery"):
            continue  # 满1000减10元, 首月1元, 10元话费: a coupon's terms or a gift, not a sum of cash promised
        amount = float(m.group("n"))
        if offer.kind == "none":
            ctx.add("offer_misstated", f"文案许诺了「{text[m.start() : m.end()].strip()}」，但本次活动不发任何权益。", (m.start(), m.end()))
        elif offer.kind == "cash_subsidy":
            if abs(amount - offer.value) > 1e-6:
                ctx.add("offer_misstated", f"文案写的是 {amount:g} 元，权益「{offer.name}」是 {offer.value:g} 元。", (m.start(), m.end()))
        elif offer.kind == "lottery":
            if not m.group("lead") or amount > offer.value + 1e-6 or "红包" in (m.group("what") or ""):
                ctx.add("offer_misstated", f"「{offer.name}」是抽奖，文案须写「抽奖，最高{offer.value:g}元」，不能写成确定到手的{amount:g}元{m.group('what') or ''}。",
                        (m.start(), m.end()))  # fmt: skip
        else:
            ctx.add("offer_misstated", f"权益是「{offer.name}」，不是{m.group('what') or '现金'}；文案不能写成「{text[m.start() : m.end()].strip()}」。", (m.start(), m.end()))
    if offer.kind == "lottery" and not re.search(r"抽|draw|lottery", folded):
        ctx.add("offer_misstated", f"「{offer.name}」是抽奖，文案须写明是抽奖。")


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Incentive words and the offer kinds that may use them (红包 and 抽奖 are `_offer`'s); a word is also allowed when the
# product's own terms use it (随心分's 40 天免息 is the product's, not an offer).
_OFFER_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    (r"免息", frozenset({"interest_free"})), (r"\d+(?:\.\d+)?\s*折|折扣|打折|免申购费|费率优惠", frozenset({"fee_discount", "rate_discount"})),
    (r"积分", frozenset({"points"})), (r"话费|会员|礼品|好礼", frozenset({"gift"})), (r"加息", frozenset({"coupon"})),
    (r"满\s*\d[\d,]*\s*减|优惠券|立减", frozenset({"coupon"})),
    (r"福利|有礼|礼包|送礼|奖励", frozenset({"cash_subsidy", "lottery", "coupon", "gift", "points", "interest_free", "fee_discount", "rate_discount"})),
)  # fmt: skip


def _numbers(text: str) -> set[Decimal]:
    return {Decimal(n) for n in _NUMBER.findall(re.sub(r"(?<=\d),(?=\d{3})", "", fold(text)))}


@lru_cache(maxsize=64)
def _standard_numbers(frame: str) -> frozenset[Decimal]:
    """Numbers the standard wording and the channel's frame carry (存款保险's 50万元, a sign-off's digits)."""
    return frozenset(_numbers(" ".join(R.RISK_WARNING.values()) + R.PERFORMANCE_CAVEAT + frame))


def _faithful(text: str, folded: str, ctx: _Context) -> None:
    """Copy says only what the product and the offer are: a deposit is a deposit (and only a deposit is insured as one),
    every number is one of the terms', and every incentive word is the offer's or the product's."""
    if ctx.kind == "deposit":
        for m in re.finditer(R.NOT_A_DEPOSIT, folded):
            ctx.add("copy_unfaithful", f"「{text[m.start():m.end()]}」说错了产品：这是银行存款，受存款保险保护，应写「{R.RISK_WARNING['deposit'].rstrip('。')}」。",
                    (m.start(), m.end()))  # fmt: skip
    elif ctx.kind is not None:
        for m in re.finditer(r"存款保险", folded):
            ctx.add("copy_unfaithful", "只有银行存款受存款保险保护，这个产品不是存款，不能这样写。", (m.start(), m.end()))
    product, offer = ctx.product, ctx.offer
    facts = " ".join(x for x in (product.name, product.terms) if x) if product else ""
    folded_facts = fold(facts)
    if offer is not None:
        for pattern, kinds in _OFFER_WORDS:
            for m in re.finditer(pattern, folded):
                if offer.kind not in kinds and not re.search(pattern, folded_facts):
                    what = "本次活动不发任何权益" if offer.kind == "none" else f"权益是「{offer.name}」"
                    ctx.add("copy_unfaithful", f"文案写了「{text[m.start():m.end()]}」，但{what}。", (m.start(), m.end()))
    if product is None:
        return
    allowed = _numbers(facts) | _standard_numbers(ctx.signoff + (ctx.limit.opt_out or "" if ctx.limit else ""))
    if offer is not None and offer.kind != "none":
        allowed |= _numbers(offer.name) | {Decimal(str(offer.value)).normalize()}
    rates = [ctx.daily_rate, ctx.apr_exact, ctx.daily_min, ctx.apr_min]
    allowed |= {Decimal(_pct(Decimal(str(r)))) for r in rates if r is not None}
    if ctx.as_of is not None:
        allowed |= _numbers(ctx.as_of.isoformat())
    allowed = {a.normalize() for a in allowed}
    for m in _NUMBER.finditer(re.sub(r"(?<=\d),(?=\d{3})", "", folded)):
        if Decimal(m.group(0)).normalize() not in allowed:
            ctx.add("copy_unfaithful", f"文案里的数字「{m.group(0)}」不在产品「{product.name}」和权益的条款里，不能出现。")


def _scan(text: str, ctx: _Context) -> list[_Finding]:
    ctx.found = []
    folded = fold(text)
    taken = _promises(text, folded, ctx)
    _absolute(text, folded, ctx, taken)
    if ctx.kind not in _CREDIT:
        _performance(text, folded, ctx)
    if ctx.requirements:
        _risk_warning(text, folded, ctx)
    if ctx.kind in _CREDIT or (ctx.kind is None and re.search(R.DAILY_RATE, folded)):
        _loan(text, folded, ctx)
    _pii(text, folded, ctx)
    _channel(text, folded, ctx)
    _offer(text, folded, ctx)
    _faithful(text, folded, ctx)
    return sorted(ctx.found, key=lambda f: (f.issue.span or (len(text), len(text)), f.issue.code))


# --------------------------------------------------------------------------------------------------------------
# the entry point
# --------------------------------------------------------------------------------------------------------------


def _fix(text: str, ctx: _Context) -> tuple[str, list[str], list[Issue]]:
    """Apply fixes one at a time, removals first; returns the text, the fixes made and the too_long the rest need."""
    applied: list[str] = []
    # An edit is tried once: one that did not fit stays out, and one that comes back after it was made means two
    # rules disagree (the copy contradicts the data), which a person has to settle, so it is not made again.
    tried: set[tuple[str, str, str]] = set()
    overflow: list[Issue] = []
    cap = ctx.limit.text_limit if ctx.limit else None
    for _ in range(64):  # a bound for safety only: every edit is tried once
        todo = [f for f in _scan(text, ctx) if f.edit and _key(f, text) not in tried]
        if not todo:
            break
        # Removals first (they make room), then errors before warnings, so a warning never crowds out an error.
        f = min(todo, key=lambda f: (len(f.edit[2]) > f.edit[1] - f.edit[0], f.issue.severity != "error"))  # type: ignore[index]
        tried.add(_key(f, text))
        start, end, new = f.edit  # type: ignore[misc]
        candidate = text[:start] + new + text[end:]
        if cap is not None and len(candidate) > cap and len(candidate) > len(text):
            if f.issue.severity == "error":
                overflow.append(Issue(code="too_long", severity="error", message=(
                    f"须补上「{new}」，补上后共 {len(candidate)} 字，超出 {ctx.limit.channel_id} 的 {cap} 字上限；"  # type: ignore[union-attr]
                    "提示语不能删，请删减卖点后再检查。")))  # fmt: skip
            continue
        text = candidate
        applied.append(f.label)
    return text, applied, overflow


def _key(f: _Finding, text: str) -> tuple[str, str, str]:
    start, end, new = f.edit  # type: ignore[misc]
    return f.issue.code, text[start:end], new


def check_copy(
    text: str,
    *,
    product_kind: ProductKindName | None,
    channel: str | None = None,
    daily_rate: float | None = None,
    apr: float | None = None,
    as_of: date | None = None,
    fix: bool = True,
    title: str | None = None,
    signoff: str | None = None,
    offer: OfferTerms | None = None,
    product: ProductTerms | None = None,
) -> ComplianceReport:
    """Check one piece of copy against the compliance rules (and its channel's limits), fixing what is safe to fix."""
    kind = getattr(product_kind, "value", product_kind)  # a retrieval.ProductKind is welcome too
    if daily_rate is not None and apr is not None and abs(Decimal(str(daily_rate)) * 365 - Decimal(str(apr))) > Decimal("0.01"):
        raise ValueError(f"apr {apr} is not daily rate {daily_rate} x 365")
    apr_exact = Decimal(str(daily_rate)) * 365 if daily_rate is not None else Decimal(str(apr)) if apr is not None else None
    limit = channel_policy(channel) if channel is not None else None
    ctx = _Context(kind, limit, daily_rate, apr_exact, as_of, signoff or default_signoff(), offer=offer, product=product)

    title_issues: list[Issue] = []
    if title is not None:
        title_issues = _title_issues(title, ctx)
    issues = [f.issue for f in _scan(text, ctx)] + title_issues
    if not fix:
        return ComplianceReport(passed=not any(i.severity == "error" for i in issues), issues=issues, remaining=issues)
    final, applied, overflow = _fix(text, ctx)
    remaining = [f.issue for f in _scan(final, ctx)]
    if not any(i.code == "too_long" for i in remaining):
        remaining += overflow[:1]  # one too_long says it: the first missing sentence that does not fit
    remaining += title_issues
    return ComplianceReport(
        passed=not any(i.severity == "error" for i in remaining), issues=issues,
        fixed_text=final if final != text else None, applied_fixes=applied, remaining=remaining,
    )  # fmt: skip


def _title_issues(title: str, ctx: _Context) -> list[Issue]:
    """A title must say nothing wrong and fit; warnings and disclosures live in the body, and it is not fixed."""
    limit = ctx.limit
    if limit is None or limit.title_limit is None:
        raise ValueError(f"channel {limit.channel_id if limit else None!r} has no separate title")
    title_ctx = _Context(ctx.kind, None, ctx.daily_rate, ctx.apr_exact, ctx.as_of, ctx.signoff, requirements=False, offer=ctx.offer,
                         product=ctx.product)  # fmt: skip
    issues = [f.issue.model_copy(update={"message": "标题：" + f.issue.message,
                                         "span": None, "fixable": False})
              for f in _scan(title, title_ctx)]  # fmt: skip
    if len(title) > limit.title_limit:
        issues.append(Issue(code="too_long", severity="error",
                            message=f"标题 {len(title)} 字，超出 {limit.channel_id} 标题 {limit.title_limit} 字上限。"))
    return issues

"""The offline brief parser: a marketer's brief to a CampaignBrief, deterministically, with no model.

It reads through the one text layer (`assistant.text`): the brief is normalised once, every slot is found as a span
of that normal form, and every span a slot reads is marked taken. What is left over and still carries a condition
(an audience the tags cannot select, a number nothing read, a negation of nothing) is `unparsed`: shown in the plan's
first lines, and asked about when it would change who is targeted or what is sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import cached_property
from typing import Any

from pydantic import BaseModel, Field

from assistant.campaigns._audience import AudienceReader, clause_bounds, name_pattern
from assistant.campaigns._brief import CampaignBrief, Unparsed
from assistant.campaigns._lexicon import CampaignLexicon, campaign_lexicon
from assistant.campaigns._market import Market
from assistant.campaigns._plan import product_family
from assistant.text import (
    NUM,
    Lang,
    Span,
    Text,
    cn_number,
    find_amounts,
    find_durations,
    find_percents,
    find_phrases,
    find_word_amounts,
    language,
    normalize,
)
from assistant.text import Found as Amount

_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
_EN_MONTH = r"(?P<{n}>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_WEEKDAYS = {"一": 0, "1": 0, "二": 1, "2": 1, "三": 2, "3": 2, "四": 3, "4": 3, "五": 4, "5": 4, "六": 5, "6": 5, "日": 6, "天": 6, "7": 6}
_EN_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}


def _en_weekday(word: str) -> int:
    """Monday = 0 from a weekday's name or abbreviation (mon, tues, thur)."""
    return next(d for name, d in _EN_WEEKDAYS.items() if name.startswith(word[:3]))
_RUN = r"(为期|连续|持续|跑|做|干|搞|挂|上线|投|投放|期|周期|活动期|(?<=开始)推|(?<=起)推|(?<=开始)发|for|run|runs|running|lasting|last|over|共|一共|总共|时长)"


class BriefReading(BaseModel):
    """A brief as read: the slots, the words each came from, and what was not understood."""

    brief: CampaignBrief
    evidence: dict[str, list[Span]] = Field(default_factory=dict)
    """Per slot, the words as typed that set it."""
    unparsed: list[Unparsed] = Field(default_factory=list)
    question: str | None = None
    """One question, when something not understood would change who is targeted or what is sent."""
    lang: Lang = "zh"
    normal: str = ""
    """The brief's normal form, which every span and grounding check refers to."""


@dataclass
class _Read:
    """One pass over a brief: the normal form, what is taken, and the slots found so far."""

    text: Text
    market: Market
    lx: CampaignLexicon
    today: date
    used: list[bool] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, list[Span]] = field(default_factory=dict)
    unknown: list[Unparsed] = field(default_factory=list)
    """Conditions recognised as such but not expressible over the tags."""
    product_at: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    audience_at: list[tuple[int, int]] = field(default_factory=list)
    product_starts: set[int] = field(default_factory=set)
    product_spans: list[tuple[int, int]] = field(default_factory=list)
    festival_end: date | None = None
    offer_spans: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.t = self.text.norm
        self.used = [False] * len(self.t)
        self.soft = [False] * len(self.t)

    @cached_property
    def offer_hits(self) -> list[tuple[str, re.Match[str]]]:
        """Every match of the market's offers' names, in lexicon order, found once (products and offers both read them)."""
        return [(oid, m) for pattern, oid in self.lx.offer_patterns if oid in self.market.offers for m in pattern.finditer(self.t)]

    def taken(self, a: int, b: int, *, over_products: bool = False) -> bool:
        """Whether any of [a, b) was read; `over_products` ignores product and family words (定投满100减5 names an
        offer even though 定投 also named the family)."""
        if over_products:
            return any(u and not s for u, s in zip(self.used[max(0, a) : b], self.soft[max(0, a) : b]))
        return any(self.used[max(0, a) : b])

    def take(self, a: int, b: int, slot: str | None = None) -> None:
        for i in range(max(0, a), min(b, len(self.used))):
            self.used[i] = True
            if slot in ("products", "categories", "fund_types"):
                self.soft[i] = True
        if slot:
            self.evidence.setdefault(slot, []).append(self.text.span(a, b))

    def clause(self, at: int) -> tuple[int, int]:
        return clause_bounds(self.t, at)

    def ask(self, a: int, b: int, kind: str, *, shown: int | None = None, asks: bool = True) -> None:
        """Words in [a, b) carry something the planner cannot do (an audience no tag holds, an offer the catalog lacks):
        read, shown up to `shown` (default b) as not understood, and asked about unless `asks` is False (a constraint
        the plan shows but a question would not settle)."""
        span = self.text.span(a, b if shown is None else shown)
        self.unknown.append(Unparsed(text=span.text.strip(), span=span, kind=kind, asks=asks))
        self.take(a, b)


# -- audience ---------------------------------------------------------------------------------------------------


def _audience(r: _Read) -> None:
    reader = AudienceReader(r.t, r.market, r.lx, language(), r.today)
    found = reader.read(r.taken)
    for a, b in reader.unknown:
        r.ask(a, b, "audience")
    conditions = []
    for f in found:
        r.take(f.start, f.end, "audience")
        r.audience_at.append((f.start, f.end))
        if not f.rule:
            continue
        said = r.text.span(f.start, f.end).text
        for a, b in f.said_also or []:
            said += "、" + r.text.span(a, b).text
        conditions.append({"rule": f.rule, "said": said, "family": {"risk_words": "risk_grade", "activity_words": "activity"}.get(f.family, f.family)})
    if conditions:
        r.data["audience"] = conditions


def _explicit_rule(r: _Read) -> None:
    """A rule written in the segment language (人群用规则 aum_band in ('0','<1k') and city_tier = 1): the longest
    stretch after 规则/rule that parses is the segment."""
    from assistant.campaigns._rules import RuleError, parse_rule

    m = re.search(r"(?:规则|rule|segment)\s*(?:是|为|用|:|：|=)?\s*", r.t)
    if not m:
        return
    tail = r.text.raw[r.text.raw_span(m.end(), m.end())[0] :]
    stops = [i for i, ch in enumerate(tail) if ch in "，,。;；\n"] + [len(tail)]
    for stop in reversed(stops):
        candidate = tail[:stop].strip()
        try:
            parse_rule(candidate)
        except RuleError:
            continue
        r.data["segment_rule"] = candidate
        end = m.end() + len(normalize(tail[:stop]).norm)
        r.take(m.start(), end, "segment_rule")
        return


def _rate_talk(r: _Read) -> None:
    """Rates the brief quotes for the copy (年化 17.52% 要写清楚, 日息 0.04%): instructions the compliance checker
    enforces from the product's own rates, not conditions on anything."""
    for m in re.finditer(r"(?:年化(?:利率)?|日利率|日息|日费率|apr|annual(?:ised|ized)? rate|daily rate|利率)\s*(?:约|为|是|写|of|is)?\s*\d+(?:\.\d+)?\s*%(?:\s*(?:-|–|~|到|至)\s*\d+(?:\.\d+)?\s*%)?", r.t):
        if not r.taken(m.start(), m.end()):
            r.take(m.start(), m.end(), "copy_rates")


# -- experiments ------------------------------------------------------------------------------------------------


def _rate(m: re.Match[str], group: str = "n") -> float | None:
    raw = m.group(group)
    value = cn_number(raw)
    if value is None:
        return None
    pct = m.group(0)
    if re.search(r"%|百分|percent|pct", pct) or value >= 1:
        return value / 100
    return value


def _experiment(r: _Read) -> None:
    t = r.t
    if re.search(r"\ba/?b\b|\bab\s*(测|实验|test)|对照组|空白组|控制组|hold[- ]?out|split test|实验|测试两|测两|两版|三版|两套|两组|三组|文案测试|copy test|分组|a组|b组|\barms?\b|variants?|control group|\bexperiment\b", t):
        r.data["experiment"] = True
    cue = r"现(?=\S{0,4}率)|现在|目前|当前|历史|平时|过去|一般|平均|大盘|基线|基准|原来|往常|现状|baseline|current(?:ly)?|today'?s|historical(?:ly)?|usual(?:ly)?|typical(?:ly)?|is about|is around|runs at"
    for c in re.finditer(cue, t):
        _lo, hi = r.clause(c.start())
        if t[hi : hi + 1] in (":", "："):
            hi = r.clause(hi + 1)[1]  # 基线转化率：1.2% — a form's field, its value after the colon
        pct = next((p for p in find_percents(t) if c.end() <= p.start <= c.end() + 40 and p.end <= hi and not r.taken(p.start, p.end)), None)
        if pct is None or not re.search(r"率|rate|cvr|ctr|conversion|转化|%", t[c.start() : pct.end]):
            continue
        r.data["baseline_rate"] = round(pct.value / 100, 6)
        r.take(c.start(), pct.end, "baseline_rate")
        break
    # 看首借率能不能从1%提到1.3%, lift conversion from 2% to 2.5%: the baseline and the lift as points
    m = re.search(r"(?:率|rate|cvr|ctr|conversion)[^,，。;；]{0,12}?(?:从|from)\s*(?P<a>\d+(?:\.\d+)?)\s*%\s*(?:提到|提升到|提高到|涨到|升到|到|to|up to)\s*(?P<b>\d+(?:\.\d+)?)\s*%", t)
    if m and not r.taken(m.start("a"), m.end()) and float(m.group("b")) > float(m.group("a")) > 0:
        r.data.setdefault("baseline_rate", round(float(m.group("a")) / 100, 6))
        r.data["mde"], r.data["mde_absolute"], r.data["experiment"] = round((float(m.group("b")) - float(m.group("a"))) / 100, 6), True, True
        r.take(m.start("a") - len(re.search(r"(?:从|from)\s*$", t[: m.start("a")]).group(0)), m.end(), "mde")  # type: ignore[union-attr]
    units = r"(?P<u>个百分点|百分点|个点|pp\b|pct\b|percentage[- ]points?|points?|%|percent)"
    mde_patterns = [
        rf"(?:looking for|aiming for|aim for|want|hoping for|看)\s*(?:a)?\s*\+\s*(?P<n>\d+(?:\.\d+)?)\s*{units}",
        rf"(?:detect|measure)\s*(?:a|an)\s*(?:absolute|relative)?\s*(?:drop|decrease|change|difference|increase|lift|uplift)\s*of\s*(?P<n>\d+(?:\.\d+)?)\s*{units}",
        rf"(?:测出|检测出|检测到|检测|检出|测到|识别出|识别到|识别|看出|看到|detect|measure)\s*(?:a|an)?\s*(?:至少|最少|起码|at least)?\s*(?:a|an)?\s*(?:相对|绝对)?\s*(?P<n>\d+(?:\.\d+)?)\s*{units}\s*(?:的)?\s*(?:相对|绝对)?\s*(?:提升|增长|差异|差别|变化|lift|uplift|increase|improvement|difference)",
        rf"(?:检测出|检测到|测出|看出|看到)\s*(?P<rel>相对)?\s*百分之(?P<n>{NUM})(?P<u>)\s*(?:的)?\s*(?:相对)?\s*(?:提升|增长|差异|变化)",
        rf"(?:看出|看到|检测出|检出)?\s*(?:相对)?\s*(?:提升|提高|增长)\s*百分之(?P<n>{NUM})(?P<u>)",
        r"(?:看出|看到|测出|检测出|检测到|检出|能检测|detect)\s*(?:绝对)?\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<u>个百分点|百分点|个点|pp\b|pct\b|percentage[- ]points?)",
        rf"(?:提升|提高|lift|uplift|mde|最小可检测(?:效应|提升)?|检测出|检测到|detect|识别出|minimum detectable effect)[^\d,，。;；]{{0,8}}?(?P<n>\d+(?:\.\d+)?|{NUM})\s*{units}",
        # we care about a 0.5 percentage point lift / want a 10% relative lift: the figure, then what it is
        rf"(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s*{units}\s*(?:relative|absolute|相对|绝对)?\s*(?:lift|uplift|increase|improvement|difference|change)\b",
    ]
    m = re.search(rf"相对\s*(?:提升|提高|增长)\s*(?P<c>{NUM})\s*成", t)
    if m and not r.taken(m.start(), m.end()):
        r.data["mde"], r.data["mde_absolute"], r.data["experiment"] = (cn_number(m.group("c")) or 0) / 10, False, True  # 相对提升两成
        r.take(m.start(), m.end(), "mde")
    for pattern in ([] if m or "mde" in r.data else mde_patterns):
        m = next((x for x in re.finditer(pattern, t) if not r.taken(x.start("n"), x.end("u"))), None)
        value = cn_number(m.group("n")) if m else None
        if m is None or value is None:
            continue
        r.data["mde"] = value / 100
        r.data["mde_absolute"] = re.sub(r"[- ]", " ", m.group("u")) in ("个百分点", "百分点", "个点", "pp", "pct", "percentage point", "percentage points", "point", "points")
        r.data["experiment"] = True
        lead = re.search(r"(?:要能|能够|能)?\s*(?:测出|检测出|检测到|识别出|看出|看到|detect)?\s*(?:相对|绝对|a relative|an absolute)?\s*$", t[max(0, m.start() - 12) : m.start()])
        r.take(m.start() - (len(lead.group(0)) if lead else 0), m.end(), "mde")  # 要能测出相对提升15%: all of it says the MDE
        break
    m = re.search(r"(?:显著性水平|显著性|显著水平|双侧|单侧|双尾|单尾|alpha|α|significance(?: level)?|two-sided|one-sided|two-tailed)\s*(?:=|为|是|:|of|at|取)?\s*(?P<n>0?\.\d+|\d+(?:\.\d+)?\s*%)", t)
    if m:
        raw = m.group("n").replace(" ", "")
        r.data["alpha"] = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
        r.take(m.start(), m.end(), "alpha")
    elif m := re.search(r"(?P<n>9[059])\s*%\s*(?:的)?\s*(?:置信|confidence)|(?:置信度|置信水平|confidence(?: level)?)\s*(?:为|是|:|：|of|at)?\s*(?P<n2>9[059])\s*%", t):
        r.data["alpha"] = round(1 - int(m.group("n") or m.group("n2")) / 100, 4)
        r.take(m.start(), m.end(), "alpha")
    m = re.search(r"(?:统计功效|功效|检验力|检出力|power|1\s*-\s*β)\s*(?:=|为|是|:|of|at|取|要|达到)?\s*(?P<n>0?\.\d+|\d+(?:\.\d+)?\s*%|[七八九]成)|(?P<m>\d+(?:\.\d+)?\s*%)\s*(?:的)?\s*(?:统计)?(?:power|功效|检验力)", t)
    if m:
        raw = (m.group("n") or m.group("m")).replace(" ", "")
        value = {"七成": 0.7, "八成": 0.8, "九成": 0.9}.get(raw) or (float(raw[:-1]) / 100 if raw.endswith("%") else float(raw))
        if 0.5 < value < 1:
            r.data["power"] = value
            r.take(m.start(), m.end(), "power")
    m = re.search(r"(?:参数|默认|alpha\s*/\s*power|α\s*/\s*(?:power|功效))[^。；;\n]{0,8}?(?P<a>0?\.\d+)\s*/\s*(?P<p>0?\.\d+)", t)
    if m and 0 < float(m.group("a")) < 0.2 and 0.5 < float(m.group("p")) < 1:
        r.data.setdefault("alpha", float(m.group("a")))  # 其他参数按默认（0.05/0.8）
        r.data.setdefault("power", float(m.group("p")))
        r.take(m.start("a"), m.end("p"), "alpha")
    # the first stated share that is a hold-out's size (做个holdout：90%的人发…剩下10%不发当对照: the 90% are treated)
    m = next((x for x in re.finditer(r"(?:对照组|空白组|控制组|control(?: group)?|hold[- ]?out(?: group)?)\s*(?:留|留出|占|为|是|of|at|=|:)?\s*(?P<g>\d+(?:\.\d+)?)\s*%|(?:留|留出|预留|抽|另留|另外留)\s*(?P<n>\d+(?:\.\d+)?)\s*%\s*(?:的)?\s*(?:用户|人群|人|流量)?\s*(?:完全|彻底|都|一律|啥都|什么都)?\s*(?:不触达|不发|不推|空白)?\s*(?:的)?\s*(?:做|作为|当)?\s*(?:对照|空白|控制|hold[- ]?out)|(?P<e>\d+(?:\.\d+)?)\s*%\s*(?:hold[- ]?out|control|held out|are held out|is held out)|hold[- ]?out\s*(?:of)?\s*(?P<f>\d+(?:\.\d+)?)\s*%|(?:剩下|剩余|其余|另外)\s*(?P<h>\d+(?:\.\d+)?)\s*%\s*(?:的人|的用户|用户)?\s*(?:不发|不触达|不推|啥都不发|什么都不发)?\s*(?:当|做|作为|为|是)?\s*(?:空白)?\s*(?:对照|空白|控制)(?:组)?", t) if 0 < float(next(g for g in x.groups() if g)) < 90), None)
    if m:
        share = float(m.group("g") or m.group("n") or m.group("e") or m.group("f") or m.group("h")) / 100
        tail = re.match(r"(?:组)?\s*(?:啥都不发|什么都不发|什么都不推|啥都不推|不发|不触达|不推)", t[m.end() :])
        if tail:
            r.take(m.end(), m.end() + tail.end())
        rest = re.search(rf"(?<![\d.]){100 - share * 100:g}\s*%\s*(?:的人|的用户|用户)?", t)
        if rest:
            r.take(rest.start(), rest.end())  # 90%的人发…剩下10%不发当对照: the treated share is the rest
        if 0 < share < 0.9:
            r.data["holdout_share"] = share
            r.data["experiment"] = True
            r.take(m.start(), m.end(), "holdout_share")
    elif (m := re.search(r"(?<![\d.])(?P<a>\d{2})\s*[/:：]\s*(?P<b>\d{1,2})(?![\d.])\s*(?:split|分流|拆分|切分|分组)", t)) and int(m.group("a")) + int(m.group("b")) == 100 and re.search(r"hold[- ]?out|control|对照|空白", t):
        r.data["holdout_share"] = min(int(m.group("a")), int(m.group("b"))) / 100  # a 90/10 split: the smaller share is held out
        r.data["experiment"] = True
        r.take(m.start(), m.end(), "holdout_share")
    elif m := re.search(r"(?:留|另留|另外留|加|设|保留|再留)\S{0,8}?(?:空白对照组|空白组|对照组|holdout组|hold-out组)|对照组[^。；;]{0,14}(?:作为|当|做)\s*(?:holdout|hold-out|对照)|(?:plus|with|keep|add|and)\s+an?\s+(?:\w+\s+)?(?:holdout|hold-out|control group|no-touch group)", t):
        r.data["holdout_share"] = 0.1  # a hold-out asked for without its size: the usual tenth, shown on the plan
        r.data["experiment"] = True
        r.take(m.start(), m.end(), "holdout_share")
    tenth = re.search(r"(?:留|留出|另留|另外留|预留|抽)\s*(?P<n>[一二两三])\s*成\s*(?:的)?\s*(?:人|用户)?\s*(?:不触达|不发|空白)?\s*(?:做|作为|当)?\s*(?:对照|空白|hold[- ]?out)", t)
    if tenth and "holdout_share" not in r.data and not r.taken(tenth.start(), tenth.end()):
        r.data["holdout_share"], r.data["experiment"] = (cn_number(tenth.group("n")) or 1) / 10, True  # 留一成不触达做holdout
        r.take(tenth.start(), tenth.end(), "holdout_share")
    for m in re.finditer(r"各(?:占|分)?\s*\d+(?:\.\d+)?\s*%\s*(?:的)?\s*(?:流量|用户|人群|人)?", t):
        r.take(m.start(), m.end())  # 各50%流量, 各占45%: how the arms split, which the design already says
    half = re.search(r"一半(?:人|用户)?\s*(?:发|给|送)[^。；;]{0,8}?[,，、]?\s*(?:另)?一半(?:人|用户)?\s*(?:不发|不给|不送|啥都不发|什么都不发)|\bhalf (?:get|gets|receive)[^.;]{0,30}?,?\s*(?:the other )?half (?:get|gets|receive)? ?(?:nothing|none|no (?:offer|incentive|coupon))", t)
    if half and "holdout_share" not in r.data and not r.taken(half.start(), half.end()):
        r.data["holdout_share"], r.data["experiment"] = 0.5, True  # 一半发红包一半不发: the half that gets nothing is held out
        r.take(half.start(), half.end(), "holdout_share")
    _arms(r)


def _arm(r: _Read, name: str, piece: str, lo: int, hi: int) -> dict[str, Any] | None:
    """One arm from the words that describe it: an offer by name, a cash amount, or a copy idea."""
    arm: dict[str, Any] = {"name": name}
    slogan = re.fullmatch(r"[\s:：=]*[「“\"'‘『]([^」”\"'’』]+)[」”\"'’』][\s.,;，。；]*", piece)
    hit = max((len(m.group(0)) for p, oid in r.lx.offer_patterns if oid in r.market.offers for m in [p.search(piece)] if m), default=0)
    if slogan and len(slogan.group(1)) - hit > 8:
        piece = ""  # variant B: 'Come back for a 5.20 check-in bonus' is a line of copy that mentions an offer; 「10元话费」 is the offer
    # the kind and figure the arm states (10% rate discount) before any name it merely contains (rate discount)
    offer = _offer_by_description(r, piece) or next((oid for p, oid in r.lx.offer_patterns if oid in r.market.offers and p.search(piece)), None)
    amount = next(iter(find_amounts(piece)), None)
    bare = re.search(r"(?P<n>\d+(?:\.\d+)?)\s*(?:元|块|yuan|rmb)?\s*(?:的)?\s*(?:[\u4e00-\u9fff]{0,3})?\s*(?:红包|现金|补贴|cash|bonus|red packet)", piece)
    exact = re.search(r"(?<![\d.])(\d+\.\d{1,2})(?![\d.])", piece)  # 发15.14新客红包 / B组发19.88的: an odd amount names its cash offer
    value = amount.value if amount is not None else float(bare.group("n")) if bare else float(exact.group(1)) if exact else None
    if value is not None and offer is None:
        offer = _cash_offer(r, value)
    if offer:
        arm["offer"] = offer
    if value is not None:
        arm["offer_amount"] = value
    if offer is None and value is None:
        raw = r.text.span(lo, hi).text
        quoted = re.search(r"[「“\"'‘『]([^」”\"'’』]+)[」”\"'’』]", raw)  # the copy as the marketer wrote it, case kept
        words = quoted.group(1).strip() if quoted else raw.strip(" ：:的，,。;；")  # a quote is kept as written, 的 and all
        words = re.sub(r"^(?:主打|强调|突出|focus(?:ed)? on|emphasi[sz]ing)\s*", "", words)
        if not words:
            return None
        aside = re.search(r"[「“\"'‘『」”’』]|不发|不给|不送|无券|对照|空白|control|hold[- ]?out|\bno\b|\bnone\b|without", piece + " " + raw + r.t[max(0, lo - 1) : lo] + r.t[hi : hi + 1])
        if not aside and (any(re.search(w, piece) for _k, w in _OFFER_KINDS) or re.search(r"券|coupon|voucher|discount|\d\s*折|% off", piece)):
            r.ask(lo, hi, "offer")  # arm A gets a 15%-off voucher: an incentive the catalog lacks, never a line of copy
            return None
        arm["copy_variant"] = words
    return arm


_ARM_END = re.compile(r"[。;；\n]|[，,](?!\s*[a-d]\s*(?:组|版))|\.\s")
"""Where an arm's words stop: a sentence's end, or a comma that does not start the next arm (A组…，B组…)."""


def _arms(r: _Read) -> None:
    """A组发10元，B组发20元 / arm A: 7-day interest-free, arm B: 20% off / 一组发15.14元、一组发19.88元 /
    「博取收益」vs「长期配置」 / two offers named in a test."""
    t = r.t
    arms: list[dict[str, Any]] = []
    m: re.Match[str] | None  # each way of writing arms below tries its own pattern in turn
    heads = list(re.finditer(r"(?<![a-z])(?P<gets>[a-d])\s+(?=gets?\b|receives?\b)|[(（](?P<paren>[a-d])[)）](?=\s)|(?<![a-z])(?P<name>[a-d])\s*(?:组|版|arm|group|variant|cell)(?![a-z])|(?:arm|group|variant|cell|方案|实验组|测试组|组)\s*(?P<name2>[a-d])(?![a-z]|\s*/\s*[a-d](?![a-z]))|(?P<cn>一组|另一组|第一组|第二组|(?:一半|另一半)(?:人|用户|的人|的用户)?(?=\s*(?:发|送|给|用|抽|参与|领|拿)))|(?<![a-z0-9])(?P<q>[a-d]|v[1-4])\s*[:：=]?\s*(?=[「“\"『'‘])|(?:文案|版本)\s*(?P<cn2>[一二三123])\s*[:：]?\s*(?=[「“\"『'‘])|(?<![a-z0-9.])(?P<circ>[1-3])\s*[:：.、)）]?\s*(?=[「“\"『'‘])|(?P<ver>一版|另一版|第一版|第二版)\s*(?:强调|主打|突出|写|是|用|讲|说|聊|打)?\s*[:：]?\s*(?=[「“\"『'‘])|(?<![a-z])(?P<one>one|the other)(?=\s+gets?\b)|(?:variant|version|copy)\s*(?P<num>[1-4])\s*[:：=]?\s*(?=[「“\"『'‘])|(?<![a-z0-9])(?P<q2>[a-c])(?=\s*(?:组)?(?:发|送|给|用)\S)|(?:(?<=[:：,，;；、])|^)\s*(?P<q3>[a-d])\s+(?=[\u4e00-\u9fff]|\d+(?:\.\d+)?\s*[元块折%])|(?<=[(（；;，,:：])\s*(?P<q4>[a-d])\s*[:：=]\s*(?=[\u4e00-\u9fffa-z\d])|\b(?:arm|group|cell)\s*(?P<num2>[1-4])\s*[:：=]\s*(?=[\u4e00-\u9fffa-z\d])", t))
    pieces: list[str] = []
    for i, m in enumerate(heads):
        lo = m.end()
        label = re.match(r"\s*(?:copy|text|message|headline|title|slogan|wording|文案|标题)\s*(?=[:：=]?\s*[「“\"『'‘])", t[lo:])
        lo += label.end() if label else 0  # Variant A copy: "Start investing…": the words after the label are the copy
        hi = heads[i + 1].start() if i + 1 < len(heads) else len(t)
        lead = re.match(r"\s*[:：]?\s*", t[lo:])
        body = lo + (lead.end() if lead else 0)
        stop = _ARM_END.search(t, body, hi)
        cut = stop.start() if stop else hi
        opened = re.search(r"(?<![a-z])[「“\"'‘『](?=[^」”\"'’』]*$)", t[body:cut])
        close = re.search(r"[」”\"'’』]", t[body + opened.end() : hi]) if opened else None
        if close:
            # arm A gets the 'spend 100, get 5 off' coupon: the quote holds its comma; the arm ends after it
            after = body + opened.end() + close.end()  # type: ignore[union-attr]
            more = _ARM_END.search(t, after, hi)
            cut = more.start() if more else hi
        hi = cut
        hi = min(hi, clause_bounds(t, body)[1] if not re.match(r"\s*[,，]", t[body:]) and not close else hi)  # a bullet or a numbered item ends it
        piece = t[lo:hi].strip(" ：:=")
        if (m.group("paren") or m.group("gets")) and not re.search(r"\barms?\b|分组|两组|实验|test|experiment", t):
            continue  # (a) in a list that is no experiment
        quoted = re.match(r"\s*[:：]?\s*[「“\"『]", t[lo:])
        if quoted:
            close = re.search(r"[」”\"』]", t[lo + quoted.end() :])
            if close:
                # A版「收益稳，到期自动回款」: the quote holds its commas, and the arm ends where the quote does
                hi = lo + quoted.end() + close.end()
                piece = t[lo:hi].strip(" ：:=")
        q = m.group("q") or m.group("q2") or m.group("q3") or m.group("q4") or ""
        if m.group("q4"):
            piece = re.sub(r"[)）].*$", "", piece)  # （A：讲保障缺口；B：讲家庭责任）: the bracket closes the last arm
            hi = lo + len(t[lo:hi].split("）")[0].split(")")[0])
        if (m.group("q2") or m.group("q3") or m.group("q4")) and not re.search(r"分[两三二]组|分组|实验|a/?b|test|三组|两组|[两三二]版", t):
            continue  # A发 outside an experiment is no arm
        if m.group("cn2") or m.group("circ"):
            q = "abc"[int(cn_number(m.group("cn2") or m.group("circ")) or 1) - 1]  # 文案二「…」, ①“…” (the normal form has 1)
        if m.group("num") or m.group("num2"):
            q = "abcd"[int(m.group("num") or m.group("num2")) - 1]
        if m.group("ver") or m.group("one"):
            q = "ab"[min(i, 1)] if not arms else "abcd"[len(arms)]
        piece = re.sub(r"^(?:gets?|receives?)\s*", "", piece)
        name = ("ABCD"[int(q[1]) - 1] if q.startswith("v") else q or m.group("gets") or m.group("paren") or m.group("name") or m.group("name2") or "ab"[min(i, 1)]).upper()
        piece = re.sub(r"^(?:gets?|receives?|发|给|送|用|是|：|:)\s*", "", piece)
        arm = _arm(r, name, piece, lo, hi)
        if m.group("q3") and arm is not None and "offer" not in arm:
            continue  # 三组：A 满1000减10，B 10元话费: a bare letter heads an arm only when an offer follows it
        if arm is not None and "offer" not in arm and arms and "offer" in arms[-1]:
            # arm A gets the 7-day interest-free coupon, arm B the 30-day one: "one" is the kind the arm before named.
            one = re.match(r"(?:the|a|an)?\s*(?P<what>.+?)\s+one\b", piece)
            kind = re.sub(r"^(?:the|a|an)?\s*[\d.]+\s*[- ]?\s*(?:day|days|yuan|元|%)?\s*", "", pieces[-1])
            if one and kind:
                again = _arm(r, name, f"{one.group('what')} {kind}", lo, hi)
                arm = again if again is not None and "offer" in again else arm
        if arm is not None:
            arms.append(arm)
            pieces.append(piece)
            r.take(m.start(), hi, "arms")
    if not arms:
        quote = r"[「“\"'‘『][^」”\"'’』]+[」”\"'’』]"
        m = re.search(rf"{quote}(?:\s*(?:vs\.?|对比|和|与|versus|or|还是|/|、|,|，)\s*{quote}){{1,3}}", t)
        if m and r.data.get("experiment"):
            # 对比「医疗险首月1元」和「10元话费」: quoted offers are offer arms; quoted slogans are copy arms (三版：“…”、“…”、“…”).
            quotes = [(q.start() + 1, q.end() - 1) for q in re.finditer(quote, m.group(0))]
            arms = [a for a in (_arm(r, "ABCD"[i], t[m.start() + qa : m.start() + qb], m.start() + qa, m.start() + qb) for i, (qa, qb) in enumerate(quotes)) if a]
            r.take(m.start(), m.end(), "arms")
    if not arms:
        m = re.search(r"(?P<ca>[¥$])?(?P<a>\d+(?:\.\d+)?)\s*(?:元|块|yuan)?\s*(?:红包|现金|补贴)?\s*(?:vs\.?|对比|和|与|versus|against)\s*(?P<cb>[¥$])?(?P<b>\d+(?:\.\d+)?)\s*(?P<ub>元|块|yuan)?\s*(?:红包|现金|补贴|cash|bonus)?", t)
        if m and not (m.group("ub") or (m.group("ca") and m.group("cb"))):
            m = None  # ¥15.14 vs ¥19.88 / 10 vs 20元: amounts; 3 vs 5 alone is not money
        if m and r.data.get("experiment") and not r.taken(m.start(), m.end()):
            arms = [a for a in (_arm(r, "A", m.group("a") + "元", m.start(), m.end()), _arm(r, "B", m.group("b") + "元", m.start(), m.end())) if a]
            r.take(m.start(), m.end(), "arms")
    if r.data.get("experiment") and not any("offer" in a or "offer_amount" in a for a in arms):
        # 三组：5元/10元/20元 — amounts listed after the groups are counted, one arm each
        m = re.search(r"(?:[两二三四234]|分[两二三四234])\s*组\s*[:：]?\s*(?:分别)?\s*(?:发|送|给)?\s*(?P<list>\d+(?:\.\d+)?\s*(?:元|块)(?:\s*(?:/|、|和|vs\.?)\s*\d+(?:\.\d+)?\s*(?:元|块))+)", t)
        if m and not r.taken(m.start("list"), m.end("list")):
            amounts = re.findall(r"\d+(?:\.\d+)?", m.group("list"))
            arms = [a for a in (_arm(r, "ABCD"[i], f"{v}元", m.start("list"), m.end("list")) for i, v in enumerate(amounts[:4])) if a] + arms
            r.take(m.start(), m.end(), "arms")
    if r.data.get("experiment") and not arms:
        # 随机分三组：免申购费 / 申购费1折 / 不给优惠（对照）: the groups listed after the colon, one arm each
        m = re.search(r"分\s*(?P<n>[两二三四234])\s*组\s*[:：]\s*(?P<list>[^。；;\n]+)", t)
        items = re.split(r"\s*(?:/|、|;|；)\s*", m.group("list")) if m else []
        if m and len(items) == int(cn_number(m.group("n")) or 0):
            at = m.start("list")
            for i, item in enumerate(items):
                lo = t.index(item, at)
                at = lo + len(item)
                arm = _arm(r, "ABCD"[i], item, lo, at)
                if arm is not None:
                    arms.append(arm)
            if sum("offer" in a for a in arms) >= 2:
                r.take(m.start(), m.end(), "arms")
            else:
                arms = []
    control = [a for a in arms if "offer" not in a and "offer_amount" not in a and re.search(r"对照|空白|不发|不给|不触达|不推|control|hold[- ]?out|nothing|no offer", a.get("copy_variant", "").lower())]
    if control and len(arms) - len(control) == 1 and any("offer" in a for a in arms if a not in control):
        # 实验组发8.88元红包；对照组既不发红包也不推送: one treatment against a hold-out
        treated = next(a for a in arms if a not in control)
        r.data.setdefault("offers", [treated["offer"]])
        r.data.setdefault("holdout_share", 0.1)
        r.data["experiment"] = True
        arms = []
    if control and len(arms) - len(control) >= 2:
        # A组…B组…C组对照不发: the control group is the hold-out, an equal share of the split, not a third arm
        arms = [a for a in arms if a not in control]
        r.data.setdefault("holdout_share", round(1 / (len(arms) + len(control)), 4))
    if len(arms) >= 2:
        r.data["arms"] = arms
        r.data["experiment"] = True


def _copy_arms(r: _Read) -> None:
    """测两个文案 / two copy variants: that many copy arms, their words left to the copywriter."""
    if r.data.get("arms"):
        return
    m = re.search(r"(?P<n>两|二|2|三|3)\s*(?:个|版|套|种)\s*(?:push\s*|短信\s*)?文案|(?P<e>two|2|three|3)\s*(?:sms |push )?(?:copies|copy variants|versions of the copy|copy versions)", r.t)
    if m:
        n = int(cn_number(m.group("n") or {"two": "2", "three": "3"}.get(m.group("e"), m.group("e") or "2")) or 2)
        r.data["arms"] = [{"name": "ABC"[i], "copy_variant": f"文案{'ABC'[i]}"} for i in range(min(n, 3))]
        r.data["experiment"] = True
        r.take(m.start(), m.end(), "arms")


def _offer_arms(r: _Read) -> None:
    """A test that names two offers and no arms tests those two offers against each other."""
    if r.data.get("experiment") and not r.data.get("arms") and len(r.data.get("offers", [])) == 2:
        r.data["arms"] = [{"name": n, "offer": o, **({"offer_amount": r.market.offers[o].value} if _is_cash(r.market.offers[o]) else {})}
                          for n, o in zip("AB", r.data["offers"])]  # fmt: skip


# -- offers -----------------------------------------------------------------------------------------------------


def _is_cash(offer: Any) -> bool:
    return bool(offer.unit == "yuan" and offer.kind == "cash_subsidy")


def _cash_offer(r: _Read, value: float) -> str | None:
    """The cash offer of exactly this amount (15.14 names the 15.14-yuan red packet), when the market has one that may
    go with what the brief sells: 50元 on a 速借 brief is not the merchants' first-loan red packet."""
    families = {product_family(p, r.market.products[p].kind.value) for p in r.data.get("products", [])} | set(r.data.get("categories", []))
    for o in r.market.offers.values():
        if _is_cash(o) and abs(o.value - value) < 1e-9 and (not families or any(a.split(":")[0] in families for a in o.applies_to)):
            return o.offer_id
    return None


def _offer_by_figure(r: _Read, said: str) -> str | None:
    """The one offer of the market whose own figure is `said` (30天, 30-day, 50元): None when none or several are."""
    m = re.match(r"(\d+(?:\.\d+)?)\s*[- ]?(天|days?|元|yuan|rmb)", said)
    if m is None:
        return None
    unit = "days" if m.group(2) in ("天", "day", "days") else "yuan"
    hits = [oid for oid, o in r.market.offers.items() if o.unit == unit and abs(o.value - float(m.group(1))) < 1e-9 and o.kind != "coupon"]
    return hits[0] if len(hits) == 1 else None


_OFFER_KINDS = [("fee_discount", r"申购费|认购费|手续费|subscription fee|purchase fee|front[- ]end fee|\bfees?\b"),
                ("interest_free", r"免息|interest[- ]free"),
                ("rate_discount", r"利率|\brate\b|\bapr\b"),
                ("points", r"积分|points"),
                ("cash_subsidy", r"红包|现金|返现|cash|bonus|red packet")]
"""Which kind of offer an arm's words describe, by the word that names what is given or waived."""


def _offer_by_description(r: _Read, piece: str) -> str | None:
    """The one offer of the market an arm describes by its kind and figure (the 90%-off subscription fee coupon,
    申购费打1折, 利率9折, 7天免息, 500积分): read from the catalog's own kinds and values, not from a list of names."""
    kind = next((k for k, words in _OFFER_KINDS if re.search(words, piece)), None)
    if kind is None:
        return None
    value: float | None = None
    if kind in ("fee_discount", "rate_discount"):
        if m := re.search(r"(\d+(?:\.\d+)?)\s*%\s*[- ]?\s*(?:(?:rate|interest|loan|fee|purchase|subscription)\s+){0,2}(?:off|优惠|折扣|discount)", piece):
            value = float(m.group(1))
        elif m := re.search(rf"(?P<n>\d+(?:\.\d+)?|{NUM})\s*折", piece):
            value = round(100 - (cn_number(m.group("n")) or 0) * 10, 6)
        elif re.search(r"免|全免|waived|zero|\bfree\b|\b0\s*(?:%|fee)", piece):
            value = 100.0
    elif m := re.search(r"(\d+(?:\.\d+)?)\s*[- ]?\s*(?:天|days?|元|块|yuan|rmb|积分|points)", piece):
        value = float(m.group(1))
    if value is None:
        return None
    hits = [oid for oid, o in r.market.offers.items() if o.kind == kind and abs(o.value - value) < 1e-6]
    if len(hits) > 1:
        # zero fee on a fund: not the DCA-only waiver, whose name says what it is limited to and the arm does not
        limits = {"定投": r"定投|dca|sip", "分期": r"分期|instal", "商家": r"商家|merchant", "新客": r"新客|new", "首期": r"首期|first",
                  "签到": r"签到|check-?in", "前 3 期": r"前\s*(?:3|三)\s*期|first (?:3|three)"}  # fmt: skip

        def fit(h: str) -> int:  # the words the offer's name is limited by, said (+1) or not (-1)
            return sum(1 if re.search(said, piece) else -1 for w, said in limits.items() if w in r.market.offers[h].name)

        best = max(fit(h) for h in hits)
        hits = [h for h in hits if fit(h) == best]
    return hits[0] if len(hits) == 1 else None


def _offers(r: _Read) -> None:
    t = r.t
    # Each way of naming an offer below tries its own pattern and, for some, its own offer id in turn.
    m: re.Match[str] | None
    oid: str | None
    control = r"(?:对照组?|空白组?|控制组|hold[- ]?out|control(?: group)?|the rest)\s*[:：]?\s*(?:组)?\s*(?:(?:that|which|who)\s+)?(?:gets?|receives?|with)?\s*(?:啥都|什么都|都|既|也|就)?\s*$"
    for s, e, _w in find_phrases(t, r.lx.no_offer, strict=False):
        if r.taken(s, e):
            continue  # …/ 不给优惠（对照）: read as the control group of a test
        if re.search(control, t[max(0, s - 24) : s]):
            r.take(s, e)
            continue  # 对照：不发权益 — the control group gets nothing; the campaign still has its offers
        r.data["no_offer"] = True
        r.take(s, e, "no_offer")
    for m in re.finditer(r"(?:不|别|无|没有|不再)\s*(?:给|发|送|搞|要|用|带|做)?\s*(?:任何|什么)?\s*(?:激励|奖励|优惠|福利|补贴|红包|券|权益)(?:了)?"
                         r"|(?:券|红包|激励|奖励|优惠|补贴|权益|话费|积分|会员|礼品|福利|抽奖)\s*(?:也|都|就)?\s*(?:不发|不给|不送|不要|取消|免了|不用|不搞|不做|不弄)(?:了)?", t):
        if r.taken(m.start(), m.end()):
            continue
        if re.search(control, t[max(0, m.start() - 24) : m.start()]):
            r.take(m.start(), m.end())
            continue
        if re.match(r"[\s,，、;；]*(?:而是|改成|换成|改为|换为|改送|改发|换|改用|instead)", t[m.end() :]):
            r.take(m.start(), m.end(), "offers_excluded")  # 话费不送了，改成医疗险首月1元: one offer for another
            continue
        r.data["no_offer"] = True
        r.take(m.start(), m.end(), "no_offer")
    hits: list[tuple[int, int, str]] = []
    for s, e, w in find_phrases(t, r.lx.missing_offers, strict=False):
        if hits and re.fullmatch(r"\s*(?:的)?\s*", t[hits[-1][1] : s]):
            hits[-1] = (hits[-1][0], e, w)  # 星巴克咖啡券, Starbucks coffee voucher: one incentive
        else:
            hits.append((s, e, w))
    for s, e, _w in hits:
        if r.taken(s, e) or re.search(r"(?:不|别|没有|no|not|without)\s*(?:发|送|给|用|要)?\s*(?:\S{0,4})$", t[max(0, s - 6) : s]):
            continue
        # 一张50元京东卡 / a ¥50 JD gift card: the amount is the card's value; 星巴克咖啡券: the coupon word is its name
        lead = re.search(r"[¥$]?\s*\d+(?:\.\d+)?\s*(?:元|块|yuan|rmb)?\s*(?:的)?\s*$", t[max(0, s - 12) : s])
        tail = re.match(r"(?P<name>(?:\s*(?:咖啡)?(?:券|卡|礼品卡|e卡|voucher|coupon|card)s?)?)(?:\s*(?:当|当作|作为|做)\s*(?:新人礼|见面礼|礼品|礼物|激励|奖励|福利|权益))?", t[e:])
        a = s - (len(lead.group(0)) if lead and re.search(r"\d", lead.group(0)) else 0)
        r.ask(a, e + (tail.end() if tail else 0), "offer", shown=e + (tail.end("name") if tail else 0))  # 当新人礼: what the card was for, read with it
    if r.data.get("no_offer"):
        return
    offers: list[str] = []
    at: dict[str, int] = {}
    for oid, m in r.offer_hits:
        if re.search(r"(?:不搞|不要|不用|不发|不给|别发|别搞|别用|不|别|no|without|not|drop the|remove the|no more|cancel the|去掉|取消)\s*(?:the\s*)?(?:\d+\s*g\s*)?$", t[max(0, m.start() - 12) : m.start()]):
            r.take(max(0, m.start() - 5), m.end(), "offers_excluded")  # 不搞首月 1 元那种: that offer is refused
            continue
        cannot = re.match(r"[^,，。;；]{0,6}?(?:用不了|不能用|不适用|不可用|用不上|不支持|can't be used|cannot be used|doesn't apply|does not apply|not available)", t[m.end() :])
        if cannot:
            r.take(m.start(), m.end() + cannot.end(), "offers_excluded")  # 加息券基金用不了: the marketer rules it out
            continue
        o = r.market.offers[oid]
        # the rate said with the coupon, in the same breath (加息1%的券, +1%加息券), never a figure across a comma (power 90%，送加息券)
        lo, hi = r.clause(m.start())
        look = max(lo, m.start() - 6)
        before = re.search(r"[+＋]?\s*(\d+(?:\.\d+)?)\s*%(?=[^,，。;；]*$)", t[look : m.start()])
        after = re.match(r"[^,，。;；]{0,3}?[+＋]?\s*(\d+(?:\.\d+)?)\s*%", t[m.end() : min(hi, m.end() + 8)])
        rate = (before, look) if before else (after, m.end()) if after else None
        if rate and o.kind == "coupon" and o.unit == "percent" and abs(float(rate[0].group(1)) - o.value) > 1e-9 and not r.taken(m.start(), m.end()):
            # 加息1%的券 when the catalog's yield coupon is +0.5%: another offer, which the catalog lacks
            a, b = min(m.start(), rate[1] + rate[0].start()), max(m.end(), rate[1] + rate[0].end())
            tail = re.match(r"\s*(?:的)?\s*券", t[b:])
            r.ask(a, b + (tail.end() if tail else 0), "offer")
            continue
        if not r.taken(m.start(), m.end(), over_products=True):
            offers.append(oid)
            at[oid] = min(at.get(oid, m.start()), m.start())
            r.offer_spans.append((m.start(), m.end()))
            r.take(m.start(), m.end(), "offers")
            # The offer's own figure next to it (抽奖最高 100 元, 送 10 元话费, 加息券 0.5%) is part of its name.
            near = re.match(r"\s*[+＋]?\s*(?:最高|最多|高达|up to|of)?\s*[+＋]?\s*(?:\d+(?:\.\d+)?)\s*(?:%|元|块|yuan|rmb)", t[m.end() :])
            if near:
                r.take(m.end(), m.end() + near.end())
            before = re.search(r"(?:送|发|给|赠送?)?\s*[¥$]?\d+(?:\.\d+)?\s*[- ]?\s*(?:元|块|yuan|rmb)?\s*(?:的|of)?\s*(?:phone|mobile)?\s*$", t[max(0, m.start() - 16) : m.start()])
            if before and re.search(r"\d", before.group(0)):
                r.take(m.start() - len(before.group(0)), m.start())
    # 免息券换成30天的那种: the new offer is the old one's kind with the figure said after 换成
    for m in re.finditer(r"(?P<kind>[\u4e00-\u9fffa-z-]{2,8}?)\s*(?:换成|改成|改为|换为|switch(?:ed)? to|change(?:d)? to)\s*(?:the\s*)?(?P<mod>\d+\s*(?:天|-day|day|元|yuan))\s*(?:的)?\s*(?:那种|那个|one)?", t):
        if r.taken(m.start("mod"), m.end("mod")):
            continue
        kind = re.sub(r"^(?:把|将|the)\s*", "", m.group("kind"))
        candidate = f"{m.group('mod')}{kind}"
        oid = next((o for p, o in r.lx.offer_patterns if o in r.market.offers and p.search(candidate)), None) or _offer_by_figure(r, m.group("mod"))
        if oid and oid not in offers:
            offers.append(oid)
            at[oid] = m.start()
            r.take(m.start(), m.end(), "offers")
    # swap the coupon for the 30-day one: the one offer whose own figure is the one said
    for m in re.finditer(r"\b(?:swap|switch|change|replace)\s+(?:the\s+|our\s+)?[a-z-]+(?:\s+[a-z-]+)?\s+(?:for|to|with)\s+(?:the\s+|a\s+)?(?P<mod>\d+(?:\.\d+)?\s*[- ]?(?:days?|yuan|rmb))\s*(?:one|version|kind|option)?\b", t):
        oid = _offer_by_figure(r, m.group("mod"))
        if oid and oid not in offers and not r.taken(m.start("mod"), m.end("mod")):
            offers.append(oid)
            at[oid] = m.start()
            r.take(m.start(), m.end(), "offers")
    spans = sorted((s, e, o) for s, e, o in ((a, b, next((o for o in offers if at.get(o) == a), None)) for a, b in r.offer_spans) if o)
    for (_a1, b1, o1), (a2, _b2, o2) in zip(spans, spans[1:]):
        if o1 != o2 and re.fullmatch(r"\s*(?:for|of|:|：|（|\(|-|—|,|，|送|抽)?\s*(?:a|an|the|one)?\s*(?:\d+\s*)?", t[b1:a2]) and o1 in offers:
            offers.remove(o1)  # the lucky draw for 1 gram of gold / 抽奖：1克黄金 — the general word, then which one
    for oid, o in r.market.offers.items():
        name = o.name.lower()
        i = t.find(name)
        if i >= 0 and not r.taken(i, i + len(name)):
            offers.append(oid)
            at[oid] = i
            r.take(i, i + len(name), "offers")
    for m in re.finditer(r"(?<![\d.])(\d+\.\d{2})(?![\d.])|(?<![\d.])(\d+\.\d)(?![\d.%])(?=\s*(?:元|块|yuan|rmb)?\s*(?:的)?\s*(?:签到|新客|新人|首期|check-in|sign-in|new-user|red packet|cash|bonus|红包))", t):
        oid = _cash_offer(r, float(m.group(1) or m.group(2)))
        if oid and not r.taken(m.start(), m.end()) and oid not in offers:
            offers.append(oid)  # 19.88 names the 19.88-yuan red packet, however the words around it go
            at[oid] = m.start()
            r.data.setdefault("offer_amount", float(m.group(1) or m.group(2)))
            r.take(m.start(), m.end(), "offers")
    amounts = [a for a in find_amounts(t) if not r.taken(a.start, a.end) and a.value < 1000]
    words = find_phrases(t, r.lx.offer_words, strict=False)
    best = None
    for s, e, _w in words:
        for amount in amounts:
            gap = amount.start - e if amount.start >= e else s - amount.end
            if 0 <= gap <= 6 and (best is None or gap < best[0]):
                best = (gap, amount, s, e)
    if best is None:
        m = re.search(r"(红包|补贴|立减|返现)\s*(?:金额)?\s*(?:换成|改成|改为|调到|提到|降到|变成|=|to)?\s*(?P<n>\d+(?:\.\d+)?)(?!\s*(?:万|w|k|%))|(?P<n2>\d+(?:\.\d+)?)\s*(?:的)?\s*(?:红包|现金红包|cash bonus|bonus)", t)
        if m and m.group("n2") and not r.taken(m.start("n2"), m.end("n2")):
            r.data["offer_amount"] = float(m.group("n2"))
            r.take(m.start(), m.end(), "offer_amount")
            m = None
        if m and not r.taken(m.start("n"), m.end("n")):
            r.data["offer_amount"] = float(m.group("n"))
            r.take(m.start(), m.end(), "offer_amount")
    else:
        _, amount, s, e = best
        r.data["offer_amount"] = amount.value
        r.take(min(s, amount.start), max(e, amount.end), "offer_amount")
    if r.data.get("offer_amount") is not None and not offers:
        same = _cash_offer(r, r.data["offer_amount"])
        offers += [same] if same else []
    if offers:
        r.data["offers"] = sorted(dict.fromkeys(offers), key=lambda o: at.get(o, len(t)))  # as written: arms follow it
    inside = {pid for pid, spans in r.product_at.items() if spans and all(any(a <= s and e <= b for a, b in r.offer_spans) for s, e in spans)}
    if inside and len(r.data.get("products", [])) > len(inside):
        r.data["products"] = [p for p in r.data["products"] if p not in inside]  # 商家贷利率9折 names the offer, not a product


# -- channels ---------------------------------------------------------------------------------------------------


def _channels(r: _Read) -> None:
    t = r.t
    lang = language()
    found = [(s, e, w) for s, e, w in find_phrases(t, list(r.lx.channel_words), strict=True) if not r.taken(s, e, over_products=True)]
    robot: set[int] = set()  # 自动回访打电话, automated calls: a machine calls, whatever the call word
    for i, (s, e, w) in enumerate(found):
        automated = re.search(r"(?:自动|自动化|机器人|automated|auto)[^\s,，。;；]{0,4}\s?$", t[max(0, s - 12) : s])
        if automated and w in r.lx.calls and r.lx.channel_words[w] == "outbound_call" and not r.taken(max(0, s - 12) + automated.start(), s):
            found[i] = (max(0, s - 12) + automated.start(), e, w)
            robot.add(found[i][0])
    masked = list(t)
    for s, e, _ in found:
        masked[s:e] = ["\0"] * (e - s)
    text = "".join(masked)
    before_words = sorted(set(r.lx.channel_negation.before) | set(lang.rules.negation.before), key=len, reverse=True)
    wanted: list[tuple[int, str]] = []
    excluded: list[tuple[int, str]] = []
    family_only: set[str] = set()
    soft: list[tuple[int, str]] = []
    for s, e, w in found:
        cid = "ai_call" if s in robot else r.lx.channel_words[w]
        if cid not in r.market.channels:
            continue
        if w in ("推送", "推") and any(a == e + len(t[e:]) - len(t[e:].lstrip()) for a in r.product_starts) and not re.search(r"(?:用|走|通过|渠道)\s*$", t[max(0, s - 4) : s]):
            r.take(s, e)
            continue  # 面向…商家推送订单贷: to push a product is to promote it, not the push channel
        if re.match(r"\s*(?:after|before)\s+\d{1,2}(?::\d{2})?\s*(?:pm|am)?\b", t[e:]):
            r.take(s, e)
            continue  # no SMS after 9pm: when it may go out (the send hours), not a channel refused
        negated_push = re.search(r"(?:\bno|\bnot|without|skip|avoid|don't|do not|never|不要|不用|别|不)\s*(?:send|use|do)?\s*(?:any\s*)?$", t[max(0, s - 16) : s])
        if w == "push" and not negated_push:
            follows = t[e:]
            product_next = any(a == e + len(follows) - len(follows.lstrip()) for a in r.product_starts)
            product_before = any(b == s - len(t[:s]) + len(t[:s].rstrip()) for _a, b in r.product_spans)
            noun = re.search(r"\b(?:a|an|one|another|quick|big|short)\s+$", t[max(0, s - 10) : s])  # "a quick push to MAU": one push
            if ((re.match(r"\s+(?:the|it|back|out|forward|them|this|that|our|to)\b", follows) and not product_before) or product_next) and not noun:
                r.take(s, e)
                continue  # "push the start to Dec 8", "push 商户银行贷 to them": a verb, not the channel
            listed = re.search(r"(?:[+,、/&]|\band\b|\bor\b|channels?\s*:|via|through|by|using|only|use)\s*$", t[max(0, s - 12) : s]) or re.search(
                r"\b(?:swap|replace|switch)\b.*\b(?:for|with|to)\s*$", t[max(0, s - 40) : s]) or re.match(
                r"\s*(?:[+,、/&]|and\b|or\b|notifications?|messages?|only|通知|消息)", follows) or re.match(r"\s+\0", text[e:])  # fmt: skip
            if not listed and (product_before or re.match(r"\s+(?:for|about|of|on|campaign|nudge)\b", follows) or re.search(r"[a-z0-9]+[\s-]+$", t[max(0, s - 14) : s])):
                soft.append((s, cid))  # "a quick win-back push for …": the channel only when the brief names no other
                r.take(s, e)
                continue
        if cid == "email" and (re.search(r"(?:转|转发|fwd?|forward(?:ed|ing)?)[^,，。;；]{0,8}$", t[max(0, s - 12) : s]) or re.match(r"\s*(?:如下|内容|原文|below)", t[e:])):
            r.take(s, e)
            continue  # 转一下王总的邮件: the brief came by email; email is not asked for
        lo, hi = r.clause(s)
        if re.search(r"对照组|空白组|控制组|control group|hold[- ]?out group", t[lo:s]):
            r.take(s, e)
            continue  # 对照组既不发红包也不推送: what the control group does not get, not a channel refused
        window = text[max(lo, s - 40) : s]
        neg = None
        heading = re.search(r"(?:禁止|禁用|不用|不要|排除|不使用|excluded?|no|banned|not allowed)\s*(?:的)?\s*(?:渠道|触达|channels?)\s*[:：]\s*$", t[max(0, lo - 16) : lo])
        if heading and lang.only_list_material(text[lo:s]):
            neg = (0, 0, "")  # 禁止渠道：短信、弹窗 — the heading refuses every channel listed under it
        for cand in find_phrases(window, before_words, strict=True):
            # 不使用外呼（人工和智能语音都不要）和短信: a bracketed aside inside the list does not end it
            if lang.only_list_material(re.sub(r"[（(][^）)]*[）)]", " ", window[cand[1] :])):
                neg = cand if neg is None or cand[1] > neg[1] else neg
        after = text[e:hi]
        closes = re.match(r"[\s\0、和/,与及或]*(?:也|都|就|先|这次|了|一律|统统|全部|全都)?\s*(" + "|".join(map(re.escape, sorted(r.lx.channel_negation.after, key=len, reverse=True))) + ")", after)
        if closes is not None and re.match(r"\s*(?:发|用|走|打|投|推|给)?\s*\0", after[closes.end() :]):
            closes = None  # 服务号消息不要发短信: the 不要 turns around the channel after it
        swapped = re.search(r"\b(?:swap|replace|switch)\s+(?:out\s+)?(?:the\s+)?$", t[max(0, s - 20) : s]) and re.match(r"\s+(?:for|with|to)\b", t[e:])
        dropped = neg is not None or closes is not None or bool(swapped)  # swap in-app message for SMS: the first one goes
        if dropped and re.match(r"\s*(?:换成|改成|改为|改用|换为|替换成|换|→|->|to)", after):
            dropped = True
        (excluded if dropped else wanted).append((s, cid))
        r.take(s, e, "channels_excluded" if dropped else "channels")
        if neg is not None and neg[1]:
            r.take(max(lo, s - 40) + neg[0], max(lo, s - 40) + neg[1])
        if dropped and w in r.lx.calls:
            # 别打电话 / no calls: every call channel, the human and the robot ones.
            extra = [c for c in ("outbound_call", "ai_call") if c in r.market.channels and c != cid]
            excluded += [(s, c) for c in extra]
            family_only.update(extra)
        if closes is not None:
            r.take(e + closes.start(1), e + closes.end(1))
    if soft and not wanted:
        wanted += soft[:1]
    named = {c for _, c in wanted}
    # 外呼不行 excludes both call channels; "AI voice calls, no manual calls" keeps the call channel it names.
    ex = [c for c in dict.fromkeys(c for _, c in sorted(excluded)) if not (c in named and c in family_only)]
    want = [c for c in dict.fromkeys(c for _, c in sorted(wanted)) if c not in ex]
    for _s, e_, w_ in found:
        if w_ in r.lx.calls and (re.match(r"\s*[(（]\s*(?:只用|只要|用)?\s*(?:智能语音|ai|机器人|智能)|\s*(?:只用|只要|只走)\s*(?:智能语音|ai|机器人|智能)", t[e_:])
                                  or re.search(r"(?:别上|别用|不要|不用|不上)\s*人工", t)):
            want = [c for c in want if c != "outbound_call"]  # 外呼（智能语音就行）: the robot calls
            manual = re.search(r"(?:别上|别用|不要|不用|不上)\s*人工", t)
            if manual:
                ex += [] if "outbound_call" in ex else ["outbound_call"]
                r.take(*manual.span())
            want += [] if "ai_call" in want else ["ai_call"]
        if w_ in r.lx.calls and re.match(r"\s*(?:ai|智能)\s*[+和及/、]\s*人工|\s*人工\s*[+和及/、]\s*(?:ai|智能)", t[e_:]):
            want += [c for c in ("ai_call", "outbound_call") if c not in want]  # 外呼AI+人工都上: both kinds
    generic = {r.lx.channel_words[w] for _s, _e, w in found if w in ("banner", "轮播")}
    if len(generic) == 1 and not re.search(r"首页|home[- ]?(?:page|banner|screen)", t) and (g := next(iter(generic))) in want and sum(1 for _s, _e, w in found if r.lx.channel_words[w] == g) == 1:
        kind = r.market.channels[g].kind
        if any(c != g and r.market.channels[c].kind == kind for c in want):
            want.remove(g)  # banner放理财频道: the word "banner" says what the wealth-channel banner is, not another one
    if not want:
        # 能收push的都打一遍: a brief that names no channel but picks who a channel reaches is sent on that channel
        reach = {"sms": "sms", "push": "app_push", "wechat": "wechat_service"}
        for c in r.data.get("audience", []):
            m = re.fullmatch(r"(\w+)_reachable = true", c["rule"])
            if m and reach[m.group(1)] in r.market.channels and reach[m.group(1)] not in ex:
                want.append(reach[m.group(1)])
    if want:
        r.data["channels"] = want
    if ex:
        r.data["channels_excluded"] = ex


# -- dates ------------------------------------------------------------------------------------------------------


def _future(today: date, month: int, day: int, year: int | None = None) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        d = date(today.year, month, day)
    except ValueError:
        return None
    return d if d >= today - timedelta(days=0) else date(today.year + 1, month, day)


def _month_end(d: date) -> date:
    return (d.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


_SEND_DAYS = {"周末": [5, 6], "双休日": [5, 6], "周六日": [5, 6], "工作日": [0, 1, 2, 3, 4], "周六": [5], "周日": [6],
              "weekends": [5, 6], "weekdays": [0, 1, 2, 3, 4]}  # fmt: skip


def _send_days_and_hours(r: _Read) -> None:
    """只在周末发, weekdays only, 晚上8点以后别发, no SMS after 9pm: the days and hours sends may go out on (the plan's
    cadence keeps to them); never read as this weekend's dates."""
    t = r.t
    days = (r"(?:只在|仅在|只|仅|都在)\s*(?P<d1>周末|工作日|双休日|周六日|周六|周日)\s*(?:才)?\s*(?:发|推|投放|触达|发送)|(?P<d2>周末|工作日|双休日|周六日|周六|周日)\s*(?:才|再)\s*(?:发|推)"
            r"|\b(?:only\s+)?(?:send|push|run|go out|deliver)\w*\s+(?:only\s+)?on\s+(?P<d3>weekends|weekdays)(?:\s+only)?|\b(?P<d4>weekends|weekdays)\s+only\b")
    for m in re.finditer(days, t):
        if not r.taken(m.start(), m.end()):
            word = next(g for g in m.group("d1", "d2", "d3", "d4") if g)
            r.data["send_weekdays"] = sorted(set(r.data.get("send_weekdays", [])) | set(_SEND_DAYS[word]))
            r.take(m.start(), m.end(), "send_weekdays")
    # 周末别发 / not on weekends: every day but those.
    never = (r"(?P<z>周末|工作日|双休日|周六日|周六|周日)\s*(?:都)?\s*(?:别|不要|不|勿|不能)\s*(?:发|推|打|触达|发送)"
             r"|\b(?:no|not on|never on|don't send on|do not send on|nothing on)\s+(?P<e>weekends|weekdays)\b")
    for m in re.finditer(never, t):
        if not r.taken(m.start(), m.end()):
            barred = set(_SEND_DAYS[m.group("z") or m.group("e")])
            allowed = set(r.data.get("send_weekdays") or range(7)) - barred
            r.data["send_weekdays"] = sorted(allowed)
            r.take(m.start(), m.end(), "send_weekdays")
    # 每人最多发一次 / at most one message per user: a cap across channels the cadence cannot hold (it caps each
    # channel by its weekly policy and does not know who is on which channel): shown, never silently dropped.
    for m in re.finditer(r"(?:每(?:个)?(?:人|用户|客户)|同一(?:个)?(?:人|用户))\s*(?:最多|至多|只|只能)?\s*(?:发|推|触达|打扰)\s*(?:一|1|两|2|三|3)\s*(?:次|条|遍)"
                         r"|\b(?:each|every|per)\s+(?:user|customer|person)\s+(?:gets\s+)?(?:at most|only|no more than)\s+(?:one|1|two|2|three|3)\s+(?:message|touch|send)e?s?\b"
                         r"|\b(?:at most|only|no more than)\s+(?:one|1|two|2)\s+(?:message|touch|send)e?s?\s+(?:per|for each|to each)\s+(?:user|customer|person)\b", t):
        if not r.taken(m.start(), m.end()):
            r.ask(m.start(), m.end(), "requirement", asks=False)
    hours = (r"(?P<part>晚上|早上|夜里|凌晨|下午|上午)?\s*(?P<h>\d{1,2})\s*(?:[点:：]\s*(?P<half>半)?(?P<min>\d{2})?)\s*(?P<side>以后|之后|以前|之前|后|前)\s*(?:别|不要|不|勿)\s*(?:发|推|打)"
             r"|\b(?:no\s+\w+|don't send|do not send|nothing)\s+(?P<eside>after|before)\s+(?P<eh>\d{1,2})(?::(?P<emin>\d{2}))?\s*(?P<ampm>pm|am)?")
    for m in re.finditer(hours, t):
        hour = m.span("h") if m.group("h") else m.span("eh")
        if r.taken(*hour):
            continue
        h = int(m.group("h") or m.group("eh"))
        minute = 30 if m.group("half") else int(m.group("min") or m.group("emin") or 0)
        if (m.group("part") in ("晚上", "夜里", "下午") or m.group("ampm") == "pm") and h < 12:
            h += 12
        if h > 23 or minute > 59:
            r.ask(m.start(), m.end(), "date", asks=False)
            continue
        after = m.group("side") in ("以后", "之后", "后") or m.group("eside") == "after"
        r.data["send_before" if after else "send_after"] = time(h, minute)
        r.take(m.start(), m.end(), "send_hours")


def _dates(r: _Read) -> None:
    """Schedules: ranges with and without the year, festivals with their windows, weekdays, months, deadlines."""
    t, today = r.t, r.today
    m: re.Match[str] | None  # each way of writing a date below tries its own pattern in turn
    month_end = _month_end
    spans: list[tuple[int, int, date, str]] = []  # (start, end, date, role: start|end|at)

    def put(a: int, b: int, d: date | None, role: str) -> bool:
        if d is not None and not r.taken(a, b) and re.match(r"\s*(?:内|里|就|会|将|要)?\s*(?:到期|过期|满期|届满|expir|matur|due\b)", t[b : b + 8]):
            return False  # 下个月到期的客户: when their holding matures, who they are, not when the campaign runs
        if d is not None and not r.taken(a, b):
            spans.append((a, b, d, role))
            r.take(a, b, "dates")
            return True
        return False

    _send_days_and_hours(r)
    for m in re.finditer(r"今天\s*(?:是|就是)?\s*周末|today(?:'s| is)\s*(?:a |the )?weekend", t):
        r.take(m.start(), m.end())  # 今天周末先把需求提一下: when the brief is written, not when the campaign runs
    y = r"(?:(?P<{n}>\d{{4}})\s*年\s*)?"
    cn = (y.format(n="y1") + rf"(?P<m1>{NUM})\s*月\s*(?P<d1>{NUM})\s*[日号]?\s*(?:起|开始)?\s*(?:-|–|—|~|〜|到|至|一直到)\s*"
          + r"(?P<ny>明年|次年|next year\s*)?" + y.format(n="y2") + rf"(?:(?P<m2>{NUM})\s*月\s*)?(?P<d2>{NUM})\s*[日号]?")  # fmt: skip
    for m in re.finditer(cn, t):
        m1, d1, d2 = cn_number(m.group("m1")), cn_number(m.group("d1")), cn_number(m.group("d2"))
        m2 = cn_number(m.group("m2")) if m.group("m2") else m1
        if not (m1 and d1 and d2 and m2):
            continue
        y1 = int(m.group("y1")) if m.group("y1") else None
        y2 = int(m.group("y2")) if m.group("y2") else None  # 2026年12月6日至1月4日: the second date rolls into the next year
        first = _future(today, int(m1), int(d1), y1)
        if m.group("ny") and first is not None:
            y2 = first.year + 1
        if first is None:
            continue
        last = _future(first, int(m2), int(d2), y2)
        if put(m.start(), m.end(), first, "start") and last:
            spans.append((m.end(), m.end(), last, "end"))
    for m in re.finditer(r"(?<![\d.])(?:(?P<y1>\d{4})[/.-])?(?P<m1>\d{1,2})[/.](?P<d1>\d{1,2})\s*(?:-|–|—|~|〜|到|至|to)\s*(?:(?P<y2>\d{4})[/.-])?(?P<m2>\d{1,2})[/.](?P<d2>\d{1,2})(?![\d.])", t):
        first = _future(today, int(m.group("m1")), int(m.group("d1")), int(m.group("y1")) if m.group("y1") else None)
        if first is None:
            continue
        last = _future(first, int(m.group("m2")), int(m.group("d2")), int(m.group("y2")) if m.group("y2") else None)
        if put(m.start(), m.end(), first, "start") and last:
            spans.append((m.end(), m.end(), last, "end"))
    en = (rf"{_EN_MONTH.format(n='ma')}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s*(?P<y1>20\d{{2}})(?!\d))?\s*(?:-|–|—|to|through|until|till)\s*"
          rf"(?:{_EN_MONTH.format(n='mb')}\s+)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s*(?P<y2>20\d{{2}})(?!\d))?")  # fmt: skip
    for m in re.finditer(en, t):
        year2 = int(m.group("y2")) if m.group("y2") else None
        year1 = int(m.group("y1")) if m.group("y1") else year2
        first = _future(today, _MONTHS[m.group("ma")], int(m.group("d1")), year1)
        if first is None:
            continue
        last = _future(first, _MONTHS[m.group("mb") or m.group("ma")], int(m.group("d2")), year2)
        if year1 and year2 is None and last and last < first:
            last = _future(first, _MONTHS[m.group("mb") or m.group("ma")], int(m.group("d2")))
        if put(m.start(), m.end(), first, "start") and last:
            spans.append((m.end(), m.end(), last, "end"))
    for m in re.finditer(r"(?P<d1>\d{1,2})\s*(?:-|–|to)\s*(?P<d2>\d{1,2})\s+" + _EN_MONTH.format(n="ma") + r"(?:,?\s*(?P<y>20\d{2})(?!\d))?", t):
        year = int(m.group("y")) if m.group("y") else None
        first = _future(today, _MONTHS[m.group("ma")], int(m.group("d1")), year)
        last = _future(today, _MONTHS[m.group("ma")], int(m.group("d2")), year)
        if first and last:
            if put(m.start(), m.end(), first, "start"):
                spans.append((m.end(), m.end(), last, "end"))
    # 3 days either side of Dec 12, 12月12日前后各3天: a window centred on a date
    for m in re.finditer(rf"(?P<n>\d+|one|two|three|four|five|seven)\s*days?\s*(?:on\s+)?(?:either side of|before and after|around)\s*{_EN_MONTH.format(n='m')}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
                         rf"|(?P<cm>{NUM})\s*月\s*(?P<cd>{NUM})\s*[日号]?\s*前后各\s*(?P<cn>{NUM})\s*天", t):
        n = int(cn_number(m.group("n") or m.group("cn")) or 0) if (m.group("n") or "").isdigit() or m.group("cn") else {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7}[m.group("n")]
        month = _MONTHS[m.group("m")] if m.group("m") else int(cn_number(m.group("cm")) or 0)
        centre = _future(today, month, int(m.group("d") or cn_number(m.group("cd")) or 0))
        if centre and n and put(m.start(), m.end(), centre - timedelta(days=n), "start"):
            spans.append((m.end(), m.end(), centre + timedelta(days=n), "end"))
    # single dates
    for m in re.finditer(rf"(?P<m>{NUM})\s*月\s*(?P<d>{NUM})\s*[日号]?\s*(?:那周|当周|这周|那一周|所在的?周|所在那周)(?:\s*[(（]?\s*(?:周一到周日|周一至周日|周一-周日)\s*[)）]?)?", t):
        mm, dd = cn_number(m.group("m")), cn_number(m.group("d"))
        day = _future(today, int(mm or 0), int(dd or 0)) if mm and dd else None
        if day is not None and not r.taken(m.start(), m.end()):
            monday = day - timedelta(days=day.weekday())
            if put(m.start(), m.end(), monday, "start"):
                spans.append((m.end(), m.end(), monday + timedelta(days=6), "end"))
    for m in re.finditer(r"(?:the\s+)?week of\s+" + _EN_MONTH.format(n="ma") + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\s*\(\s*mon(?:day)?\s*(?:-|–|—|~|to)\s*sun(?:day)?\s*\))?", t):
        day = _future(today, _MONTHS[m.group("ma")], int(m.group("d")))
        if day is not None:
            monday = day - timedelta(days=day.weekday())  # week of Dec 7 (Mon-Sun): that date's week, Monday to Sunday
            if put(m.start(), m.end(), monday, "start"):
                spans.append((m.end(), m.end(), monday + timedelta(days=6), "end"))
    for m in re.finditer(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?", t):
        put(m.start(), m.end(), _future(today, int(m.group("m")), int(m.group("d")), int(m.group("y"))), "at")
    for m in re.finditer(rf"(?<![\d年/-])(?P<m>{NUM})\s*月\s*(?P<d>{NUM})(?!\s*(?:整|个月|月|周|期))\s*[日号]?", t):
        if re.search(r"(?:春节|元旦|除夕|中秋|国庆|圣诞|双十二|双12)\S{0,2}(?:是|在|为)\s*$", t[max(0, m.start() - 8) : m.start()]):
            r.take(m.start(), m.end())
            continue  # 明年春节是2月6号: when the festival falls, which its window uses
        if re.search(r"以\s*$", t[max(0, m.start() - 2) : m.start()]) and re.match(r"\s*为(?:中心|核心|基准)", t[m.end() :]):
            r.take(m.start(), m.end())
            continue  # 双十二前后（以12月12日为中心前后各三天）: the window's centre, said again
        mm, dd = cn_number(m.group("m")), cn_number(m.group("d"))
        if mm and dd and 1 <= mm <= 12:
            put(m.start(), m.end(), _future(today, int(mm), int(dd)), "at")
    for m in re.finditer(rf"{_EN_MONTH.format(n='m')}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s*(?P<y>20\d{{2}})(?!\d))?\b", t):
        put(m.start(), m.end(), _future(today, _MONTHS[m.group("m")], int(m.group("d")), int(m.group("y")) if m.group("y") else None), "at")
    # start 7 December, from 1st December: the day before the month, as British and many Asian writers put it
    for m in re.finditer(rf"(?<![\d.:/-])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_EN_MONTH.format(n='m')}(?:,?\s*(?P<y>20\d{{2}})(?!\d))?\b", t):
        if 1 <= int(m.group("d")) <= 31:
            put(m.start(), m.end(), _future(today, _MONTHS[m.group("m")], int(m.group("d")), int(m.group("y")) if m.group("y") else None), "at")
    for m in re.finditer(r"(?<![\d月./])(?P<d>[12]\d|3[01]|0?[1-9])\s*号", t):
        if not r.taken(m.start(), m.end()):
            dd = int(m.group("d"))
            this = today.replace(day=dd) if dd <= month_end(today).day else None
            put(m.start(), m.end(), this if this and this >= today else (month_end(today) + timedelta(days=1)).replace(day=dd), "at")
    for m in re.finditer(r"(?<![\d./])(?<!\d:)(?P<m>1[0-2]|0?[1-9])/(?P<d>[12]\d|3[01]|0?[1-9])(?![\d/])", t):
        put(m.start(), m.end(), _future(today, int(m.group("m")), int(m.group("d"))), "at")
    # 12.12当天, 12.5起: a month.day said as a day (a word of time follows it), never a decimal amount
    for m in re.finditer(r"(?<![\d./¥$])(?P<m>1[0-2]|0?[1-9])\.(?P<d>[12]\d|3[01]|0?[1-9])(?![\d.%])", t):
        timed = re.match(r"\s*(?:当天|那天|当日|号|日|起|开始|开跑|上线|之前|以前|前|截止|结束|一天|全天)", t[m.end() :])
        if not timed and not re.search(r"(?:\d|[一二三四五六日天号])\s*[~到至-]\s*$", t[max(0, m.start() - 4) : m.start()]):
            continue  # 0.5 or 3.5 is a number; a month.day is a date only beside a word of time or after a range's joiner
        day = _future(today, int(m.group("m")), int(m.group("d")))
        one = re.match(r"\s*(?:当天|那天|当日)?\s*(?:一天|全天|当天|那天|当日)(?!\s*(?:开始|起|上线|开跑))", t[m.end() :])
        if put(m.start(), m.end() + (one.end() if one else 0), day, "start" if one else "at") and one and day:
            spans.append((m.end(), m.end(), day, "end"))  # 12.12当天一天: that one day
    for m in re.finditer(rf"(?P<m>{NUM})\s*月\s*第\s*(?P<n>[一二三四1-4])\s*(?:个)?\s*(?:周|星期)\s*(?:的)?\s*(?:周|星期)(?P<d>[一二三四五六日天1-7])", t):
        mm = int(cn_number(m.group("m")) or 0)
        first = _future(today, mm, 1) if 1 <= mm <= 12 else None
        if first is not None:
            monday1 = first - timedelta(days=first.weekday()) + (timedelta(weeks=1) if first.weekday() > 3 else timedelta())
            n = int(cn_number(m.group("n")) or 1)
            put(m.start(), m.end(), monday1 + timedelta(weeks=n - 1, days=_WEEKDAYS[m.group("d")]), "at")  # 12月第二周的周一
    for m in re.finditer(rf"(?P<m>{NUM})\s*月\s*(?:的)?\s*第\s*(?P<n>[一二三四1-4])\s*(?:个)?\s*(?:周|星期|礼拜)(?!\s*(?:的)?\s*(?:周|星期|礼拜)?[一二三四五六日天1-7])", t):
        mm = int(cn_number(m.group("m")) or 0)
        first = _future(today, mm, 1) if 1 <= mm <= 12 else None
        if first is not None:
            # the first week of a month is the one holding its first Thursday, as ISO counts weeks
            monday = first - timedelta(days=first.weekday()) + (timedelta(weeks=1) if first.weekday() > 3 else timedelta())
            monday += timedelta(weeks=int(cn_number(m.group("n")) or 1) - 1)
            starts = re.match(r"\s*(?:[(（][^)）]{0,12}[)）])?\s*(?:开始|起|开跑|上线|启动)", t[m.end() :])
            if put(m.start(), m.end(), monday, "start") and not starts:
                spans.append((m.end(), m.end(), monday + timedelta(days=6), "end"))  # 12月第二周: that week
    window = re.search(r"(?:开始|起|上线|启动)\s*[,，]?\s*(?:到|至|直到|跑到)(?P<end>[^。；;，,]{0,10}?)(?:结束|截止|为止)", t)
    if any(role == "end" for *_x, role in spans) or window:
        # 周一开始，到12号当天结束 (双十二大促) / 元旦前后…12月28号到1月3号: the dates the marketer wrote out are the window;
        # the festival names the occasion, unless it is what the window ends on (周一开始到元旦结束).
        kept_end = r.festival_end
        ends_on = (lambda a: window.start("end") <= a < window.end("end")) if window else (lambda a: False)
        _festivals(r, lambda a, b, d, role: put(a, b, d, "end" if role == "end" and ends_on(a) else "context"))
        r.festival_end = kept_end
    else:
        _festivals(r, put)
    monday = today - timedelta(days=today.weekday())
    for m in re.finditer(r"(?P<w>下下|下个|下|这个|这|本)?\s*(?:周|星期|礼拜)(?P<a>[一二三四五六日天1-7])\s*(?:到|至|-|~|—|和|、|/|(?=[日天]))\s*(?:(?P<w2>下下|下个|下|这个|这|本)?\s*(?:周|星期|礼拜))?(?P<b>[一二三四五六日天1-7])", t):
        weeks = {"下下": 2, "下": 1, "下个": 1}.get(m.group("w") or "", 0)
        first = monday + timedelta(weeks=weeks, days=_WEEKDAYS[m.group("a")])
        if not m.group("w") and first < today:
            first += timedelta(weeks=1)
        last = first + timedelta(days=(_WEEKDAYS[m.group("b")] - _WEEKDAYS[m.group("a")]) % 7)
        if m.group("w2"):
            # 周五到下周日: the end names its own week
            last = monday + timedelta(weeks={"下下": 2, "下": 1, "下个": 1}.get(m.group("w2"), 0), days=_WEEKDAYS[m.group("b")])
        if put(m.start(), m.end(), first, "start"):  # 下周一到周五: both days in the same week
            spans.append((m.end(), m.end(), last, "end"))
    for m in re.finditer(r"(?P<w>下下|下个|下|这个|这|本)?\s*(?:周|星期|礼拜)(?P<d>[一二三四五六日天1-7])", t):
        which = m.group("w") or ""
        weekday = _WEEKDAYS[m.group("d")]
        if which in ("下下",):
            d = monday + timedelta(weeks=2, days=weekday)
        elif which in ("下", "下个"):
            d = monday + timedelta(weeks=1, days=weekday)
        elif which:
            d = monday + timedelta(days=weekday)
        else:
            d = monday + timedelta(days=weekday)
            d = d if d >= today else d + timedelta(weeks=1)  # a bare weekday is the coming one, never one past
        if re.match(_WRITTEN, t[m.end() :]):
            r.take(m.start(), m.end())
            continue  # （周日加班写的）: when the brief was written, not when the campaign runs
        one = re.match(r"\s*(?:当天|那天|当日)(?!\s*(?:开始|起|上线|开跑))", t[m.end() :])
        if one and put(m.start(), m.end() + one.end(), d, "start"):
            spans.append((m.end(), m.end(), d, "end"))  # 周四当天发一波: that one day
            continue
        put(m.start(), m.end(), d, "at")
    en_days = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
    for m in re.finditer(rf"(?P<w>next|this|coming)?\s*\b(?P<a>{en_days})\b\s*(?:to|through|thru|-|–|—|until|till)\s*\b(?P<b>{en_days})\b(?!,?\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d)", t):
        a_day, b_day = _en_weekday(m.group("a")), _en_weekday(m.group("b"))
        first = monday + timedelta(days=a_day)
        if m.group("w") == "next" or first < today:
            first += timedelta(weeks=1)
        if put(m.start(), m.end(), first, "start"):  # next Monday to Friday: both days in that week
            spans.append((m.end(), m.end(), first + timedelta(days=(b_day - a_day) % 7), "end"))
    for m in re.finditer(rf"(?P<w>next|this|coming)?\s*\b(?P<d>{en_days})\b", t):
        if re.match(r",?\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d|,?\s*\d{1,2}\s*月", t[m.end() :]):
            r.take(m.start(), m.end())
            continue  # "Monday Dec 7": the date says which Monday
        if r.taken(m.start("d"), m.end("d")):
            continue
        weekday = _en_weekday(m.group("d"))
        following = re.search(r"(?:through|until|till|to)\s+the\s+following\s*$", t[max(0, m.start("d") - 30) : m.start("d")])
        earlier = [sp for sp in spans if sp[1] <= m.start() and sp[3] in ("start", "at")] if following else []
        if earlier and following:
            first = earlier[-1][2]  # Next Wednesday through the following Tuesday: the first Tuesday after that Wednesday
            spans.append((m.start(), m.end(), first + timedelta(days=(weekday - first.weekday() - 1) % 7 + 1), "end"))
            r.take(m.start("d") - len(following.group(0)), m.end())
            continue
        d = monday + timedelta(days=weekday)
        later = re.match(r"\s*(?:of\s+)?next week", t[m.end() :])
        week = re.search(r"\b(?:for|in|during) next week\b", t[: m.start()])
        if later:
            d = monday + timedelta(weeks=1, days=weekday)  # Wednesday next week: the Wednesday of the week after this one
            r.take(m.end(), m.end() + later.end())
        elif week and not m.group("w") and not r.taken(week.start(), week.end()):
            d = monday + timedelta(weeks=1, days=weekday)  # For next week … start on Wednesday: that week's Wednesday
            r.take(week.start(), week.end())
        elif m.group("w") == "next" or d < today:
            d = d + timedelta(weeks=1)
        if put(m.start(), m.end(), d, "at") and (close := re.search(r"(?:through|until|till|to) the end of (?:that|the) week", t[m.end() : m.end() + 60])):
            spans.append((m.end() + close.start(), m.end() + close.end(), d + timedelta(days=6 - d.weekday()), "end"))
            r.take(m.end() + close.start(), m.end() + close.end())  # run it through the end of that week: its Sunday
    # Jan 2027, full month / 时间：12月 / 12月周周盈冲量: a whole month said as the campaign's time
    months = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    for m in re.finditer(rf"\b(?P<mn>{months})[a-z]*\.?\s*(?P<y>\d{{4}})?\s*[,(（]?\s*(?:the\s+)?(?:full|whole|entire)\s+month|(?:the\s+)?(?:full|whole|entire)\s+month\s+of\s+(?P<mn2>{months})[a-z]*\.?\s*(?P<y2>\d{{4}})?"
                         rf"|(?:^|(?:活动)?(?:时间|期间|周期)\s*[:：]\s*)(?P<m>{NUM})\s*月(?:份)?(?=\s*(?:[\u4e00-\u9fffa-z，,。;；]|$))(?!\s*(?:[底初中末]|份?\s*(?:前|之前|以前|内|以内)|\d|[一二三四五六七八九十]+\s*[日号]))", t):
        name = m.group("mn") or m.group("mn2")
        month = list(_MONTHS).index(name) + 1 if name else int(cn_number(m.group("m")) or 0)
        if not 1 <= month <= 12 or r.taken(m.start(), m.end()):
            continue
        year = int(m.group("y") or m.group("y2") or 0) or (today.year if month >= today.month else today.year + 1)
        first = date(year, month, 1)
        if first >= today.replace(day=1) and put(m.start(), m.end(), max(first, today), "start"):
            spans.append((m.end(), m.end(), month_end(first), "end"))
    for m in re.finditer(r"即日起|即日开始|即日|从今天起|从今天开始|starting today|effective immediately|from today", t):
        put(m.start(), m.end(), today, "start")
    for m in re.finditer(r"(?:run it |run |in |during |sometime )?\bnext week\b(?!\s*(?:'s|on|\())", t):
        if put(m.start(), m.end(), monday + timedelta(weeks=1), "start"):
            spans.append((m.end(), m.end(), monday + timedelta(weeks=1, days=6), "end"))  # run it next week: Monday to Sunday
    for m in re.finditer(rf"(?:^|[.;:]\s+|\n)(?P<mn>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$|(?P<m>{NUM})\s*月份\s*(?:内)?(?:做完|完成|搞定|跑完)", t):
        if m.group("mn"):
            month = list(_MONTHS).index(m.group("mn")) + 1
        else:
            month = int(cn_number(m.group("m")) or 0)
        if 1 <= month <= 12:
            first = date(today.year if month >= today.month else today.year + 1, month, 1)
            if put(m.start("mn") if m.group("mn") else m.start(), m.end(), max(first, today), "start"):
                spans.append((m.end(), m.end(), month_end(first), "end"))  # "… WeCom advisors. Dec." / 12月份做完: that month
    for m in re.finditer(r"(?P<w>这|本|下)?周末(?:两天)?|(?P<e>this|next) weekend", t):
        if re.match(_WRITTEN, t[m.end() :]):
            r.take(m.start(), m.end())
            continue  # 周末先丢个需求: when the brief is written
        sat = monday + timedelta(weeks=1 if (m.group("w") == "下" or m.group("e") == "next") else 0, days=5)
        if put(m.start(), m.end(), sat, "start"):
            spans.append((m.end(), m.end(), sat + timedelta(days=1), "end"))  # 这周末两天: Saturday and Sunday
    for m in re.finditer(r"(?:all of|the whole of|throughout) next week(?:\s*\(mon\s*[-–—~]\s*sun\))?|next week only|只做下周|就下周一周|下周一整周|下周整周|下周全周|整个下周", t):
        if put(m.start(), m.end(), monday + timedelta(weeks=1), "start"):
            spans.append((m.end(), m.end(), monday + timedelta(weeks=1, days=6), "end"))
    for m in re.finditer(r"(?P<w>下下|下)周(?:起|开始|上线|启动)|从(?P<w2>下下|下)周开始|starting next week|from next week|(?:starting|from) the week after next", t):
        weeks = 2 if "下下" in (m.group("w") or m.group("w2") or "") or "after next" in m.group(0) else 1
        put(m.start(), m.end(), monday + timedelta(weeks=weeks), "start")  # 下周起: the Monday of next week; 下下周开始, the week after
    # 12月头两周, 1月前三周, the first two weeks of December: from the month's first day, that many weeks
    for m in re.finditer(rf"(?P<m>{NUM})\s*月(?:的)?\s*(?:头|前)\s*(?P<n>{NUM})\s*(?:周|个星期|个礼拜)|the first (?P<en>two|three|one|2|3) weeks of (?P<mn>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*", t):
        month = int(cn_number(m.group("m")) or 0) if m.group("m") else _MONTHS[m.group("mn")]
        weeks = int(cn_number(m.group("n")) or 0) if m.group("n") else {"one": 1, "two": 2, "three": 3}.get(m.group("en"), int(m.group("en")) if m.group("en").isdigit() else 0)
        first = _future(today.replace(day=1), month, 1) if 1 <= month <= 12 else None
        if first and weeks and put(m.start(), m.end(), max(first, today), "start"):
            spans.append((m.end(), m.end(), first + timedelta(days=7 * weeks - 1), "end"))
    for word, days in (("今天", 0), ("明天", 1), ("后天", 2), ("today", 0), (r"\b(?:tomorrow|tmrw|tmr|tomorow|2morrow)\b", 1)):
        for m in re.finditer(word, t):
            if word in ("今天", "today") and re.match(r"\s*(?:是|就是|is)?\s*(?:圣诞|元旦|双十二|双12|周[一二三四五六日末]|星期|christmas|[a-z]+day\b|(?:a |the )?weekend)", t[m.end() :]):
                r.take(m.start(), m.end())
                continue  # 今天圣诞，下周一开始: today is the occasion, the start is said apart
            put(m.start(), m.end(), today + timedelta(days=days), "at")
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    m = re.search(r"下个?月\s*(?:整月|全月|一整个月|一个月)|整个\s*下个?月|all (?:of )?next month|the whole of next month", t)
    if m and not r.taken(m.start(), m.end()):
        if put(m.start(), m.end(), next_month, "start"):
            spans.append((m.end(), m.end(), month_end(next_month), "end"))
    whole = re.search(rf"(?P<m>{NUM})\s*月(?:份)?\s*(?:整月|全月|一整个月|一整月|整个月|整一个月)|整个\s*(?P<m2>{NUM})\s*月|(?:all|the whole) of (?P<en>january|february|march|april|may|june|july|august|september|october|november|december)", t)
    if whole and not r.taken(whole.start(), whole.end()):
        names = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
        month = int(cn_number(whole.group("m") or whole.group("m2") or "0") or 0) or names.index(whole.group("en")) + 1
        year = today.year if month >= today.month else today.year + 1
        if put(whole.start(), whole.end(), date(year, month, 1), "start"):
            spans.append((whole.end(), whole.end(), month_end(date(year, month, 1)), "end"))
    for m in re.finditer(r"下个?月初|early next month", t):
        put(m.start(), m.end(), next_month, "start")
    for m in re.finditer(r"下个?月(?!\s*(?:\d|[一二三四五六七八九十]+\s*[号日]|再说|再做|再看|再议|考虑))|next month|(?:throughout|in|during|all of) (?:next month|january|february|march|april|may|june|july|august|september|october|november|december)|(?P<n>1[0-2]|[1-9]|十[一二]?)\s*月(?:份)?\s*(?:内|之内|以内)(?!\s*(?:到期|满期|赎回))", t):
        if r.taken(m.start(), m.end()) or re.search(r"(?:matures?|maturing|maturity|expires?|expiring|expiry|due|到期)\s*$", t[max(0, m.start() - 12) : m.start()]):
            continue  # "whose term matures in December" says who, not when
        names = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
        named = next((n for n in names if n in m.group(0)), None)
        if m.group("n"):
            first = date(today.year, int(cn_number(m.group("n")) or today.month), 1)
            first = first if first >= today.replace(day=1) else date(today.year + 1, first.month, 1)
            put(m.start(), m.end(), month_end(first), "end")  # 12 月内完成: by the end of December
            continue
        if named:
            month = names.index(named) + 1
            first = date(today.year if month >= today.month else today.year + 1, month, 1)
        else:
            first = next_month
        if put(m.start(), m.end(), first, "start"):  # 下个月做召回: the whole of next month
            spans.append((m.end(), m.end(), month_end(first), "end"))
    for m in re.finditer(r"(?P<m>1[0-2]|[1-9]|十[一二]?)\s*月\s*(?:底|末)(?:前|之前|以前)?", t):
        mm = int(cn_number(m.group("m")) or 0)
        first = date(today.year if mm >= today.month else today.year + 1, mm, 1)
        put(m.start(), m.end(), month_end(first), "end")  # 12月底前结束
    for m in re.finditer(rf"(?P<w>下个?月|本月|这个月)\s*(?P<d>{NUM})\s*[号日]", t):
        dd = int(cn_number(m.group("d")) or 1)
        base = next_month if m.group("w").startswith("下") else today.replace(day=1)
        try:
            put(m.start(), m.end(), base.replace(day=dd), "at")  # 下月1号开始
        except ValueError:
            pass
    for m in re.finditer(r"(?:这个月|本月|当月)最后一天|the last day of (?:the|this) month|(?:本月|这个月|当月)?月底(?:前|之前|以前)?|本月内|这个月内|当月内|by (?:the )?end of (?:the |this )?month|before (?:the )?month[- ]end", t):
        put(m.start(), m.end(), month_end(today), "month_end")  # the end of the month the campaign runs in
    month_names = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
    for m in re.finditer(r"(?:through|until|till|to|by) the end of (?P<mn>january|february|march|april|may|june|july|august|september|october|november|december)", t):
        month = month_names.index(m.group("mn")) + 1
        put(m.start(), m.end(), month_end(date(today.year if month >= today.month else today.year + 1, month, 1)), "end")
    for m in re.finditer(r"(?:跑到|到|至|直到|持续到)\s*年底|(?:through|until|till|to) (?:the )?year[- ]end", t):
        put(m.start(), m.end(), date(today.year, 12, 31), "end")
    for m in re.finditer(r"年底(?:前|之前|以前)|年末(?:前|之前)|by (?:the )?end of (?:the |this )?year|before (?:the )?year[- ]end", t):
        put(m.start(), m.end(), date(today.year, 12, 31), "end")

    for m in re.finditer(r"(?<![\d年/.-])(?:1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])\s*月(?:份)?(?!\s*(?:\d|[一二三四五六七八九十]|底|初|整|全))", t):
        if not r.taken(m.start(), m.end()):
            r.take(m.start(), m.end())  # 12月加推活动: the month as context; a day or a range says when
    if any(role != "context" for *_x, role in spans):
        spans = [x for x in spans if x[3] != "context"]
    start = end = None
    month_ended = False
    for a, b, d, role in sorted(spans, key=lambda s: (s[0], s[1])):
        role = "at" if role == "context" else role
        if role == "month_end":
            role, month_ended = "end", True
        before, after = t[max(0, a - 8) : a], t[b : b + 12]
        if role == "at":
            moved = re.search(r"(?:挪到|推到|改到|移到|调到|延到|延后到|推迟到|提前到|换到|改成|改为)\s*$", before) and not re.search(r"结束|截止|end", t[max(0, a - 12) : a])
            # 开始日期：2026-12-02 结束日期：2026-12-16 — a form's field label says which date it is; 结束 there labels the next
            label = re.search(r"(?P<s>开始|起始|上线|start)|(?P<e>结束|截止|下线|end)", re.sub(r"\s*(?:日期|时间|日|date|day)?\s*[:：]\s*$", "", before)[-4:] if re.search(r"[:：]\s*$", before) else "")
            if label and not moved:
                role = "end" if label.group("e") else "start"
            elif not moved and (re.match(r"\s*(?:之前|以前|前)(?!后)|\s*(?:截止|结束|为止|止|end)(?!\s*(?:日期|时间|date)?\s*[:：])", after) or re.search(r"(?:到|至|until|till|through|by|before|截止到|截至|结束于|ends?|ending)\s*$", before)):
                role = "end"
                if re.match(r"\s*(?:之前|以前|前)(?!后)", after) and not re.search(r"截止|截至", before):
                    d = d - timedelta(days=1)
                cue = re.match(r"\s*(?:之前|以前|前)(?!后)|\s*(?:截止|结束|为止|止)", after)
                if cue:
                    r.take(b, b + cue.end())
            else:
                role = "start"
        if role == "start" and start is None:
            start = d
        elif role == "end" and end is None or role == "start" and end is None and start is not None and d > start:
            if start is not None and d < start and re.fullmatch(r"(?:(?:周|星期|礼拜)[一二三四五六日天1-7]|monday|tuesday|wednesday|thursday|friday|saturday|sunday)", t[a:b].strip()):
                d += timedelta(weeks=(start - d).days // 7 + 1)  # next Monday through Sunday: the Sunday after that Monday
            end = d
    if start is None and end is None:
        # "Jan." or "in December" said alone, and nothing else dates the campaign: the whole month
        for m in re.finditer(r"(?<!%)(?<![a-z\d])(?:(?P<lead>in|during|for|all of|throughout|the whole of)\s+)?(?P<mn>january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?P<dot>\.)?(?![a-z])(?!\s*\d)(?!\s*(?:-|–|to)\s*\d)", t):
            if r.taken(m.start(), m.end()) or (len(m.group("mn")) <= 4 and not (m.group("dot") or m.group("lead"))):
                continue  # a bare "apr" is a rate's name more often than April
            month = _MONTHS[m.group("mn")[:3]]
            first = date(today.year if month >= today.month else today.year + 1, month, 1)
            start, end = max(first, today), month_end(first)
            r.take(m.start(), m.end(), "dates")
            break
    if month_ended and start is not None and end is not None and end < start:
        end = month_end(start)  # 从12月14号跑到月底: the end of the month the campaign starts in
    if start is not None:
        r.data["start"] = start
    if end is not None:
        r.data["end"] = end  # an end before the start is the brief contradicting itself: the brief model says so
    _duration(r)
    if start is not None and end is None and len(spans) == 1 and not {"end", "duration_days"} & r.data.keys() and (
            re.search(_ONE_SHOT, t) or re.match(r"\s*(?:only|just that day|当天|当日|一天|那天|这一天)", t[spans[0][1] : spans[0][1] + 16])):
        a, b = spans[0][:2]
        if not re.match(r"\s*(?:当天|当日)?\s*(?:开始|起|开跑|上线|启动|onwards|starting|start)", t[b : b + 10]) and not re.search(r"(?:from|starting|从|自)\s*$", t[max(0, a - 10) : a]):
            r.data["end"] = start  # 本周六给沉睡用户发一波push / send on Thursday: one send on that day, not a two-week run


_WRITTEN = r"\s*(?:先)?\s*(?:加班|加个班|写的|写|值班|在家|发的|说的|开会|临时想到|想到的|想起|突然想到|丢个|丢一个|提个|提一个|发个需求|来个需求)"
"""After a day, words that make it when the brief was written (周日加班写的, 周末先丢个需求), not when the campaign runs."""

_ONE_SHOT = (r"发一波|推一波|发一条|推一条|一条就行|只发一条|发一次|推一次|只发一次|一次性触达|one-off|one-shot|single (?:send|message|push|blast)"
             r"|(?:send|sent|goes out|go out|blast)\s+(?:it\s+|them\s+)?on\b")


def _festivals(r: _Read, put: Any) -> None:
    t, today = r.t, r.today
    for s, e, word in find_phrases(t, list(r.lx.festivals), strict=True):
        if (s > 0 and t[s - 1].isdigit()) or (e < len(t) and t[e].isdigit()) or r.taken(s, e):
            continue  # 61800 is a budget, not 618
        fest = r.lx.festivals[word]
        day = fest.next_on_or_after(today - timedelta(days=0))
        if day is None:
            continue
        after = t[e : e + 24]
        m = re.match(r"\s*(?:当天|那天)?\s*(?:加|和|及|以及)?\s*前后\s*(?:各)?\s*(?:(?P<n>\d+|[一两二三四五六七])\s*天)?", after) or re.match(
            r"\s*(?:\+/-|±|\+-|plus or minus|plus/minus)\s*(?P<n>\d+)\s*days?|\s*\(?\s*(?P<n2>\d+)\s*days? (?:either side|on either side|before and after|each side)\)?", after)  # fmt: skip
        if m:
            given = m.groupdict().get("n") or m.groupdict().get("n2")
            n = int(cn_number(given) or 3) if given else 3
            put(s, e + m.end(), day - timedelta(days=n), "start")
            put_end(r, day + timedelta(days=n))
            continue
        m = re.match(rf"\s*(?:当天|那天|当日)\s*(?:及|和|加|以及|连同)\s*(?P<w>前|后)\s*(?P<n>{NUM})\s*天", after)
        if m:
            n = int(cn_number(m.group("n")) or 1)  # 双十二当天及前两天: the day and the n days before (or after) it
            first, last = (day - timedelta(days=n), day) if m.group("w") == "前" else (day, day + timedelta(days=n))
            put(s, e + m.end(), first, "start")
            put_end(r, last)
            continue
        m = re.match(r"\s*(?:当天|那天|当日)\s*(?:结束|截止|为止|收尾)", after)
        if m:
            put(s, e + m.end(), day, "end")  # 圣诞节当天结束: the festival ends it
            continue
        ahead = re.search(rf"提前\s*(?P<n>{NUM})\s*天\s*(?:开跑|开始|启动|上线|预热)", t[e : e + 16])
        if ahead:
            put(s, e, day - timedelta(days=int(cn_number(ahead.group("n")) or 0)), "start")  # 双十二预热，提前3天开跑
            r.take(e + ahead.start(), e + ahead.end())
            continue
        m = re.match(rf"\s*(?:的)?\s*(?:之)?前\s*(?P<n>{NUM})\s*(?P<u>天|周|个星期|星期)", after) or re.match(r"\s*(?:的)?\s*(?:之)?前\s*(?P<n>一)\s*(?P<u>周)", after)
        if m:
            count = cn_number(m.group("n")) or 1
            days = int(count * (7 if m.group("u") in ("周", "个星期", "星期") else 1))
            put(s, e + m.end(), day - timedelta(days=days), "start")
            put_end(r, day - timedelta(days=1))
            continue
        m = re.match(r"\s*(?:的)?\s*(?:三天|小长|长)?\s*(?:假期|假|小长假|长假|holiday)(?:\s*(?:期间|里|内|during))?", after)
        if m and fest.holiday:
            put(s, e + m.end(), day, "start")  # 元旦三天假: the public holiday itself
            put_end(r, day + timedelta(days=fest.holiday - 1))
            continue
        m = re.match(r"\s*(?:当天|那天|当日)", after)
        if m:
            put(s, e + m.end(), day, "start")
            if not re.match(r"\s*(?:上线|开始|起|开跑|启动|开搞)", t[e + m.end() :]):
                put_end(r, day)  # 双十二当天: that one day; 双十二当天上线, 跑10天: it starts then
            continue
        m = re.match(r"\s*(?:当周|那周|这周|那一周|一周)(?!前)", after)
        if m:
            monday = day - timedelta(days=day.weekday())
            put(s, e + m.end(), monday, "start")
            put_end(r, monday + timedelta(days=6))
            continue
        m = re.match(r"\s*(?:期间|大促|活动期|档期|promo|period|week|sale)", after)
        if m and fest.during != (0, 0):
            put(s, e + m.end(), day + timedelta(days=fest.during[0]), "start")
            put_end(r, day + timedelta(days=fest.during[1]))
            continue
        lead = re.search(r"(?:the\s+)?(?P<n>\d+|one|two|three|four|a)\s*(?P<u>weeks?|days?)\s*(?:before|ahead of|leading up to|prior to)\s*(?:the\s+)?$", t[max(0, s - 32) : s])
        if lead:
            n = int(lead.group("n")) if lead.group("n").isdigit() else {"one": 1, "a": 1, "two": 2, "three": 3, "four": 4}[lead.group("n")]
            put(s - len(lead.group(0)), e, day - timedelta(days=n * (7 if lead.group("u").startswith("week") else 1)), "start")
            put_end(r, day - timedelta(days=1))  # the two weeks before Chinese New Year: those weeks, ending the day before
            continue
        m = re.match(r"\s*(?:之前|以前|前)(?!后)", after) or re.search(r"before\s*$", t[max(0, s - 8) : s])
        if m:
            said = re.match(r"[^，,。;；]*", t[e + m.end() :]).group(0) if m.re.pattern.startswith(r"\s") else ""  # type: ignore[union-attr]
            if re.search(r"需求|旺|高峰|紧张|多|大|火|热|忙", said) and not re.search(r"推|发|做|跑|上线|投|触达|搞|给|完成|结束|截止", said):
                put(s, e + m.end(), day - timedelta(days=1), "context")  # 春节前商家资金需求旺: the season's background, not when it ends
                continue
            put(s, e + (m.end() if m.re.pattern.startswith(r"\s") else 0), day - timedelta(days=1), "end")
            continue
        if re.match(r"\s*(?:到|至|-|~|—|起|开始)", after):
            put(s, e, day, "start")  # 从元旦到1月15号: the festival's day starts it
            continue
        if re.search(r"(?:到|至|-|~|—|直到)\s*$", t[max(0, s - 3) : s]):
            put(s, e, day, "end")  # 圣诞到元旦: the festival's day ends it
            continue
        put(s, e, day, "context")  # 元旦出游季: the season, used only when nothing else dates the campaign


def put_end(r: _Read, d: date) -> None:
    """The last day of a festival window, used unless the brief states an end of its own."""
    if r.festival_end is None:
        r.festival_end = d


def _duration(r: _Read) -> None:
    t = r.t
    if r.festival_end is not None:
        r.data.setdefault("end", r.festival_end)
    for d in find_durations(t):
        if r.taken(d.start, d.end) or d.value < 1:
            continue
        before, after = t[max(0, d.start - 5) : d.start], t[d.end : d.end + 4]
        if re.search(r"(?:上线|成立|开业|开户|注册|经营|开店|已经|已|运营|持有|持仓)\s*(?:了)?\s*$", before):
            continue  # 金积存上线半年: how old something is, not how long the campaign runs
        run = re.search(_RUN + r"\s*(?:了|a|an)?\s*(?:周末)?\s*$", t[max(0, d.start - 8) : d.start]) or re.match(r"\s*(?:的)?\s*(?:活动|campaign|时间|周期|左右|long)", after) or (
            re.fullmatch(r"\d+-days?", d.text.strip()) if not re.match(r"\s*(?:interest|free|coupon|免息|trial|one\b|ones\b|version|券|(?:[a-z-]+\s+){0,2}(?:rate|ratio|window|retention|yield|returns?|active)\b)", t[d.end : d.end + 32]) else None)  # a 10-day index fund push, not a 30-day drawdown rate
        lo, hi = r.clause(d.start)
        free = "".join(c for i, c in enumerate(t[lo:hi], lo) if not r.used[i] and not d.start <= i < d.end)
        rest = re.sub(r"[\s,.，。、;；:：+-]|开始|起|上线|跑|做|干|一共|total|only|starting|beginning|from|days?|weeks?|for|run", "", free)
        alone = len(rest) <= 2  # 两周 as its own clause is the campaign's length; 上线半年 is background
        if run or alone:
            days = round(d.value)  # a month is 30 days, as marketers count a campaign's length
            if 1 <= days <= 366:
                r.data["duration_days"] = days
                r.take(d.start - (len(run.group(0)) if run and run.re.pattern.startswith(_RUN) else 0), d.end, "duration_days")
            break


# -- budget and KPIs ----------------------------------------------------------------------------------------------

_KPI_WORDS: list[tuple[str, str]] = [
    ("loan_volume", r"放款|提款|借款量|贷款量|放款量|loan volume|loan amount|lending amount|amount disbursed|disburse\w*|drawdowns?|loans? disbursed|in (?:new )?loans"),
    ("conversions_first", r"first deposits?|first-time deposits?"),
    ("aum", r"aum|规模|保有|资金|资产|新增资产|持仓|续投金额|转入金额|金额|存入|入金|deposits?|inflows?"),
    ("clicks", r"点击|clicks?"),
    ("reach", r"触达|曝光|覆盖|reach|impressions"),
    ("conversions", r"转化|成交|新增|唤回|召回|回流|授信|开户|首购|申购|续投|续保|续借|复投|复购|激活|拉新|获客|缴存|恢复|开通|subscriptions?|subscribers|approvals?|sign-?ups?|conversions?|投保|(?:new )?(?:dca |sip )?plans|定投计划|(?:first )?draws|drawdowns?|(?:new |first-time |repeat |returning )?(?:re-?)?(?:loan customers?|borrowers|activations?|re-?activations?|applications?|applicants|policyholders|investors|depositors|registrations|accounts|users|customers|buyers|purchasers|purchases|renewals|roll-?overs|reinvestments)|first purchases|policies|保单|单"),
    ("conversions_target", r"目标"),
]  # fmt: skip
_QTY = re.compile(rf"(?P<n>\d{{1,3}}(?:,\d{{3}})+|{NUM})\s*(?P<u>个亿|亿|万|w\b|k\b|million|billion|m\b)?\s*(?P<c>人次|人|单|户|笔|名|个用户|位)?")


def _kpi_value(r: _Read, metric: str, w: re.Match[str], m: re.Match[str]) -> float | None:
    """The target a quantity next to a KPI word states, or None when it is something else."""
    t = r.t
    if re.match(r"\s*(%|天|岁|元|块|月|日|号|周|期|折|克|个月|\.\d)", t[m.end() - (len(m.group("c")) if m.group("c") else 0) : m.end() + 3]) and not m.group("u"):
        return None
    value = cn_number(m.group("n").replace(",", ""))
    if value is None:
        return None
    unit = (m.group("u") or "").strip()
    value *= {"个亿": 1e8, "亿": 1e8, "万": 1e4, "w": 1e4, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9}.get(unit, 1.0)
    if metric in ("aum", "loan_volume") and m.group("c"):
        return None  # 新增入金用户1万人: a count of people, not money
    if metric in ("aum", "loan_volume") and not unit and value < 10_000:
        return None  # a money target names its unit; a bare number next to 规模 is something else
    if metric in ("conversions", "conversions_target", "conversions_first", "reach", "clicks"):
        if value < 10 and not unit:
            return None  # 做一次召回: a count of campaigns, not a target
        cue = re.search(r"目标|新增|唤回|召回|授信|开户|首购|拉新|获客|target|goal|kpi|aim|at least|至少|达到|≥|>=", t[max(0, min(m.start(), w.start()) - 10) : max(m.start(), w.start())])
        counted = w.start() >= m.end() and w.start() - m.end() <= 1 and re.match(r"[a-z]", w.group(0))  # 600 policies, 3000 conversions
        if not (m.group("c") or unit or cue or counted):
            return None  # 转化 alone is the goal; a conversion target is a count (5000 人, 3 万户)
    return value


def _kpis(r: _Read) -> None:
    t = r.t
    out: list[dict[str, str | float]] = []  # KpiTarget fields: metric, value
    patterns = [
        rf"(?:每个|单个|获客|每单|单客|单人|人均)\s*(?:获客|召回|转化|拉新|激活|唤醒)?\s*成本\D{{0,8}}?(?P<e>\d+(?:\.\d+)?|{NUM})|(?:cost per (?:acquisition|conversion|customer|user|policy|loan|sign-?up|new user|new customer)|cpa|cac)\D{{0,20}}?(?P<f>\d+(?:\.\d+)?)",
        r"(?:≤|<=|under|below|at most|no more than)\s*[¥$]?(?P<e>\d+(?:\.\d+)?)\s*(?:yuan|rmb|元)?\s*(?:cpa|cac)\b",  # ≤ 45 yuan CPA
        r"(?:at|for)?\s*(?:no more than|not more than|under|below|at most|max(?:imum)?|≤)\s*[¥$]?(?P<e>\d+(?:\.\d+)?)\s*(?:yuan|rmb|元)?\s*(?:each|per (?:policy|user|customer|conversion|head|acquisition|loan|sign-?up))",
    ]  # fmt: skip
    for pattern in patterns:
        # the first cost per conversion stated whose figure nothing else read (CPA. Budget 250k: 250k is the budget)
        cost = next((c for c in re.finditer(pattern, t) if not r.taken(c.start(c.lastgroup or "e"), c.end(c.lastgroup or "e"))), None)
        if cost:
            figure = cost.group("e") if cost.groupdict().get("e") else cost.group("f")
            out.append({"metric": "cost_per_conversion", "value": float(cn_number(figure) or 0)})
            r.take(cost.start(), cost.end(), "kpis")
            break
    qty = [m for m in _QTY.finditer(t) if m.group("n").strip() and not r.taken(m.start(), m.end())]
    for metric, words in _KPI_WORDS:
        if metric in ("conversions_target", "conversions") and any(k["metric"] == "conversions" for k in out):
            continue
        for w in re.finditer(words, t):
            if r.taken(w.start(), w.end(), over_products=True) and metric != "conversions":
                continue
            lo, hi = r.clause(w.start())
            if t[hi : hi + 1] in (":", "："):
                hi = r.clause(hi + 1)[1]  # "Target AUM inflow: 20M": the figure follows the colon
            best = None
            for m in qty:
                if r.taken(m.start(), m.end()) or not (lo <= m.start() < hi):
                    continue
                gap = m.start() - w.end() if m.start() >= w.end() else w.start() - m.end()
                reach = 24 if re.match(r"[a-z]", w.group(0)) and m.start() < w.start() else 10  # 5000 first-time users
                value = _kpi_value(r, metric, w, m) if 0 <= gap <= reach else None
                gap += 5 if m.start() < w.start() and re.match(r"[a-z]", w.group(0)) else 0  # reach 300万、click 6万: the figure after its word
                if value is not None and (best is None or gap < best[0]):
                    best = (gap, m, value)
            if best is None:
                continue
            _, m, value = best
            name = "conversions" if metric in ("conversions_target", "conversions_first") else metric
            if name == "conversions" and value >= 1e7 and not m.group("c"):
                # 冲AUM，目标新增5000万: tens of millions said with no one counted is money, of the kind the brief is about
                name = "loan_volume" if re.search(r"放款|借款|贷款|loan|disburse", t) and not re.search(r"aum|规模|资产|入金|存入|理财", t) else "aum"
            r.take(m.start(), m.end(), "kpis")
            r.take(w.start(), w.end())
            out.append({"metric": name, "value": value})
            qty = [q for q in qty if q.start() != m.start()]
            break
    for w in re.finditer(r"转化率|续投率|续保率|续借率|复购率|激活率|投保率|用信率|使用率|首借率|提款率|动支率|conversion rate|reinvestment rate|renewal rate|cvr", t):
        pct = next((p for p in find_percents(t) if w.end() <= p.start <= w.end() + 14 and not r.taken(p.start, p.end)), None)
        if pct is None or re.search(r"(?<!不)(?:低于|高于|不足|超过|小于|大于|<|>|低|高)(?!于)", t[w.end() : pct.start]) or re.match(r"\s*(?:以下|以上)?\s*的\s*(?:商家|商户|用户|客户|人)", t[pct.end :]):
            continue  # 额度使用率低于10%的商家: who is targeted, not a target
        out.append({"metric": "conversion_rate", "value": round(pct.value / 100, 6)})
        r.take(w.start(), pct.end, "kpis")
        break
    if out:
        r.data["kpis"] = out


def _budget(r: _Read) -> None:
    t = r.t
    # budget twenty thousand: a figure in words beside the budget word is yuan, as a bare figure is
    money = [a for a in [*find_amounts(t), *find_word_amounts(t)] if a.value >= 100 and not r.taken(a.start, a.end)]
    # budget 120,000 / 预算 80000: a bare number of four digits or more right after the word is yuan.
    # 预算（元）：50000 / 预算(万元): 5 — a form's column names the unit
    for m in re.finditer(r"(?:预算|budget|capped at|\bcap\b|上限)\s*(?:[（(]\s*(?P<u>元|万元|万|rmb|yuan|cny|¥)\s*[)）])?\s*(?:is|of|at|为|是|:|：)?\s*(?<![\d.])(?P<n>\d{1,3}(?:,\d{3})+|\d{4,}|(?<=[:：])\s*\d+(?:\.\d+)?(?=\s*(?:$|[,，;；。\s])))(?![\d%]|\.\d|\s*(?:人|户|笔|单|天|days?|users?|人次))", t):
        if m.group("n").strip() and not r.taken(m.start("n"), m.end("n")) and not any(a.start <= m.start("n") < a.end for a in money) and (m.group("u") or len(m.group("n").strip().replace(",", "")) >= 4):
            scale = 1e4 if m.group("u") in ("万元", "万") else 1.0
            money.append(Amount(float(m.group("n").strip().replace(",", "")) * scale, m.start("n"), m.end("n"), m.group("n")))
    best = None
    for w in re.finditer(r"预算|budget|花费|投入|经费|费用|spend|总成本|成本控制|上限|封顶|\bcap\b|capped at|花|钱(?=\s*(?:别|不要|不能|不许|不得|最多|控制在|控制|不)?\s*(?:超过|超出|超|多于|高于|在))", t):
        lo = r.clause(w.start())[0]
        for a in money:
            gap = a.start - w.end() if a.start >= w.end() else w.start() - a.end
            if a.start < w.start() and a.start < lo:
                continue  # "…150 RMB. / Budget: 120k": the amount before the word belongs to another item
            if 0 <= gap <= 16 and (best is None or gap < best[0]):
                best = (gap, a, w)
    if best is not None:
        _, a, w = best
        r.data["budget_cap"] = a.value
        r.take(min(a.start, w.start()), max(a.end, w.end()), "budget_cap")


def _budget_fallback(r: _Read) -> None:
    """With no word for the budget, the one sum of money left after the targets is it."""
    t = r.t
    if "budget_cap" in r.data:
        return
    money = [a for a in find_amounts(t) if a.value >= 100 and not r.taken(a.start, a.end)]
    # 跑两周，5w以内 / keep it under 50k: a cap on what is spent, in a clause that says nothing of who
    for a in money:
        lo, hi = r.clause(a.start)
        spend = re.search(r"(?:keep (?:it|spend(?:ing)?|costs?|the spend)\s*(?:under|below|within)|spend (?:no more than|under|up to)|控制在|花费?|总共|一共|整体)\s*$", t[max(lo, a.start - 24) : a.start])
        within = re.match(r"\s*(?:以内|之内|内)\s*(?:[,，。;；]|$)", t[a.end : hi + 1]) and not any(lo <= x < hi for x, _y in r.audience_at)
        if spend or (within and lo == a.start - len(t[lo : a.start]) and not t[lo : a.start].strip()):
            r.data["budget_cap"] = a.value
            r.take(a.start, a.end, "budget_cap")
            return
    # "120k RMB, Dec 1 – Dec 31, target 80M RMB retained AUM": a sum said as a target is not the budget
    money = [a for a in money if not re.search(r"(?:目标|target|goal|kpi|aim for|aiming for)\S{0,6}\s*$", t[max(0, a.start - 10) : a.start])]
    # 年流水100万以上的商家: a sum with a comparison, or said of what someone earns or sells, says who, never the budget
    money = [a for a in money if not (re.match(r"\s*(?:及|或)?\s*(?:以上|以下|以内|往上|起|\+|or more|or above|or less|and above|plus)", t[a.end : a.end + 10])
                                      or re.search(r"(?:流水|营业额|销售额|收入|资产|sales|revenue|turnover|income|assets|over|above|at least|below|under|超过|高于|低于|不低于|不少于)\s*$", t[max(0, a.start - 8) : a.start]))]
    if len(money) == 1 and not re.search(r"(?:aum|规模|放款|借款量|目标|target)[^,，。;；]{0,6}" + re.escape(t[money[0].start : money[0].end]), t):
        a = money[0]
        r.data["budget_cap"] = a.value
        r.take(a.start, a.end, "budget_cap")


# -- products and goals -----------------------------------------------------------------------------------------------


def _products(r: _Read) -> None:
    t = r.t
    products: list[str] = []
    series: list[list[str]] = []
    channel_phrases = find_phrases(t, list(r.lx.channel_words), strict=True)
    offer_names = [(o.start(), o.end()) for _oid, o in r.offer_hits]
    in_offer: list[tuple[str, re.Match[str]]] = []

    def named(a: int, b: int, pid: str | None) -> None:
        """A product mention read: where it stands, and the product itself unless it names a series."""
        if pid is not None:
            products.append(pid)
            r.product_at.setdefault(pid, []).append((a, b))
        r.product_starts.add(a)
        r.product_spans.append((a, b))
        r.take(a, b, "products")
        kind = re.match(r"\s*(?:(?:insurance|policy|fund|loan|portfolio)\b|保险|基金|贷款)", t[b:])
        if kind:
            r.take(b, b + kind.end())  # Kanghu medical insurance: the kind's word ends the product's name

    for name, pid in r.market.product_names.items():
        for m in re.finditer(name_pattern(name), t):
            if any(a <= m.start() and m.end() <= b and b - a > m.end() - m.start() for a, b in offer_names):
                in_offer.append((pid, m))  # B组发商家贷利率9折: the product names the offer; kept only if nothing else is sold
                continue
            if not r.taken(m.start(), m.end()):
                if re.match(r"\s*(?:→|->|=>|转到|转入|转投|转向|搬到|挪到|to)\s*\S", t[m.end() :]) and re.search(r"(?:→|->|=>|转到|转入|转投|转向|搬到|挪到)", t[m.end() : m.end() + 4]):
                    r.take(m.start(), m.end())
                    continue  # 活钱盈 → 稳盈365天: money moves from the first to the second, which is what is promoted
                is_series = name in r.lx.series and not re.match(r"\s*[·.]?\s*(?:\d|[\u4e00-\u9fff]{2}组合|稳健|均衡|进取)", t[m.end() :])
                if is_series:
                    series.append([p for p in r.lx.series[name] if p in r.market.products])  # 推稳盈: the series
                named(m.start(), m.end(), None if is_series else pid)
                for other, a, b in [] if is_series else r.market.more_terms(t, m.end(), pid):
                    named(a, b, other)  # 稳盈90天或180天
    for name, ids in r.lx.series.items():
        if name in r.market.product_names:
            continue  # a series that is also a product's name was read above
        for m in re.finditer(name_pattern(name), t):
            if not r.taken(m.start(), m.end()) and not re.match(r"\s*[·.]?\s*(?:\d|稳健|均衡|进取|steady|balanced|growth)", t[m.end() :]):
                series.append([p for p in ids if p in r.market.products])  # the 优选 fund range: its members
                r.take(m.start(), m.end(), "products")
    for members in series:
        if not set(members) & set(products):
            products += members  # the series, unless the brief names which of its products
    if not products:
        for pid, m in in_offer:
            named(m.start(), m.end(), pid)
    held = {p for c in r.data.get("audience", []) if c.get("family") == "holding" and not c["rule"].startswith("not") for p in re.findall(r"contains '(\w+)'", c["rule"])}
    if any(p not in held for p in products):
        # 持有稳盈90天…引导续投稳盈180天: a product the audience holds, named again in the background, is not promoted
        products = [p for p in products if p not in held]
    if not products and len(held) == 1 and re.search(r"加仓|追加|复购|再买|续投|top up|buy more|add to (?:their|the) position", t):
        products = sorted(held)  # 持有优选·进取的客户…引导加仓: buying more of what they hold
    if products:
        r.data["products"] = list(dict.fromkeys(products))
    families_named = {product_family(p, r.market.products[p].kind.value) for p in products}
    fund_types = []
    for s, e, w in find_phrases(t, list(r.lx.fund_type_words), strict=True):
        if not r.taken(s, e):
            fund_types.append(r.lx.fund_type_words[w])
            r.take(s, e, "fund_types")
    cats = ["fund"] if fund_types and "fund" not in families_named else []
    # B“比定期多一点弹性”: a line of copy in quotes names no product family
    quotes = [(m.start(1), m.end(1)) for m in re.finditer(r"[「“\"『]([^」”\"』]{6,})[」”\"』]", t)]
    for s, e, w in find_phrases(t, list(r.lx.family_words), strict=True):
        if r.taken(s, e) or any(a <= s and e <= b and (a, b) != (s, e) for a, b, _c in channel_phrases) or any(a <= s and e <= b for a, b in quotes):
            continue  # 理财 inside 理财频道banner names a channel
        cat = r.lx.family_words[w]
        r.take(s, e, "categories")
        if cat not in families_named:
            cats.append(cat)
    generic = {"借款", "贷款", "借钱", "信贷", "loan", "loans", "credit", "credit line"}
    said = {w for _s, _e, w in find_phrases(t, list(r.lx.family_words), strict=True)}
    if "merchant_credit" in cats and not (said - generic) & {w for w, f in r.lx.family_words.items() if f == "consumer_credit"}:
        cats = [c for c in cats if c != "consumer_credit"]  # 经营贷 … 借款商家: the generic word is the merchant loan
    if "consumer_credit" in cats and "merchant_credit" not in cats and any(c["rule"] == "is_merchant = true" for c in r.data.get("audience", [])):
        if not (said - generic) & {w for w, f in r.lx.family_words.items() if f == "consumer_credit"}:
            cats = ["merchant_credit" if c == "consumer_credit" else c for c in cats]  # 拉点商家来借钱: a merchant loan
    cats = [c for c in cats if c not in families_named]  # 借款 read as the merchant loan the named 备货贷 already is
    if not products and not cats:
        cats = _implied_families(r)
    if fund_types:
        r.data["fund_types"] = list(dict.fromkeys(fund_types))
    if cats:
        r.data["categories"] = list(dict.fromkeys(cats))


def _family_in_offers(r: _Read) -> None:
    """理财加息券, 理财满减券: the family word belongs to the offer's name; the product is then what the audience implies."""
    if r.data.get("products") or not r.data.get("categories") or not r.offer_spans:
        return
    words = [(s, e, w) for s, e, w in find_phrases(r.t, list(r.lx.family_words), strict=True)]
    near = [(s, e, w) for s, e, w in words if any(0 <= a - e <= 2 or a <= s < b for a, b in r.offer_spans)]
    if near and len(near) == len(words):
        r.data.pop("categories")
        implied = _implied_families(r)
        if implied:
            r.data["categories"] = implied


def _implied_families(r: _Read) -> list[str]:
    """No product named: the product never held (推给没买过悦享年金险的), else a family inside an audience phrase
    (理财新客, wealth users), is what the campaign sells."""
    never = [c["rule"] for c in r.data.get("audience", []) if c["rule"].startswith("not (") and "products_held" in c["rule"]]
    ids = re.findall(r"products_held contains '([a-z0-9_]+)'", never[0]) if never else []
    held = list(dict.fromkeys(c["rule"] for c in r.data.get("audience", []) if c["rule"].startswith("products_held contains")))
    if not ids and len(held) == 1 and re.search(r"留存|续投|复购|复借|促活|召回|唤醒|retention|retain|renew|activation|activate|win[- ]?back|reactivat", r.t):
        ids = re.findall(r"'([a-z0-9_]+)'", held[0])  # 周周盈 holders, retention: keep them in 周周盈
    if len(ids) == 1:
        r.data["products"] = ids
        return []
    fams = {product_family(p, r.market.products[p].kind.value) for p in ids if p in r.market.products}
    if len(fams) == 1:
        return list(fams)
    found: list[str] = [r.lx.family_words[w] for _s, _e, w in find_phrases(r.t, list(r.lx.family_words), strict=True)]
    return found[:1]


def _held_it(r: _Read) -> None:
    """已经买过的就别推了 / excluding anyone who already holds it: holding "it", the one product the brief promotes."""
    products = r.data.get("products", [])
    if len(products) != 1:
        return
    pid = products[0]
    t = r.t
    pattern = (r"(?:已经|已)\s*(?:买过|持有|投保|借过|用过|开通|购买)(?:了)?(?:的)?(?!\s*[\u4e00-\u9fff]{0,2}(?:险|贷|盈|借|分|存))"
               r"|(?:already\s+)?(?:holds?|bought|owns?|has|have)\s+(?:it|one|this)\b"
               # who borrowed before / 之前借过的: having used the product promoted, said without naming it again
               r"|\b(?:who\s+)?(?:have\s+|has\s+)?(?:borrowed|used it|bought it|taken it)\s+(?:before|previously|in the past)\b"
               r"|(?:之前|以前|曾经)\s*(?:借过|买过|用过|投过|借过款)(?:的)?(?!\s*[\u4e00-\u9fff]{0,2}(?:险|贷|盈|借|分|存))"
               r"|\b(?:existing|current)\s+(?:holders|policyholders|borrowers)\b(?!\s+of)|(?:现有|存量)(?:持有人|持有用户|持仓用户|持仓客户)")
    # folks who never borrowed / 从没借过的: never the one product promoted, when no product follows the verb
    never = (r"(?:从没|从未|从来没|没有?|未|还没)\s*(?:借过|买过|用过|投过|持有过|投保过)(?=\s*(?:的|用户|客户|人|[,，。;；]|$))"
             r"|\b(?:never|haven't|have not|hasn't|has not)\s+(?:borrowed|used|bought|held|invested)(?=\s*(?:[,.;]|$|and\b|or\b|before\b))")
    for m in re.finditer(pattern, t):
        if r.taken(m.start(), m.end()):
            continue
        lo, hi = r.clause(m.start())
        before = t[max(lo, m.start() - 24) : m.start()]
        after = t[m.end() : hi]
        negated = re.search(r"(?:排除|剔除|不要|别|不含|exclude|excluding|except|not|no one who|nobody who)\S*\s*(?:anyone|those|users|people|客户|用户)?\s*(?:who)?\s*$", before) or re.match(
            r"\s*(?:的)?\s*(?:用户|客户|人)?\s*(?:就|也|都)?\s*(?:别推了|别推|不推|不要了|不要|排除|别打扰了|别打扰|不打扰|剔除|除外|excluded|are excluded)", after)  # fmt: skip
        rule = f"products_held contains '{pid}'"
        span = r.text.span(m.start(), m.end())
        r.data.setdefault("audience", []).append({"rule": f"not ({rule})" if negated else rule, "said": span.text, "family": "holding"})
        r.take(m.start(), m.end(), "audience")
        r.audience_at.append((m.start(), m.end()))
    for m in re.finditer(never, t):
        if re.search(r"(?:\d+|[一两二三四五六七八九十半]+)\s*(?:天|周|个月|月|年|days?|weeks?|months?)\s*(?:内|里|以来|都|in)?\s*$|最近\s*$|近期\s*$|lately\s*$|recently\s*$", t[max(0, m.start() - 12) : m.start()]):
            continue  # 近60天没用过: how recently, which the tags do not record, not never
        if not r.taken(m.start(), m.end()):
            span = r.text.span(m.start(), m.end())
            r.data.setdefault("audience", []).append({"rule": f"not (products_held contains '{pid}')", "said": span.text, "family": "holding"})
            r.take(m.start(), m.end(), "audience")
            r.audience_at.append((m.start(), m.end()))


def _goal(r: _Read) -> None:
    """The goal a brief states (转化, 拉新, 召回…); else the one its audience implies (新客, 沉睡)."""
    for table in (r.lx.goals, r.lx.implied_goals):
        stated = []
        for goal, words in table.items():
            # "cost per acquisition" is a target's name, not the goal
            found = [(s, e, w) for s, e, w in find_phrases(r.t, words, strict=True) if not re.search(r"(?:cost per|per)\s*$", r.t[max(0, s - 10) : s])
                     and not re.match(r"\s*(?:红包|券|礼包|奖励|bonus|red packet|coupon)", r.t[e : e + 12])  # 首借红包 names an offer
                     and not re.search(r"(?:没|未|没有|从没|还没)\S{0,4}$", r.t[max(0, s - 6) : s])]  # 没(开自动)续保的用户 says who
            for s, e, _w in found:
                r.take(s, e)
            for s, _e, _w in found:
                # 目标：促进老客复投 under a title "年末冲量活动": the line that says it is the goal outranks the title.
                labelled = re.search(r"(?:目标|目的|goal|objective|aim)\s*[:：]\s*[^\n。;；:：]*$", r.t[max(0, s - 30) : s], re.IGNORECASE) is not None
                stated.append((not labelled, s, goal))
        if stated:
            # The goal named first is the ask ("Q4 retention ask: re-engage holders…"); later words describe how.
            r.data.setdefault("goal", min(stated)[2])
            return
    if _sells_across(r):
        r.data.setdefault("goal", "cross_sell")


def _purpose(r: _Read) -> None:
    """A care or education message sells nothing: what it names (不推新的借款, a lesson on 网贷) is not promoted.

    It stays a promotion when it also names a product or an incentive and never says it sells none: 关怀短信顺便推一下
    速借 is a loan promotion, and is judged as one; 投教实验 with a 定投 coupon is a fund promotion.
    """
    said = {p: find_phrases(r.t, words) for p, words in r.lx.purposes.items()}
    said = {p: f for p, f in said.items() if f}
    if not said:
        return
    purpose = min(said, key=lambda p: said[p][0][0])  # the one said first
    sells_none = find_phrases(r.t, r.lx.no_promotion)
    # A product or an incentive named is something sold: 企微顾问一对一关怀，送0.5%加息券 is a retention promotion.
    if (r.data.get("products") or r.data.get("offers") or r.data.get("offer_amount") is not None) and not sells_none:
        return
    if r.data.get("categories") and not sells_none and purpose == "care":
        return
    for s, e, _w in [*said[purpose], *sells_none]:
        r.take(s, e)
    r.data["purpose"] = purpose
    for key in ("products", "categories", "fund_types", "offers", "offer_amount"):
        r.data.pop(key, None)
    r.data["no_offer"] = True


def _sells_across(r: _Read) -> bool:
    """Holders of one product offered another (守护重疾险 to people who bought 康护医疗险): a cross-sell by its shape."""
    promoted = set(r.data.get("products", []))
    if not promoted and not r.data.get("categories"):
        return False
    for cond in r.data.get("audience", []):
        if cond.get("family") != "holding" or cond["rule"].startswith("not"):
            continue
        held = set(re.findall(r"contains '(\w+)'", cond["rule"]))
        if held and not held & promoted:
            return True
    return False


# -- coverage ----------------------------------------------------------------------------------------------------------


def _coverage(r: _Read) -> list[Unparsed]:
    """What carries a condition and was not read: audiences the tags cannot select, numbers, negations."""
    t = r.t
    out: list[Unparsed] = list(r.unknown)
    fillers = sorted(set(r.lx.audience_fillers), key=len, reverse=True)

    def add(a: int, b: int, kind: str, asks: bool) -> None:
        if a >= b or any(u.span.start <= r.text.raw_span(a, b)[0] < u.span.end for u in out):
            return
        span = r.text.span(a, b)
        out.append(Unparsed(text=span.text.strip(), span=span, kind=kind, asks=asks))
        r.take(a, b)

    places: set[int] = set()  # regions said of users: before a person-word, after 在/in/面向, or listed with one that is
    hits = find_phrases(t, r.lx.regions, strict=True)
    for s, e, _w in [*reversed(hits), *hits]:
        if re.search(r"(?:manager|director|office|branch|team|head|lead|based|staff|here)\s+(?:in|from)\s*$", t[max(0, s - 16) : s]) or re.match(r"\s*(?:分公司|分行|支行|分部|团队|branch|office|team)", t[e:]):
            continue  # "branch manager in Chengdu", 成都分公司: who writes, not who is targeted
        if (re.match(r"\s*(?:(?:地区|区域|一带)?\s*(?:[（(][^）)]{1,12}[）)])?\s*(?:的)?\s*(?:用户|客户|人群|的人|users|customers|people)|\s*(?:本地|当地|省内|市内|地区|区域)?\s*[（(][^）)]{1,12}[）)]|\s*(?:本地|当地|省内|市内)|\s*(?:地区|区域)?\s*的\s*(?:[,，。;；）)]|$))", t[e : e + 20])
                or re.search(r"(?:\bin|\bfrom|在|位于|住在|面向|针对|只要|只做|只推|(?:客群|人群|对象|audience|segment|who)\s*[:：])\s*$", t[max(0, s - 12) : s])
                or any(a in (e, e + 1) and re.fullmatch(r"\s*的?", t[e:a]) for a, _b in r.audience_at)  # 珠三角一二线城市的商家, 珠三角的商家
                or any(re.fullmatch(r"\s*(?:[、/,，和及与+]|and|or)\s*", t[e:ps]) for ps in places)
                or any(re.fullmatch(r"\s*(?:[、/,，和及与+]|and|or)\s*", t[pe:s]) for ps, pe, _ in hits if ps in places)):
            places.add(s)
    for s, e, _w in find_phrases(t, r.lx.form_fields, strict=True):
        # the normal form has one space for a line break: a Chinese value ends at a space, a Latin one at the next label
        field = re.match(r"\s*:\s*(?:[^\s,，;；。|]+" + (r"(?:\s+(?![\w ]{1,20}:)[^\s,;.|]+)*" if _w.isascii() else "") + ")", t[e:])
        if field and re.search(r"(?:^|\s|[|•·\-】\]])$", t[max(0, s - 1) : s]):
            r.take(s, e + field.end())  # 申请人：财富营销部   审批状态：待部门负责人审批
    for s, e, _w in find_phrases(t, [*r.lx.untagged, *r.lx.regions], strict=True):
        if re.search(r"(?:各位|谢谢|感谢|麻烦|辛苦|请教|拜托|谢谢各位|感谢各位)\s*$", t[max(0, s - 6) : s]):
            r.take(s, e)
            continue  # 谢谢各位老师: whom the writer thanks, not who is targeted
        if _w in r.lx.regions and s not in places:
            r.take(s, e)
            continue  # 我们华东分部 / "director, North China": who is writing, not who is targeted
        if _w in ("到期", "maturing", "matures", "mature", "term ends", "续保", "使用率", "renewal", "renewals") and not re.match(r"\S{0,6}?(?:的)?\s*(?:用户|客户|的人|商家|商户|users|customers|holders)|\s*(?:低于|高于|低|高|不足|超过|小于|大于|<|>)|\s*(?:后)?\s*(?:未|没|没有|不|还没)\s*续", t[e : e + 10]) and not re.search(r"\b(?:whose|who)\b[^,.;]{0,24}$|(?:没|未|不|从未)\S{0,4}$|(?:近期|最近|快要?|即将)\S{0,4}$|(?:[、:：]|人群|客群|对象)\s*(?:\d+\s*月|本月|下月|下个月|月底|年底|近?\s*\d+\s*天)\s*(?:内|前|之前|以内|底)?\s*$", t[max(0, s - 30) : s]):
            r.take(s, e)
            continue  # 到期续投提醒, 续保率目标85%, 看首笔使用率 name the occasion or the metric; 到期的客户, 使用率低于10%的商家 name who
        gloss = re.match(rf"\s*(?:{NUM}|\d+)\s*(?:个月|年|月|天|周|万|k)?[^，,。;；（()）]{{0,2}}?[（(]([^）)]{{2,30}})[）)]", t[e:])
        if gloss and any(e + gloss.start(1) <= a < e + gloss.end(1) for a, _b in r.audience_at):
            r.take(s, e + gloss.end())
            continue  # 经营满一年（注册365天以上）: a measure the tags lack, restated in brackets as one they hold
        if not r.taken(s, e):
            tail = re.match(r"(?:\s*(?:在|of|over|above|below|under|超过|低于)?\s*\d+(?:\.\d+)?\s*(?:万|w|k|元)?\s*(?:及|或)?\s*(?:以上|以下|or more|or less|\+)?)?\s*(?:用户|客户|群体|人群|users|customers)?", t[e:])
            add(s, e + (tail.end() if tail and not r.taken(e, e + tail.end()) else 0), "audience", True)
    # Words before a person-word or an audience condition that nothing read (喜欢旅游的年轻人, 女性用户) qualify who is
    # targeted: not understood, and asked about.
    heads = [(s, e) for s, e, _w in find_phrases(t, r.lx.people, strict=True) if not r.taken(s, e)] + [(s, s) for s, _e in r.audience_at]
    for s, e in sorted(heads):
        _w = t[s:e]
        if re.search(r"(?:目标|新增|target|goal)\S{0,6}$", t[max(0, s - 8) : s]):
            continue  # 目标新增持有用户 8000 人: who the campaign counts, not who it targets
        if _w == "人" and re.search(r"[\d万千百十个]\s*$", t[:s]):
            continue  # 5000人 is a count
        if _w == "人" and t[e : e + 1] in ("工", "员", "家"):
            continue  # 人工服务, 人员: no person-word
        if re.search(r"(?:因为|由于|because|since)", t[r.clause(s)[0] : s]):
            continue  # 因为商家客户比较看重人工服务: a reason, not who is targeted
        if e > s and re.match(r"\s*[:：]", t[e:]):
            continue  # "Audience:" heads a list; what stands before it is the line above
        lo = r.clause(s)[0]
        a = s
        while a > lo and not r.used[a - 1] and s - a < 14:
            a -= 1
        while a > lo and not r.used[a - 1] and t[a - 1].isascii() and t[a - 1].isalpha():
            a -= 1  # "grow AUM among people": the chunk starts at a word, never inside one
        chunk = t[a:s]
        if re.search("(?:" + "|".join(map(re.escape, r.lx.audience_negation.verbs)) + r")\s*$", chunk):
            continue  # 不太想打扰用户: the people are what the verb acts on, no description of them
        if e == s and not chunk.rstrip().endswith("的"):
            continue  # before an audience condition, only a modifier (喜欢旅游的年轻人) qualifies who is targeted
        rest = chunk
        for f in fillers:
            rest = rest.replace(f, " ")
        rest = re.sub(r"[\s\d,.:：\-–—>→=]+", "", rest)  # Anjia -> users: an arrow points at who, it is no condition
        rest = re.sub(r"^(?:推|发|做|营销|活动|一次|一波|召回|促活|转化|触达|campaign|signups?|conversions?|activations?|applications?|purchases?|subscriptions?|among)+", "", rest)  # DCA sign-ups among users: what is counted, then who
        if re.search(r"(?:\b(?:for|to|among|at|with|of|going|blast|push|reminder|nudge|campaign)\W*)$", chunk.strip()):
            continue  # "a win-back going for users", "the renewal reminder to users": who it is for, no description of them
        if len(rest) >= 2 and not re.fullmatch(r"[a-z]{1,2}", rest):
            start = a + (len(chunk) - len(chunk.lstrip()))
            lead = re.match(r"\s*(?:给|针对|面向|对|向|for|to|target(?:ing)?)\s*", t[start:s])
            add(start + (lead.end() if lead else 0), e, "audience", True)
    # 人群：近半年登录过、已授信、有装修需求的，排除逾期 — every item of a list under an audience heading says who is
    # targeted: one that nothing read is not understood, and asked about.
    for h in re.finditer(r"(?:目标)?(?:人群|客群|对象|用户群|受众)\s*[:：=]|\b(?:audience|segment|who|targeting)\s*[:：=]", t):
        end = re.search(r"[。\n|•]|\.(?:\s|$)|\s[-/]\s|\s\S{1,6}\s*[:：]|$", t[h.end() :])
        stop = h.end() + (end.start() if end else 0)
        at = h.end()
        for item in re.split(r"([、，,/;；])", t[h.end() : stop]):
            a, b = at, at + len(item)
            at = b
            number = re.match(r"\s*(?:[(（]\d[)）]|\d[.、)）])?", item)
            a += number.end() if number else 0  # （6）有装修意向的: the list number is no condition
            if any(r.used[a:b]) or re.search(r"不限|均可|都行|都可以|无要求|不要求|\bany\b|no limit|^[^(（]*[)）]", t[a:b]):
                continue  # 风险测评C2及以上: read, with words around what was read; 城市不限 states no condition
            free = t[a:b]
            for f in fillers:
                free = free.replace(f, " ")
            free = re.sub(r"另外|如果可以的话|如果可以|如可以|如能|如可|最好|的|用户|客户|人群|且|并且|同时|和|及|以及|还有|都|要|只要|排除|不要|以上|以下|\b(?:and|or|the|with|who|users?|customers?|people|only|also|plus|any|all)\b|[\s\d%.:：()（）]", "", free)
            if len(re.findall(r"[\u4e00-\u9fff]", free)) >= 3 or len(re.findall(r"[a-z]{3,}", free)) >= 1 and len(free) >= 5:
                lo = a + len(t[a:b]) - len(t[a:b].lstrip())
                add(lo, b, "audience", True)
    quotes = [(q.start(), q.end()) for q in re.finditer(r"[「“\"'‘『][^」”\"'’』]{4,}[」”\"'’』]", t)]
    for m in re.finditer(rf"(?<![a-z])(?:{NUM}|\d+(?:\.\d+)?)\s*(?:%|万|w\b|k\b|岁|天|个月|元|块|人|户)?", t):
        if not m.group(0).strip() or r.taken(m.start(), m.end()) or any(a < m.start() < b for a, b in quotes):
            continue  # 「额度已为你保留，最快3分钟到账」: a figure inside a line of copy is the copywriter's
        if re.fullmatch(r"[一二两三四五六七八九十①②③④⑤⑥⑦⑧⑨⑩]", r.text.span(m.start(), m.end()).text.strip()) or re.match(r"\s*[.、)）:：]", t[m.end() : m.end() + 1]):
            continue  # 一、 / 1. / (2): a list number, not a value
        lo, hi = r.clause(m.start())
        near_people = any(not r.used[i] and t.startswith(p, i) for p in r.lx.people for i in range(m.end(), min(hi, m.end() + 8)))
        add(m.start(), m.end(), "number", near_people)
    for spoken in find_word_amounts(t):
        if not r.taken(spoken.start, spoken.end):
            add(spoken.start, spoken.end, "number", False)  # twenty thousand, not read as anything: shown, never dropped
    # 要能当场放款到银行卡, "must support same-day payout": a requirement no slot read is shown, never planned around
    # in silence. It is not asked about: what the product or the channel can do is the marketer's to check.
    for m in re.finditer(r"(?:要能|得能|需要能|必须能|必须要|必须|务必|一定要|要求|确保|\bmust(?: be able to)?|\bmake sure(?: that)?|\bensure(?: that)?)\s*", t):
        if r.taken(m.start(), m.end()):
            continue
        hi = r.clause(m.start())[1]
        free = "".join(c if not r.used[i] else " " for i, c in enumerate(t[m.end() : hi], m.end()))
        glossed = re.sub(r"[（(][^）)]*[）)]", "", free)  # 做过风险测评（任何等级都行）: a gloss on what was read
        if len(re.findall(r"[\u4e00-\u9fff]", glossed)) >= 4 or len(re.findall(r"\b[a-z]{2,}\b", glossed)) >= 3:
            add(m.start(), m.end() + len(free.rstrip()), "requirement", False)
    return out


def _question(unparsed: list[Unparsed], lang: Lang) -> str | None:
    asks = [u for u in unparsed if u.asks and u.kind != "offer"]
    missing = [u for u in unparsed if u.asks and u.kind == "offer"]
    if not asks and not missing:
        return None
    quote = (lambda us: "、".join(f"「{u.text}」" for u in us)) if lang == "zh" else (lambda us: ", ".join(f"“{u.text}”" for u in us))
    parts = []
    if asks and lang == "zh":
        parts.append(f"我没法按{quote(asks)}圈人：用户标签里没有能对应的条件。去掉它、按其余条件出计划，还是换成标签能表达的条件"
                     "（城市等级、年龄、资产、持仓、活跃度、授信、风险等级……）？")
    elif asks:
        parts.append(f"I can't select {quote(asks)}: no user tag expresses it. Plan without it, or restate it with a condition the "
                     "tags hold (city tier, age, assets, holdings, activity, credit, risk grade…)?")
    if missing and lang == "zh":
        parts.append(f"权益目录里没有{quote(missing)}这类权益：不发权益，还是换成目录里有的（红包、免息券、加息券、话费、积分……）？")
    elif missing:
        parts.append(f"The offer catalog has nothing like {quote(missing)}: send no incentive, or pick one it has (cash red packets, "
                     "interest-free coupons, yield coupons, phone credit, points…)?")
    return " ".join(parts)


def read_brief(text: str, market: Market, today: date | None = None, *, lexicon: CampaignLexicon | None = None) -> BriefReading:
    """Read one brief (or an edit): the slots it states, the words each came from, and what was not understood."""
    today = today or date.today()
    r = _Read(normalize(text), market, lexicon or campaign_lexicon(), today)
    _explicit_rule(r)
    _audience(r)
    _products(r)
    _held_it(r)
    _rate_talk(r)
    _experiment(r)
    _offers(r)
    _family_in_offers(r)
    _offer_arms(r)
    _copy_arms(r)
    _channels(r)
    _dates(r)
    _budget(r)
    _kpis(r)
    _budget_fallback(r)
    _goal(r)
    _purpose(r)
    unparsed = _coverage(r)
    lang: Lang = "en" if len(re.findall(r"[\u4e00-\u9fff]", text)) < len(re.findall(r"[a-zA-Z]", text)) / 4 else "zh"
    brief = CampaignBrief.model_validate(r.data)
    return BriefReading(brief=brief, evidence=r.evidence, unparsed=unparsed, question=_question(unparsed, lang), lang=lang, normal=r.t)


def parse_brief(text: str, market: Market, today: date | None = None) -> CampaignBrief:
    """Just the slots of a brief (see `read_brief` for the words and what was not understood)."""
    return read_brief(text, market, today).brief

"""Who a brief targets: every audience condition a marketer states, each compiled into the segment language with
the words it came from.

Families: city tiers (一二线, 三线及以下, tier 1-3), investor grades (只要C1和C2, C4–C5, C2及以下), ages (25到40岁,
50+, 90后), assets (资产5万以上, AUM 1万-10万), merchant sales, holding or never having used a product or a kind of
product, login recency and activity (30天以上没登录, 最近7天活跃, 月活), tenure (注册30天内), credit lines,
students, overdue loans, reachability, and the vague words with an agreed meaning (lexicon.toml [audience]).
Each may be negated (非一线, 不要学生, 有逾期的除外): the condition is then wrapped in `not (...)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from typing import Literal

from assistant.campaigns._lexicon import CampaignLexicon
from assistant.campaigns._market import Market
from assistant.campaigns._plan import product_family
from assistant.text import NUM, Cue, Language, cn_number, find_amounts, find_durations, find_phrases
from assistant.text import Found as Amount  # this module's own Found is a condition

_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
# A space between two Chinese characters separates fragments typed in a hurry (有逾期的不要 首借送50块红包).
_CLAUSE = re.compile(r"[，,。;；!！?？\n：:|]|\s/\s|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])|\.(?=\s)|\s-\s|^\s*-\s|\s•\s*|\(\d\)|（\d）|[①②③④⑤⑥⑦⑧⑨]|(?<![\d.])\d{1,2}[.、)]\s|\s+(?=\d{1,2}[、)）]|\d{1,2}\.(?!\d))|[一二三四五六七八九十]+、")
_RANGE = r"\s*(?:-|–|—|~|〜|到|至|to|through)\s*"
_UNIT_AFTER_PLUS = r"\s*\+\s*(?:[\d万wk元块%天周月年人户单个]|days?|weeks?|months?|years?|yuan|rmb|users?|people|customers?|merchants?|in\b)"
"""30+ days, 10万+, 20+ users: what a figure with a plus counts when it is not an age."""
_FILL = r"[\s的用户客群人]*"


@dataclass
class Found:
    """A condition found at [start, end) of the normal form."""

    start: int
    end: int
    rule: str
    family: str
    negatable: bool = True
    said_also: list[tuple[int, int]] | None = None
    """Other spans this condition was read from (一线城市、二线城市 folded into one list)."""


@cache
def name_pattern(name: str) -> re.Pattern[str]:
    """A product's name as typed: spaces and the brackets of 「稳盈」90天 may stand between its characters. A Latin
    name is a whole word as written ("antu" is never the "ant u" of "tolerant users").

    Compiled once per name: the market has more names than `re`'s own cache holds, and recompiling them on every
    brief doubled the time to plan one."""
    if re.fullmatch(r"[a-z0-9 .·_-]+", name):
        return re.compile(r"(?<![a-z])" + r"[\s_-]?".join(re.escape(c) for c in name) + r"(?![a-z])")
    # 商家贷款 is "merchant loans", any of them: a name ending in 贷 that runs on into 贷款 names no one product.
    return re.compile(r"[\s「」“”\"'『』]*".join(re.escape(c) for c in name) + ("(?!款)" if name.endswith("贷") else ""))


def clause_bounds(t: str, at: int) -> tuple[int, int]:
    """The clause around position `at`: between the nearest separators (，。； and list bullets)."""
    lo, hi = 0, len(t)
    for m in _CLAUSE.finditer(t):
        if m.end() <= at:
            lo = m.end()
        elif m.start() >= at:
            hi = m.start()
            break
    return lo, hi


def _cmp_after(t: str, end: int) -> tuple[str, int] | None:
    """A comparative right after a number (以上, 及以下, or more, +): the operator and where it ends."""
    m = re.match(r"\s*(?:岁|元|块|天|日)?\s*(及以上|或以上|以上|往上|起步|及以下|或以下|以下|往下|以内|之内|以后|or more|or above|or higher|and above|and up|or older|or below|or less|or under|and below|or younger|\+)", t[end:])
    if not m:
        return None
    word = m.group(1)
    if word == "+" and re.search(r"\s\+$", m.group(0)):
        return None  # 不到40岁 + 宝妈: a "+" after a space joins items, it is not "or more"
    op = ">=" if word in ("及以上", "或以上", "以上", "往上", "起步", "or more", "or above", "or higher", "and above", "and up", "or older", "+", "以后") else "<="
    return op, end + m.end()


_BEFORE_OPS = [
    ("不超过", "<="), ("不高于", "<="), ("不大于", "<="), ("最多", "<="), ("至多", "<="), ("at most", "<="), ("no more than", "<="), ("up to", "<="),
    ("不低于", ">="), ("不少于", ">="), ("不小于", ">="), ("至少", ">="), ("起码", ">="), ("最少", ">="), ("at least", ">="), ("no less than", ">="),
    ("大于等于", ">="), ("小于等于", "<="), ("上限改成", "<="), ("上限改为", "<="), ("上限调到", "<="), ("上限是", "<="), ("上限", "<="),
    ("下限改成", ">="), ("下限改为", ">="), ("下限是", ">="), ("下限", ">="), ("封顶到", "<="), ("封顶在", "<="), ("最高到", "<="), ("上限到", "<="), ("封顶", "<="), ("最高", "<="), ("超出", ">"), ("超过", ">"), ("超", ">"), ("高于", ">"), ("大于", ">"), ("多于", ">"), ("over", ">"), ("above", ">"), ("more than", ">"), ("older than", ">"), ("greater than", ">"), ("exceeding", ">"),
    ("低于", "<"), ("小于", "<"), ("少于", "<"), ("不到", "<"), ("不足", "<"), ("未满", "<"), ("不满", "<"), ("under", "<"), ("below", "<"), ("less than", "<"), ("younger than", "<"),
    ("capped at", "<="), ("cap it at", "<="), ("cap risk at", "<="), ("cap at", "<="), ("max of", "<="), ("maximum", "<="), ("max", "<="), ("no higher than", "<="),
    ("≥", ">="), (">=", ">="), ("≤", "<="), ("<=", "<="), (">", ">"), ("<", "<"),
]  # fmt: skip


def _cmp_before(t: str, start: int, lo: int) -> tuple[str, int] | None:
    """A comparative right before a number (超过 5 万, at least 30): the operator and where it starts."""
    base = max(lo, start - 14)
    window = t[base:start]
    best = None
    for word, op in _BEFORE_OPS:
        m = re.search(re.escape(word) + r"\s*(?:[¥$]|rmb|cny)?\s*$", window)
        if m and (best is None or base + m.start() < best[1]):
            best = (op, base + m.start())  # the longest comparative wins: 不低于 over 低于
    if best and re.search(r"(不能|不可|不得|不要|别|must not|not|can't|cannot)\s*$", t[max(lo, best[1] - 6) : best[1]]):
        flip = {"<=": ">", "<": ">=", ">=": "<", ">": "<="}
        neg = re.search(r"(不能|不可|不得|不要|别|must not|not|can't|cannot)\s*$", t[max(lo, best[1] - 6) : best[1]])
        assert neg is not None
        return flip[best[0]], max(lo, best[1] - 6) + neg.start()
    return best


def _comparison(field: str, op: str, value: float) -> str:
    v = int(value) if float(value).is_integer() else value
    return f"{field} {op} {v}"


def _between(field: str, lo: float, hi: float) -> str:
    a, b = sorted((lo, hi))
    return f"{field} between {int(a) if float(a).is_integer() else a} and {int(b) if float(b).is_integer() else b}"


class AudienceReader:
    """Finds audience conditions in one brief's normal form; `taken` marks characters other slots already read."""

    def __init__(self, t: str, market: Market, lexicon: CampaignLexicon, lang: Language, today: date) -> None:
        self.t = t
        self.market = market
        self.lx = lexicon
        self.lang = lang
        self.today = today
        self.found: list[Found] = []
        self.unknown: list[tuple[int, int]] = []
        """Spans stating who is targeted in terms the tags cannot hold (a balance in one product)."""

    # -- helpers ----------------------------------------------------------------------------------------------
    def free(self, a: int, b: int) -> bool:
        return not any(f.start < b and a < f.end for f in self.found) and not any(s < b and a < e for s, e in self.unknown)

    def add(self, start: int, end: int, rule: str, family: str, negatable: bool = True) -> None:
        if self.free(start, end):
            self.found.append(Found(start, end, rule, family, negatable))

    def read(self, taken: Callable[[int, int], bool]) -> list[Found]:
        """Every condition, negations applied, in the order they were written."""
        for step in (self.untagged_habits, self.product_balance, self.city_tiers, self.grades, self.ages, self.money, self.money_before, self.activity, self.signup, self.credit,
                     self.holdings, self.vague, self.reach):  # fmt: skip
            step(taken)
        # B版"60岁以后的你会感谢现在的自己": words inside a line of copy are the copywriter's, not who is targeted
        quotes = [(q.start(), q.end()) for q in re.finditer(r"「[^」]{6,}」|“[^”]{6,}”|『[^』]{6,}』|\"[^\"]{6,}\"", self.t)
                  if re.search(r"(?:文案|版|标题|slogan|copy|headline|message|讲|写|说|主打|强调|突出|(?<![a-z])[a-d]|[①②③④]|\d)\s*[:：=]?\s*$", self.t[max(0, q.start() - 8) : q.start()])]
        self.found = [f for f in self.found if not any(a < f.start and f.end < b for a, b in quotes)]
        self.found.sort(key=lambda f: f.start)
        self._negations()
        # 排除风险等级为空（没做过测评）的用户: a bracket restating the condition before it is the same condition
        for prev, f in zip(self.found, self.found[1:]):
            if prev.rule and f.rule and _positive(prev.rule) == _positive(f.rule) and re.fullmatch(r"\s*[（(]\s*", self.t[prev.end : f.start]) and re.match(r"\s*[）)]", self.t[f.end :]):
                if prev.family in ("vague", "activity_words", "risk_words"):
                    prev.rule = ""  # 银发（55岁以上）: the exact words say it
                else:
                    f.rule = ""
        self._merge_tiers()
        self._merge_ages()
        # A vague word yields to the exact condition stated beside it (an empty rule: read, and folded into the other):
        # 不怎么来的…超过60天没登录 (the number says how long); 稳健型客户（风险等级C2及以下） (the grades say which);
        # cash-loan users who have a credit line but never drew (the users of the kind, who never borrowed).
        # 中高资产…AUM 10万及以上, young users (under 30), 近90天未登录的沉睡户: the number says what the word meant.
        # 老客/新客 are no degree but who someone is (holds anything at all): 老客、AUM 5万以下 keeps both.
        undrawn = any(f.family == "credit" and f.rule.startswith("credit_granted = true and not") for f in self.found)
        families = {f.family for f in self.found}
        exact_fields = {_field(f.rule) for f in self.found if f.family not in ("vague", "activity_words", "risk_words") and f.rule}
        for f in self.found:
            held = set(re.findall(r"contains '(\w+)'", f.rule))
            if (f.family == "activity_words" and "activity" in families) or (f.family == "risk_words" and "risk_grade" in families) or (
                    f.family == "vague" and _field(f.rule) in exact_fields and f.rule not in ("aum > 0", "aum = 0")) or (
                    undrawn and f.family == "holding" and not f.rule.startswith("not") and held and held <= set(self.credit_ids)):
                f.rule = ""
        return self.found

    @cached_property
    def credit_ids(self) -> list[str]:
        """The market's credit products (consumer and merchant), in catalog order."""
        return [p for p, prod in self.market.products.items() if prod.kind.value.endswith("credit")]

    def _merge_tiers(self) -> None:
        """一线城市、二线城市 stated apart are one list: city_tier in (1, 2), never city_tier = 1 and city_tier = 2."""
        tiers = [f for f in self.found if f.family == "city_tier" and not f.rule.startswith("not")]
        if len(tiers) < 2:
            return
        values: set[int] = set()
        for f in tiers:
            m = re.fullmatch(r"city_tier (=|in|>=|<=) \(?([\d, ]+)\)?", f.rule)
            if m is None:
                return
            nums = [int(x) for x in m.group(2).split(",")]
            values |= set(nums) if m.group(1) in ("=", "in") else set(range(nums[0], 6) if m.group(1) == ">=" else range(1, nums[0] + 1))
        tiers[0].rule = self._tier_rule(sorted(values))
        tiers[0].said_also = [(f.start, f.end) for f in tiers[1:]]
        for f in tiers[1:]:
            f.rule = ""  # read, and folded into the first

    def _merge_ages(self) -> None:
        """90后和00后, 25岁以下或55岁以上: age bands that no one is in at once, joined in a list, are either band.

        ANDing them would plan an empty segment; bands that overlap (25岁以上、40岁以下) stay a range."""

        def bands(rule: str) -> list[tuple[float, float]] | None:
            out = []
            for part in rule.split(" or "):
                m = re.fullmatch(r"\(?age between (\d+) and (\d+)\)?|\(?age (>=|>|<=|<) (\d+)\)?", part)
                if m is None:
                    return None
                n = float(m.group(4) or 0)
                out.append((float(m.group(1)), float(m.group(2))) if m.group(1) else {">=": (n, 200.0), ">": (n + 1, 200.0), "<=": (0.0, n), "<": (0.0, n - 1)}[m.group(3)])
            return out

        ages = [f for f in self.found if f.family == "age" and bands(f.rule)]
        for i in range(1, len(ages)):
            a, b = ages[i - 1], ages[i]
            ba, bb = bands(a.rule), bands(b.rule)
            joined = re.fullmatch(r"(?:\s|的|岁|用户|人群|[、,，/]|和|或|或者|及|以及|与|跟|还有|and|or|plus|users?|people|folks|customers?)*", self.t[max([a.end, *(e for _s, e in a.said_also or [])]) : b.start])
            if a.rule and b.rule and ba and bb and all(x[1] < y[0] or y[1] < x[0] for x in ba for y in bb) and joined:
                a.rule = " or ".join(f"({r})" if not r.startswith("(") else r for r in (a.rule, b.rule))
                a.said_also = [*(a.said_also or []), (b.start, b.end)]
                b.rule = ""  # read, and folded into the first
                ages[i] = a  # a third band joined to the list folds into the same condition

    # -- families ---------------------------------------------------------------------------------------------
    def city_tiers(self, taken: Callable[[int, int], bool]) -> None:
        t = self.t
        item = r"(?:(?:新一|[一二三四五])(?:\s*线(?:\s*城市)?)?|(?<![\d.])[1-5](?=\s*线))"
        for m in re.finditer(rf"(?P<list>{item}(?:\s*(?:、|/|,|和|与|及|或|-|~|到|至)?\s*{item})*)\s*线(?:\s*城市)?(?:\s*(?:及|或|和)?\s*(?P<cmp>以下|以上|以内))?(?:\s*城市)?", t):
            if taken(m.start(), m.end()):
                continue
            tiers = self._tier_list(m.group("list"))
            if not tiers:
                continue
            cmp = m.group("cmp")
            if cmp and len(tiers) == 1:
                rule = f"city_tier >= {tiers[0]}" if cmp in ("以下",) else f"city_tier <= {tiers[0]}"
            else:
                rule = self._tier_rule(tiers)
            self.add(m.start(), m.end(), rule, "city_tier")
        for m in re.finditer(r"new[- ]tier[- ]?1(?: cities| city)?|new first[- ]tier(?: cities| city)?", t):
            if not taken(m.start(), m.end()):
                self.add(m.start(), m.end(), "city_tier = 2", "city_tier")
        ordinals = ("first", "second", "third", "fourth", "fifth")
        for m in re.finditer(r"(?:(first|second|third|fourth|fifth)|(?<![\d.])([1-5])(?:st|nd|rd|th))[- ]tier(?: cities| city)?", t):
            if not taken(m.start(), m.end()):
                tier = ordinals.index(m.group(1)) + 1 if m.group(1) else int(m.group(2))  # second-tier, 2nd-tier
                self.add(m.start(), m.end(), f"city_tier = {tier}", "city_tier")
        en = r"(?<!new[- ])tier[- ]?(?P<a>[1-5])(?P<rest>(?:\s*(?:,|and|or|&|/)\s*(?:tier[- ]?)?[1-5](?![0-9]))*)(?:{rng}(?:tier[- ]?)?(?P<b>[1-5]))?(?:\s*(?P<cmp>\+|and below|or below|and lower|or lower|and above|or above|and up))?(?:\s*cit(?:y|ies))?"
        for m in re.finditer(en.replace("{rng}", _RANGE), t):
            if taken(m.start(), m.end()):
                continue
            tiers = [int(m.group("a"))] + [int(x) for x in re.findall(r"[1-5]", m.group("rest") or "")]
            if m.group("b"):
                tiers = list(range(min(tiers[0], int(m.group("b"))), max(tiers[0], int(m.group("b"))) + 1))
            cmp = m.group("cmp")
            if cmp and len(tiers) == 1:
                rule = f"city_tier >= {tiers[0]}" if cmp in ("+", "and below", "or below", "and lower", "or lower") else f"city_tier <= {tiers[0]}"
            else:
                rule = self._tier_rule(tiers)
            self.add(m.start(), m.end(), rule, "city_tier")

    @staticmethod
    def _tier_list(text: str) -> list[int]:
        parts = re.findall(r"新一|[一二三四五1-5]|-|~|到|至", text.replace("线", " "))
        out: list[int] = []
        pending = False
        for p in parts:
            if p in ("-", "~", "到", "至"):
                pending = True
                continue
            n = 2 if p == "新一" else _CN_DIGIT[p]
            if pending and out:
                out += list(range(out[-1] + 1, n + 1))
            else:
                out.append(n)
            pending = False
        return sorted(set(out))

    @staticmethod
    def _tier_rule(tiers: list[int]) -> str:
        return f"city_tier = {tiers[0]}" if len(tiers) == 1 else f"city_tier in ({', '.join(map(str, tiers))})"

    def grades(self, taken: Callable[[int, int], bool]) -> None:
        t = self.t
        g = r"c\s?([1-5])"
        pattern = rf"(?P<items>{g}(?:\s*(?:、|/|和|与|及|或者|或|and|or|&|-|–|~|到|至|to)?\s*{g})*)"
        for m in re.finditer(rf"(?<![a-z0-9]){pattern}(?![0-9])", t):
            if taken(m.start(), m.end()):
                continue
            nums = [int(x) for x in re.findall(r"[1-5]", m.group("items"))]
            ranged = re.search(r"-|–|~|到|至|\bto\b", m.group("items"))
            grades = list(range(min(nums), max(nums) + 1)) if ranged and len(nums) == 2 else sorted(set(nums))
            end, rule = m.end(), None
            after = _cmp_after(t, m.end())
            if len(grades) == 1 and after:
                rule, end = f"risk_grade {after[0]} {grades[0]}", after[1]
            elif len(grades) == 1:
                before = _cmp_before(t, m.start(), clause_bounds(t, m.start())[0])
                if before:
                    rule = f"risk_grade {before[0]} {grades[0]}"
                    self.add(before[1], m.end(), rule, "risk_grade")
                    continue
            if rule is None:
                rule = f"risk_grade = {grades[0]}" if len(grades) == 1 else f"risk_grade in ({', '.join(map(str, grades))})"
            only = re.match(r"\s*(?:only|的人|的用户|用户|客户)", t[end:])
            self.add(m.start(), end + (only.end() if only and "only" in only.group(0) else 0), rule, "risk_grade")
        for m in re.finditer(r"(?P<no5>风险等级\s*(?:为空|空白|缺失)|无风险等级|没有风险等级)|(?P<no>(?:没有|没|未|从未|从没|还没|还没有)\s*)?(做过|完成了?|已做|已完成|做|参加过?)(风险)?(测评|评估|问卷)|(?P<no2>(?:never|not|haven't|hasn't|have not|has not)\s+)?(took|taken|completed|done) the (risk )?(questionnaire|assessment)|(?P<no3>not\s+|un)risk[- ]assessed|(?P<no4>unrated|未评级|没有评级|无评级)(?:\s*(?:users|customers|clients|用户|客户))?", t):
            if not taken(m.start(), m.end()):
                # 没做过测评 is the grade left empty: its own condition, which a following 不要 turns around.
                self.add(m.start(), m.end(), "risk_grade is null" if m.group("no") or m.group("no2") or m.group("no3") or m.group("no4") or m.group("no5") else "risk_grade is not null", "risk_grade")

    def ages(self, taken: Callable[[int, int], bool]) -> None:
        t = self.t
        n = r"(\d{2}|[二三四五六七八]十[一二三四五六七八九]?|十[一二三四五六七八九])"
        num = lambda x: int(cn_number(x) or 0)
        spans: list[tuple[int, int, str]] = []
        for m in re.finditer(rf"(?:年龄|aged?|ages)?\s*(?:在)?\s*{n}\s*(?:岁)?{_RANGE}{n}\s*(?:岁|周岁|year[- ]olds?|years old|years|yo\b)(?:\s*之间)?", t):
            spans.append((m.start(), m.end(), _between("age", num(m.group(1)), num(m.group(2)))))
        for m in re.finditer(rf"(?:aged?|ages|年龄|age range|年龄段|(?<=users )|(?<=customers )|(?<=clients )|(?<=people )|(?<=those )|(?<=women )|(?<=men )|(?<=females )|(?<=males )|(?<=adults )|(?<=investors )|(?<=folks )|(?<=borrowers ))\s*(?:在|:|：|of|to)?\s*{n}{_RANGE}{n}(?!\s*(?:万|w\b|k\b|%|元|天|days?|yuan|rmb))", t):
            spans.append((m.start(), m.end(), _between("age", num(m.group(1)), num(m.group(2)))))
        for m in re.finditer(rf"{n}\s*(?:岁|周岁|year[- ]olds?|years old|yo\b)", t):
            lo = clause_bounds(t, m.start())[0]
            after = _cmp_after(t, m.end(1))
            if after:
                # 以上/以下 include the number, as the language rules (and Chinese legal usage) have it.
                spans.append((m.start(), after[1], f"age {after[0]} {num(m.group(1))}"))
                continue
            before = _cmp_before(t, m.start(), lo)
            if before:
                spans.append((before[1], m.end(), f"age {before[0]} {num(m.group(1))}"))
        for m in re.finditer(rf"(?:年龄|aged?|ages|(?<=users )|(?<=customers )|(?<=people ))\s*(?:在)?\s*{n}\s*(\+|以上|以下|及以上|及以下|(?:or|and) (?:older|over|above|up|younger|under|below))", t):
            op = "<=" if re.search("下|younger|under", m.group(2)) else ">="
            spans.append((m.start(), m.end(), f"age {op} {num(m.group(1))}"))
        for m in re.finditer(r"(?:^|[,，;；、:：]|\band\b|\b(?:are|is|be|aged|age)\b)\s*(\d{2})\s*(?:and|or)\s*(under|younger|below|older|over|above|up)\b", t):
            spans.append((m.start(1), m.end(), f"age {'<=' if m.group(2) in ('under', 'younger', 'below') else '>='} {m.group(1)}"))  # 35 and under
        for m in re.finditer(r"\b(under|over)-(\d{2})s\b", t):
            spans.append((m.start(), m.end(), f"age {'<' if m.group(1) == 'under' else '>'} {m.group(2)}"))  # under-30s
        for m in re.finditer(r"(?:^|[,，;；、:：(（)）]|\band\b)\s*(under|over)\s*(\d{2})(?=\s*(?:[.,;，。、)）]|$|and\b|in\b))", t):
            spans.append((m.start(1), m.end(), f"age {dict(_BEFORE_OPS)[m.group(1)]} {m.group(2)}"))
        for m in re.finditer(rf"(?:aged?|ages|年龄|users|customers|people|clients|those|anyone|anybody|investors|retirees|adults|actives|maus?|members|borrowers|holders|folks)\s*(under|over|below|above|at least|at most|older than|younger than|不超过|低于|超过|高于|小于|大于)\s*{n}(?!\s*(?:k\b|万|w\b|%|元|yuan|rmb|days?|weeks?|months?|天|周|个月))", t):
            op = dict(_BEFORE_OPS)[m.group(1)]
            start = m.start(1) if not re.match(r"aged?|ages|年龄", m.group(0)) else m.start()
            spans.append((start, m.end(), f"age {op} {num(m.group(2))}"))
        for m in re.finditer(r"(?:给|面向|对象|人群|[、,，:：])\s*(?P<a>\d{2})\s*(?:-|–|~|到|至)\s*(?P<b>\d{2})(?=\s*(?:[、,，的|;；]|岁|$))", t):
            a, b = int(m.group("a")), int(m.group("b"))
            if 18 <= a < b <= 80:
                spans.append((m.start("a"), m.end(), _between("age", a, b)))  # 给40-55、资产30w以上的: an age range in a list of who
        for m in re.finditer(r"(?:(?P<lead>aged?|ages|年龄|users|customers|people|clients)\s*)?(?<![\d.])(?P<n>\d{2})\s*\+\s*(?P<tail>岁|的用户|用户|人群|的人)?", t):
            adult = 18 <= int(m.group("n")) <= 80
            # 颐年FOF 50+ 高净值: a bare 50+ among the audience words is an age; money and counts name their unit
            bare = adult and t[m.start("n") - 1 : m.start("n")] not in ("¥", "$") and not re.match(_UNIT_AFTER_PLUS, t[m.end("n") :]) \
                and not re.search(r"(?:aum|资产|持仓|流水|预算|budget|sales|gmv|c|tier|线)\s*$", t[max(0, m.start("n") - 8) : m.start("n")])  # fmt: skip
            if m.group("lead") or m.group("tail") or (adult and re.match(r"\s*(?:[,，、;；]|\.(?:\s|$))", t[m.end() :])) or re.match(r"\s*(?:clients|users|customers|people|investors|year-olds|retirees|adults)\b", t[m.end() :]):
                spans.append((m.start(), m.end(), f"age >= {m.group('n')}"))
            elif bare:
                spans.append((m.start("n"), m.end("n") + len(re.match(r"\s*\+", t[m.end("n") :]).group(0)), f"age >= {m.group('n')}"))  # type: ignore[union-attr]
        # 三十来岁, 30多岁, 四十出头, thirty-something, in their 30s, early forties: a decade of age said as such.
        tens = {"twent": 20, "thirt": 30, "fort": 40, "fift": 50, "sixt": 60, "sevent": 70}
        for m in re.finditer(r"(?<![\d.])(?P<d>[2-7])0\s*(?:多|几|来)\s*岁|(?P<c>[二三四五六七])十\s*(?:多|几|来)\s*岁|(?:(?P<d2>[2-7])0|(?P<c2>[二三四五六七])十)\s*(?P<early>出头)\s*(?:岁)?", t):
            decade = int(m.group("d") or m.group("d2") or 0) * 10 or int(cn_number(m.group("c") or m.group("c2")) or 0) * 10
            spans.append((m.start(), m.end(), _between("age", decade, decade + (4 if m.group("early") else 9))))
        for m in re.finditer(r"\b(?:(?P<w>twenty|thirty|forty|fifty|sixty|seventy)[- ]?something|(?P<n>[2-7])0[- ]something)s?\b"
                             r"|\bin (?:their|his|her|the) (?:(?P<part>early|late|mid)[- ]?)?(?:(?P<n2>[2-7])0'?s|(?P<w2>twent|thirt|fort|fift|sixt|sevent)ies)\b", t):
            decade = int(m.group("n") or m.group("n2") or 0) * 10 or next(v for k, v in tens.items() if (m.group("w") or m.group("w2") or "").startswith(k))
            lo, hi = {"early": (0, 4), "mid": (3, 6), "late": (5, 9)}.get(m.group("part") or "", (0, 9))
            spans.append((m.start(), m.end(), _between("age", decade + lo, decade + hi)))
        for m in re.finditer(r"(?<!\d)([05-9]0|[05-9]5)后", t):
            born = int(m.group(1))
            first = (1900 if born >= 50 else 2000) + born
            last = first + (4 if born % 10 == 5 else 9)
            spans.append((m.start(), m.end(), _between("age", self.today.year - last, self.today.year - first)))
        for a, b, rule in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
            if not taken(a, b):
                self.add(a, b, rule, "age")

    def money(self, taken: Callable[[int, int], bool]) -> None:
        """Assets (资产/AUM/持仓) and merchants' monthly sales (月流水): floors, caps and ranges."""
        t = self.t
        keys = [("aum", r"总资产|资产|aum|持仓|在投金额|账户余额|余额|assets|balance|portfolio|invested|holdings|\bhold(?:s|ing)?(?=\s+(?:at least|more than|over|less than|under|below|above|no more than|at most)\s*[¥$]?\d)"),
                # 流水5w-50w said of merchants is a month's (a year's or a day's is said so, and no tag holds it)
                ("merchant_monthly_sales", r"月均流水|平均月流水|月均销售额|月流水|月销售额|月销|月营业额|月交易额|monthly (sales|revenue|turnover|gmv)|gmv|(?<![年日周天])(?:流水|营业额|销售额)|(?<=merchants with )(?:sales|revenue|turnover)|(?<=merchants doing )(?:sales|revenue|turnover)")]  # fmt: skip
        amounts = find_amounts(t) + [Amount(float(m.group(1)) * 1e6, m.start(), m.end(), m.group(0)) for m in re.finditer(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:m|mn|million)\b", t)]
        for m in re.finditer(rf"(?P<a>{NUM})\s*(?P<ua>万|w|k)?{_RANGE}(?P<b>{NUM})\s*(?P<ub>万元|万|w|k|元|块)", t):
            unit = m.group("ub")
            scale = {"万元": 1e4, "万": 1e4, "w": 1e4, "k": 1e3}.get(unit, 1.0)
            a, b = cn_number(m.group("a")), cn_number(m.group("b"))
            if a is None or b is None:
                continue
            ua = {"万": 1e4, "w": 1e4, "k": 1e3}.get(m.group("ua") or "", scale)
            first_end = m.start() + len(m.group("a")) + len(m.group("ua") or "")
            amounts.append(Amount(a * ua, m.start(), first_end, t[m.start() : first_end]))
            amounts.append(Amount(b * scale, m.end() - len(m.group("b")) - len(unit), m.end(), m.group("b") + unit))
        hits = [(field, k) for field, words in keys for k in re.finditer(words, t)]
        # AUM在1000以上: a bare number right after a money word is yuan (a count of anything else would name its unit).
        for _field, k in hits:
            bare = re.match(r"[^\d\n，,。;；]{0,6}?(?<![\d.])(\d{3,}(?:\.\d+)?)(?![\d.%]|\s*(?:万|w|k|元|块|天|岁|人|笔|个|days?|yuan|rmb))", t[k.end() :])
            if bare and not any(a.start <= k.end() + bare.start(1) < a.end for a in amounts):
                amounts.append(Amount(float(bare.group(1)), k.end() + bare.start(1), k.end() + bare.end(1), bare.group(1)))
        amounts.sort(key=lambda x: x.start)
        for field, k in hits:
            lo, hi = clause_bounds(t, k.start())
            if t[hi : hi + 1] in (":", "：") and hi - k.end() <= 4:
                hi = clause_bounds(t, hi + 1)[1]  # 资产：5万以上 / AUM：1万-5万 — a form's field, its value after the colon
            near = [x for x in amounts if lo <= x.start and x.end <= hi and 0 <= x.start - k.end() <= 16 and not taken(x.start, x.end)]
            if not near:
                continue
            first = near[0]
            later = [x for x in amounts if first.end <= x.start <= first.end + 8 and x.end <= hi and not taken(x.start, x.end)]
            second = next((x for x in later if re.fullmatch(_RANGE + r"|\s*(?:和|and)\s*", t[first.end : x.start])), None)
            if second:
                close = re.match(r"\s*(?:之间|between)?", t[second.end :])
                end = second.end + (close.end() if close else 0)
                self.add(k.start(), end, _between(field, first.value, second.value), "aum" if field == "aum" else "sales")
                continue
            after = _cmp_after(t, first.end)
            before = _cmp_before(t, first.start, k.start())
            if before is None and re.fullmatch(r"\s*(?:满|达到|达|reaching|of at least)\s*", t[k.end() : first.start]):
                before = (">=", k.end())  # 持仓满20万: holdings that reach the sum
            if after:
                self.add(k.start(), after[1], _comparison(field, after[0], first.value), "aum" if field == "aum" else "sales")
            elif before:
                self.add(k.start(), first.end, _comparison(field, before[0], first.value), "aum" if field == "aum" else "sales")

    def untagged_habits(self, taken: Callable[[int, int], bool]) -> None:
        """还没开定投 (no DCA plan yet), 最近接过我们电话的: a habit or a contact no tag records; not understood, asked about."""
        for m in re.finditer(r"(?:(?:最近|近)?\s*\d+\s*天\s*(?:内|以内)?\s*)?(?:已经|已)?\s*(?:接过|接到过|接听过|接到)\s*(?:我们|我们的|平台的?)?\s*(?:的)?\s*(?:电话|外呼|来电)|(?:already |recently )?(?:received|got|answered|picked up) (?:a |our |any )?(?:calls?|phone calls?)(?: from us)?", self.t):
            if not taken(m.start(), m.end()):
                self.unknown.append((m.start(), m.end()))
        for m in re.finditer(r"(?:还|从)?(?:没有|没|未|从未|从没)\s*(?:开|开通|开过|开启|做|做过|设置)(?:过)?\s*(?:基金)?定投|(?:haven't|have not|never) (?:set up|started|opened) (?:a |any )?(?:dca|systematic investment)(?: plans?)?", self.t):
            if not taken(m.start(), m.end()):
                self.unknown.append((m.start(), m.end()))

    def product_balance(self, taken: Callable[[int, int], bool]) -> None:
        """活钱盈余额 1 万以上: a balance in one product, which the tags do not hold (only total AUM): not understood."""
        t = self.t
        for a, b, _rule in self.products_named:
            m = re.match(r"\s*(?:的)?\s*(?:余额|持仓|持有金额|balance|holdings?)\s*(?:在|为|是)?\s*", t[b:])
            if m is None or re.search(r"(?:新增|目标|考核|冲|kpi|target)\s*$", t[max(0, a - 6) : a]):
                continue  # 考核：新增定期理财持仓5000万元 is a target, not who is targeted
            end = b + m.end()
            amount = next((x for x in find_amounts(t[end : end + 16]) if x.start <= 4), None)
            if amount is None:
                continue
            stop = end + amount.end
            after = _cmp_after(t, stop)
            self.unknown.append((a, after[1] if after else stop))

    def money_before(self, taken: Callable[[int, int], bool]) -> None:
        """at least 10k AUM, 5万以上资产, 10万+ AUM: the amount before the word."""
        t = self.t
        words = [("aum", r"(?:的)?\s*(?:总资产|资产|aum|assets|in assets|of aum)"),
                 ("merchant_monthly_sales", r"\s*(?:(?:/|a |per )\s*(?:month|mo)(?: in)? (?:sales|revenue|turnover|gmv)|(?:in )?monthly (?:sales|revenue|turnover|gmv)|(?:的)?月流水)")]  # fmt: skip
        for field, k in ((f, k) for f, w in words for k in re.finditer(w, t)):
            lo = clause_bounds(t, k.start())[0]
            amounts = find_amounts(t[lo : k.start()] + " ")
            amount = next((a for a in reversed(amounts) if a.end >= len(t[lo : k.start()].rstrip()) - 4), None)
            if amount is None:
                continue
            a_start, a_end = lo + amount.start, lo + amount.end
            pair = next((x for x in amounts if x.end < amount.start and re.fullmatch(_RANGE, t[lo + x.end : a_start])), None)
            if pair is not None and not taken(lo + pair.start, k.end()):
                # merchants doing 50k–200k monthly sales: a range before the word
                self.add(lo + pair.start, k.end(), _between(field, pair.value, amount.value), "aum" if field == "aum" else "sales")
                continue
            after = _cmp_after(t, a_end)
            before = _cmp_before(t, a_start, lo)
            if after and after[1] <= k.start() + 1:
                op, start = after[0], a_start
            elif before:
                op, start = before[0], before[1]
            else:
                continue
            if not taken(start, k.end()):
                self.add(start, k.end(), _comparison(field, op, amount.value), "aum" if field == "aum" else "sales")

    def activity(self, taken: Callable[[int, int], bool]) -> None:
        """Login recency: 30天以上没登录, 半年以上没打开App, 最近7天活跃, inactive for 60+ days, active in the last 7 days."""
        t = self.t
        durations = [d for d in find_durations(t) if not taken(d.start, d.end)]
        idle = r"\s*(?:都|一直|均)?\s*(?:没有?|未|不曾|没再)\s*(?:登录|登陆|登|打开|活跃|访问|来过|来(?!得)|用过\s*app|上线|打开\s*app)(?:过)?(?:\s*app)?"
        for m in re.finditer(r"(?:近|最近)?\s*(?P<a>\d+)\s*(?:到|至|-|~)\s*(?P<b>\d+)\s*天\s*(?:内)?\s*(?:都)?\s*(?:没有?|未)\s*(?:登录|登陆|登|打开|活跃)(?:过)?"
                             r"|(?P<a2>\d+)\s*天\s*以上\s*[、,，]?\s*(?P<b2>\d+)\s*天\s*(?:以内|之内|内)\s*(?:都)?\s*(?:没有?|未)\s*(?:登录|登陆|登|打开|活跃)(?:过)?", t):
            if not taken(m.start(), m.end()) and self.free(m.start(), m.end()):
                # 近30到90天没登录过 / 30天以上、90天以内没登录的
                self.add(m.start(), m.end(), _between("days_since_login", int(m.group("a") or m.group("a2")), int(m.group("b") or m.group("b2"))), "activity")
        for d in durations:
            tail = t[d.end :]
            gone = re.match(r"\s*(?P<cmp>以上|及以上|或以上|多|\+)?" + idle, tail)
            if gone:
                before = _cmp_before(t, d.start, clause_bounds(t, d.start)[0])
                recent = re.search(r"(?:最近|近|过去|这)\s*$", t[max(0, d.start - 3) : d.start])
                # 最近30天没登录: no login within the last 30 days, so the last one was more than 30 days ago.
                op = ">" if (before and before[0] == ">") or recent or gone.group("cmp") == "多" else ">="  # 半年多没打开: more than
                start = before[1] if before else d.start - (len(recent.group(0)) if recent else 0)
                self.add(start, d.end + gone.end(), f"days_since_login {op} {_days(d)}", "activity")
                continue
            seen = re.match(r"\s*(?:内|以内|之内)?\s*(?:还|也|都)?\s*(?:有|都有|曾)?\s*(?:登录|登陆|活跃|打开|访问|来过|使用)(?:过)?(?:\s*app)?", tail)
            lead = re.search(r"(?:最近|近|过去|这)\s*$", t[max(0, d.start - 3) : d.start])
            if seen and (lead or re.match(r"\s*(内|以内|之内)", tail)):
                self.add(d.start - (len(lead.group(0)) if lead else 0), d.end + seen.end(), f"days_since_login <= {_days(d)}", "activity")
        for m in re.finditer(r"(?:沉睡|流失|不活跃|未活跃|没活跃|休眠|没登录|未登录|没有登录)\s*(?P<cmp>超过|满|了|达|已)?\s*", t):
            dur = next((x for x in durations if x.start == m.end()), None)
            if dur is None:
                continue
            over = re.match(r"\s*(以上|及以上|多|\+)", t[dur.end :])
            op = ">" if m.group("cmp") == "超过" else ">="
            self.add(m.start(), dur.end + (over.end() if over else 0), f"days_since_login {op} {_days(dur)}", "activity")
        for m in re.finditer(r"(?:inactive|dormant|not logged in|no logins?|(?:haven't|hasn't|have not|has not|not) (?:logged in|opened the app|been active|visited))\s*(?:for|in)?\s*(?:the\s*)?(?:last|past)?\s*(?P<a>\d+)\s*(?:-|–|to)\s*(?P<b>\d+)\s*(?P<u>days?|weeks?|months?)", t):
            k = {"d": 1, "w": 7, "m": 30}[m.group("u")[0]]
            self.add(m.start(), m.end(), _between("days_since_login", int(m.group("a")) * k, int(m.group("b")) * k), "activity")
        en_idle = r"(?:no logins? in|no login for|not opened the app in|haven't opened the app in|hasn't opened the app in|inactive|dormant|not logged in|haven't logged in|have not logged in|no login|not active|hasn't logged in|has not logged in|haven't opened the app|not opened the app)"
        for m in re.finditer(rf"{en_idle}\s*(?:for|in)?\s*(?:the\s*)?(?:last|past)?\s*(?P<more>more than|over|at least)?\s*(?P<n>\d+)\s*\+?\s*(?P<u>days?|weeks?|months?)(?:\s*(?:or more|\+))?", t):
            days = int(m.group("n")) * {"d": 1, "w": 7, "m": 30}[m.group("u")[0]]
            self.add(m.start(), m.end(), f"days_since_login {'>' if m.group('more') in ('more than', 'over') else '>='} {days}", "activity")
        for m in re.finditer(r"last (?:login|log-in|logged in|visit)(?: was)?\s*(?:between\s*)?(?P<a>\d+)\s*(?:-|–|to|and)\s*(?P<b>\d+)\s*(?P<u>days?|weeks?|months?)\s*ago", t):
            k = {"d": 1, "w": 7, "m": 30}[m.group("u")[0]]
            self.add(m.start(), m.end(), _between("days_since_login", int(m.group("a")) * k, int(m.group("b")) * k), "activity")
        for m in re.finditer(r"(?:active|logged in|login|visited)\s*(?:in|within|during)\s*(?:the\s*)?(?:last|past)\s*(?P<n>\d+)\s*(?P<u>days?|weeks?|months?)", t):
            days = int(m.group("n")) * {"d": 1, "w": 7, "m": 30}[m.group("u")[0]]
            self.add(m.start(), m.end(), f"days_since_login <= {days}", "activity")
        for f in [f for f in self.found if f.rule.startswith("days_since_login >")]:
            limit = re.match(rf"\s*(?:[、,，]\s*)?(?:但|且|而且)?\s*(?:不到|不超过|少于|未满|低于|less than|fewer than|under|but (?:less|fewer) than)\s*(?P<n>{NUM})\s*(?:天|days?)(?:的)?", t[f.end :])
            if limit:
                n = int(cn_number(limit.group("n")) or 0)
                op = "<=" if "不超过" in limit.group(0) else "<"
                f.rule = f"{f.rule} and days_since_login {op} {n}"
                f.end += limit.end()

    def signup(self, taken: Callable[[int, int], bool]) -> None:
        t = self.t
        for d in find_durations(t):
            if taken(d.start, d.end):
                continue
            lead = re.search(r"(?:注册|开户|新注册)(?:时间)?\s*(?:不到|未满|不满|不超过|在|满|超过)?\s*$", t[max(0, d.start - 7) : d.start])
            if lead:
                tail = re.match(r"\s*(内|以内|之内|以下)?(的)?", t[d.end :])
                over = re.match(r"\s*(以上|及以上|多)", t[d.end :])
                said = lead.group(0).rstrip()
                op = ("<" if said.endswith(("不满", "未满", "不到")) else ">=" if over or said.endswith("满") else ">" if said.endswith("超过") else "<=")
                self.add(d.start - len(lead.group(0)), d.end + (over.end() if over else tail.end() if tail else 0), f"days_since_signup {op} {int(d.value)}", "signup")
                continue
            tail = re.match(r"\s*(?:内|以内|之内)\s*(?:新)?注册", t[d.end :])
            if tail:
                lead2 = re.search(r"(?:最近|近|过去)\s*$", t[max(0, d.start - 3) : d.start])
                self.add(d.start - (len(lead2.group(0)) if lead2 else 0), d.end + tail.end(), f"days_since_signup <= {int(d.value)}", "signup")
        for m in re.finditer(r"(?:signed up|registered|joined)(?: with us)?\s*for\s*(?P<more>more than|over|at least)\s*(?P<n>\d+)\s*(?P<u>days?|weeks?|months?|years?)", t):
            days = int(m.group("n")) * {"d": 1, "w": 7, "m": 30, "y": 365}[m.group("u")[0]]
            if not taken(m.start(), m.end()):
                self.add(m.start(), m.end(), f"days_since_signup {'>=' if m.group('more') == 'at least' else '>'} {days}", "signup")
        for m in re.finditer(r"(?:new )?sign-?ups?\s*(?:from|in|within)\s*(?:the\s*)?(?:last|past)\s*(?P<n>\d+)\s*(?P<u>days?|weeks?)", t):
            if not taken(m.start(), m.end()):
                self.add(m.start(), m.end(), f"days_since_signup <= {int(m.group('n')) * (7 if m.group('u').startswith('w') else 1)}", "signup")
        for m in re.finditer(r"(?:signed up|registered|joined)\s*(?P<more>more than|over|at least)\s*(?P<n>\d+|an?|one)\s*(?P<u>days?|weeks?|months?|years?)\s*ago", t):
            days = (int(m.group("n")) if m.group("n").isdigit() else 1) * {"d": 1, "w": 7, "m": 30, "y": 365}[m.group("u")[0]]
            if not taken(m.start(), m.end()):
                self.add(m.start(), m.end(), f"days_since_signup {'>=' if m.group('more') == 'at least' else '>'} {days}", "signup")
        for m in re.finditer(r"(?:signed up|registered|joined)\s*(?:in|within)\s*(?:the\s*)?(?:last|past)\s*(?P<n>\d+)\s*(?P<u>days?|weeks?|months?)", t):
            days = int(m.group("n")) * {"d": 1, "w": 7, "m": 30}[m.group("u")[0]]
            if not taken(m.start(), m.end()):
                self.add(m.start(), m.end(), f"days_since_signup <= {days}", "signup")

    def credit(self, taken: Callable[[int, int], bool]) -> None:
        """已授信未提款 (a credit line never drawn on) and 未授信 (no credit line)."""
        t = self.t
        undrawn = " and ".join(f"not (products_held contains '{p}')" for p in self.credit_ids)
        names = [(a, b) for a, b, _r in self.products_named]
        for m in re.finditer(r"(?:(?:已|有)?授信|开通了?额度|有额度)(?:但|后|之后|以后)?\s*(?:还|一直|都)?\s*(?:未|没|没有|从未|从没|还没)\s*(?:提款|提现|借款|借过|用过|动用|支用|用信|提过款|借过款)(?:款)?|granted (?:a )?credit (?:line )?but never (?:drew|drawn|borrowed|used it)|credit (?:line )?(?:granted|approved) but never (?:drawn|drew|borrowed|used)|(?:credit[- ](?:approved|granted)|approved credit line)[^.;]{0,20}?(?:who )?(?:have |has )?never (?:drawn|drew|borrowed)(?: down)?|(?:have|has|with) a credit line but (?:have |has )?(?:never|not yet|haven't|hasn't) (?:drew|drawn|borrowed|used)(?: (?:on |from )?it| down)?|(?:unused|undrawn) credit lines?|approved[- ]but[- ](?:idle|unused|undrawn|inactive)|granted[- ]but[- ](?:idle|unused|undrawn)", t):
            if any(a == m.end() or (m.end() <= a <= m.end() + 1) for a, _b in names):
                continue  # 已授信但没借过速借: never used that product, read by the holdings
            if not taken(m.start(), m.end()):
                self.add(m.start(), m.end(), f"credit_granted = true and {undrawn}" if undrawn else "credit_granted = true", "credit")
        for m in re.finditer(r"有\s*(?:速借|随心分|借款|贷款|信用)\s*额度", t):
            if not taken(m.start(), m.end()):
                self.add(m.start(), m.end(), "credit_granted = true", "credit")  # 有速借额度的用户
        for m in re.finditer(r"(?:未|没有|没|无)\s*授信|no[- ]credit[- ]line|without (?:a )?credit line|(?:don't|do not|doesn't|does not) (?:yet )?have (?:a )?credit line(?: yet)?|(?:haven't|have not|hasn't|has not) (?:yet )?been (?:granted|approved for) (?:a )?credit(?: line)?", t):
            if not taken(m.start(), m.end()):
                self.add(m.start(), m.end(), "credit_granted = false", "credit")

    def holdings(self, taken: Callable[[int, int], bool]) -> None:
        """持有稳盈的, 买过基金组合的, 从没借过速借的, holders of 活钱盈, never used 随心分."""
        t = self.t
        items = self.products_named
        verbs = [(w, False) for w in self.lx.holding.has] + [(w, True) for w in self.lx.holding.never]
        verb_spans = [(s, e, w) for s, e, w in find_phrases(t, [w for w, _ in verbs], strict=True)]
        # 没有在我们这借过 / 没在平台买过: a place between the negation and the verb
        verb_spans += [(m.start(), m.end(), "没借过") for m in re.finditer(r"(?:没有|没|从没|从来没|从未|未)\s*在\S{0,5}?(?:这|这里|平台)?\s*(?:借过|买过|用过|投过|持有过)", t)]
        never = {w for w, n in verbs if n}
        for s, e, w in sorted(verb_spans):
            if taken(s, e) or not self.free(s, e):
                continue
            _lo, hi = clause_bounds(t, s)
            while t[hi : hi + 1] in (",", "，") and any(hi < a <= hi + 3 for a, _b, _r in items) and any(e <= a < hi for a, _b, _r in items):
                hi = clause_bounds(t, hi + 1)[1]  # never used 商家贷, 订单贷 or 备货贷: a comma inside a list of products
            opened = re.search(r"[（(][^）)]*$", t[s:hi])
            if opened and (close := re.search(r"[）)]", t[hi:])):
                hi += close.end()  # a pension product (Anxiang / Yinian): the brackets hold one list
            group = []
            cursor = e
            for a, b, rule in items:
                if a < cursor or b > hi:
                    continue
                gap = t[cursor:a]
                if re.fullmatch(r"[\s「『“\"]*(?:(?:过|了|的|我司|本司|我行|本行|公司|任何|任一|任意一款|任意|我们|我们的|平台|平台的|家|一款|一只|产品|系列|、|/|,|和|或者|或|及|与|any|our|the|a|an|existing|of|and|or|with us|from|with|on|yet)\s*)*"
                               r"(?:(?:[a-z]+\s+){0,3}(?:products?|funds?|portfolios?|loans?|polic(?:y|ies)|insurance)\s*[（(]\s*|[\u4e00-\u9fff]{0,6}(?:产品|理财|基金|保险|贷款)\s*[（(]\s*)?", gap):
                    group.append((a, b, rule))  # never bought a pension product (Anxiang / Yinian): the kind, then which
                    cursor = b
                else:
                    break
            if not group:
                continue
            bracketed = re.search(r"[（(]", t[e : group[0][0]])  # a pension product (Anxiang / Yinian): the bracket closes the list
            more = re.match(r"\s*(?:产品|系列)|\s*[)）]" if bracketed else r"\s*(?:产品|系列)", t[cursor:])
            if more:
                cursor += more.end()  # 持有任一稳盈定期产品的用户: 产品 closes the name
            if w in ("有", "own", "used") and not re.match(r"\s*(?:的)?\s*(?:用户|客户|人|users|customers|people)?", t[cursor:]):
                continue
            recent = re.search(r"(?:最近|近|过去)\s*(?:\d+|[一两二三四五六七八九十半]+)\s*(?:个)?\s*(?:天|周|个月|月|年)\s*(?:内|里|以来)?\s*(?:都|一直)?\s*$|(?:in the (?:last|past)|lately|recently)\s*(?:\d+\s*(?:days?|weeks?|months?))?\s*$", t[max(0, s - 10) : s])
            if w in never and recent:
                self.unknown.append((s - len(recent.group(0)), cursor))  # 近半年没买过理财: how recently, which no tag records
                continue
            rule = " or ".join(r for _, _, r in group)
            rule = f"({rule})" if len(group) > 1 or " or " in rule else rule
            self.add(s, cursor, f"not ({_unwrap(rule)})" if w in never else rule,
                     "holding", negatable=w not in never)  # fmt: skip
        for a, b, rule in items:
            lead = re.search(r"\bno\s*$", t[max(0, a - 4) : a])
            tail = re.match(r"\s*(?:held|holdings?|policy|policies|products?|at all|whatsoever|yet)\b", t[b:])
            if lead and tail and self.free(a - len(lead.group(0)), b + tail.end()):
                self.add(a - len(lead.group(0)), b + tail.end(), f"not ({rule.removeprefix('(').removesuffix(')')})", "holding", negatable=False)
        said_held = any(f.family == "holding" for f in self.found)  # 持有「稳盈」90天: who holds what is stated outright
        tails = "|".join(map(re.escape, sorted({*self.lx.holding.after, "老客", "存量用户", "借款用户", "的借款用户"}, key=len, reverse=True)))
        i = 0
        while i < len(items):
            a, b, rule = items[i]
            if taken(a, b) or not self.free(a, b):
                i += 1
                continue
            # 速借、随心分的借款用户: a list of products, then the people who have them.
            j, rules = i, [rule]
            while j + 1 < len(items) and re.fullmatch(r"\s*(?:、|/|,|和|或者|或|及|与|以及|and|or)\s*", t[items[j][1] : items[j + 1][0]]):
                j += 1
                rules.append(items[j][2])
            end = items[j][1]
            latin = re.match(r"\s*[a-z]", t[end:])
            # 悦享 annuity holders: the product's kind may stand between its name and its holders
            kind = r"(?:\s*(?:annuity|insurance|policy|fund|portfolio|deposit|loan|wealth product|product))?" if latin else ""
            tail = re.match(rf"{kind}\s*(?:的)?\s*(?:{tails})\b" if latin else rf"\s*(?:的)?\s*(?:{tails})", t[end:])
            if re.search(r"(?:first-time|new|新|新增|潜在|potential|prospective)[\s-]*$", t[max(0, a - 12) : a]):
                tail = None  # first-time wealth customers do not hold wealth yet (目标新增理财用户4000: a count of them)
            ahead = None if said_held else re.match(r"\s*(?=到期|已结清|结清|已到期|term ends|matur)", t[end:])  # the maturity is asked about apart
            if tail and re.match(r"\s+", t[end:]) and tail.group(0).strip() in ("老客", "老用户", "老客户", "客户", "用户") and len({r for _a, _b, r in items}) == 1:
                tail = None  # 稳盈365 老客加息: the one product named is what is promoted, to existing customers
            if tail or ahead:
                joined = " or ".join(r.strip("()") for r in rules)
                self.add(a, end + (tail.end() if tail else 0), f"({joined})" if len(rules) > 1 or " or " in joined else joined, "holding")
            i = j + 1

    @cached_property
    def products_named(self) -> list[tuple[int, int, str]]:
        """Every product, series and family mention, found once per brief (four families read them)."""
        return self._product_mentions()

    def _product_mentions(self) -> list[tuple[int, int, str]]:
        """Products and families anywhere in the brief, each as a holding rule (one product, or an or over a family)."""
        t = self.t
        out: list[tuple[int, int, str]] = []
        for name, pid in self.market.product_names.items():
            if name in self.lx.series:
                continue  # 稳盈 alone is the series (any term); 稳盈90天 is longer and names one
            for m in re.finditer(name_pattern(name), t):
                out.append((m.start(), m.end(), f"products_held contains '{pid}'"))
                out += [(a, b, f"products_held contains '{other}'") for other, a, b in self.market.more_terms(t, m.end(), pid)]
        for name, ids in [*self.lx.series.items(), *self.lx.held_kinds.items()]:
            ids = [p for p in ids if p in self.market.products]
            for m in re.finditer(re.escape(name) + r"\s*(?:系列|产品|组合|series|products?|portfolios?|term products?)?", t):
                if ids:
                    rule = " or ".join(f"products_held contains '{p}'" for p in ids)
                    out.append((m.start(), m.end(), f"({rule})"))
        family_of = {pid: product_family(pid, p.kind.value) for pid, p in self.market.products.items()}
        for s, e, w in find_phrases(t, list(self.lx.family_words), strict=True):
            if w in ("定投", "基金定投", "dca", "systematic investment"):
                continue  # 还没开定投: a way of buying funds, which no tag records (asked about, never read as holding a fund)
            fam = self.lx.family_words[w]
            # Having bought 理财 means any wealth product, the fund portfolios included.
            ids = [p for p, f in family_of.items() if f == fam or (fam == "wealth" and self.market.products[p].kind.value == "wealth")]
            if ids:
                rule = " or ".join(f"products_held contains '{p}'" for p in ids)
                out.append((s, e, f"({rule})" if len(ids) > 1 else rule))
        out.sort(key=lambda x: (x[0], -(x[1] - x[0])))
        kept: list[tuple[int, int, str]] = []
        for item in out:
            if not any(k[0] < item[1] and item[0] < k[1] for k in kept):
                kept.append(item)
        # 康护医疗险, Suixinfen BNPL: a product followed by the word for its own family is that product.
        merged: list[tuple[int, int, str]] = []
        for item in kept:
            if merged and merged[-1][2] == item[2] and re.fullmatch(r"\s*[-]?\s*", t[merged[-1][1] : item[0]]):
                merged[-1] = (merged[-1][0], item[1], item[2])  # 康护医疗险, Suixinfen BNPL: two names of one product
                continue
            if merged and item[2].startswith("(") and re.fullmatch(r"\s*[-]?\s*", t[merged[-1][1] : item[0]]) and set(re.findall(r"'(\w+)'", merged[-1][2])) < set(re.findall(r"'(\w+)'", item[2])):
                merged[-1] = (merged[-1][0], item[1], merged[-1][2])  # 稳盈定期产品: the series, named with its family word
                continue
            if merged and merged[-1][2].count("contains") == 1 and item[2].startswith("(") and re.fullmatch(r"\s*[-]?\s*", t[merged[-1][1] : item[0]]):
                held = re.search(r"'(\w+)'", merged[-1][2])
                if held and f"'{held.group(1)}'" in item[2]:
                    merged[-1] = (merged[-1][0], item[1], merged[-1][2])
                    continue
            merged.append(item)
        return merged

    def reach(self, taken: Callable[[int, int], bool]) -> None:
        """能收到微信消息的, 收不到短信的, can get push, anyone we can't reach on WeChat: who a channel reaches."""
        t = self.t
        field = {"微信": "wechat", "公众号": "wechat", "服务号": "wechat", "wechat": "wechat", "短信": "sms", "sms": "sms", "text": "sms",
                 "texts": "sms", "push": "push", "推送": "push", "app推送": "push"}  # fmt: skip
        ch = r"(?P<ch>app推送|微信|公众号|服务号|短信|push|推送|wechat|sms|texts?)"
        patterns = [rf"(?:(?P<neg>收不到|接不到|不能|无法|没法|不可以)\s*(?:收到|收|接收到|接收|接到)?|(?:能|可以|可|能够)?\s*(?:收到|收|接收到|接收|接到|收得到))\s*(?:我们的?)?\s*{ch}\s*(?:消息|通知)?",
                    rf"(?P<neg>can't|cannot|can not|unable to|don't|do not)?\s*(?:can\s+)?(?:get|receive|be reached (?:on|via|by|through))\s+{ch}(?:\s+(?:messages|notifications))?",
                    rf"(?:(?:we|you)\s+)?(?P<neg>can't|cannot|can not)?\s*(?:can\s+)?reach\s+(?:them\s+)?(?:on|via|by|through)\s+{ch}",
                    rf"\b(?:who|that)\s+(?:are|is|'re)\s+(?P<neg>not\s+)?on\s+{ch}"]  # people who are not on WeChat
        for pattern in patterns:
            for m in re.finditer(pattern, t):
                if not taken(m.start(), m.end()):
                    a = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
                    self.add(a, m.end(), f"{field[m.group('ch')]}_reachable = {'false' if m.group('neg') else 'true'}", "reach")

    def vague(self, taken: Callable[[int, int], bool]) -> None:
        names = [(a, b) for a, b, _ in self.products_named]
        for s, e, w in find_phrases(self.t, list(self.lx.audience_words), strict=True):
            if any(a <= s and e <= b and (a, b) != (s, e) for a, b in names):
                continue  # 商户 inside 商户银行贷 is a product's name
            if re.search(r"(?:新增|(?<!一)拉|获取|获得|new)\s*$", self.t[max(0, s - 4) : s]) or (
                    re.search(r"目标\s*$", self.t[max(0, s - 4) : s]) and re.match(r"[^\s，,。;；、:：]{0,6}?\d", self.t[e : e + 8])):
                continue  # 目标新增授信用户 1 万 is a target, not who is targeted
            if re.match(r"\s*(?:\d+%\s*(?:off\s*)?)?(?:rate|loan|credit|贷|贷款|版|端|利率)", self.t[e:]):
                continue  # merchant rate, merchant loan: a product, not an audience
            if re.match(r"\s*(?:度|率)", self.t[e : e + 2]) or (w.lower() in ("mau", "dau", "wau", "月活", "日活") and re.match(r"\s*(?:有点|有些|一直|又|在|最近|这个月|本月)?\s*(?:掉|下降|下滑|降|跌|涨|上涨|提升|增长|拉一拉|拉升|拉起来|冲一冲|冲一下|dropp|declin|fall|falling|fell|down\b|up\b|is dropping|dropped)", self.t[e : e + 10])):
                continue  # 提升…的活跃度, MAU有点掉: a metric to move, not who is targeted
            if re.match(r"(?:专享)?(?:红包|券|礼包|大礼包|礼|福利|专享)|[- ](?:bonus|red packet|coupon)", self.t[e : e + 12]):
                self.add(s, e, "", "vague", negatable=False)  # 理财新客红包: an offer named for whom it is meant; read, no condition
                continue
            if re.search(r"(?:带来|新增|拉来|获取|获得|bring in|acquire)\s*(?:\d+\s*(?:万)?\s*(?:个|位|名)?)?\s*$", self.t[max(0, s - 12) : s]):
                continue  # 目标是带来2000个首购用户: people the campaign is to bring, not who it targets (召回8000个沉睡用户 still is)
            if not taken(s, e):
                rule = self.lx.audience_words[w]
                # 县城和四线城市: a tier said by its everyday name is one more item of the tier list
                family = "city_tier" if re.fullmatch(r"city_tier = \d", rule) else "risk_words" if rule.startswith("risk_grade") else "activity_words" if w in self.lx.activity_words else "vague" if rule.split()[0] in ("aum", "age", "city_tier", "days_since_login") else _family_of_rule(rule)
                # 排除有逾期的商户: the head noun after 的 names who the description is about; an exclusion turns
                # around the description, never the head.
                # 已授信的 有逾期的排除掉: a space typed between fragments ends the one before; no head noun there
                head = re.search(r"的$", self.t[max(0, s - 1) : s]) or any(f.end == s for f in self.found)
                self.add(s, e, rule, family, negatable=not head)

    # -- negation ---------------------------------------------------------------------------------------------
    def _negations(self) -> None:
        """非一线, 不要学生, 排除有逾期的 (and lists: 排除学生和有逾期的), 有逾期的除外, non tier-1."""
        t = self.t
        masked = list(t)
        for f in self.found:
            masked[f.start : f.end] = ["\0"] * (f.end - f.start)
        # 近7天刚借过的 / 额度提升后的: an audience the tags cannot hold still stands in a list (…都排除).
        for s, e, _w in find_phrases(t, [*self.lx.untagged, *self.lx.regions], strict=True):
            lead = re.search(r"(?:最近|近)?\s*\d+\s*天\s*$|刚\s*$", t[max(0, s - 6) : s])
            a = s - (len(lead.group(0)) if lead else 0)
            masked[a:e] = ["\0"] * (e - a)
        text = "".join(masked)
        excluded: Found | None = None  # the last condition an exclusion word before it turned around
        for f in self.found:
            if not f.negatable:
                continue
            if re.match(r"\s+(?:with|who|that|whose|having)\b", t[f.end : f.end + 8]) and any(0 < g.start - f.end <= 16 for g in self.found):
                continue  # exclude merchants with overdue loans: the head noun names who, the condition after it is excluded
            lo, hi = clause_bounds(t, f.start)
            # True: an exclusion stated some other way (a heading, a verb further back) with no negator word of its own.
            cue: Cue | Literal[True] | None
            cue = self.lang.negator_before(text, f.start, max(lo, f.start - 12), hi)
            if cue is not None and cue.word in ("非", "non", "non-", "not") and "\0" in text[cue.end : f.start]:
                cue = None  # 非学生、三线城市: 非 turns around the word right after it, not the whole list
            if cue is not None and re.match(r"\s*[、,，;；]", text[cue.end : f.start]) and re.search(r"\0\s*(?:的)?\s*$", text[max(0, cue.start - 4) : cue.start]):
                cue = None  # 没有授信的不要、年龄22到35: the 不要 closes the item before it, not the one after
            if cue is None and re.search(r"(?:排除|剔除|不要|不含|不包括|exclude|excluding|exclusions?)\s*[:：]\s*$", t[max(0, lo - 16) : lo]) and self.lang.only_list_material(
                    re.sub(r"当前|目前|现在|已经|已|还有|有|正在|anyone|those|with|who|users?|customers?|people|merchants?|clients?|borrowers?|any", " ", text[lo : f.start])):
                cue = True  # 排除：当前有逾期的 — the heading says what the item is
            if cue is None:
                window = text[max(lo, f.start - 40) : f.start]
                verbs = [(m.start(), m.end(), m.group(0)) for m in re.finditer(self.lx.audience_negation.verb_pattern, window)]
                for s, e, _w in sorted([*find_phrases(window, self.lx.audience_negation.before, strict=True), *verbs], key=lambda x: -x[1]):
                    gap = re.sub(r"当前|目前|现在|已经|已|还有|还|存在|出现|有|正在|anyone|any|those|users?|customers?|people|with|who|has|have|already|currently|current|flagged|marked|tagged|labell?ed|an?\b", " ", window[e:])
                    if _w in ("非", "non", "not", "no") and "\0" in gap:
                        continue
                    if re.match(r"\s*[、,，;；]", window[e:]) and re.search(r"[\0\w]\s*(?:的)?\s*$", window[:s]):
                        continue  # 没有授信的不要、年龄22到35: the 不要 closes the item before it, not the one after
                    if self.lang.only_list_material(gap):
                        cue = True
                        break
            before_cue = cue is not None
            if cue is None and excluded is not None and re.fullmatch(
                r"[\s\0]*(?:的用户|的人|的|用户|users|people|ones)?\s*[,，;；]?\s*(?:and also|as well as|and|also|plus|nor|以及|还有|另外|再|也|和|及)\s*(?:排除\s*)?(?:the |any |anyone |those |all )?(?:[\s\0]*)", text[excluded.end : f.start]):
                cue = True  # exclude anyone overdue, and students: the exclusion carries on
                before_cue = True
            if cue is None:
                cue = self.lang.negator_after(text, f.end, hi)
            if cue is None:
                after = re.match(r"(?:[\s\0、和/,与及或的用户客群人]|(?:users?|customers?|clients?|people|folks|borrowers?|accounts?|ones)\b)*(?:也|都|就|一律|统统|先|一定要|必须|务必|需要|要|请)?\s*(" + self.lx.audience_negation.verb_pattern + "|" + "|".join(map(re.escape, sorted(self.lx.audience_negation.after, key=len, reverse=True))) + ")", text[f.end : hi])
                # 逾期用户不碰 closes with its negator; in 资产1万以上、不要学生 the 不要 turns around 学生, not what came before.
                if after is not None and re.match(r"\s+\0", text[f.end : f.end + after.start(1)]):
                    after = None  # 年龄22~55 学生、有逾期的都排除: a bare space is no joiner; the list starts after it
                closes = after is not None and re.match(r"\s*(?:了|吧|啊|哈)?\s*(?:的?(?:用户|客户|人)?\s*)?(?:[,，。;；)）(（、]|$)", text[f.end + after.end() : hi] or "") is not None
                if after is not None and not closes:
                    # 学生不要推随心分: the product the brief sells, after the verb, is what they must not be sold
                    at = f.end + after.end() + len(t[f.end + after.end() :]) - len(t[f.end + after.end() :].lstrip())
                    sold = next((b for a, b, _p in self.products_named if a == at), None)
                    closes = sold is not None and re.match(r"\s*(?:了|吧|啊)?\s*(?:[,，。;；)）(（]|$)", t[sold:hi] or "") is not None
                cue = True if closes else None
            if cue is not None and re.search(r"(?<![排剔去删扣])除了?\s*$", t[max(0, f.start - 3) : f.start]) and re.match(r"[^。；;]{0,3}[，,]?\s*(?:再|还要|还|也要|另外|以及|加上)", t[f.end : f.end + 8]):
                cue = None  # 人群除了沉睡，再加上C2以上: besides, not except
            if cue is not None:
                f.rule = f"not ({f.rule})"
                f.negatable = False
            excluded = f if cue is not None and before_cue else None


def _days(d: object) -> int:
    """A duration in whole days as marketers count them: 半年 is 180 days, a month 30."""
    value = float(d.value)  # type: ignore[attr-defined]
    return 180 if abs(value - 182.5) < 1 else round(value)


def _unwrap(rule: str) -> str:
    """A rule without the brackets that enclose all of it: ((a or b)) is a or b; (a) or (b) stays as it is."""
    while rule.startswith("(") and rule.endswith(")"):
        depth = 0
        for i, c in enumerate(rule):
            depth += (c == "(") - (c == ")")
            if depth == 0 and i < len(rule) - 1:
                return rule
        rule = rule[1:-1]
    return rule


def _positive(rule: str) -> str:
    """A rule without the exclusion that turned it around: `not (risk_grade is null)` is `risk_grade is null`."""
    return re.sub(r"^not \((.*)\)$", r"\1", rule)


def _field(rule: str) -> str:
    """The tag a one-field rule is about: `not (days_since_login > 90)` is about days_since_login."""
    return re.sub(r"^(?:not\s*)?\(*", "", rule).split(" ")[0]


def _family_of_rule(rule: str) -> str:
    field = rule.split()[0]
    return {"is_student": "student", "has_overdue": "overdue", "credit_granted": "credit", "is_merchant": "merchant",
            "sms_reachable": "reach", "push_reachable": "reach", "wechat_reachable": "reach",
            "monthly_active": "activity"}.get(field, "vague")  # fmt: skip


"""The offline brief parser: a marketer's one or two sentences to a CampaignBrief, deterministically, with no model."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from assistant.campaigns import _lexicon as lx
from assistant.campaigns._brief import CampaignBrief
from assistant.campaigns._market import Market
from assistant.funds._numbers import NUM, cn_number, find_amounts, find_durations, normalize

_WEEKDAYS = {"一": 0, "1": 0, "二": 1, "2": 1, "三": 2, "3": 2, "四": 3, "4": 3, "五": 4, "5": 4, "六": 5, "6": 5, "日": 6, "天": 6, "7": 6}
_EN_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_FESTIVALS = {"双十一": (11, 11), "双11": (11, 11), "双十二": (12, 12), "双12": (12, 12), "元旦": (1, 1), "618": (6, 18),
              "国庆": (10, 1), "情人节": (2, 14), "三八": (3, 8), "妇女节": (3, 8)}  # fmt: skip
_START = r"(开始|起|启动|上线|开跑|开启|start|launch|begin|from)"
_END = r"(结束|截止|为止|止|end|until|through|till)"


def _dates(t: str, today: date) -> list[tuple[int, date]]:
    """Every date the brief names, with its position: 12月1日, 下周五, 明天, 双十二, 2026-12-01, next friday."""
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
    m = re.search(r"下个?月(初)?|next month", t)
    if m:
        first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        found.append((m.start(), first))
    return sorted(found)


def _nearest(t: str, pos_words: str, candidates: list[Any], span: int = 12) -> Any | None:
    """The candidate (with .start) closest after or before a keyword."""
    best, best_d = None, span + 1
    for m in re.finditer(pos_words, t):
        for c in candidates:
            d = min(abs(c.start - m.end()), abs(m.start() - c.end))
            if d < best_d:
                best, best_d = c, d
    return best


def parse_brief(text: str, market: Market, today: date | None = None) -> CampaignBrief:
    """Parse one brief (or an edit) into the slots it states; everything else stays at its default."""
    today = today or date.today()
    t = normalize(text)
    flat = re.sub(r"\s+", "", t)
    data: dict[str, Any] = {}

    for word, goal in lx.GOAL_WORDS:
        if word in t:
            data["goal"] = goal
            break

    products = []
    taken = flat
    for name, pid in market.product_names.items():
        if name and name in taken:
            products.append(pid)
            taken = taken.replace(name, " ")
    if products:
        data["products"] = list(dict.fromkeys(products))
    named = {market.products[p].kind.value for p in products}
    cats = []
    for word, cat in lx.CATEGORY_WORDS:
        if word in t and cat not in named and not (cat == "consumer_credit" and "merchant_credit" in cats + list(named)):
            cats.append(cat)
    if cats:
        data["categories"] = list(dict.fromkeys(cats))

    audience, rules = [], []
    for pattern, hint, _rule in lx.AUDIENCE_RULES:
        if re.search(pattern, t):
            audience.append(hint)
    for m in re.finditer(r"(\d{2})\s*[-到至~]\s*(\d{2})\s*岁", t):
        audience.append(f"{m.group(1)}-{m.group(2)}岁")
    if audience:
        data["audience"] = list(dict.fromkeys(audience))
    grade = re.search(r"c([1-5])\s*(及|或)?(以下|以内|and below|or below|or lower)", t) or re.search(r"(不超过|最多|at most)\s*c([1-5])", t)
    if grade:
        data["max_investor_grade"] = int(grade.group(1) if grade.group(1) and grade.group(1).isdigit() else grade.group(2))

    amounts = find_amounts(t)
    money = [a for a in amounts if a.value >= 100]
    budget = _nearest(t, r"预算|budget|花费|投入|经费|费用|spend", money, span=10)
    if budget is None and len(money) == 1 and not re.search(r"红包|补贴|立减|券|cash|subsid|aum|规模|放款|借款量|目标", t):
        budget = money[0]
    if budget is not None:
        data["budget_cap"] = budget.value
    offer = _nearest(t, r"红包|补贴|立减|现金|返现|subsid|cash|bonus|coupon", [a for a in amounts if a is not budget and a.value < 1000], span=6)
    if offer is not None:
        data["offer_amount"] = offer.value
    elif m := re.search(r"(红包|补贴|立减|返现)\s*(?P<n>\d+(?:\.\d+)?)", t):
        data["offer_amount"] = float(m.group("n"))  # 红包15.14: an amount without 元 next to the offer word
    if re.search(r"不(发|给|要|用)(红包|补贴|优惠|券)|无补贴|没有补贴|no (offer|incentive|subsid|coupon)", t):
        data["no_offer"] = True
        data.pop("offer_amount", None)
    offers = [oid for oid, o in market.offers.items() if o.name.lower().replace(" ", "") in flat]
    if offers:
        data["offers"] = offers

    wanted, excluded = [], []
    taken = t
    for word, cid in lx.CHANNEL_WORDS:
        for m in re.finditer(re.escape(word), taken):
            # A marker excludes every channel after it in the same clause ("exclude SMS and outbound calls").
            clause = re.split(r"[，,。;；!?！？]", taken[: m.start()])[-1]
            after = taken[m.end() : m.end() + 5]
            dropped = any(x in clause for x in lx.EXCLUDE_MARKERS) or re.match(r"\s*(就)?(别|不要|不用|不发|不打|停|先不)", after)
            (excluded if dropped else wanted).append(cid)
        taken = taken.replace(word, " " * len(word))
    excluded = list(dict.fromkeys(excluded))
    wanted = [c for c in dict.fromkeys(wanted) if c not in excluded]
    if wanted:
        data["channels"] = wanted
    if excluded:
        data["channels_excluded"] = excluded

    dates = _dates(t, today)
    deadlines = [(pos, d) for pos, d in dates if re.match(r"\S{1,7}?(之前|前|以前)", t[pos : pos + 9]) or re.search(r"before\s*$", t[max(0, pos - 8) : pos])]
    if len(deadlines) < len(dates):
        dates = [x for x in dates if x not in deadlines]  # 双十二前 with explicit dates elsewhere: a context, not a date
    for pos, d in dates:
        after, before = t[pos : pos + 14], t[max(0, pos - 4) : pos]
        if (pos, d) in deadlines or re.search(_END, after[:10]) or re.search(r"(到|至|until|to|through)\s*$", before):
            data.setdefault("end", d)
        elif "start" not in data:
            data["start"] = d
        elif "end" not in data and d > data["start"]:
            data["end"] = d
    durations = [d for d in find_durations(t) if re.search(r"(为期|持续|跑|做|期|周期|for|run|lasting|内)", t[max(0, d.start - 4) : d.end + 3])]
    if durations:
        data["duration_days"] = int(round(durations[0].value))
    elif re.search(r"(两|二|2)\s*(周|个星期|weeks)", t):
        data["duration_days"] = 14

    kpis = []
    for pattern, metric, scale in ((r"(转化|成交|申购|开户|借款|conversions?)\D{0,6}(?P<n>" + NUM + r")\s*(万)?\s*(人|单|户|笔|个)?", "conversions", 1.0),
                                   (r"(aum|规模|保有)\D{0,6}(?P<n>" + NUM + r")\s*(?P<u>亿|万)", "aum", 0.0),
                                   (r"(放款|借款量|loan volume)\D{0,6}(?P<n>" + NUM + r")\s*(?P<u>亿|万)", "loan_volume", 0.0),
                                   (r"(触达|reach)\D{0,6}(?P<n>" + NUM + r")\s*(?P<u>万)?\s*(人|次|users)?", "reach", 1.0)):  # fmt: skip
        m = re.search(pattern, t)
        if not m or not re.search(r"目标|kpi|至少|达到|冲|要|target|goal|at least", t[max(0, m.start() - 8) : m.end() + 4]):
            continue
        value = cn_number(m.group("n"))
        if value is None:
            continue
        unit = m.groupdict().get("u")
        value *= {"亿": 1e8, "万": 1e4}.get(unit or "", 1.0)
        if metric == "conversions" and "万" in m.group(0)[len(m.group(1)) :]:
            value *= 1e4
        kpis.append({"metric": metric, "value": value})
    rate = re.search(r"(转化率|conversion rate)\D{0,6}(?P<n>\d+(?:\.\d+)?)\s*%", t)
    if rate:
        kpis.append({"metric": "conversion_rate", "value": float(rate.group("n")) / 100})
    if kpis:
        data["kpis"] = kpis

    mde = re.search(r"(提升|lift|mde|最小可检测)\D{0,6}(?P<n>\d+(?:\.\d+)?)\s*%", t)
    if mde and re.search(r"测|实验|检测|ab|a/b|test|detect", t):
        data["mde"] = float(mde.group("n")) / 100
    if re.search(r"(测|试)(两|2|几)(个|版|种)|a/?b|ab测|对照组|hold[- ]?out|split test", t):
        data.setdefault("constraints", []).append("experiment requested")
    return CampaignBrief.model_validate(data)

"""The offline brief parser: a marketer's one or two sentences to a CampaignBrief, deterministically, with no model."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from assistant.campaigns import _lexicon as lx
from assistant.campaigns._brief import CampaignBrief
from assistant.campaigns._market import Market
from assistant.text import NUM, cn_number, find_amounts, find_dates, find_durations, normal

_START = r"(开始|起|启动|上线|开跑|开启|start|launch|begin|from)"
_END = r"(结束|截止|为止|止|end|until|through|till)"

def _nearest(t: str, pos_words: str, candidates: list[Any], span: int = 12) -> Any | None:
    """The candidate (with .start) closest after or before a keyword."""
    best, best_d = None, span + 1
    for m in re.finditer(pos_words, t):
        for c in candidates:
            d = min(abs(c.start - m.end()), abs(m.start() - c.end))
            if d < best_d:
                best, best_d = c, d
    return best


_KPI_WORDS: list[tuple[str, str]] = [
    ("loan_volume", r"放款|提款|借款量|贷款量|loan volume|disburse|drawdowns?"),
    ("aum", r"aum|规模|保有|资金|资产|deposits?"),
    ("conversions", r"转化|成交|新增|唤回|召回|授信|开户|首购|申购|续投|激活|approvals?|sign-?ups?|conversions?|new (users|customers|accounts)|first purchases|buyers"),
    ("reach", r"触达|曝光|reach|impressions"),
]  # fmt: skip
_QTY = re.compile(rf"(?P<n>{NUM}|\d{{1,3}}(?:,\d{{3}})+)\s*(?P<u>个亿|亿|万|w|k|million|billion|m\b)?\s*(?P<c>人|单|户|笔|个|名)?")


def _kpis(t: str, budget_at: int) -> list[dict[str, float]]:
    """Targets: the number nearest each KPI word (放款 1.2 亿, 5000 万 AUM, 目标唤回 5000 人, 单个获客成本不超过 60)."""
    out: list[dict[str, float]] = []
    used: set[int] = {budget_at}
    qty = [m for m in _QTY.finditer(t) if m.group("n").strip()]
    for metric, words in _KPI_WORDS:
        for w in re.finditer(words, t):
            best = None
            for m in qty:
                if m.start() in used or re.match(r"\s*(%|天|岁|元|块|月|日|号|周|期|折|克|个月|\.\d)", t[m.end() - (1 if m.group("c") else 0) : m.end() + 3]) and not m.group("u"):
                    continue
                gap = m.start() - w.end() if m.start() >= w.end() else w.start() - m.end()
                if 0 <= gap <= 10 and (best is None or gap < best[0]):
                    best = (gap, m)
            if best is None:
                continue
            m = best[1]
            value = cn_number(m.group("n").replace(",", ""))
            if value is None:
                continue
            unit = (m.group("u") or "").strip()
            value *= {"个亿": 1e8, "亿": 1e8, "万": 1e4, "w": 1e4, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9}.get(unit, 1.0)
            if metric in ("aum", "loan_volume") and not unit:
                continue  # a money target names its unit; a bare number next to 规模 is something else
            if re.match(r"\s*(以上|以下|以内|之间|起|多|左右|的(用户|商家|客户))", t[m.end() : m.end() + 5]) or re.search(r"(月销|余额|资产|流水|满)\s*$", t[max(0, m.start() - 4) : m.start()]):
                continue  # 资产 50 万以上 describes the audience, not a target
            if metric == "conversions" and not (m.group("c") or unit or re.search(r"目标|新增|唤回|召回|授信|开户|首购|target|goal", t[max(0, m.start() - 8) : m.start()])):
                continue  # 转化 alone is the goal; a conversion target is a count (5000 人, 3 万户)
            used.add(m.start())
            out.append({"metric": metric, "value": value})
            break
    cost = re.search(r"(每个|单个|获客|每单)\s*(获客)?\s*成本\D{0,6}(?P<n>\d+(?:\.\d+)?)|cost per (acquisition|conversion|customer)\D{0,12}(?P<e>\d+(?:\.\d+)?)", t)
    if cost:
        out.append({"metric": "cost_per_conversion", "value": float(cost.group("n") or cost.group("e"))})
    rate = re.search(r"(转化率|conversion rate)\D{0,6}(?P<n>\d+(?:\.\d+)?)\s*%", t)
    if rate:
        out = [k for k in out if not (k["metric"] == "conversions" and k["value"] == float(rate.group("n")))]
        out.append({"metric": "conversion_rate", "value": float(rate.group("n")) / 100})
    return out


def parse_brief(text: str, market: Market, today: date | None = None) -> CampaignBrief:
    """Parse one brief (or an edit) into the slots it states; everything else stays at its default."""
    today = today or date.today()
    t = normal(text)
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

    audience = []
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
    for pattern, oid in lx.OFFER_WORDS:
        if oid in market.offers and re.search(pattern, t) and not any(x in offers for x in ("lottery_gold",) if oid == "lottery_100"):
            offers.append(oid)
    if data.get("offer_amount") is not None:
        same = [o.offer_id for o in market.offers.values() if o.unit == "yuan" and o.kind == "cash_subsidy" and abs(o.value - data["offer_amount"]) < 1e-9]
        offers += same[:1]
    if offers:
        data["offers"] = list(dict.fromkeys(offers))

    wanted, excluded = [], []
    taken = t
    for word, cid in sorted(lx.CHANNEL_WORDS, key=lambda wc: -len(wc[0])):
        for m in re.finditer(re.escape(word), taken):
            # A marker excludes every channel after it in the same clause ("exclude SMS and outbound calls").
            clause = re.split(r"[，,。;；!?！？]", taken[: m.start()])[-1]
            after = taken[m.end() : m.end() + 5]
            dropped = any(x in clause for x in lx.EXCLUDE_MARKERS) or re.match(r"\s*(就)?(别|不要|不用|不发|不打|停|先不)", after)
            dropped = dropped or taken[max(0, m.start() - 1) : m.start()] in ("别", "不")
            (excluded if dropped else wanted).append((m.start(), cid))
        taken = taken.replace(word, " " * len(word))
    excluded = list(dict.fromkeys(c for _, c in sorted(excluded)))
    wanted = [c for c in dict.fromkeys(c for _, c in sorted(wanted)) if c not in excluded]
    if wanted:
        data["channels"] = wanted
    if excluded:
        data["channels_excluded"] = excluded

    dates = find_dates(t, today)
    month_end = (today.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if re.search(r"年底|年末|by (the )?end of (the )?year|before year[- ]end", t):
        data["end"] = date(today.year, 12, 31)
    elif re.search(r"月底|本月内|这个月内|当月内|by (the )?end of (the )?month", t):
        data["end"] = month_end
    whole = re.search(rf"(?P<m>{NUM})\s*月\s*整月|整个\s*(?P<m2>{NUM})\s*月|all of (?P<en>january|february|march|april|may|june|july|august|september|october|november|december)", t)
    if whole:
        names = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
        month = int(cn_number(whole.group("m") or whole.group("m2") or "0") or 0) or names.index(whole.group("en")) + 1
        year = today.year if month >= today.month else today.year + 1
        data["start"] = date(year, month, 1)
        data["end"] = (date(year, month, 1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        dates = [(p, d) for p, d in dates if not (d.year == year and d.month == month and d.day == 1)]
    deadlines = [(pos, d) for pos, d in dates if re.match(r"\S{1,7}?(之前|前|以前)", t[pos : pos + 9]) or re.search(r"before\s*$", t[max(0, pos - 8) : pos])]
    if len(deadlines) < len(dates):
        dates = [x for x in dates if x not in deadlines]  # 双十二前 with explicit dates elsewhere: a context, not a date
    for pos, d in dates:
        after, before = t[pos : pos + 14], t[max(0, pos - 4) : pos]
        if (pos, d) in deadlines:
            data.setdefault("end", d - timedelta(days=1) if re.match(r"\S{1,7}?前", t[pos : pos + 9]) else d)  # 元旦前: the day before
        elif re.search(_END, after[:10]) or re.search(r"(到|至|until|to|through|-|－|~|–)\s*$", before):
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

    kpis = _kpis(t, budget.start if budget is not None else -1)
    if kpis:
        data["kpis"] = kpis

    mde = re.search(r"(提升|lift|mde|最小可检测)\D{0,6}(?P<n>\d+(?:\.\d+)?)\s*%", t)
    if mde and re.search(r"测|实验|检测|ab|a/b|test|detect", t):
        data["mde"] = float(mde.group("n")) / 100
    if re.search(r"(测|试)(两|2|几)(个|版|种)|a/?b|ab测|对照组|hold[- ]?out|split test", t):
        data.setdefault("constraints", []).append("experiment requested")
    return CampaignBrief.model_validate(data)

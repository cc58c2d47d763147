"""A realiser for campaign briefs: random briefs (audiences, products, dates, channels, offers, experiments) rendered
as marketers write them, in Chinese and English, as one-liners, numbered formal briefs and bullet lists.

Every rendered brief carries what it states (`Spec.expected`), so a test can parse it back and compare: a whole class
of misreadings (a list read as one item, a negation lost, a date off by one) shows up as a counterexample.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

TODAY = date(2026, 11, 24)
CN_DIGIT = "零一二三四五六七八九"

PRODUCTS = {"huoqianying": ("活钱盈", "Huoqianying"), "wenying_90d": ("稳盈90天", "Wenying 90-day"), "sujie": ("速借", "Sujie"),
            "kanghu_medical": ("康护医疗险", "Kanghu medical"), "youxuan_balanced": ("优选·均衡", "Youxuan Balanced"),
            "beihuodai": ("备货贷", "Beihuodai"), "jin_jicun": ("金积存", "Jin Jicun")}  # fmt: skip
HELD = {"huoqianying": ("持有活钱盈的", "who hold Huoqianying"), "suixinfen": ("用过随心分的", "who have used Suixinfen"),
        "wenying_180d": ("买过稳盈180天的", "who bought Wenying 180-day")}  # fmt: skip
NEVER = {"sujie": ("从没借过速借的", "who never used Sujie"), "kanghu_medical": ("没买过康护的", "who never bought Kanghu")}
CHANNELS = {"sms": ("短信", "SMS"), "app_push": ("push", "push"), "wechat_work": ("企微", "WeCom"), "popup": ("弹窗", "pop-ups"),
            "in_app_message": ("站内信", "in-app messages"), "wechat_service": ("公众号", "the WeChat official account")}  # fmt: skip
OFFERS = {"interest_free_7d": ("7天免息券", "a 7-day interest-free coupon"), "yield_boost_05": ("加息券", "the yield boost coupon"),
          "points_500": ("500积分", "500 points"), "gift_phone_10": ("10元话费", "10 yuan of phone credit")}  # fmt: skip


@dataclass
class Spec:
    """One random brief: its parts as values and as words."""

    lang: str
    parts: list[str] = field(default_factory=list)
    expected: dict[str, Any] = field(default_factory=dict)
    audience: list[str] = field(default_factory=list)
    """The rules every condition rendered compiles to (compared as a set)."""


def cn_int(n: int) -> str:
    """Small integers in Chinese numerals (二十五, 三十), as people also write ages and weeks."""
    if n < 10:
        return CN_DIGIT[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGIT[tens]) + "十" + (CN_DIGIT[ones] if ones else "")


def _tiers(rng: random.Random, lang: str) -> tuple[str, str]:
    kind = rng.choice(["list", "low", "single"])
    if kind == "list":
        a = rng.choice([1, 2, 3])
        tiers = list(range(a, a + rng.choice([2, 3])))
        words = "".join(CN_DIGIT[t] for t in tiers) + "线城市" if lang == "zh" else "tier " + " and ".join(str(t) for t in tiers) + " cities"
        return words, f"city_tier in ({', '.join(map(str, tiers))})"
    if kind == "low":
        t = rng.choice([2, 3])
        return (f"{CN_DIGIT[t]}线及以下城市", f"city_tier >= {t}") if lang == "zh" else (f"tier {t} and below", f"city_tier >= {t}")
    t = rng.choice([1, 2, 3])
    return (f"{CN_DIGIT[t]}线城市", f"city_tier = {t}") if lang == "zh" else (f"tier-{t} cities", f"city_tier = {t}")


def _grades(rng: random.Random, lang: str) -> tuple[str, str]:
    kind = rng.choice(["list", "range", "cap", "floor"])
    if kind == "list":
        gs = sorted(rng.sample([1, 2, 3, 4, 5], 2))
        return (f"只要C{gs[0]}和C{gs[1]}", f"risk_grade in ({gs[0]}, {gs[1]})") if lang == "zh" else (f"C{gs[0]} and C{gs[1]} only", f"risk_grade in ({gs[0]}, {gs[1]})")
    if kind == "range":
        a = rng.choice([1, 2, 3])
        b = a + rng.choice([1, 2])
        return (f"风险等级C{a}到C{b}", f"risk_grade in ({', '.join(map(str, range(a, b + 1)))})") if lang == "zh" else (f"risk grade C{a}-C{b}", f"risk_grade in ({', '.join(map(str, range(a, b + 1)))})")
    g = rng.choice([2, 3, 4])
    if kind == "cap":
        return (f"C{g}及以下", f"risk_grade <= {g}") if lang == "zh" else (f"C{g} or below", f"risk_grade <= {g}")
    return (f"C{g}及以上", f"risk_grade >= {g}") if lang == "zh" else (f"C{g} or above", f"risk_grade >= {g}")


def _ages(rng: random.Random, lang: str) -> tuple[str, str]:
    a = rng.choice([20, 22, 25, 28, 30, 35])
    b = a + rng.choice([10, 15, 20])
    if rng.random() < 0.5:
        if lang == "zh":
            words = f"{cn_int(a)}到{cn_int(b)}岁" if rng.random() < 0.3 else f"{a}-{b}岁"
        else:
            words = f"aged {a}-{b}"
        return words, f"age between {a} and {b}"
    return (f"{a}岁以上", f"age >= {a}") if lang == "zh" else (f"aged {a}+", f"age >= {a}")


def _assets(rng: random.Random, lang: str) -> tuple[str, str]:
    lo = rng.choice([1, 3, 5, 10])
    if rng.random() < 0.5:
        return (f"资产{lo}万以上", f"aum >= {lo * 10000}") if lang == "zh" else (f"AUM of at least {lo * 10}k", f"aum >= {lo * 10000}")
    hi = lo * rng.choice([5, 10])
    return (f"AUM {lo}万-{hi}万", f"aum between {lo * 10000} and {hi * 10000}") if lang == "zh" else (f"AUM between {lo * 10}k and {hi * 10}k", f"aum between {lo * 10000} and {hi * 10000}")


def _activity(rng: random.Random, lang: str) -> tuple[str, str]:
    n = rng.choice([30, 60, 90, 180])
    if rng.random() < 0.5:
        return (f"{n}天以上没登录", f"days_since_login >= {n}") if lang == "zh" else (f"inactive for {n}+ days", f"days_since_login >= {n}")
    n = rng.choice([7, 14, 30])
    return (f"最近{n}天活跃", f"days_since_login <= {n}") if lang == "zh" else (f"active in the last {n} days", f"days_since_login <= {n}")


def _flags(rng: random.Random, lang: str) -> tuple[str, str]:
    zh, en, rule = rng.choice([("不要学生", "no students", "not (is_student = true)"), ("排除有逾期的", "excluding anyone overdue", "not (has_overdue = true)"),
                               ("已授信", "credit-approved", "credit_granted = true"), ("能收短信的", "SMS-reachable", "sms_reachable = true")])  # fmt: skip
    return (zh if lang == "zh" else en), rule


def _holding(rng: random.Random, lang: str) -> tuple[str, str]:
    if rng.random() < 0.5:
        pid, (zh, en) = rng.choice(list(HELD.items()))
        return (zh if lang == "zh" else en), f"products_held contains '{pid}'"
    pid, (zh, en) = rng.choice(list(NEVER.items()))
    return (zh if lang == "zh" else en), f"not (products_held contains '{pid}')"


FAMILIES = [_tiers, _grades, _ages, _assets, _activity, _flags, _holding]


def random_spec(seed: int) -> Spec:
    rng = random.Random(seed)
    lang = rng.choice(["zh", "zh", "en"])
    spec = Spec(lang)
    fams = rng.sample(FAMILIES, rng.randint(1, 4))
    said = []
    for fam in fams:
        words, rule = fam(rng, lang)
        if rule not in spec.audience:
            said.append((rule.startswith("not"), words))
            spec.audience.append(rule)
    # A negation before a list turns the whole list around (排除学生和有逾期的), so negated conditions come last.
    who = [w for _, w in sorted(said, key=lambda x: x[0])]
    pid, (pzh, pen) = rng.choice(list(PRODUCTS.items()))
    spec.expected["products"] = [pid]
    if lang == "zh":
        spec.parts.append(f"给{'、'.join(who)}的用户推{pzh}")
    else:
        spec.parts.append(f"Promote {pen} to users: {', '.join(who)}")
    budget = rng.choice([3, 8, 20, 50, 120])
    spec.parts.append(f"预算{budget}万" if lang == "zh" else f"budget {budget * 10}k")
    spec.expected["budget_cap"] = budget * 10000
    start = TODAY + timedelta(days=rng.randint(3, 40))
    if rng.random() < 0.5:
        end = start + timedelta(days=rng.randint(6, 30))
        if lang == "zh":
            year = f"{start.year}年" if rng.random() < 0.3 else ""
            spec.parts.append(f"{year}{start.month}月{start.day}日至{end.month}月{end.day}日")
        else:
            spec.parts.append(f"{start.strftime('%b')} {start.day} to {end.strftime('%b')} {end.day}")
        spec.expected.update(start=start, end=end)
    else:
        weeks = rng.choice([1, 2, 3, 4])
        spec.parts.append(f"{start.month}月{start.day}日开始，跑{cn_int(weeks)}周" if lang == "zh" else f"start {start.strftime('%b')} {start.day}, run {weeks} weeks")
        spec.expected.update(start=start, duration_days=7 * weeks)
    chans = rng.sample(list(CHANNELS), rng.randint(1, 3))
    names = [CHANNELS[c][0 if lang == "zh" else 1] for c in chans]
    spec.parts.append(("渠道" + "+".join(names)) if lang == "zh" else "channels: " + " + ".join(names))
    spec.expected["channels"] = chans
    rest = [c for c in CHANNELS if c not in chans]
    if rng.random() < 0.4:
        no = rng.choice(rest)
        spec.parts.append(f"不使用{CHANNELS[no][0]}" if lang == "zh" else f"do not use {CHANNELS[no][1]}")
        spec.expected["channels_excluded"] = [no]
    roll = rng.random()
    if roll < 0.35:
        oid, (ozh, oen) = rng.choice(list(OFFERS.items()))
        spec.parts.append(f"送{ozh}" if lang == "zh" else f"offer {oen}")
        spec.expected["offers"] = [oid]
    elif roll < 0.6:
        spec.parts.append("不发券" if lang == "zh" else "no coupons")
        spec.expected["no_offer"] = True
    if rng.random() < 0.35:
        _experiment(spec, rng, lang)
    if "offers" not in spec.expected and not spec.expected.get("no_offer") and rng.random() < 0.4:
        a, b = rng.sample([5, 8, 10, 12, 20, 30], 2)
        spec.parts.append(f"做个A/B：A组发{a}元红包，B组发{b}元红包" if lang == "zh" else f"A/B test: arm A gets {a} yuan cash, arm B gets {b} yuan cash")
        spec.expected["arms"] = [("A", float(a)), ("B", float(b))]
        spec.expected["experiment"] = True
    return spec


BASELINES = {"zh": ["现在转化率大概{b}%", "目前转化率约{b}%", "基线转化率{b}%", "历史转化率在{b}%左右", "平时转化大概{b}%"],
             "en": ["current conversion rate is about {b}%", "baseline conversion is {b}%", "today's conversion rate is around {b}%"]}
MDES = {"zh": [("希望提升{p}个百分点", True), ("最小可检测提升{p}个百分点", True), ("MDE {p}个百分点", True),
               ("要能测出{r}%的提升", False), ("希望相对提升{r}%", False), ("MDE相对{r}%", False)],
        "en": [("detect a {p} percentage point lift", True), ("MDE {p}pp", True), ("detect a {r}% relative lift", False),
               ("MDE {r}% relative", False)]}  # fmt: skip
ALPHAS = {"zh": ["显著性{a}", "显著性水平{a}", "α={a}", "alpha {a}"], "en": ["alpha {a}", "significance level {a}", "at alpha {a}"]}
POWERS = {"zh": ["功效{pw}%", "统计功效{pw}%", "power {pw}%"], "en": ["power {pw}%", "{pw}% power", "at {pw}% power"]}
HOLDOUTS = {"zh": ["留{h}%做对照", "另留{h}%空白对照组", "对照组{h}%"], "en": ["keep a {h}% holdout", "{h}% held out as control", "with a {h}% hold-out"]}


def _experiment(spec: Spec, rng: random.Random, lang: str) -> None:
    """A test stated the ways marketers state one: baseline, MDE in points or relative, alpha, power, a hold-out."""
    base = rng.choice([1, 2, 3, 5])
    spec.parts.append(rng.choice(BASELINES[lang]).format(b=base))
    spec.expected["baseline_rate"] = base / 100
    words, points = rng.choice(MDES[lang])
    p, rel = rng.choice([0.5, 1]), rng.choice([10, 15, 20])
    spec.parts.append(words.format(p=f"{p:g}", r=rel))
    spec.expected.update(mde=(p / 100) if points else rel / 100, mde_absolute=points, experiment=True)
    if rng.random() < 0.5:
        a = rng.choice([0.05, 0.1])
        spec.parts.append(rng.choice(ALPHAS[lang]).format(a=f"{a:g}"))
        spec.expected["alpha"] = a
    if rng.random() < 0.5:
        pw = rng.choice([80, 90])
        spec.parts.append(rng.choice(POWERS[lang]).format(pw=pw))
        spec.expected["power"] = pw / 100
    if rng.random() < 0.4:
        h = rng.choice([5, 10, 20])
        spec.parts.append(rng.choice(HOLDOUTS[lang]).format(h=h))
        spec.expected["holdout_share"] = h / 100


def render(spec: Spec, style: str, rng: random.Random) -> str:
    """The brief as a one-liner, a numbered formal brief or a bullet list; the clause order shuffled after the first."""
    head, rest = spec.parts[0], spec.parts[1:]
    rng.shuffle(rest)
    parts = [head, *rest]
    if style == "oneliner":
        return ("，" if spec.lang == "zh" else ", ").join(parts) + ("。" if spec.lang == "zh" else ".")
    if style == "numbered":
        marks = [f"{cn_int(i)}、" for i in range(1, 16)] if spec.lang == "zh" else [f"{i}. " for i in range(1, 16)]
        return "\n".join(f"{m}{p}{'；' if spec.lang == 'zh' else ';'}" for m, p in zip(marks, parts))
    return "\n".join(f"- {p}" for p in parts)

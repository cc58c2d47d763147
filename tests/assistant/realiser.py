"""A realiser: a random fund request (a set of conditions) rendered into the many ways people write it.

Used by the property tests: `parse(render(conditions))` must give back exactly the conditions, whatever the clause
order, the negated or positive phrasing, the comparative, the way each number is written (5%, 百分之五, 五个点, 0.05,
5 percent), the language, the fillers and a typo or two. Each condition knows the FundQuery slot it stands for, so
the expected parse is built from the same objects that were rendered.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.funds import Bound

Lang = Literal["zh", "en"]

# -- numbers ----------------------------------------------------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"


def cn_int(n: int) -> str:
    """0..99 in Chinese numerals (十五, 二十, 三十八)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def cn_decimal(x: float) -> str:
    """1.5 -> 一点五, 0.8 -> 零点八 (one decimal place)."""
    whole, frac = f"{x:.1f}".split(".")
    return cn_int(int(whole)) + ("点" + _CN_DIGITS[int(frac)] if frac != "0" else "")


def percent_forms(v: float, rate: bool, lang: Lang) -> list[str]:
    """Ways to write v percent. `rate`: the field is a rate, so a fraction (0.05) also means 5%."""
    whole = float(v).is_integer()
    n = int(v) if whole else v
    if lang == "en":
        forms = [f"{n}%", f"{n} percent", f"{n} %"]
        if whole and 1 <= v <= 9:
            forms.append(f"{['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'][int(v)]} percent")
        return forms
    forms = [f"{n}%", f"{n}％", f"百分之{cn_int(int(v)) if whole else cn_decimal(v)}"]
    if whole and v < 100:
        forms.append(f"{cn_int(int(v))}个点")
        forms.append(f"{n}个点")
    if whole and v % 10 == 0 and 10 <= v <= 90:
        forms.append(f"{cn_int(int(v) // 10)}成")
    if whole and v % 10 == 5 and 15 <= v <= 95:
        forms.append(f"{cn_int(int(v) // 10)}成半".replace("二成", "两成"))
    if rate and whole and 1 <= v <= 99:
        forms.append(f"{v / 100:g}")
    return forms


# -- comparatives -------------------------------------------------------------------------------------------------

# (text, before/after the number, side, inclusive)
ZH_BEFORE = [("不超过", "max", True), ("最多", "max", True), ("不高于", "max", True), ("低于", "max", False), ("小于", "max", False),
             ("不到", "max", False), ("至少", "min", True), ("不低于", "min", True), ("不少于", "min", True), ("超过", "min", False),
             ("高于", "min", False), ("大于", "min", False)]  # fmt: skip
ZH_AFTER = [("以上", "min", True), ("以下", "max", True), ("以内", "max", True)]
EN_BEFORE = [("at most", "max", True), ("no more than", "max", True), ("below", "max", False), ("under", "max", False),
             ("less than", "max", False), ("at least", "min", True), ("no less than", "min", True), ("above", "min", False),
             ("over", "min", False), ("more than", "min", False)]  # fmt: skip
EN_AFTER = [("or more", "min", True), ("or less", "max", True)]
# A negator before a bare comparative gives its complement: 不能超过 = at most, must not exceed = at most.
ZH_NEGATED = [("不能超过", "max", True), ("不要超过", "max", True), ("别超过", "max", True), ("不能低于", "min", True),
              ("不要低于", "min", True), ("不得少于", "min", True)]  # fmt: skip
EN_NEGATED = [("must not exceed", "max", True), ("should not be more than", "max", True), ("must not be below", "min", True),
              ("should not be less than", "min", True)]  # fmt: skip


# -- conditions -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    slot: str
    """FundQuery field, or returns.<period>."""
    zh: tuple[str, ...]
    en: tuple[str, ...]
    unit: Literal["pct", "size", "plain", "years"]
    rate: bool = False
    values: tuple[float, ...] = ()


METRICS = [
    Metric("returns.1y", ("近一年收益", "近1年收益率", "过去一年的收益"), ("1-year return", "return over the past year"), "pct", True, (3, 5, 8, 10, 12, 15, 20, 25, 30)),
    Metric("returns.3y", ("近三年收益", "近3年收益率"), ("3-year return",), "pct", True, (10, 20, 30, 40, 50)),
    Metric("returns.ytd", ("今年以来收益", "今年以来的涨幅"), ("year-to-date return",), "pct", True, (2, 5, 8, 10, 15)),
    Metric("max_drawdown", ("最大回撤", "回撤"), ("max drawdown", "drawdown"), "pct", True, (2, 3, 5, 8, 10, 15, 20)),
    Metric("volatility", ("波动率",), ("volatility",), "pct", True, (5, 8, 10, 15, 20)),
    Metric("sharpe", ("夏普比率", "夏普"), ("sharpe ratio",), "plain", False, (0.5, 0.8, 1, 1.2, 1.5, 2)),
    Metric("mgmt_fee", ("管理费",), ("management fee",), "pct", False, (0.5, 0.8, 1, 1.2, 1.5)),
    Metric("size", ("规模", "基金规模"), ("fund size", "aum"), "size", False, (1, 2, 5, 10, 20, 50)),
    Metric("fund_age_years", ("成立",), ("track record",), "years", False, (1, 2, 3, 5, 8)),
]


@dataclass(frozen=True)
class Limit:
    metric: Metric
    bound: Bound

    def expected(self) -> tuple[str, Bound]:
        return self.metric.slot, self.bound


@dataclass(frozen=True)
class Kind:
    """A categorical condition: a fund type, theme or share class, wanted or excluded."""

    slot: str
    value: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    excluded: bool = False


TYPES = [("bond", ("债券基金", "债基"), ("bond funds",)), ("stock", ("股票型", "股票基金"), ("stock funds", "equity funds")),
         ("mixed", ("混合型", "混合基金"), ("mixed funds", "hybrid funds")), ("index", ("指数基金",), ("index funds",)),
         ("money", ("货币基金", "货基"), ("money market funds",)), ("qdii", ("QDII",), ("QDII",)), ("fof", ("FOF",), ("FOF",))]  # fmt: skip
THEMES = [("医药", ("医药",), ("healthcare",)), ("半导体", ("半导体", "芯片"), ("semiconductor",)), ("光伏", ("光伏",), ("solar",)),
          ("白酒", ("白酒",), ("baijiu",)), ("红利", ("红利", "高股息"), ("dividend",)), ("军工", ("军工",), ("defense",)),
          ("消费", ("消费",), ("consumer",)), ("证券", ("券商",), ("brokerage",))]  # fmt: skip


@dataclass
class Request:
    """A random request: limits and kinds, rendered in one language."""

    lang: Lang
    limits: list[Limit] = field(default_factory=list)
    kinds: list[Kind] = field(default_factory=list)

    def expected(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for lim in self.limits:
            slot, b = lim.expected()
            if slot.startswith("returns."):
                out.setdefault("returns", {})[slot.split(".")[1]] = b
            else:
                out[slot] = b
        for k in self.kinds:
            out.setdefault(k.slot + ("_exclude" if k.excluded else ""), []).append(k.value)
        return out


def random_request(rng: random.Random, lang: Lang | None = None) -> Request:
    """1–3 limits on distinct metrics and 0–2 kinds (one of them possibly excluded)."""
    lang = lang or rng.choice(["zh", "zh", "en"])
    req = Request(lang)
    metrics = rng.sample(METRICS, rng.randint(1, 3))
    if sum(m.slot.startswith("returns.") for m in metrics) > 1:
        metrics = [m for m in metrics if not m.slot.startswith("returns.")][:2] + [next(m for m in metrics if m.slot.startswith("returns."))]
    for m in metrics:
        v = float(rng.choice(m.values))
        side = rng.choice(["min", "max"])
        inclusive = rng.random() < 0.6
        req.limits.append(Limit(m, Bound(**{side: v, f"{side}_inclusive": inclusive})))
    n_kinds = rng.choice([0, 1, 1, 2])
    if n_kinds:
        value, zh, en = rng.choice(TYPES)
        req.kinds.append(Kind("fund_types", value, zh, en, excluded=rng.random() < 0.35))
    if n_kinds == 2:
        value, zh, en = rng.choice(THEMES)
        req.kinds.append(Kind("themes", value, zh, en, excluded=rng.random() < 0.35))
    return req


# -- rendering --------------------------------------------------------------------------------------------------------


def _number(m: Metric, v: float, rng: random.Random, lang: Lang, form: int | None = None) -> str:
    if m.unit == "pct":
        forms = percent_forms(v, m.rate, lang)
    elif m.unit == "size":
        forms = [f"{v:g}亿", f"{cn_int(int(v))}个亿" if v.is_integer() and v < 100 else f"{v:g}亿"] if lang == "zh" else [f"{v * 100:g} million yuan" if v < 10 else f"{v / 10:g} billion yuan"]
    elif m.unit == "years":
        forms = [f"{v:g}年", f"{cn_int(int(v))}年".replace("二年", "两年")] if lang == "zh" else [f"{v:g} years"]
    else:
        forms = [f"{v:g}", cn_decimal(v) if lang == "zh" and not v.is_integer() else f"{v:g}"]
    return forms[form % len(forms)] if form is not None else rng.choice(forms)


def render_limit(lim: Limit, rng: random.Random, lang: Lang, *, negate_form: bool | None = None, number_form: int | None = None) -> str:
    """One limit in words. With `negate_form`, the limit is written as the exclusion of its complement (规模小于2亿的不要
    for size ≥ 2) or with a negated comparative (回撤不能超过5% for ≤ 5)."""
    m, b = lim.metric, lim.bound
    side = "min" if b.min is not None else "max"
    v = b.min if side == "min" else b.max
    inclusive = b.min_inclusive if side == "min" else b.max_inclusive
    num = _number(m, float(v), rng, lang, number_form)  # type: ignore[arg-type]
    word = rng.choice(m.zh if lang == "zh" else m.en)
    if m.slot == "fund_age_years":
        return _render_age(float(v), side, inclusive, rng, lang, num, negate_form)  # type: ignore[arg-type]
    negate = negate_form if negate_form is not None else rng.random() < 0.3
    if negate:
        # write the complement and exclude it, or negate a comparative that states the complement
        comp_side, comp_incl = ("max" if side == "min" else "min"), not inclusive
        if lang == "zh":
            if inclusive and rng.random() < 0.5:
                options = [w for w, s, i in ZH_NEGATED if s == side and i]
                return f"{word}{rng.choice(options)}{num}"
            before = [w for w, s, i in ZH_BEFORE if s == comp_side and i == comp_incl and w not in ("不到",)]
            if before:
                pattern = rng.choice(["{w}{c}{n}的不要", "不要{w}{c}{n}的", "{w}{c}{n}的都排除", "排除{w}{c}{n}的"])
                return pattern.format(w=word, c=rng.choice(before), n=num)
            after = [w for w, s, i in ZH_AFTER if s == comp_side and i == comp_incl]
            if after:
                return rng.choice(["{w}{n}{a}的不要", "不要{w}{n}{a}的"]).format(w=word, n=num, a=rng.choice(after))
        else:
            if inclusive:
                options = [w for w, s, i in EN_NEGATED if s == side]
                return f"{word} {rng.choice(options)} {num}"
            before = [w for w, s, i in EN_BEFORE if s == comp_side and i == comp_incl]
            return rng.choice(["exclude funds with {w} {c} {n}", "no funds with {w} {c} {n}"]).format(w=word, c=rng.choice(before), n=num)
    if lang == "zh":
        before = [w for w, s, i in ZH_BEFORE if s == side and i == inclusive]
        after = [w for w, s, i in ZH_AFTER if s == side and i == inclusive]
        choices = [f"{word}{c}{num}" for c in before] + [f"{word}{num}{a}" for a in after]
        return rng.choice(choices)
    before = [w for w, s, i in EN_BEFORE if s == side and i == inclusive]
    after = [w for w, s, i in EN_AFTER if s == side and i == inclusive]
    choices = [f"{word} {c} {num}" for c in before] + [f"{word} of {num} {a}" for a in after]
    return rng.choice(choices)


def _render_age(v: float, side: str, inclusive: bool, rng: random.Random, lang: Lang, num: str, negate: bool | None) -> str:
    if lang == "zh":
        if negate:
            comp = [w for w, s, i in ZH_BEFORE if s != side and i != inclusive and w not in ("不高于", "大于", "小于")]
            return rng.choice(["成立{c}{n}的不要", "不要成立{c}{n}的"]).format(c=rng.choice(comp), n=num)
        before = [w for w, s, i in ZH_BEFORE if s == side and i == inclusive and w not in ("不高于", "大于", "小于", "高于", "低于")]
        after = [w for w, s, i in ZH_AFTER if s == side and i == inclusive]
        return rng.choice([f"成立{c}{num}" for c in before] + [f"成立{num}{a}" for a in after])
    words = {("min", False): "older than", ("max", False): "younger than", ("min", True): "at least", ("max", True): "at most"}
    w = words[(side, inclusive)]
    return f"funds {w} {num} old" if "than" in w else f"{w} {num} track record"


def render_kind(k: Kind, rng: random.Random, lang: Lang) -> str:
    word = rng.choice(k.zh if lang == "zh" else k.en)
    if not k.excluded:
        return word if lang == "en" else rng.choice([word, f"{word}的", f"只要{word}"])
    if lang == "zh":
        return rng.choice(["不要{w}", "{w}的不要", "排除{w}", "除了{w}以外", "{w}除外", "别给我{w}"]).format(w=word)
    return rng.choice(["no {w}", "not {w}", "excluding {w}", "without {w}", "anything but {w}"]).format(w=word)


_ZH_OPEN = ["", "帮我找", "有没有", "推荐几只", "想要", "我想买"]
_ZH_CLOSE = ["", "的基金", "，谢谢", "的"]
_EN_OPEN = ["", "find me funds: ", "show me funds with ", "looking for funds, "]


def render(req: Request, rng: random.Random, *, order: list[int] | None = None, negate: dict[int, bool] | None = None,
           number_form: dict[int, int] | None = None, joiner: str | None = None) -> str:  # fmt: skip
    """The whole request: each condition a clause, in `order` (default shuffled), joined by commas, with fillers."""
    negate, number_form = negate or {}, number_form or {}
    parts = [render_limit(lim, rng, req.lang, negate_form=negate.get(i), number_form=number_form.get(i)) for i, lim in enumerate(req.limits)]
    parts += [render_kind(k, rng, req.lang) for k in req.kinds]
    idx = order if order is not None else rng.sample(range(len(parts)), len(parts))
    sep = joiner or (rng.choice(["，", "，", "；", ", "]) if req.lang == "zh" else rng.choice([", ", "; "]))
    body = sep.join(parts[i] for i in idx)
    if req.lang == "zh":
        ends_negated = body.endswith(("不要", "排除", "除外", "以外"))
        return rng.choice(_ZH_OPEN) + body + rng.choice(["", "，谢谢"] if ends_negated else _ZH_CLOSE)
    return rng.choice(_EN_OPEN) + body

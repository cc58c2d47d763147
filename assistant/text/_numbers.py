"""Numbers as people write them: 5%, 百分之五, 五个点, 一成, 两成半, 千分之五, 1万, 3万8千, 五千元, 1.5w, 两年, 半年.

Every finder returns `Found` values with their span in the normal form, so what a number became can be traced back
to the words that said it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
           "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}  # fmt: skip
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN = "零〇一壹二两贰三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿点"
_CN_DIGIT = "零〇一壹二两贰三叁四肆五伍六陆七柒八捌九玖"
NUM = rf"(?:\d+(?:\.\d+)?(?:[万亿](?:\d|[{_CN_DIGIT}])(?:[千仟百佰十拾](?:\d|[{_CN_DIGIT}])?)?(?![\d.]))?|[{''.join(_DIGITS)}十拾][{_CN}]*)"
"""A number written with digits, Chinese numerals or both (3万8千, 3万8); it starts with a digit, so 万家 or 千分 alone
are not numbers."""


EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
              "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50}  # fmt: skip
_EN_DIGIT = "zero|one|two|three|four|five|six|seven|eight|nine"
EN_NUM = rf"(?:\d+(?:\.\d+)?|\b(?:{'|'.join(EN_NUMBERS)})(?: point(?: (?:{_EN_DIGIT}))+)?\b|\b(?:zero|oh) point(?: (?:{_EN_DIGIT}))+\b)"
"""A number in an English request: digits or number words (three, ten, one point two)."""


def _small(text: str) -> int | None:
    """0..9999 in Chinese numerals, including the colloquial 三千五 (3500) and 十五 (15)."""
    if not text:
        return 0
    total, digit, last_unit = 0, None, None
    for ch in text:
        if ch in _DIGITS or ch.isdigit():
            digit = _DIGITS[ch] if ch in _DIGITS else int(ch)
        elif ch in _UNITS:
            unit = _UNITS[ch]
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit is not None:
        # 三千五 is 3500 and 一百二 is 120: a digit right after a unit counts in the next unit down.
        right_after_unit = len(text) >= 2 and text[-2] in _UNITS
        total += digit * (last_unit // 10 if right_after_unit and last_unit and last_unit >= 100 else 1)
    return total


def cn_number(text: str) -> float | None:
    """The value of a number written in digits or Chinese numerals (一万二, 3.5, 零点五, 两百), or None."""
    text = text.strip()
    if not text:
        return None
    if text in EN_NUMBERS:
        return float(EN_NUMBERS[text])
    if " point " in text:  # one point two, zero point five
        whole, _, frac = text.partition(" point ")
        digits = {w: str(i) for i, w in enumerate(_EN_DIGIT.split("|"))}
        w = 0.0 if whole in ("zero", "oh") else EN_NUMBERS.get(whole)
        if w is None or not frac or any(d not in digits for d in frac.split()):
            return None
        return float(f"{int(w)}.{''.join(digits[d] for d in frac.split())}")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    for unit, scale in (("亿", 100_000_000), ("万", 10_000)):
        if unit in text:
            head, _, tail = text.partition(unit)
            high = cn_number(head) if head else 1.0
            if high is None:
                return None
            if tail and len(tail) == 1 and (tail in _DIGITS or tail.isdigit()):
                return high * scale + (_DIGITS[tail] if tail in _DIGITS else int(tail)) * scale / 10  # 一万二 = 12000, 3万8 = 38000
            low = cn_number(tail) if tail else 0.0
            return None if low is None else high * scale + low
    if "点" in text:
        whole, _, frac = text.partition("点")
        w = _small(whole) if whole else 0
        if w is None or not frac or any(c not in _DIGITS for c in frac):
            return None
        return float(f"{w}.{''.join(str(_DIGITS[c]) for c in frac)}")
    value = _small(text)
    return None if value is None else float(value)


@dataclass(frozen=True)
class Found:
    """A value found in a request and where it stood."""

    value: float
    start: int
    end: int
    text: str
    unit: str = ""
    """For durations, the unit as written (年, 个月, years)."""

    @property
    def years(self) -> float:
        """A duration in years: 6个月 is 0.5, 两年 is 2 (the value is in days)."""
        if re.search(r"月|month", self.unit):
            return round(self.value / 30 / 12, 4)
        return round(self.value / 365, 4)


_PERCENT = re.compile(
    rf"百分之(?P<pct_of>{NUM})|千分之(?P<permille>{NUM})|(?P<points>{NUM})(?:个(?:百分)?点|百分点)|(?P<pct>\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b|pct\b)"
    rf"|(?P<word>\b(?:{'|'.join(EN_NUMBERS)}))\s+(?:percent|per cent)\b|(?P<half>半个(?:百分)?点|half (?:a |of a )?(?:percent|per cent|percentage point|point)\b)"
    rf"|(?P<cheng>{NUM})成(?P<cheng_half>半)?(?![立长本交功熟员分果绩就色年])"
)


def find_percents(text: str) -> list[Found]:
    """Percent values: 5% and 5％ -> 5, 百分之五 -> 5, 五个点 -> 5, 千分之五 -> 0.5, half a percent -> 0.5, 一成 -> 10,
    两成半 -> 25."""
    out = []
    for m in _PERCENT.finditer(text):
        kind = next(k for k, v in m.groupdict().items() if v is not None)
        value = 0.5 if kind == "half" else cn_number(m.group(kind))
        if value is None:
            continue
        if kind == "cheng":
            value = value * 10 + (5 if m.group("cheng_half") else 0)
        out.append(Found(value / 10 if kind == "permille" else value, m.start(), m.end(), m.group(0), "%"))
    return out


def as_rate(value: float, written: str) -> float:
    """A rate in percent from a number written without a percent sign: a fraction below one (0.08) is 8%.

    Only for fields that are rates (returns, drawdowns, volatility); fees are quoted in percent even when bare.
    """
    return round(value * 100, 6) if 0 < abs(value) < 1 and re.fullmatch(r"-?0?\.\d+", written.strip()) else value


_AMOUNT = re.compile(
    rf"(?P<cur>[¥$]|rmb\s?|cny\s?)?(?P<n>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?![\d,])|{NUM})\s*(?P<unit>million yuan\b|million rmb\b|thousand(?:\s*(?:yuan|rmb|cny))?\b|w(?![a-z])|k(?![a-z])|万元|万块|万|千元|千块|千|元|块钱|块|yuan\b|rmb\b|cny\b)?(?!\s*(?:个)?亿|\s*(?:billion|million|bn)\b)"
)


def find_amounts(text: str) -> list[Found]:
    """Sums of money in yuan: 1万 -> 10000, 五千元 -> 5000, 3000块 -> 3000, 10w -> 100000, 3000 yuan -> 3000.

    A number of 亿 (or billion) is a fund size, not the user's money.
    """
    scale = {"w": 10_000, "k": 1_000, "万元": 10_000, "万块": 10_000, "万": 10_000, "千元": 1_000, "千块": 1_000,
             "千": 1_000, "元": 1, "块钱": 1, "块": 1, "yuan": 1, "rmb": 1, "cny": 1, "million yuan": 1_000_000,
             "million rmb": 1_000_000, "thousand": 1_000}  # fmt: skip
    out = []
    for m in _AMOUNT.finditer(text):
        unit = m.group("unit")
        if "亿" in m.group("n") or (m.start() > 0 and text[m.start() - 1].isdigit()):
            continue
        if unit is None and not m.group("cur") and not re.search("[万]", m.group("n")):
            continue  # a bare number is not money; 一万二 is (the 万 inside says so)
        value = cn_number(m.group("n").replace(",", ""))  # 50,000 yuan: thousands separators as written in English
        if value is not None:
            out.append(Found(value * (scale[unit.split()[0] if unit and unit.startswith("thousand") else unit] if unit else 1), m.start(), m.end(), m.group(0)))
    # RMB 1.2M, ¥3 million: millions only with the currency said, so 12m alone (twelve months?) stays unread.
    # loan amount 20 million, budget 1.5 million: a sum of money by the word before it, not a count of people
    said = [m for m in re.finditer(r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s*million\b", text)
            if re.search(r"(?:budget|amount|aum|loans?|disburse\w*|volume|spend|cost|revenue|sales|gmv|deposits?|inflows?)\W{0,3}(?:\w+\W+){0,2}$", text[max(0, m.start() - 30) : m.start()])]
    for m in [*_MILLIONS.finditer(text), *said]:
        if not any(f.start < m.end() and m.start() < f.end and f.value >= 1_000_000 for f in out):
            out = [f for f in out if not (m.start() <= f.start < m.end())]
            out.append(Found(float(m.groupdict().get("n") or m.group("n2")) * 1_000_000, m.start(), m.end(), m.group(0)))
    return sorted(out, key=lambda f: f.start)


_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_EN_ONES = {w: v for w, v in EN_NUMBERS.items() if w not in _EN_TENS} | {"thirteen": 13, "fourteen": 14, "sixteen": 16,
                                                                        "seventeen": 17, "eighteen": 18, "nineteen": 19, "a": 1}  # fmt: skip
_EN_SCALE = {"thousand": 1_000, "grand": 1_000, "million": 1_000_000}
_WORD_AMOUNT = re.compile(
    rf"\b(?:(?P<tens>{'|'.join(_EN_TENS)})(?:[\s-](?P<unit>{_EN_DIGIT}))?|(?P<ones>{'|'.join(sorted(_EN_ONES, key=len, reverse=True))}))"
    rf"(?:\s+(?P<hundred>hundred))?\s+(?P<scale>{'|'.join(_EN_SCALE)})\b(?:\s*(?:yuan|rmb|cny)\b)?"
)


def find_word_amounts(text: str) -> list[Found]:
    """Round figures written in English words: twenty thousand -> 20000, fifty grand, two hundred thousand, a million.

    Whether one is money or a count is the caller's to say (budget twenty thousand; twenty thousand users)."""
    out = []
    for m in _WORD_AMOUNT.finditer(text):
        if m.group("tens"):
            n = _EN_TENS[m.group("tens")] + (_EN_DIGIT.split("|").index(m.group("unit")) if m.group("unit") else 0)
        else:
            n = _EN_ONES[m.group("ones")]
        out.append(Found(float(n * (100 if m.group("hundred") else 1) * _EN_SCALE[m.group("scale")]), m.start(), m.end(), m.group(0)))
    return out


_MILLIONS = re.compile(r"(?:[¥$]|rmb\s?|cny\s?)\s*(?P<n>\d+(?:\.\d+)?)\s*(?:m|mn|million)\b|(?<![\d.])(?P<n2>\d+(?:\.\d+)?)\s*(?:m|mn|million)\s*(?:rmb|yuan|cny)\b")


_DURATION = re.compile(
    rf"(?P<n>{NUM}|半)\s*(?P<unit>年半|年|个半月|个月|月|周|天|个礼拜|个星期|礼拜|星期(?![一二三四五六日天1-7]))"
    rf"|(?P<en>{EN_NUM}|\ba|\ban|\bhalf an?)\s*\+?\s*-?\s*(?P<enunit>years?|yrs?|months?|mos?|weeks?|days?)\b"
    r"|(?<![\d.])(?P<short>\d{1,3})(?P<su>d|wk|wks)\b"  # 跑7d, a 14d run, 2wk: typed in a hurry
)


def find_durations(text: str) -> list[Found]:
    """Durations in days: 两年 -> 730, 半年 -> 182.5, 三个月 -> 90 (30-day months), 一年半 -> 547.5, half a year -> 182.5."""
    days = {"年": 365.0, "年半": 365.0, "个月": 30.0, "月": 30.0, "个半月": 30.0, "周": 7.0, "天": 1.0,
            "个礼拜": 7.0, "个星期": 7.0, "礼拜": 7.0, "星期": 7.0,
            "y": 365.0, "m": 30.0, "w": 7.0, "d": 1.0}  # fmt: skip
    out = []
    for m in _DURATION.finditer(text):
        if m.group("short"):
            out.append(Found(float(m.group("short")) * (1.0 if m.group("su") == "d" else 7.0), m.start(), m.end(), m.group(0), m.group("su")))
            continue
        if m.group("en"):
            word = m.group("en")
            n = 0.5 if word.startswith("half") else 1.0 if word in ("a", "an") else cn_number(word)
            unit = m.group("enunit")
            if n is None:
                continue
            out.append(Found(n * days[unit[0]], m.start(), m.end(), m.group(0), unit))
            continue
        if m.start() > 0 and text[m.start() - 1].isdigit():
            continue
        n = 0.5 if m.group("n") == "半" else cn_number(m.group("n"))
        if n is None:
            continue
        unit = m.group("unit")
        extra = 0.5 if unit in ("年半", "个半月") else 0.0
        out.append(Found((n + extra) * days[unit], m.start(), m.end(), m.group(0), unit))
    return out

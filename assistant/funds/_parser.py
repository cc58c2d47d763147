"""The offline parser: a fund request in Chinese or English to a FundQuery, deterministically, with no model.

Every slot it fills records the words it came from (`evidence`), and whatever carries a condition but was not
understood (a number, a comparative, a negator, a field word, a name) comes back as `unparsed`, so nothing a person
states is ever dropped without a word. Negation and comparison are one mechanism for every field (the text layer's
`Language`): 不要QDII和FOF, 医药的不要, 丰岭除外, 规模小于2亿的不要, 回撤不能超过5%, drawdown must not exceed 5%.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.funds._knowledge import asks_a_or_c
from assistant.funds._lexicon import FundLexicon, SortWordField, fund_lexicon
from assistant.funds._query import PERIOD_FIELD, Bound, FundQuery, Order, SortField, SortKey, Unparsed
from assistant.text import (
    EN_NUM,
    NUM,
    Cue,
    Found,
    Language,
    Side,
    Span,
    Text,
    as_rate,
    cn_number,
    find_amounts,
    find_durations,
    find_percents,
    find_phrases,
    language,
    longest_first,
    normalize,
    occurrences,
)
from assistant.text import ascii_word as _ascii_word

_CLAUSE_BREAK = re.compile(r"[，,。;；!！?？\n]|(?<=[\u4e00-\u9fff])(?<![和与跟及或、]) (?=[\u4e00-\u9fff])(?!和|与|跟|及|以及|或|的|都|也|、)|并且|而且|同时|还要|但是|不过|另外|然后|(?<!anything )(?<!nothing )(?<!all )\bbut\b(?! not)|\bwhile\b|\band also\b")
_SIZE = re.compile(rf"(?P<n>{NUM})\s*(?:个)?(?P<unit>亿|万(?!份))|(?P<en>\d+(?:\.\d+)?)\s*(?P<enunit>billion|bn|million|mn)\b")
_SIZE_SCALE = {"万": 0.0001, "亿": 1.0, "billion": 10.0, "bn": 10.0, "million": 0.01, "mn": 0.01}
"""Fund size is in 亿元: 2 billion yuan is 20 亿, 500 million is 5 亿."""
_TOP_N = re.compile(
    rf"(?:前|top\s*)(?P<a>{NUM}|{EN_NUM})(?!\s*(?:年|个月|月|天|周|%|个点|亿|万|成|months?|years?))"
    rf"|(?P<b>{NUM})\s*(?:只|支|款|个(?!点|月|百分|交易|亿|工作|成))"
    rf"|\b(?:the|give me|show me|best|pick)\s+(?P<c>{EN_NUM})\s+(?:best|top|funds?|picks?|options?|cheapest|largest|biggest|oldest|highest|lowest)"
    rf"|(?P<d>{EN_NUM})\s+(?:of them|funds? (?:only|max|at most)|picks?|options?|choices)\b"
    rf"|(?:^|\b(?:me|the|only|just)\s+)(?P<e>{EN_NUM})\s+(?:best|top|cheapest|largest|biggest|oldest|newest|highest|lowest|safest|most|least|[a-z-]+est)\b"
)
_CODE = re.compile(r"(?<![\d¥$.])\d{6}(?![\d.%])(?!\s*(?:元|块|万|千|w(?![a-z])|k(?![a-z])|yuan|rmb|cny|亿|billion|million))")
"""A fund code: six digits that are not a sum of money (100000元)."""
_PLAIN = re.compile(rf"(?<![\d.])(?P<n>-?\d+(?:\.\d+)?|-?\.\d+|零点[{''.join('零一二三四五六七八九')}]+|[一二三四五]点[{''.join('零一二三四五六七八九')}]+|{EN_NUM})(?![\d.])")
_RANGE_JOIN = r"\s*(?:到|至|-|~|〜|—|to)\s*"
_BETWEEN_JOIN = r"\s*(?:和|与|跟|and)\s*"
_ORDINALS = {"一": 1, "1": 1, "二": 2, "2": 2, "两": 2, "三": 3, "3": 3, "四": 4, "4": 4, "五": 5, "5": 5, "六": 6, "6": 6,
             "七": 7, "7": 7, "八": 8, "8": 8, "九": 9, "9": 9, "十": 10, "10": 10, "first": 1, "second": 2, "third": 3,
             "fourth": 4, "fifth": 5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "last": -1, "最后": -1}  # fmt: skip
_REF = re.compile(r"第\s*(?P<zh>[一二三四五六七八九十1-9]|10)\s*(?:只|个|支|款|名)|(?P<last>最后)\s*(?:一|1)\s*(?:只|个|支)"
                  r"|\b(?:the\s+)?(?P<en>first|second|third|fourth|fifth|last)\s+(?:one|fund|pick)\b|#(?P<hash>[1-9])\b")
_REF_RUN = re.compile(r"(?:前|头)\s*(?P<zh>[两二三四五2-5])\s*(?:只|个|支)|\b(?:the\s+)?(?:top|first)\s+(?P<en>two|three|four|five|[2-5])\b(?!\s*(?:years?|months?|%))")
_SELF = re.compile(r"(?:我是|我属于|我算是?|本人(?:是|属于|算)?|我就是|(?:风险)?测评(?:结果)?(?:是|为)|风险(?:等级|类型|偏好|承受能力)(?:是|为|属于)|我这人是|我偏|i'?m|i am|as an?)\s*(?:一个|一名|个|典型的?|比较|算是?|偏|(?:pretty|quite|very|rather|fairly|a bit|kind of|an?|the)\s+)?\s*$")
_HELD = re.compile(r"(?:已经|我)?(?:买了|已买|买过)|(?:我|已经|已)持有了?|手里有|手上有|已经有|手里拿着|\balready (?:have|own|hold|bought)\b|\bi (?:own|hold|bought)\b")
_RATES = ("return", "loss", "max_drawdown", "volatility")
"""Metrics that are rates: a bare fraction is a share (0.08 is 8%), a bare number a percent."""
_RETRACT = re.compile(r"(?:^|[.…。,!！;；])\s*(?:算了|不对|说错了|不是不是|scratch that|never mind|actually no)\s*[,，。!！]")
_BEAT = re.compile(r"跑赢|跑输|战胜|超越|打败|跑不赢|\bbeat(?:s|ing)?\b|\boutperform(?:s|ed|ing)?\b|\bunderperform")
_UNSUPPORTED_PERIOD = re.compile(
    rf"去年(?:全年)?|前年|上一?年度?|上半年|下半年|(?:19|20)\d\d\s*年(?:全年|度)?|\bin (?:19|20)\d\d\b|\blast calendar year\b|"
    rf"(?:近|最近|过去|前)\s*(?P<zh>{NUM}|半)\s*(?P<zu>年|个月|月|周|天)(?:来|以来|内)?|(?P<zh2>{NUM})\s*(?P<zu2>年|个月)(?:来|以来)"
    rf"|\b(?:last|past|over the last|over the past|in the last|in the past)\s+(?P<en>{EN_NUM})\s*(?P<eu>years?|months?|weeks?|yrs?)\b"
    rf"|\b(?P<en2>{EN_NUM})[- ](?P<eu2>year|month)\b"
)
_FEE_FREE = re.compile(r"(?:零|免|(?<![\d.])0|不收|(?<!有)没有|(?<!有)无)\s*(?P<w>申购费|管理费|销售服务费|手续费)(?!\s*(?:[\d一二两三四五六七八九十]|至少|最多|不超过|不低于|低于|高于|超过|大于|小于|在|为|是))|(?P<w2>申购费|管理费|销售服务费|手续费)\s*(?:为|是)?\s*(?:零|0|免)(?!\s*[点.\d])"
                       r"|\b(?:zero|no|without(?: any)?|free of)\s+(?:any\s+)?(?P<en>purchase fee|subscription fee|front-end load|load|management fee|sales[- ]service fee)s?\b")
_FEE_FREE_FIELD = {"申购费": "purchase_fee", "手续费": "purchase_fee", "管理费": "mgmt_fee", "销售服务费": "sales_service_fee",
                   "purchase fee": "purchase_fee", "subscription fee": "purchase_fee", "front-end load": "purchase_fee",
                   "load": "purchase_fee", "management fee": "mgmt_fee", "sales service fee": "sales_service_fee",
                   "sales-service fee": "sales_service_fee"}  # fmt: skip
_SHARE = re.compile(r"(?P<c>[ac])\s*(?:类|份额|档)|\b(?P<e>[ac])\s*(?:class|shares?)\b|\bclass\s*(?P<f>[ac])\b|\bshare class (?P<g>[ac])\b"
                    r"|(?<![a-z0-9])(?P<h>[ac])(?:类)?(?=的|\s*(?:都|也)?\s*(?:不要|除外|排除))"
                    r"|(?:(?<=联接)|(?<=混合)|(?<=债券)|(?<=指数)|(?<=股票)|(?<=基金)|(?<=etf)|(?<=fof)|(?<=lof))\s*(?P<i>[ac])(?![a-z0-9])")
_CLOSED = re.compile(r"暂停申购|暂停购买|不能申购|不能买|买不了|买不到|不开放申购|停止申购|封闭期内?的?"
                     r"|\bclosed (?:to|for) (?:new )?(?:purchases?|subscriptions?|investors|buying)\b|\bclosed (?:ones|funds)\b|\bsuspended\b|\bnot open\b")
_NO_DCA = re.compile(r"不(?:能|支持|可以?)定投|没法定投|不可定投|can't (?:set up )?(?:a )?(?:dca|sip)")
_VAGUE_DIRECTION = [(re.compile(r"小(?:规模)?(?:基金|的)|规模(?:太)?小的?|迷你(?:基金)?|\bsmall(?:er)? (?:ones|funds)\b|\btiny (?:ones|funds)\b"), "size", "max"),
                    (re.compile(r"新(?:成立)?的(?:基金)?|新基金|次新|刚成立的?|\bnew(?:er)? (?:ones|funds)\b|\byoung(?:er)? (?:ones|funds)\b"), "fund_age_years", "max"),
                    (re.compile(r"贵的|费率高的|\bexpensive (?:ones|funds)\b|\bpricey (?:ones|funds)\b"), "purchase_fee", "min")]  # fmt: skip
"""A negated vague word, the metric it is about and the side of a bound that describes what it excludes: the next
clause that spells out that side is turned around (去掉小的，规模5亿以下的 = size ≥ 5); one that states the other side
already says what is wanted (规模太小的不要，至少2个亿 = size ≥ 2)."""
_FIELD_HINTS = re.compile(r"费率|费用|手续费|申购费|管理费|托管费|赎回费|销售服务费|规模|回撤|成立|夏普|收益|回报|涨幅|跌幅|波动|经理|评级|星级|持仓|仓位|换手|年化|净值|分红"
                          r"|机构|持有人|占比|比例|重仓|股息率|跟踪误差|溢价|折价"
                          r"|\b(?:fees?|size|aum|drawdown|sharpe|returns?|volatility|manager|rating|stars?|holdings?|turnover|dividends?|yield|nav)\b")
_NAME_LIKE = re.compile(r"(?P<n>[\u4e00-\u9fff]{2,6}?)(?:基金公司|公司|家的|系的|旗下)|(?:经理(?:是|为|叫)?)(?P<m>[\u4e00-\u9fff]{2,3})"
                        r"|(?P<k>[\u4e00-\u9fff]{2,3})(?:管理的|管的|在管的|当经理)|(?P<f>[\u4e00-\u9fff]{2,4}?)基金(?:公司|家|旗下|出的|发的)")
_STOP_NAMES = {"基金", "哪", "哪个", "哪些", "这", "那", "大", "小", "国", "我", "你", "他", "自", "各", "每", "我们", "你们", "大家", "专", "行",
               "商", "管理", "这家", "那家", "哪家", "同一", "一"}
_STYLE_LIKE = re.compile(r"偏[\u4e00-\u9fff]{1,2}?(?:型|混合|基金|的|类)|[\u4e00-\u9fff]{1,3}?型基金")
"""A kind of fund written the way kinds are (偏债的, 稳进型基金): one the lexicon does not know is not understood."""
_STOP_NAME_STARTS = ("其他", "别的", "另外", "任何", "其它", "哪", "这", "那", "几", "两", "三", "四", "五")
"""Words that start a phrase like 其他家的 or 这三家的, which names no company."""
_NUMBER_TOKEN = re.compile(rf"-?\d+(?:\.\d+)?\s*(?:%|个点|成|亿|万|千|元|块|年|个月|月|天|周|岁|倍|w\b|k\b|bn\b|billion|million|percent)?"
                           rf"|[一二两三四五六七八九十百千零半][{''.join('零〇一二两三四五六七八九十百千万亿点')}]*(?:个点|成|亿|万元|万|千元|元|块|年|个月|倍|个百分点)")


class ParsedRequest(BaseModel):
    """The typed request and what the parser noticed on the way (shown to the user)."""

    query: FundQuery
    read: str = ""
    """The request as the parser read it: the normal form with typos repaired (what any reading is checked against)."""
    matched: list[str] = Field(default_factory=list)
    """The words that became filters, for the visible, editable request."""
    evidence: dict[str, list[Span]] = Field(default_factory=dict)
    """For each slot set (a FundQuery field; returns by period as `returns.1y`), the words it came from."""
    unparsed: list[Unparsed] = Field(default_factory=list)
    """What carries a condition but was not understood."""
    refs: list[int] = Field(default_factory=list)
    """Positions in the previous shortlist the request points at (对比第一只和第二只: [1, 2]; last one: -1)."""
    self_described: str | None = None
    """The words an investor used for their own grade (我是保守型), when the grade came from them."""
    vague: list[tuple[int, Span]] = Field(default_factory=list)
    """Vague words (收益高一点) as (index into the lexicon's vague table, where): the advisor asks about the first."""
    topic: Span | None = None
    """A theme the lexicon does not know (机器人主题), for hybrid retrieval."""


# -- typo correction ------------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _pinyin_vocab(lx: FundLexicon) -> dict[int, list[tuple[str, tuple[str, ...]]]]:
    """Chinese lexicon words of two or more characters with their readings, by length."""
    from pypinyin import Style, lazy_pinyin

    words = set(lx.theme_words) | set(lx.fund_type_words) | set(lx.metric_words) | set(lx.glossary_terms)
    words |= set(lx.sort_field_words) | set(lx.pinyin.extra) | set(lx.typos.values())
    words |= {w for w in language().comparison_words if re.fullmatch(r"[\u4e00-\u9fff]{2,}", w)}  # 大与 -> 大于
    out: dict[int, list[tuple[str, tuple[str, ...]]]] = {}
    for w in words:
        if len(w) < 2 or not re.search(r"[\u4e00-\u9fff]", w) or w.endswith("了"):
            continue
        # pypinyin's stub types the errors callback as returning one str; the library (and its docs) take a list too,
        # one reading per character, which is what keeps `readings` as long as `w`.
        readings = tuple(lazy_pinyin(w, style=Style.NORMAL, errors=lambda x: list(x)))  # type: ignore[arg-type,return-value]
        if len(readings) == len(w):
            out.setdefault(len(w), []).append((w, readings))
    return out


def _fuzzy(reading: str) -> str:
    """A reading as ears that mix zh/z, ch/c, sh/s, -ng/-n hear it (指素 for 指数, 规摸 for 规模)."""
    for a, b in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if reading.startswith(a):
            reading = b + reading[len(a) :]
            break
    return reading[:-1] if reading.endswith(("ang", "eng", "ing")) else reading


@lru_cache(maxsize=4096)
def _readings(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    return frozenset(_fuzzy(r) for r in pinyin(ch, style=Style.NORMAL, heteronym=True)[0])


@lru_cache(maxsize=4)
def _masked_vocab(lx: FundLexicon) -> dict[tuple[int, int, str, str], list[tuple[str, str]]]:
    """Lexicon words keyed by (length, position, the text before it, the text after it): one lookup per slip."""
    out: dict[tuple[int, int, str, str], list[tuple[str, str]]] = {}
    for length, words in _pinyin_vocab(lx).items():
        for w, readings in words:
            for k in range(length):
                out.setdefault((length, k, w[:k], w[k + 1 :]), []).append((w, _fuzzy(readings[k])))
    return out


def _fix_homophones(t: Text, lx: FundLexicon, protected: list[tuple[int, int]]) -> Text:
    """Correct single-character homophone slips of lexicon words (医要 -> 医药, 最大回车 -> 最大回撤, 中正500 -> 中证500).

    A span is rewritten only when it differs from a lexicon word in exactly one Chinese character, that character can
    be read the same way, no lexicon word already stands there, and it is not part of a name the catalog knows (a
    company or manager whose name sounds like a fund-type word keeps its name).
    """
    vocab = _pinyin_vocab(lx)
    s = t.norm
    exact = [span for ws in vocab.values() for w, _ in ws for span in occurrences(s, w)] + list(protected)
    masks = _masked_vocab(lx)
    for length in sorted(vocab, reverse=True):
        for i in range(len(s) - length + 1):
            span = s[i : i + length]
            for k in range(length):
                ch = span[k]
                if not ("\u4e00" <= ch <= "\u9fff"):
                    continue
                for w, reading in masks.get((length, k, span[:k], span[k + 1 :]), ()):
                    if w[k] == ch or reading not in _readings(ch) or any(a <= i + k < b for a, b in exact):
                        continue  # same word, not a homophone, or the character belongs to a word spelt right
                    t = t.replace(i, i + length, w)
                    s = t.norm
                    exact.append((i, i + length))
                    span = w
                    break
    return t


@lru_cache(maxsize=4)
def _english_vocab(lx: FundLexicon) -> tuple[frozenset[str], tuple[str, ...]]:
    """(every Latin word the lexicon knows, the domain words a misspelling may be corrected to)."""
    phrases = [*lx.theme_words, *lx.fund_type_words, *lx.metric_words, *lx.glossary_terms, *lx.sort_field_words,
               *lx.sort.phrases]  # fmt: skip
    targets = {tok for p in phrases for tok in re.findall(r"[a-z]+", p) if len(tok) >= 5} | set(lx.english.correct_to)
    lang = language()
    known = {tok for p in [*phrases, *lx.period_words, *lx.risk, *lang.comparison_words, *lang.negators, *lx.investor_words]
             for tok in re.findall(r"[a-z]+", p)}  # fmt: skip
    return frozenset(known | set(lx.english.common)), tuple(sorted(targets))


def _one_slip(tok: str, word: str) -> bool:
    """One letter wrong, or two neighbours swapped (bnod -> bond, fess -> fees)."""
    if len(tok) != len(word):
        return False
    diff = [i for i, (a, b) in enumerate(zip(tok, word)) if a != b]
    return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and tok[diff[0]] == word[diff[1]] and tok[diff[1]] == word[diff[0]])


def _fix_english(t: Text, lx: FundLexicon) -> Text:
    """Correct misspelt domain words (semiconducter, retrun, divident, volitility, bnod, fess) by close match."""
    known, targets = _english_vocab(lx)
    short = lx.english.short
    for m in reversed(list(re.finditer(r"[a-z]+", t.norm))):
        tok = m.group(0)
        if len(tok) == 4 and tok not in known and tok.rstrip("s") not in known:
            slips = [w for w in short if _one_slip(tok, w)]
            if len(slips) == 1:
                t = t.replace(m.start(), m.end(), slips[0])
            continue
        if len(tok) < 5 or tok in known or tok.rstrip("s") in known or any(tok.startswith(w) for w in targets):
            continue
        close = [w for w in difflib.get_close_matches(tok, targets, n=3, cutoff=0.8) if abs(len(w) - len(tok)) <= 2]
        if close:
            t = t.replace(m.start(), m.end(), close[0])
    return t


def prepare(text: str, lx: FundLexicon | None = None, protected_names: list[str] | None = None) -> Text:
    """The request as the parser reads it: normalised and with typos repaired, mapped back to what was written."""
    lx = lx or fund_lexicon()
    t = normalize(text)
    protected = [sp for name in protected_names or [] if len(name) >= 2 for sp in occurrences(t.norm, name)]
    for wrong, right in lx.typos.items():
        for s, e in reversed(occurrences(t.norm, wrong)):
            if not any(a < e and s < b for a, b in protected):
                t = t.replace(s, e, right)
    if re.search(r"[\u4e00-\u9fff]", t.norm):
        t = _fix_homophones(t, lx, protected)
    if re.search(r"[a-z]{4}", t.norm):
        t = _fix_english(t, lx)
    return t


# -- names ------------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _company_names(companies: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Every name a catalog company goes by -> the company: its full name, its short name (丰岭 for 丰岭基金), a unique
    two-character prefix of a longer short name (工银 for 工银瑞信基金), its pinyin (fengling), and listed aliases."""
    from pypinyin import Style, lazy_pinyin

    out: dict[str, str] = {}
    shorts: dict[str, str] = {}
    for company in companies:
        out[company] = company
        short = re.sub(r"(基金管理有限公司|基金管理股份有限公司|资产管理有限公司|基金管理|资产管理|基金|资管|公司)$", "", company)
        if len(short) >= 2:
            shorts[company] = short
            out.setdefault(short, company)
            if re.fullmatch(r"[\u4e00-\u9fff]{2,6}", short):
                out.setdefault("".join(lazy_pinyin(short, style=Style.NORMAL)), company)
    prefixes: dict[str, list[str]] = {}
    for company, short in shorts.items():
        if len(short) >= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", short):
            prefixes.setdefault(short[:2], []).append(company)
    for prefix, owners in prefixes.items():
        if len(owners) == 1 and prefix not in out:
            out[prefix] = owners[0]
    present = set(companies)
    for alias, company in aliases:
        if company in present:
            out.setdefault(alias, company)
    return out


# -- the parse ------------------------------------------------------------------------------------------------------


@dataclass
class _Mention:
    family: Literal["type", "theme", "share", "company", "manager", "risk", "open", "closed", "dca", "no_dca"]
    value: Any
    start: int
    end: int
    word: str


@dataclass
class _Parse:
    t: Text
    lx: FundLexicon
    lang: Language
    companies: list[str]
    managers: list[str]
    s: str = ""
    work: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    matched: list[str] = field(default_factory=list)
    unparsed: list[tuple[int, int, str, bool]] = field(default_factory=list)
    refs: list[int] = field(default_factory=list)
    self_described: tuple[int, int] | None = None
    vague: list[tuple[int, int, int]] = field(default_factory=list)
    topic: tuple[int, int] | None = None
    clauses: list[tuple[int, int]] = field(default_factory=list)
    carry: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    """Clauses whose limit a negated vague word before them turns around (去掉小的，5亿以下的), by metric."""

    def __post_init__(self) -> None:
        self.s = self.work = self.t.norm
        bounds = [0] + [p for m in _CLAUSE_BREAK.finditer(self.s) for p in (m.start(), m.end())] + [len(self.s)]
        self.clauses = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds) - 1, 2)]

    # -- bookkeeping --------------------------------------------------------------------------------------------

    def periods(self, text: str, lo: int, hi: int, default: str) -> tuple[list[tuple[int, int, str]], str]:
        """The period phrases of text[lo:hi] (positions within it) and the period they name: the last one, else
        `default`."""
        found = find_phrases(text[lo:hi], self.lx.period_words)
        return found, (self.lx.period_words[found[-1][2]] if found else default)

    def clause(self, pos: int) -> tuple[int, int]:
        for lo, hi in self.clauses:
            if lo <= pos < hi or (pos == hi and lo < hi):
                return lo, hi
        return 0, len(self.s)

    def use(self, slot: str | None, *spans: tuple[int, int] | Cue | None) -> None:
        """Mark spans as understood (blanked, so nothing reads them twice) and, for a slot, as its evidence."""
        for sp in spans:
            if sp is None:
                continue
            a, b = (sp.start, sp.end) if isinstance(sp, Cue) else sp
            if b <= a:
                continue
            self.work = self.work[:a] + " " * (b - a) + self.work[b:]
            if slot is not None:
                self.evidence.setdefault(slot, []).append((a, b))

    def free(self, a: int, b: int) -> bool:
        return self.work[a:b].strip() != "" and self.work[a:b] == self.s[a:b]

    def leftover(self, a: int, b: int, kind: str, limit: bool) -> None:
        self.unparsed.append((a, b, kind, limit))
        self.use(None, (a, b))

    # -- steps --------------------------------------------------------------------------------------------------

    def run(self) -> None:
        self.retraction()
        self.codes()
        self.references()
        self.intent()
        self.investor()
        self.benchmarks()
        self.mentions()
        self.negated_vague()
        self.durations()
        self.money_and_open()
        _, default_period = self.periods(self.work, 0, len(self.work), "1y")
        self.top_n()
        self.fee_free()
        returns: dict[str, Bound] = {}
        for lo, hi in self.clauses:
            self.limits(lo, hi, default_period, returns)
            self.signs(lo, hi, default_period, returns)
        if returns:
            self.data["returns"] = returns
        vague = self.vague_words()
        self.sort(default_period)
        for _, a, b in vague:
            self.use(None, (a, b))
        self.topic_words()
        self.no_limits()
        if self.data.get("intent") in ("compare", "analyse"):
            self.data.pop("open_only", None)  # 016304能不能买 asks about that fund, it does not filter a list
        self.explain()
        self.leftovers()

    def retraction(self) -> None:
        """近一年收益高于沪深300的… 算了，就要近一年收益12%以上的: what was taken back is not read."""
        last = None
        for m in _RETRACT.finditer(self.work):
            last = m
        if last is not None and self.work[last.end() :].strip():
            self.use(None, (0, last.end()))

    def codes(self) -> None:
        codes = list(dict.fromkeys(_CODE.findall(self.s)))
        excluded: list[str] = []
        for m in re.finditer(rf"(?:{self.lx.patterns.exclude_code})\s*(?:的|了|掉)?\s*(?P<list>\d{{6}}(?:\s*(?:[、,，/和及与]|and|or)\s*\d{{6}})*)", self.s):
            excluded += _CODE.findall(m.group("list"))
            self.use("exclude_codes", (m.start(), m.start("list")))
        if excluded:
            self.data["exclude_codes"] = list(dict.fromkeys(excluded))
            codes = [c for c in codes if c not in excluded]
        if codes:
            self.data["codes"] = codes
        for m in _CODE.finditer(self.s):
            self.use("exclude_codes" if m.group(0) in excluded else "codes", (m.start(), m.end()))

    def references(self) -> None:
        """第一只和第三只, 前两只, the top two: positions in the previous shortlist."""
        refs: list[int] = []
        for m in _REF.finditer(self.work):
            word = m.group("zh") or m.group("en") or m.group("hash") or m.group("last")
            refs.append(_ORDINALS[word])
            self.use(None, (m.start(), m.end()))
        for m in re.finditer(r"(?:和|与|跟|、|and|,)\s*第?\s*(?P<n>[一二三四五六七八九十1-9])\s*(?:只|个|支)?(?![\d年月天%])", self.work):
            if refs and not re.search(r"\d", self.s[max(0, m.start() - 1) : m.start()]):
                refs.append(_ORDINALS[m.group("n")])
                self.use(None, (m.start(), m.end()))
        if not refs:
            run = _REF_RUN.search(self.work)
            if run and re.search(r"对比|比较|比一比|比比|\bpk\b|\bcompare\b|\bvs\.?\b|\bversus\b", self.s):
                refs = list(range(1, _ORDINALS[run.group("zh") or run.group("en")] + 1))
                self.use(None, (run.start(), run.end()))
        if not refs:
            return
        self.refs = list(dict.fromkeys(refs))
        if len(self.refs) >= 2:
            self.data["intent"] = "compare"
        else:
            self.data["intent"] = "analyse"

    def intent(self) -> None:
        p, codes = self.lx.patterns, self.data.get("codes", [])
        if self.refs:
            for m in re.finditer(p.compare + "|" + p.analyse + r"|详细|说说|介绍|讲讲|tell me more|more about|details?", self.work):
                self.use(None, (m.start(), m.end()))
            return
        if len(codes) >= 2 and re.search(p.compare, self.s):
            self.data["intent"] = "compare"
        elif codes and re.search(p.analyse, self.s):
            self.data["intent"] = "analyse"
        elif len(codes) >= 2 and re.search(r"[和与跟]|\band\b|、", self.s):
            self.data["intent"] = "compare"
        elif not codes and re.search(p.explain, self.s) and not self._asks_for_funds():
            self.data["intent"] = "explain"
        elif not codes and asks_a_or_c(self.s) and not self._asks_for_funds():
            self.data["intent"], self.data["term"] = "explain", "份额类别"  # 持有一年选A还是C: answered from the fees
        if self.data.get("intent") in ("compare", "analyse"):
            for m in re.finditer(p.compare + "|" + p.analyse, self.work):
                self.use(None, (m.start(), m.end()))

    def _asks_for_funds(self) -> bool:
        """'What are good low-risk bond funds?' asks for funds, not for a definition."""
        return bool(re.search(r"\b(?:good|best|some|any|top|recommended|suitable|safe|decent|cheap)\b[\w\s-]{0,30}\bfunds?\b"
                              r"|\b(?:recommend|suggest|should i (?:buy|look at|consider)|looking for|find me|show me|any good)\b"
                              r"|有哪些|有什么(?:好的?|推荐|值得)|推荐|哪些基金|哪只|买什么|买哪", self.s))  # fmt: skip

    def investor(self) -> None:
        """我是保守型 (the investor's own grade, C1..C5), C3投资者, I'm a C4 investor."""
        for s, e, w in find_phrases(self.work, self.lx.investor_words):
            head = self.s[max(0, s - 16) : s]
            self_words = _SELF.search(head)
            tail_investor = re.match(r"\s*(?:的)?\s*(?:投资者|投资人|选手|玩家|investor|的人)", self.s[e:])
            if self_words or tail_investor or w.endswith(("投资者", "investor")):
                start = s - len(head) + self_words.start() if self_words else s
                end = e + (tail_investor.end() if tail_investor else 0)
                self.data["investor_grade"] = self.lx.investor_words[w]
                self.self_described = (start, end)
                self.use("investor_grade", (start, end))
                self.matched.append(self.s[start:end].strip())
                return
        grade = re.search(r"(?:我是|本人是?|我的?风险(?:承受)?(?:能力|等级)?(?:是|为)?|风险承受能力|投资者|investor|risk profile|profile|i am|i'm|im)"
                          r"\s*(?:等级|an?\s+)?\s*c([1-5])(?![\d类份])|(?<![a-z])c([1-5])\s*(?:investor|级投资者|型投资者|投资者|级|的投资者)", self.work)  # fmt: skip
        if grade:
            g = grade.group(1) or grade.group(2)
            self.data["investor_grade"] = int(g)
            self.use("investor_grade", (grade.start(), grade.end()))
            self.matched.append(f"C{g}")

    def benchmarks(self) -> None:
        """跑赢沪深300, beat the S&P 500: a comparison with an index we cannot screen on; its index is not a theme."""
        for m in _BEAT.finditer(self.work):
            lo, hi = self.clause(m.start())
            end = m.end()
            themes = [sp for sp in find_phrases(self.work[m.end() : hi], self.lx.theme_words) if sp[0] <= 8]
            if themes:
                end = m.end() + themes[0][1]
            else:
                nxt = re.match(r"\s*(?:the\s+)?[\w&\u4e00-\u9fff]{1,12}", self.s[m.end() : hi])
                end = m.end() + (nxt.end() if nxt else 0)
            self.leftover(m.start(), end, "benchmark", True)

    def mentions(self) -> None:
        """Fund types, themes, share classes, companies, managers, risk words and grades, open and 定投, each
        wanted or turned around by the one negation mechanism."""
        lx = self.lx
        found: list[_Mention] = []
        taken: list[tuple[int, int]] = []
        # names first: a company or manager name holds no theme or type (丰岭医疗 is a company, not a theme)
        names = _company_names(tuple(self.companies), tuple(lx.company_aliases.items()))
        for s, e, w in find_phrases(self.work, [n for n in names if len(n) >= 2], taken):
            if w.isascii() and not re.fullmatch(r"[a-z]{4,}", w):
                taken.remove((s, e))
                continue
            found.append(_Mention("company", names[w], s, e, w))
        for s, e, w in find_phrases(self.work, [m for m in self.managers if len(m) >= 2], taken):
            found.append(_Mention("manager", w, s, e, w))
        for s, e, w in find_phrases(self.work, lx.theme_words, taken):
            found.append(_Mention("theme", lx.theme_words[w], s, e, w))
        for s, e, w in find_phrases(self.work, lx.fund_type_words, taken):
            found.append(_Mention("type", lx.fund_type_words[w], s, e, w))
        for m in _SHARE.finditer(self.work):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                letter = next(g for g in m.groups() if g)
                found.append(_Mention("share", letter.upper(), m.start(), m.end(), m.group(0)))
                taken.append((m.start(), m.end()))
        for s, e, w in find_phrases(self.work, lx.risk, taken):
            lo_c, hi_c = self.clause(s)
            if "亏" in w and any(re.search(r"近|过去|今年|年初|以来|last|past|ytd", p) for _, _, p in find_phrases(self.s[lo_c:hi_c], lx.period_words)):
                taken.remove((s, e))
                continue  # 最近三个月不能亏: a return of at least zero over that period, not a risk grade
            r = lx.risk[w]
            found.append(_Mention("risk", (r.min, r.max), s, e, w))
        for m in re.finditer(r"(?<![a-z])r([1-5])\s*(?:到|至|-|~|〜|to|and)\s*r?([1-5])(?!\d)", self.work):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                lo, hi = sorted((int(m.group(1)), int(m.group(2))))
                found.append(_Mention("risk", (lo, hi), m.start(), m.end(), m.group(0)))
                taken.append((m.start(), m.end()))
        for m in re.finditer(r"(?<![a-z])r([1-5])(?!\d)\s*(及以下|或以下|以下|以内|and below|or below|or lower|or less)?(及以上|或以上|以上|and above|or above|or higher)?", self.work):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            g = int(m.group(1))
            side = self.lang.comparator(self.work, m.start(), m.end(), max(0, m.start() - 12), m.start())
            if side is not None and m.start() - max(c.end for c in side[1]) > 2:
                side = None  # 成立满3年 R3的: the comparative belongs to the age, not to the grade
            if m.group(2):
                value: tuple[int | None, int | None] = (None, g)
            elif m.group(3):
                value = (g, None)
            elif side is not None:
                value = (None, g if side[0].inclusive else g - 1) if side[0].key == "max" else (g if side[0].inclusive else g + 1, None)
                self.use(None, *side[1])
            else:
                value = (g, g)
            found.append(_Mention("risk", value, m.start(), m.end(), m.group(0)))
            taken.append((m.start(), m.end()))
        for pattern, family in ((_CLOSED, "closed"), (_NO_DCA, "no_dca"), (lx.patterns.dca, "dca"), (lx.patterns.open, "open")):
            for m in re.finditer(pattern, self.work):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    found.append(_Mention(family, True, m.start(), m.end(), m.group(0)))  # type: ignore[arg-type]
                    taken.append((m.start(), m.end()))
        found.sort(key=lambda m: m.start)
        self._apply_mentions(found)
        if any(m.family == "manager" for m in found):
            # 除了崔艳倩以外的经理管的: the words around a manager's name belong to it
            for m in re.finditer(r"(?:的)?(?:其他|别的|其它)?(?:基金)?经理(?:管理?的|在管的|管理)?|(?<![\u4e00-\u9fff])managed by|(?:在)?管(?:理)?的", self.work):
                self.use(None, (m.start(), m.end()))

    def _apply_mentions(self, found: list[_Mention]) -> None:
        kinds = ("type", "theme", "share", "company", "manager")
        held = []
        for m in found:
            lo, _ = self.clause(m.start)
            verb = _HELD.search(self.s[lo : m.start]) if m.family in ("type", "theme") else None
            if verb is not None:
                held.append(m)  # 买了5万的白酒: what they already hold, not what they ask for
                self.use(None, (lo + verb.start(), lo + verb.end()), (m.start, m.end))
        found = [m for m in found if m not in held]
        masked = list(self.work)
        for m in found:
            if m.family in kinds:
                masked[m.start : m.end] = "\0" * (m.end - m.start)
        masked_s = "".join(masked)
        negated_clauses: set[tuple[int, int]] = set()
        risk: list[tuple[int | None, int | None]] = []
        for m in found:
            lo, hi = self.clause(m.start)
            view = masked_s if m.family in kinds else self._mask_one(m)
            neg = self._negated(view, m, lo, hi)
            if neg is None and m.family in kinds and self._continues_negated_list(masked_s, lo, hi, negated_clauses):
                neg = Cue(m.start, m.start, "")
            if neg is not None:
                negated_clauses.add((lo, hi))
                closing = self.lang.negator_after(view, m.end, hi)
                if closing is not None and closing.start >= m.end:
                    self.use(None, closing)  # 除了货基以外: the closing word belongs to the same negation
            self._apply(m, neg, risk)
        if risk:
            lo_g = max([r[0] for r in risk if r[0] is not None], default=None)
            hi_g = min([r[1] for r in risk if r[1] is not None], default=None)
            if lo_g is not None:
                self.data["risk_min"] = lo_g
            if hi_g is not None:
                self.data["risk_max"] = hi_g

    def _mask_one(self, m: _Mention) -> str:
        return self.work[: m.start] + "\0" * (m.end - m.start) + self.work[m.end :]

    def _negated(self, masked: str, m: _Mention, lo: int, hi: int) -> Cue | None:
        before = self.lang.negator_before(masked, m.start, lo, hi)
        if before is not None and self._head_after_de(masked[before.end : m.start], fillers=True):
            before = None  # 不要丰岭的债基: the head after 的 is wanted; the negation stays with what modifies it
        return before or self.lang.negator_after(masked, m.end, hi)

    def _head_after_de(self, gap: str, *, fillers: bool) -> bool:
        """Whether what follows `gap` is the head of a 的 phrase (X的Y): something stands before a final 的, ignoring
        trailing fillers other than 的 when `fillers`."""
        gap = gap.replace("\0", "x").rstrip()
        if fillers:
            for f in longest_first(self.lang.rules.negation.fillers):
                if f != "的" and gap.endswith(f):
                    gap = gap[: -len(f)].rstrip()
        return gap.endswith("的") and bool(gap[:-1].strip())

    def _continues_negated_list(self, masked: str, lo: int, hi: int, negated: set[tuple[int, int]]) -> bool:
        """exclude bonds, QDII and FOF: a clause of nothing but list words goes on the negated list before it."""
        previous = [c for c in self.clauses if c[1] <= lo]
        if not previous or previous[-1] not in negated or re.search(r"[\u4e00-\u9fff]", self.s[lo:hi]):
            return False  # Chinese lists run on 、 within a clause; after a comma, 不要医药，混合基金 wants mixed funds
        clause = masked[lo:hi].strip(" ,，、")
        # "exclude bonds, QDII and FOF": the list ends with its joiner; "no bond funds, healthcare" is two requests
        return bool(re.search(r"\b(?:and|or|nor)\b", clause)) and self.lang.only_list_material(clause)

    def _add(self, slot: str, value: Any) -> None:
        """`value` onto a list slot, once."""
        values = self.data.setdefault(slot, [])
        if value not in values:
            values.append(value)

    def _apply(self, m: _Mention, neg: Cue | None, risk: list[tuple[int | None, int | None]]) -> None:
        span = (m.start, m.end)
        d = self.data
        if m.family == "type":
            slot = "fund_types_exclude" if neg else "fund_types"
            self._add(slot, m.value)
        elif m.family == "theme":
            slot = "themes_exclude" if neg else "themes"
            self._add(slot, m.value)
            if not neg and m.value in self.lx.theme_rules.bond_only:
                self._add("fund_types", "bond")
                self.evidence.setdefault("fund_types", []).append(span)
        elif m.family == "share":
            if neg:
                slot = "share_classes_exclude"
                self._add(slot, m.value)
            else:
                slot = "share_class"
                if d.get("share_class") not in (None, m.value):
                    self.leftover(m.start, m.end, "field", False)  # A类C类都行: no limit on the class
                    d.pop("share_class")
                    return
                d["share_class"] = m.value
        elif m.family in ("company", "manager"):
            slot = f"{'companies' if m.family == 'company' else 'managers'}_{'exclude' if neg else 'include'}"
            self._add(slot, m.value)
        elif m.family == "risk":
            lo_g, hi_g = m.value
            if neg:
                if (lo_g is not None and hi_g is not None and 1 < lo_g and hi_g < 5) or (hi_g == 5 and lo_g in (None, 1)):
                    self.leftover(min(m.start, neg.start), m.end, "limit", True)  # not R3: two ranges, not one
                    return
                lo_g, hi_g = (hi_g + 1, None) if hi_g is not None and lo_g in (None, 1) else (None, (lo_g or 1) - 1)
            risk.append((lo_g, hi_g))
            for slot, g in (("risk_min", lo_g), ("risk_max", hi_g)):
                if g is not None:
                    self.evidence.setdefault(slot, []).extend([span, *([(neg.start, neg.end)] if neg and neg.end > neg.start else [])])
            self.use(None, span, neg)
            self.matched.append(("不要" if neg else "") + m.word)
            return
        elif m.family in ("open", "closed"):
            if (m.family == "open") != bool(neg):
                d["open_only"] = True
                slot = "open_only"
            else:
                self.leftover(min(m.start, neg.start if neg else m.start), m.end, "limit", True)  # 只要暂停申购的
                return
        else:  # dca, no_dca
            if (m.family == "dca") != bool(neg):
                d["dca_only"] = True
                slot = "dca_only"
            else:
                self.use(None, span, neg)  # 不做定投: how they will buy, not a limit on the funds
                return
        self.use(slot, span, neg)
        self.matched.append(("不要" if neg and m.family not in ("closed", "no_dca") else "") + m.word)

    def durations(self) -> None:
        """The fund's age (成立超过3年, older than 5 years) and the holding period (拿两年, hold for 2 years)."""
        for d in find_durations(self.work):
            if not re.search(r"年|y|月|month", d.unit) or not self.free(d.start, d.end):
                continue
            before, after = self.work[max(0, d.start - 28) : d.start], self.work[d.end : d.end + 16]
            near = before[-12:] if re.search(r"[\u4e00-\u9fff]", before) else before
            anchor = re.search(rf"(?:{self.lx.patterns.age_anchors})", near)
            if not (anchor or re.match(r"\s*(?:的)?(?:老基金|\+?\s*(?:old|track record|of history|history|ago))", after)):
                continue
            lo, hi = self.clause(d.start)
            start = d.start - len(near) + anchor.start() if anchor else d.start
            side = self.lang.comparator(self.work, d.start, d.end, max(lo, start if anchor else d.start - 24), hi)
            if side is None and (re.match(r"\s*\+", after) or "+" in d.text):
                side = (Side("min", True), [])
            key, inclusive = side[0] if side else Side("min", True)
            cues = side[1] if side else []
            anchor_span = (d.start - len(near) + anchor.start(), d.start - len(near) + anchor.end()) if anchor else None
            ranged = re.search(rf"(?P<a>{NUM})\s*(?:到|至|-|~|〜|to)\s*$", self.work[max(lo, d.start - 8) : d.start])
            first = cn_number(ranged.group("a")) if ranged else None
            written = cn_number(re.sub(r"[^\d.零〇一二两三四五六七八九十百点]", "", d.text) or "0") or 0.0
            spans: list[tuple[int, int] | Cue | None]
            if ranged is not None and first is not None and 0 <= first < written:
                # 成立1到3年: both ends, in the duration's unit
                bound = Bound(min=round(first * d.years / written, 4), max=d.years)
                spans = [(max(lo, d.start - 8) + ranged.start(), d.end)]
            else:
                cond_start = min([start, d.start, *(c.start for c in cues)])
                cond_end = max([d.end, *(c.end for c in cues)])
                neg = self._condition_negated(cond_start, cond_end, lo, hi)
                if neg is not None or self.carry.get((lo, hi)) == ("fund_age_years", key):
                    key, inclusive = Side(key, inclusive).flipped()
                bound = Bound.side(key, d.years, inclusive)
                spans = [(d.start, d.end), *cues, neg]
            self.data["fund_age_years"] = bound
            self.use("fund_age_years", anchor_span, *spans)
            self.matched.append(f"成立 {bound.describe()} 年")
            break
        for d in find_durations(self.work):
            if not self.free(d.start, d.end):
                continue
            before, after = self.work[max(0, d.start - 14) : d.start], self.work[d.end : d.end + 4]
            english_hold = re.search(r"\b(?:for|over)\s+(?:about\s+|around\s+|roughly\s+|at least\s+)?$", before) and re.search(
                r"\b(?:hold|keep|invest|park|put|leave|stay|need the money|use)", self.work[: d.start])
            hold = re.search(rf"(?:{self.lx.patterns.hold})", before[-5:] + after)
            if hold or english_hold or re.search(
                    r"(?:hold|keep|invest|park|stay)\w*\s+(?:it\s+|them\s+|the money\s+|my money\s+)?(?:for\s+)?(?:about\s+|around\s+|roughly\s+)?$", before):
                if _UNSUPPORTED_PERIOD.match(self.work[max(0, d.start - 2) :]) and re.search(r"收益|回报|涨|return", self.work[d.end : d.end + 8]):
                    continue  # 近两年收益: a period, not a holding
                self.data["holding_days"] = d.value
                h = re.search(rf"(?:{self.lx.patterns.hold})\S{{0,2}}$", before)
                self.use("holding_days", (d.start - len(before) + h.start(), d.start) if h else None, (d.start, d.end))
                break

    def money_and_open(self) -> None:
        amounts = [a for a in find_amounts(self.work)
                   if not re.search(r"规模|size|aum|assets", self.work[self.clause(a.start)[0] : a.start]) and self.free(a.start, a.end)]  # fmt: skip
        spent = [a for a in amounts if re.search(r"(?:买了|花了|投了|亏了|赚了|已经投|bought|spent|lost|invested)\s*$", self.s[max(0, a.start - 6) : a.start])]
        for a in spent:
            self.use(None, (a.start, a.end))  # 买了5万: money already spent, not money to invest
        amounts = [a for a in amounts if a not in spent]
        for m in re.finditer(r"(?:投|买|有|存|拿|花|放|定投)\s*(?P<n>[一二两三四五六七八九十\d]+[千百万](?:[一二两三四五六七八九])?)(?![\d万亿元块])", self.s):
            # 每月投两千: a sum of money after a verb of spending, with no unit written
            value = cn_number(m.group("n"))
            if value and value >= 100 and not any(a.start <= m.start("n") < a.end for a in amounts) and self.free(m.start("n"), m.end("n")):
                amounts.append(Found(value, m.start("n"), m.end("n"), m.group("n")))
        amounts.sort(key=lambda a: a.start)
        if amounts:
            self.data["amount"] = amounts[0].value
            self.use("amount", *((a.start, a.end) for a in amounts))
        if self.data.get("open_only"):
            # 一千块就能买 is an amount, not "open for purchase"
            opened = self.evidence.get("open_only", [])
            if opened and amounts and all(any(a.end <= s <= a.end + 3 for a in amounts) for s, _ in opened):
                self.data.pop("open_only")
                self.evidence.pop("open_only")

    def top_n(self) -> None:
        if self.data.get("intent") in ("compare", "analyse"):
            return
        top = _TOP_N.search(self.work)
        if top:
            n = cn_number(next(g for g in top.groups() if g))
            if n and 1 <= n <= 50 and n == int(n) and not (n == 1 and re.search(r"个", top.group(0))):  # 找一个 is not "one fund"
                self.data["top_n"] = int(n)
                self.use("top_n", (top.start(), top.end()))

    def fee_free(self) -> None:
        """零申购费, 不收申购费, no load: a fee of at most zero."""
        for m in _FEE_FREE.finditer(self.work):
            slot = _FEE_FREE_FIELD.get(m.group("w") or m.group("w2") or m.group("en") or "")
            if slot is None:
                continue
            lo, hi = self.clause(m.start())
            neg = self._condition_negated(m.start(), m.end(), lo, hi)
            if neg is not None:
                self.leftover(min(m.start(), neg.start), m.end(), "limit", True)
                continue
            self.data[slot] = Bound(max=0.0)
            self.use(slot, (m.start(), m.end()))
            self.matched.append(m.group(0))

    def _condition_negated(self, start: int, end: int, lo: int, hi: int) -> Cue | None:
        """A negator before a whole condition (不要收益低于3%的) or after it (规模小于2亿的不要, 成立不满一年的新基金别推给我)."""
        masked = self._masked_conditions(lo, hi)
        before = self.lang.negator_before(masked, start, lo, hi)
        if before is not None and not self._head_after_de(masked[before.end : start], fillers=False):
            return before
        after = self.lang.negator_after(masked, end, hi)
        if after is None:
            head = re.match(r"\s*的?[\u4e00-\u9fff]{1,4}?(?:基金|产品)", masked[end:hi])  # ...的新基金别推给我: past the head noun
            if head is not None:
                after = self.lang.negator_after(masked, end + head.end(), hi)
        return after

    def _masked_conditions(self, lo: int, hi: int) -> str:
        """The text with what conditions in [lo, hi) are made of (metric, period and comparison words, numbers, units)
        masked, so one negator can cover a list of them (不要收益低于3%、回撤超过5%的; 规模小于2亿、回撤大于10%的都排除)."""
        out = list(self.work)
        for i in range(lo, hi):
            if self.work[i] != self.s[i] or self.s[i].isdigit() or self.s[i] in "%.亿万个点成年月天":
                out[i] = "\0"
        clause = self.work[lo:hi]
        words = [*self.lx.metric_words, *self.lx.period_words, *self.lang.comparison_words]
        for s, e, _ in find_phrases(clause, words, strict=True):
            out[lo + s : lo + e] = "\0" * (e - s)
        for m in re.finditer(NUM, clause):
            out[lo + m.start() : lo + m.end()] = "\0" * (m.end() - m.start())
        return "".join(out)

    # -- numeric limits ---------------------------------------------------------------------------------------------

    def _numbers(self, lo: int, hi: int, metrics: list[tuple[int, int, str]]) -> list[tuple[Found, str]]:
        """The numbers in a clause with their kind: 'pct', 'size' (in 亿) or 'plain' (Sharpe, bare fees, fractions)."""
        clause = self.work[lo:hi]
        out: list[tuple[Found, str]] = [(Found(f.value, lo + f.start, lo + f.end, f.text, f.unit), "pct") for f in find_percents(clause)]
        kinds = {self.lx.metric_words[w] for _, _, w in metrics}
        for m in _SIZE.finditer(clause):
            raw, unit = (m.group("n"), m.group("unit")) if m.group("n") else (m.group("en"), m.group("enunit"))
            value = cn_number(raw)
            if unit == "万" and "size" not in kinds:
                continue  # 5万 is money unless the clause is about fund size (规模5000万以上)
            if value is not None and not any(f.start <= lo + m.start() < f.end for f, _ in out):
                out.append((Found(value * _SIZE_SCALE[unit], lo + m.start(), lo + m.end(), m.group(0), unit), "size"))
        rates = set(_RATES)
        if kinds & ({"sharpe"} | set(self.lx.metric_rules.percent_when_bare) | rates):
            for m in _PLAIN.finditer(clause):
                if any(f.start < lo + m.end() and lo + m.start() < f.end for f, _ in out):
                    continue
                if re.match(r"\s*(?:年|个月|月|天|周|只|支|个|亿|万|元|块|岁|倍|w\b|k\b|years?|months?)", clause[m.end() :]):
                    continue
                value = cn_number(m.group("n").lstrip("-"))
                if value is None:
                    continue
                value = -value if m.group("n").startswith("-") else value
                if "sharpe" in kinds or (kinds & set(self.lx.metric_rules.percent_when_bare) and abs(value) <= 5) or (kinds & rates and abs(value) < 100):
                    out.append((Found(value, lo + m.start(), lo + m.end(), m.group(0)), "plain"))
        out.sort(key=lambda fk: fk[0].start)
        return out

    def limits(self, lo: int, hi: int, default_period: str, returns: dict[str, Bound]) -> None:
        """Limits stated in one clause: each number belongs to the nearest metric word before it (else after it)."""
        lx, clause = self.lx, self.work[lo:hi]
        metrics = [(lo + s, lo + e, w) for s, e, w in find_phrases(clause, lx.metric_words)]
        clause_periods, period = self.periods(self.work, lo, hi, default_period)
        numbers = [(f, k) for f, k in self._numbers(lo, hi, metrics)
                   if not any(lo + a <= f.start < lo + b for a, b, _ in clause_periods)]  # the 1 of "1 yr return" is a period
        carry = self.carry.get((lo, hi))
        if not metrics and clause_periods and any(k == "pct" for _, k in numbers):
            # 近一年4个点以上: a period and a percent, no metric named: a return
            s0, e0, _ = clause_periods[-1]
            metrics = [(lo + s0, lo + e0, next(w for w, m in lx.metric_words.items() if m == "return"))]
            numbers = [(f, k) for f, k in numbers if k == "pct"]
        if not metrics:
            numbers = [(f, k) for f, k in numbers if k == "size" and f.unit in ("亿", "billion", "bn", "million", "mn")]  # 至少2个亿 is a fund size
            if not numbers:
                return
        odd_period = None if clause_periods else _UNSUPPORTED_PERIOD.search(clause)
        i, prev_end = 0, lo
        while i < len(numbers):
            num, kind = numbers[i]
            metric_at: tuple[int, int, str] | None
            if kind == "size":
                before_words = [mw for mw in metrics if mw[0] < num.start and lx.metric_words[mw[2]] == "size"]
                metric_at, metric = (before_words[-1] if before_words else None), "size"
            else:
                before_words = [mw for mw in metrics if mw[0] < num.start]
                metric_at = before_words[-1] if before_words else min(metrics, key=lambda mw: abs(mw[0] - num.start))
                metric = lx.metric_words[metric_at[2]]
                if metric == "size" or (kind == "plain" and metric not in ("sharpe", *_RATES, *lx.metric_rules.percent_when_bare)):
                    i += 1
                    continue
                if kind == "plain" and metric in _RATES:
                    # a rate written bare: a fraction is read as a share (0.08 is 8%), anything else as percent (大于3.5)
                    num = Found(as_rate(num.value, num.text), num.start, num.end, num.text)
            if metric == "custody_fee":
                self.leftover(min(num.start, metric_at[0] if metric_at else num.start), num.end, "limit", True)
                i += 1
                continue
            value = num.value
            lead = self.work[max(0, num.start - 2) : num.start]
            if re.search(r"(?:^|[^\d%.])[-−负]\s*$", " " + lead) and value > 0:
                value = -value  # -5%到5%: a minus sign, not a dash between two numbers
            nxt = numbers[i + 1] if i + 1 < len(numbers) else None
            between = self.work[num.end : nxt[0].start] if nxt else ""
            joined = nxt and (re.fullmatch(_RANGE_JOIN, between) or (
                re.fullmatch(_BETWEEN_JOIN, between) and re.search(r"之间|介于|between|在", clause)))  # fmt: skip
            lo_word = re.search(rf"(?P<a>-?{NUM})\s*{_RANGE_JOIN[3:-3]}\s*$|(?P<b>-?{NUM})\s*(?:和|与|and)\s*$", self.work[prev_end : num.start]) if kind != "plain" else None
            cues: list[Cue] = []
            spans: list[tuple[int, int]] = [(num.start, num.end)]
            ranged = False
            if joined and nxt:
                other = nxt[0].value
                if re.search(r"(?:^|[^\d%.])[-−负]\s*$", " " + self.work[max(0, nxt[0].start - 2) : nxt[0].start]) and not re.fullmatch(r"\s*-\s*", between):
                    other = -other
                bound = Bound(min=min(value, other), max=max(value, other))
                spans.append((num.end, nxt[0].end))
                end = nxt[0].end
                ranged = True
                i += 2
            elif lo_word and (lo_word.group("a") or re.search(r"之间|介于|between", clause)):
                # 2 and 5 billion, 10-20%: the first number takes the second's unit
                raw = lo_word.group("a") or lo_word.group("b")
                first = cn_number(raw.lstrip("-"))
                scale = num.value / (cn_number(re.sub(r"[^\d.零〇一二两三四五六七八九十百千万点]", "", num.text) or "1") or 1.0) if kind == "size" else 1.0
                if first is None:
                    first = value
                first = (-first if raw.startswith("-") else first) * scale
                bound = Bound(min=min(first, value), max=max(first, value))
                spans.append((prev_end + lo_word.start(), num.start))
                end = num.end
                ranged = True
                i += 1
            else:
                look = max(prev_end, metric_at[1] if metric_at and metric_at[0] < num.start else lo)
                side = self.lang.comparator(self.work, num.start, num.end, max(look, num.start - 24), hi)
                if side is None:
                    side = (Side("min", True) if metric in ("return", "sharpe", "size", "loss") else Side("max", True), [])
                (key, inclusive), cues = side
                bound = Bound.side(key, value, inclusive)
                end = max([num.end, *(c.end for c in cues)])
                i += 1
            start = min([num.start, *(c.start for c in cues), *([metric_at[0]] if metric_at and metric_at[0] < num.start else [])])
            if metric in ("return", "loss"):
                start = min([start, *(lo + a for a, _, _ in clause_periods if lo + a < start)])  # 不要近一年收益低于3%的
            neg = self._condition_negated(start, end, lo, hi)
            side_set = "min" if bound.min is not None else "max"
            if neg is None and carry == (metric, side_set) and not ranged:
                neg = Cue(start, start, "")  # the previous clause excluded the small ones; this one says how small
            if neg is not None:
                if ranged:
                    self.leftover(min(start, neg.start), max(end, neg.end), "limit", True)  # not between 2 and 5: two ranges
                    prev_end = end
                    continue
                bound = _flip(bound)
            prev_end = end
            if metric == "loss":
                bound = Bound(min=None if bound.max is None else -bound.max, max=None if bound.min is None else -bound.min,
                              min_inclusive=bound.max_inclusive, max_inclusive=bound.min_inclusive)  # fmt: skip
                metric = "return"
            word_span = metric_at[:2] if metric_at else None
            if metric == "return" and odd_period is not None:
                # 近两年收益20%以上: the catalog has no such period; applying it to another would be a misread
                self.leftover(min(lo + odd_period.start(), start), max(end, lo + odd_period.end()), "period", True)
                continue
            if metric == "return":
                returns[period] = bound
                slot = f"returns.{period}"
                if clause_periods:
                    self.use(slot, *((lo + s, lo + e) for s, e, _ in clause_periods))
            else:
                self.data[metric] = bound
                slot = metric
            self.use(slot, word_span, *spans, *cues, neg)
            self.matched.append(f"{metric_at[2] if metric_at else '规模'} {bound.describe()}")

    def negated_vague(self) -> None:
        """去掉小的，规模5亿以下的 / exclude the small ones, under 500 million: a negated vague word hands its negation
        to the limit the next clause spells out."""
        for i, (lo, hi) in enumerate(self.clauses[:-1]):
            clause = self.work[lo:hi]
            nxt = self.clauses[i + 1]
            if not re.search(rf"\d|{NUM}", self.work[nxt[0] : nxt[1]]):
                continue
            for pattern, metric, excluded_side in _VAGUE_DIRECTION:
                m = pattern.search(clause)
                if m is None:
                    continue
                neg = self._condition_negated(lo + m.start(), lo + m.end(), lo, hi)
                if neg is not None:
                    self.carry[nxt] = (metric, excluded_side)
                    self.use(None, (lo + m.start(), lo + m.end()), neg)
                    break

    def signs(self, lo: int, hi: int, default_period: str, returns: dict[str, Bound]) -> None:
        """收益为正, 负收益, 翻倍, 收益不能为负: return limits with no number written."""
        clause = self.work[lo:hi]
        clause_period, period = self.periods(self.work, lo, hi, default_period)
        if period in returns:
            return
        for pattern, bound in ((self.lx.signs.non_negative, Bound(min=0.0)),
                               (self.lx.signs.positive, Bound(min=0.0, min_inclusive=False)),
                               (self.lx.signs.negative, Bound(max=0.0, max_inclusive=False)),
                               (self.lx.signs.doubled, Bound(min=100.0))):  # fmt: skip
            m = re.search(pattern, clause) if pattern else None
            if not m:
                continue
            start, end = lo + m.start(), lo + m.end()
            odd = None if clause_period else _UNSUPPORTED_PERIOD.search(clause)
            if odd is not None:
                # 近五年收益翻倍: the catalog has no such period; applying it to another would be a misread
                self.leftover(min(lo + odd.start(), start), max(end, lo + odd.end()), "period", True)
                return
            inner = pattern != self.lx.signs.non_negative and re.search(
                r"(?:不能|不要|不可以?|别|不得|不会|not|never|cannot|can't)\s*(?:为|是|be)?\s*(?:负|正|negative|positive)", m.group(0))
            neg = None if inner else self._condition_negated(start, end, lo, hi)
            if inner or neg is not None:
                bound = _flip(bound)
            returns[period] = bound
            self.use(f"returns.{period}", (start, end), neg, *((lo + s, lo + e) for s, e, _ in clause_period))
            self.matched.append(m.group(0))
            return

    def sort(self, default_period: str) -> None:
        keys = _sort(self, default_period)
        if keys:
            self.data["sort"] = keys

    def vague_words(self) -> list[tuple[int, int, int]]:
        """Vague words (收益高一点, 别太贵), found before ranking reads them (费率低一点 ranks by fees and asks)."""
        for k, v in enumerate(self.lx.vague):
            m = re.search(v.pattern, self.s)  # the whole request: 稳健一点 is a preference even after 稳健 capped the risk
            if m and (re.match(r"\s*的?\s*(?:优先|排前|排在前|在前|靠前|first)", self.s[m.end() :])
                      or re.search(r"(?:其次|然后|再|优先)\s*(?:看|按|是)?\s*$", self.s[: m.start()])):
                continue  # 规模大的优先, 其次看规模大的: a ranking, not a vague limit
            if m:
                self.vague.append((k, m.start(), m.end()))
        return list(self.vague)

    def topic_words(self) -> None:
        m = re.search(self.lx.patterns.topic, self.work)
        if not m:
            return
        g = "topic" if m.group("topic") else "en"
        topic = m.group(g).strip()
        if topic and not self.data.get("themes") and topic not in self.lx.theme_words and not any(w in topic for w in self.lx.theme_words):
            self.topic = (m.start(g), m.end(g))
            self.use(None, (m.start(), m.end()))

    def no_limits(self) -> None:
        """类型不限, 规模无所谓: understood; nothing filtered."""
        for s, e, _w in find_phrases(self.work, self.lang.rules.negation.no_limit, strict=True):
            before = re.search(r"([\u4e00-\u9fff]{1,4}|[a-z]+\s*)$", self.work[max(0, s - 6) : s])
            self.use(None, (s - len(before.group(0)) if before else s, e))

    def explain(self) -> None:
        if self.data.get("intent") != "explain":
            return
        if self.data.get("sort") or any(isinstance(v, Bound) or (k == "returns" and v) for k, v in self.data.items()):
            self.data.pop("intent")  # "what are the best ... funds" is a screen, not a question about a term
            return
        term = self.data.get("term") or _term(self.s, self.lx)
        kept: dict[str, Any] = {k: self.data[k] for k in ("holding_days", "fund_types") if k in self.data and term == "份额类别"}
        self.data = {"intent": "explain", **({"term": term} if term else {}), **kept}
        self.evidence = {"term": [(0, len(self.s))]} if term else {}
        self.unparsed = []
        self.work = " " * len(self.s)

    # -- coverage: nothing a person states is dropped without a word ------------------------------------------------

    def leftovers(self) -> None:
        """Collect what carries a condition and was not read: numbers, comparatives, negators, field words, names.

        Words next to each other in one clause form one leftover. It states a limit (and the advisor asks rather than
        screen without it) when it joins a number, a comparative or a negator with a field word, or names a company
        or manager the catalog does not have; a lone number or field word is only reported.
        """
        if self.data.get("intent") == "explain":
            return
        w = self.work
        tokens: list[tuple[int, int, str]] = []
        for m in _NUMBER_TOKEN.finditer(w):
            if self.free(m.start(), m.end()):
                tokens.append((m.start(), m.end(), "number"))
        for s, e, _ in find_phrases(w, self.lang.comparison_words, strict=True):
            if self.free(s, e):
                tokens.append((s, e, "comparison"))
        for s, e, word in find_phrases(w, [*self.lang.rules.negation.before, *self.lang.rules.negation.after], strict=True):
            if self.free(s, e) and not self.lang.adds(word, w[e:]) and not _weak_negator(w, s, e, word):
                tokens.append((s, e, "negation"))
        if self.data.get("intent") not in ("analyse", "compare"):
            for m in _FIELD_HINTS.finditer(w):
                if self.free(m.start(), m.end()):
                    tail = re.match(r"[\u4e00-\u9fff]{1,4}?(?=的|[,，。;；]|$)", w[m.end() :])
                    tokens.append((m.start(), m.end() + (tail.end() if tail and self.free(m.end(), m.end() + tail.end()) else 0), "field"))
        elsewhere = {a: c for a, c in self.lx.company_aliases.items() if c not in self.companies}
        for s, e, _ in find_phrases(w, elsewhere):
            if self.free(s, e):
                tokens.append((s, e, "name"))
        for m in _NAME_LIKE.finditer(w):
            which = next(k for k in ("n", "m", "k", "f") if m.groupdict().get(k))
            name = m.group(which)
            if name in _STOP_NAMES or not self.free(m.start(which), m.end(which)) or name[-1] in "的了是" or name.startswith(_STOP_NAME_STARTS):
                continue
            if any(name in t or t in name for t in [*self.lx.theme_words, *self.lx.fund_type_words] if len(t) >= 2):
                continue
            tokens.append((m.start(), m.end(), "name"))
        for m in _STYLE_LIKE.finditer(w):
            if self.free(m.start(), m.end()):
                tokens.append((m.start(), m.end(), "name"))
        tokens = sorted(set(tokens))
        groups: list[list[tuple[int, int, str]]] = []
        for tok in tokens:
            last = groups[-1][-1] if groups else None
            if last is not None and tok[0] - max(e for _, e, _ in groups[-1]) <= 3 and self.clause(tok[0]) == self.clause(last[0]):
                groups[-1].append(tok)
            else:
                groups.append([tok])
        for group in groups:
            kinds = {k for _, _, k in group}
            if kinds == {"comparison"}:
                continue  # a lone "over" or "以上" is prose, not a condition
            a, b = group[0][0], max(e for _, e, _ in group)
            if "negation" in kinds:
                lo, hi = self.clause(a)
                run = re.match(r"[^ ]*", w[b:hi])  # up to what was understood: 不要那种很冷门的 is shown whole
                b += len(run.group(0).rstrip(",，。!！?？的")) if run else 0
            limit = bool(("number" in kinds and kinds & {"comparison", "field", "negation"}) or ("comparison" in kinds and "field" in kinds)
                         or ("negation" in kinds and kinds & {"field", "name", "number"}) or "name" in kinds)  # fmt: skip
            kind = "limit" if limit else next(k for k in ("name", "number", "negation", "field") if k in kinds)
            self.unparsed.append((a, b, kind, limit))

def _weak_negator(w: str, s: int, e: int, word: str) -> bool:
    """Negator characters that belong to another word (非常), or stand alone with nothing to negate."""
    if word == "非" and w[e : e + 1] in ("常", "要", "得"):
        return True
    if word in ("不是", "not", "no") and not re.search(r"[\u4e00-\u9fffa-z]", w[e : e + 6]):
        return True
    return word in ("not", "no") and bool(re.match(r"\s*(?:sure|too|very|really|much|bad)\b", w[e:]))


def _flip(b: Bound) -> Bound:
    """The complement of a one-sided bound: not (< 2) is ≥ 2."""
    if b.min is not None and b.max is not None:
        raise ValueError("a range has no one-sided complement")
    if b.min is not None:
        return Bound(max=b.min, max_inclusive=not b.min_inclusive)
    return Bound(min=b.max, min_inclusive=not b.max_inclusive)


def _term(t: str, lx: FundLexicon) -> str | None:
    """The term an explain request asks about, by its glossary name where the glossary has it."""
    spans = find_phrases(t, lx.glossary_terms)
    if spans:
        return lx.glossary_terms[spans[0][2]]
    rest = re.sub(rf"{lx.patterns.explain}|请问|一下|的意思|意思|\bto me\b|\bplease\b|\bmean\b|[?？。!！,，]", " ", t)
    rest = re.sub(r"\s+", " ", rest).strip()
    return rest if 0 < len(rest) <= 20 else None


def parse_request(text: str, companies: list[str] | None = None, managers: list[str] | None = None, *,
                  lexicon: FundLexicon | None = None) -> ParsedRequest:  # fmt: skip
    """Parse one request; `companies` and `managers` are the catalog's names, so 丰岭的 or 去掉张三管理的 are understood."""
    lx = lexicon or fund_lexicon()
    companies, managers = companies or [], managers or []
    t = prepare(text, lx, [*companies, *(c.removesuffix("基金") for c in companies), *managers])
    p = _Parse(t, lx, language(), companies, managers)
    p.run()
    query = FundQuery.model_validate(p.data)
    evidence = {slot: _merged(t, spans) for slot, spans in p.evidence.items() if _slot_set(query, slot)}
    unparsed = [Unparsed(text=t.span(a, b).text, span=t.span(a, b), kind=k, limit=lim) for a, b, k, lim in p.unparsed]
    return ParsedRequest(query=query, read=t.norm, matched=p.matched, evidence=evidence, unparsed=unparsed, refs=p.refs,
                         self_described=t.span(*p.self_described).text if p.self_described else None,
                         vague=[(k, t.span(a, b)) for k, a, b in p.vague], topic=t.span(*p.topic) if p.topic else None)  # fmt: skip


def _merged(t: Text, spans: list[tuple[int, int]]) -> list[Span]:
    """The words of a slot as the person wrote them: spans two characters apart or closer read as one (近一年收益超过10%)."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(set(spans)):
        if out and a - out[-1][1] <= 2:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return [t.span(a, b) for a, b in out]


def _slot_set(query: FundQuery, slot: str) -> bool:
    if slot.startswith("returns."):
        return slot.split(".", 1)[1] in query.returns
    value = getattr(query, slot, None)
    return value not in (None, [], False, {}) and value != FundQuery.model_fields[slot].default


# -- ranking --------------------------------------------------------------------------------------------------------


def _sort(p: _Parse, default_period: str) -> list[SortKey]:
    """Ranking keys in the order they were asked for: fixed phrases, <metric>最高, 按<metric>从大到小, sorted by <metric>."""
    lx, work = p.lx, p.work
    keys: list[tuple[int, SortField, Order]] = []  # (position, field, order)
    fields = lx.sort_field_words
    high = set(lx.sort.high)
    directions = longest_first([*lx.sort.high, *lx.sort.low])
    dir_pattern = "|".join(map(re.escape, directions))

    def period_near(pos: int) -> str:
        lo, hi = p.clause(pos)
        found, period = p.periods(p.s, lo, hi, default_period)
        if found:
            p.use(None, (lo + found[-1][0], lo + found[-1][1]))
        return period

    def add(start: int, end: int, said: SortWordField, order: Order) -> None:
        field_: SortField
        if said == "return" or said == "loss":
            if said == "loss":
                order = "asc" if order == "desc" else "desc"
            field_ = PERIOD_FIELD[period_near(start)]
        else:
            field_ = said
        keys.append((start, field_, order))
        p.matched.append(p.s[start:end].strip())
        p.use("sort", (start, end))

    used: list[tuple[int, int]] = []
    order: Order | None  # a fixed phrase's order, then what the words around a field say (None: no ranking)
    for m in re.finditer(r"(?P<w>老|新)(?:一)?(?:点|些)?的[\u4e00-\u9fff\w ]{0,10}?(?:排前面|排在前面|优先|靠前|排前)", work):
        # 老一点的白酒基金排前面: the oldest first
        used.append((m.start(), m.end()))
        add(m.start(), m.end(), "inception_date", "asc" if m.group("w") == "老" else "desc")
    for word, (field_, order) in sorted(lx.sort.phrases.items(), key=lambda kv: -len(kv[0])):
        for start, end in occurrences(work, word):
            if any(start < e and s < end for s, e in used) or not _ascii_word(work, start, end, word):
                continue
            if field_ == "total_fee" and re.search(r"(管理费|销售服务费|托管费|申购费)\s*$", work[:start]):
                continue  # 管理费便宜点 is about one fee, not the holding cost
            if re.match(r"\s*first\b", work[end:]):
                continue  # "ranked by purchase fee, cheapest first": a direction for the field named before
            if word == "largest" and re.match(r"\s+(?:drawdown|loss|drop|fall)", work[end:]):
                continue
            used.append((start, end))
            add(start, end, field_, order)
    for start, end, word in find_phrases(work, list(fields)):
        if any(start < e and s < end for s, e in used):
            continue
        field_ = fields[word]
        tail = work[end : end + 14]
        head = work[max(0, start - 24) : start]
        order = None
        span_end = end
        direction = re.match(r"\s*(?:的|得|都|也|要|更|来|上|方面)?\s*(?P<w>" + dir_pattern + ")", tail)
        if direction and re.match(rf"\s*(?:{NUM}|-)", tail[direction.end() :]):
            direction = None  # 回撤最多8个点 is a limit, not a ranking
        if direction:
            w = direction.group("w")
            if w.startswith("更") and not re.search(r"哪|谁|which", work[max(0, start - 10) : start]):
                w = ""
            if w:
                order = "desc" if w in high else "asc"
                span_end = end + direction.end()
        if order is None and re.search(r"(?:按|按照|根据|以|sorted by|ranked by|rank by|sort by|order by|ordered by|ranking by|\bby)\s*(?:the\s+)?(?:[a-z0-9-]+\s+){0,2}$|按照?[^，,。按]{0,6}$", head):
            later = re.match(r"[^，,。;]{0,4}?(?P<w>" + dir_pattern + ")", tail) or re.match(r"[^。;]{0,6}?(?P<w>" + dir_pattern + ")", tail)
            order = ("desc" if later.group("w") in high else "asc") if later else lx.sort.natural[field_]
            by = re.search(r"(?:按照?|根据|以|sorted by|ranked by|rank by|sort by|order by|ordered by|ranking by|\bby)\s*(?:the\s+)?(?:[a-z0-9-]+\s+){0,2}$", head)
            if by:
                p.use(None, (start - len(head) + by.start(), start))
            if later:
                span_end = end + later.end()
        before_word = re.search(r"\b(?P<w>" + "|".join(lx.sort.before) + r")[\s-]+(?:[a-z0-9-]+\s+){0,2}?$", head) if word.isascii() else None
        if order is None and before_word:
            how = lx.sort.before[before_word.group("w")]
            natural = lx.sort.natural[field_]
            order = natural if how == "natural" else ("asc" if natural == "desc" else "desc") if how == "reversed" else how
            p.use(None, (start - len(head) + before_word.start(), start))
        rank = re.match(r"\s*(?:的)?\s*(?:" + "|".join(map(re.escape, lx.sort.rank)) + r"|前\s*(?:" + NUM + r")(?!\s*(?:年|个月|%)))", p.s[end : end + 14])
        if order is None and rank:
            order = lx.sort.natural[field_]
            span_end = end + rank.end()
        which = re.match(r"\s*(?:的)?\s*(?:更)?(?P<w>小|低|少|大|高|多)", tail)
        if order is None and re.search(r"(?:哪|谁)[^，,。]{0,5}$", head) and which:
            order = "desc" if which.group("w") in "大高多" else "asc"
            span_end = end + which.end()
        first = re.match(r"\s*(?:的)?\s*(?P<w>小|低|少|大|高|多)的?(?:优先|排前面|排在前面|在前|靠前|排前)", tail)
        if first is None and re.search(r"(?:其次|然后|再|优先)\s*(?:看|按|是)?\s*$", head):
            first = re.match(r"\s*(?:的)?\s*(?:更)?(?P<w>小|低|少|大|高|多)的?", tail)  # 其次看规模大的
        if order is None and first:
            order = "desc" if first.group("w") in "大高多" else "asc"
            span_end = end + first.end()
        if order is None:
            continue
        if field_ == "inception_date" and direction and direction.group("w") in ("最早", "最长", "最久"):
            order = "asc"
        elif field_ == "inception_date" and order == "desc" and direction and direction.group("w") in high:
            order = "asc"  # 成立时间最长 is the oldest
        add(start, span_end, field_, order)
    keys.sort()
    out: list[SortKey] = []
    for _, key_field, key_order in keys:
        if not any(k.field == key_field for k in out):
            out.append(SortKey(field=key_field, order=key_order))
    return out

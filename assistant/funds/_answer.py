"""What the fund advisor hands back (one pydantic contract for the CLI, the UI and the eval harness),
the templated answer text, and the check every model-written answer must pass before it is shown."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from assistant.funds._query import PERIOD_FIELD as PERIODS
from assistant.funds._query import FundQuery, SortKey, Unparsed
from assistant.text import Lang, Span, defuse_markdown, escape_markdown
from retrieval import Fund

FIELD_LABELS: dict[str, tuple[str, str, str]] = {
    # field: (Chinese label, English label, unit)
    "risk_level": ("风险等级", "risk grade", "R"),
    "return_1m": ("近1月收益", "1-month return", "%"), "return_3m": ("近3月收益", "3-month return", "%"),
    "return_6m": ("近6月收益", "6-month return", "%"), "return_1y": ("近1年收益", "1-year return", "%"),
    "return_3y": ("近3年收益", "3-year return", "%"), "return_ytd": ("今年以来收益", "year-to-date return", "%"),
    "max_drawdown_1y": ("近1年最大回撤", "1-year max drawdown", "%"), "volatility_1y": ("近1年波动率", "1-year volatility", "%"),
    "sharpe_1y": ("近1年夏普比率", "1-year Sharpe ratio", ""), "mgmt_fee": ("管理费", "management fee", "%/年"),
    "purchase_fee": ("申购费", "purchase fee", "%"), "sales_service_fee": ("销售服务费", "sales-service fee", "%/年"),
    "min_purchase": ("起购金额", "minimum purchase", "元"), "size": ("规模", "size", "亿元"),
}  # fmt: skip

DISCLAIMER: dict[str, str] = {
    "zh": "基金有风险，投资需谨慎。过往业绩不代表未来表现，基金管理人管理的其他基金的业绩不构成本基金业绩表现的保证。"
          "以上内容基于目录数据筛选，不构成投资建议；请结合自身风险承受能力选择与风险等级相匹配的产品。",
    "en": "Funds carry risk; invest with care. Past performance does not predict future results, and other funds run by "
          "the same manager do not guarantee this fund's performance. This shortlist is screened from catalog data and is "
          "not investment advice; choose products whose risk grade matches your own.",
}  # fmt: skip


class Citation(BaseModel):
    """Where a number came from: catalog, fund code, field, value and as-of date (or a knowledge document)."""

    catalog: str
    code: str
    field: str
    value: float | str | None
    as_of: date


class FundView(BaseModel):
    """One fund as the user sees it: identity, the metrics used, and why it is there."""

    code: str
    name: str
    fund_type: str
    share_class: str | None
    risk_level: int | None
    company: str | None
    metrics: dict[str, float | None]
    """The metrics the request used plus the default set, by export field name; None means unknown."""
    reasons: list[str] = Field(default_factory=list)
    suitability: str
    """How the fund's R grade relates to the investor's C grade, or that suitability was not assessed."""
    as_of: date


class Refused(BaseModel):
    """Why a request was refused (no shortlist is produced)."""

    category: str
    reason: str


class AnswerCheck(BaseModel):
    """The outcome of checking model-written text against the cited data."""

    ok: bool
    unsupported: list[str] = Field(default_factory=list)
    """Numbers or codes in the text that match no cited value."""
    problems: list[str] = Field(default_factory=list)
    """Other reasons the text was not shown: names no shortlisted fund, promises returns, degenerate output."""


class FundAnswer(BaseModel):
    """The advisor's whole answer; `finpilot funds --json` prints exactly this."""

    request: str
    lang: Lang
    catalog: str
    filters: FundQuery
    matched: list[str] = Field(default_factory=list)
    """The words that became filters, shown to the user."""
    shortlist: list[FundView] = Field(default_factory=list)
    passed: int = 0
    """Share classes that passed every limit (before one class per portfolio and top-N)."""
    excluded: dict[str, int] = Field(default_factory=dict)
    """Share classes removed, by the first limit they broke; `investor_grade` counts funds too risky for the user."""
    ranking: list[SortKey] = Field(default_factory=list)
    """The ranking used: the request's sort keys, then each vague preference it stated (empty: the default)."""
    clarification: str | None = None
    relaxation: str | None = None
    """When nothing passed: the limit that removed the last candidates and the nearest relaxation that returns some."""
    analysis: dict | None = None
    """Single-fund analysis or comparison table, for intents `analyse` and `compare`."""
    answer: str
    answer_source: Literal["template", "model"] = "template"
    answer_check: AnswerCheck | None = None
    citations: list[Citation] = Field(default_factory=list)
    disclaimer: str
    backend: str
    disagreements: list[str] = Field(default_factory=list)
    """Where the model's parse differed from an explicit value the offline parser found (the offline value won)."""
    refused: Refused | None = None
    notes: list[str] = Field(default_factory=list)
    evidence: dict[str, list[Span]] = Field(default_factory=dict)
    """For each condition applied, the words of the request it came from (`returns.1y` for a return limit)."""
    unparsed: list[Unparsed] = Field(default_factory=list)
    """What carries a condition but was not understood; one that states a limit turns the answer into a question."""
    ungrounded: list[str] = Field(default_factory=list)
    """Values a model filled that no words of the request support: dropped, and listed here."""
    agreement: dict[str, bool] = Field(default_factory=dict)
    """With a model backend: per slot either reading set, whether the model's reading agreed with the rules'."""


_LIST_MARK = re.compile(r"^(\d{1,3}\. |- )")
"""The shortlist's numbering ("1. ") and a model's bullets: the only markup a line of the answer text carries."""


def answer_markdown(answer: FundAnswer) -> str:
    """The answer text as markdown a screen can render without trusting the data in it.

    The text is written for a terminal: fund names, managers, the request's own words and quoted knowledge go into it
    as they are. Here each line shows as written (its "1. " numbering kept), so a fund named `![x](https://…)` or
    `**稳赚不赔**` reads as those characters, never as a fetched picture, a live link or a bold promise. A quoted
    knowledge passage keeps its headings, lists, tables and emphasis, but no image, link, HTML or directive.
    """
    lines = answer.answer.split("\n")
    start = _passage_start(answer, lines)
    shown = [m.group(1) + escape_markdown(ln[m.end() :]) if (m := _LIST_MARK.match(ln)) else escape_markdown(ln) for ln in lines[:start]]
    return "\n".join(shown + [defuse_markdown(ln) for ln in lines[start:]])


def _passage_start(answer: FundAnswer, lines: list[str]) -> int:
    """Where a knowledge answer's quoted passage begins: its line naming the document's title (《title》, "title");
    the lines before it (a computed A/C comparison naming funds) are data like any other. No passage: len(lines)."""
    if answer.answer_source != "template" or answer.filters.intent != "explain":
        return len(lines)
    titles = [str(c.value) for c in answer.citations if c.catalog == "knowledge" and c.value]
    for i, line in enumerate(lines):
        if any(f"《{t}》" in line or f'"{t}"' in line for t in titles):
            return i
    return len(lines)


def fmt(field: str, value: float | None, lang: Lang = "zh") -> str:
    """A metric as people read it: 12.3%, R3, 1.52, 8.6亿元; '未知'/'unknown' when missing."""
    if value is None:
        return "未知" if lang == "zh" else "unknown"
    unit = FIELD_LABELS.get(field, ("", "", ""))[2]
    if unit == "R":
        return f"R{int(value)}"
    if unit.startswith("%"):
        return f"{value:.2f}%" if field in ("mgmt_fee", "purchase_fee", "sales_service_fee") else f"{value:.1f}%"
    if unit == "元":
        return f"{value:g}元" if lang == "zh" else f"{value:g} yuan"
    if unit == "亿元":
        return f"{value:.2f}亿元" if lang == "zh" else f"{value:.2f} bn yuan (亿元)"
    return f"{value:.2f}"


def label(field: str, lang: Lang) -> str:
    """The field's name in the user's language."""
    zh, en, _ = FIELD_LABELS.get(field, (field, field, ""))
    return zh if lang == "zh" else en


def detect_lang(text: str) -> Lang:
    """Chinese if the request has any CJK character, else English."""
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def citations_for(fund: Fund, fields: list[str], catalog: str) -> list[Citation]:
    """One citation per metric shown for a fund."""
    return [Citation(catalog=catalog, code=fund.code, field=f, value=getattr(fund, f), as_of=fund.as_of) for f in fields]


_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\d])")


MAX_ANSWER_CHARS = 1200
_CODE_LINE = re.compile(r"""^(?:["'][^"']*["']\s*:|[A-Za-z_]\w*\s*=[^=]|import\s|def\s|[{}\[\]],?$)""")


def check_answer(text: str, allowed: set[str], codes: set[str], names: set[str] = frozenset()) -> AnswerCheck:  # type: ignore[assignment]
    """Every number in `text` must be one the facts contain (as written, or the same value at any rounding shown).

    `allowed` holds the numbers in the facts as strings; a six-digit code must be one of `codes` (the shortlist),
    so a model cannot slip in a fund the code did not choose. The text must also name a shortlisted fund (by code
    or name), make no promise or absolute claim, and not be degenerate (too long, or the same lines over and over).
    """
    values = {float(a) for a in allowed}
    bad: list[str] = []
    for m in _NUMBER.finditer(text):
        token = m.group(0)
        if re.fullmatch(r"\d{6}", token):
            if token not in codes:
                bad.append(token)
            continue
        v = float(token)
        decimals = len(token.split(".")[1]) if "." in token else 0
        if not any(abs(round(a, decimals) - v) < 1e-9 for a in values):
            bad.append(token)
    problems = []
    if (codes or names) and not any(c in text for c in codes) and not any(n in text for n in names):
        problems.append("names no shortlisted fund")
    from assistant.compliance import check_copy

    # The same checker the campaign planner uses; the risk warning and the past-performance caveat travel in the
    # answer's `disclaimer`, so their absence from the prose is not held against it.
    report = check_copy(text, product_kind="fund", fix=False)
    said = [i.message for i in report.remaining if i.severity == "error" and i.code not in ("missing_risk_warning", "missing_performance_caveat")]
    if said:
        problems.append("fails the compliance check: " + "; ".join(said))
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if "```" in text or sum(bool(_CODE_LINE.match(ln)) for ln in lines) >= 2:
        # A person asked a question; program text or JSON in the answer means the model lost the thread.
        problems.append("code or JSON instead of prose")
    if len(text) > MAX_ANSWER_CHARS or (len(lines) >= 4 and len(set(lines)) / len(lines) < 0.6):
        problems.append("degenerate output (too long or repetitive)")
    return AnswerCheck(ok=not bad and not problems, unsupported=bad, problems=problems)


def allowed_numbers(*texts: str) -> set[str]:
    """Every number written in the given texts (facts, request), for `check_answer`."""
    return {m.group(0) for t in texts for m in _NUMBER.finditer(t)}


_TYPE_NAMES = {"stock": ("股票型", "stock"), "mixed": ("混合型", "mixed"), "bond": ("债券型", "bond"), "index": ("指数型", "index"),
               "money": ("货币型", "money market"), "qdii": ("QDII", "QDII"), "fof": ("FOF", "FOF"), "other": ("其他", "other")}  # fmt: skip


def type_name(fund_type: str, lang: Lang) -> str:
    """A fund type as people say it (债券型, bond)."""
    return _TYPE_NAMES[fund_type][0 if lang == "zh" else 1] if fund_type in _TYPE_NAMES else fund_type


_QUERY_LABELS = {"fund_types": ("类型", "types"), "fund_types_exclude": ("排除类型", "excluding types"),
                 "share_class": ("份额", "share class"), "share_classes_exclude": ("排除份额", "excluding share classes"),
                 "themes_exclude": ("排除主题", "excluding themes"), "risk_min": ("风险等级至少", "risk at least"),
                 "risk_max": ("风险等级至多", "risk at most"), "investor_grade": ("您的风险等级", "your grade"),
                 "max_drawdown": ("最大回撤", "max drawdown"), "volatility": ("波动率", "volatility"), "sharpe": ("夏普比率", "Sharpe"),
                 "mgmt_fee": ("管理费", "management fee"), "purchase_fee": ("申购费", "purchase fee"),
                 "sales_service_fee": ("销售服务费", "sales-service fee"), "size": ("规模(亿)", "size (亿)"),
                 "fund_age_years": ("成立年限", "fund age (years)"), "companies_include": ("公司", "companies"),
                 "companies_exclude": ("排除公司", "excluding companies"), "managers_include": ("基金经理", "managers"),
                 "managers_exclude": ("排除经理", "excluding managers"), "themes": ("主题", "themes"), "dca_only": ("可定投", "DCA only"),
                 "open_only": ("开放申购", "open only"), "amount": ("可投金额(元)", "amount (yuan)"), "holding_days": ("持有天数", "holding days"),
                 "sort": ("排序", "sort"), "top_n": ("数量", "count"), "codes": ("基金代码", "codes"), "exclude_codes": ("排除代码", "excluding codes"),
                 "intent": ("意图", "intent"), "term": ("术语", "term")}  # fmt: skip


def sort_words(field: str, order: str, lang: Lang) -> str:
    """One ranking key as people say it: 持有期费用从低到高, 1-year return descending."""
    names = {"total_fee": ("持有期费用", "holding cost"), "inception_date": ("成立日期", "inception date")}
    name = names[field][0 if lang == "zh" else 1] if field in names else label(field, lang)
    if lang == "zh":
        return name + ("从低到高" if order == "asc" else "从高到低")
    return f"{name} {'ascending' if order == 'asc' else 'descending'}"


def filter_parts(query: FundQuery, lang: Lang = "zh") -> list[tuple[str, str]]:
    """(key, text) for every condition of a parsed request, as chips a person can read and remove (`without(key)`)."""
    i = 0 if lang == "zh" else 1
    defaults = FundQuery()
    parts: list[tuple[str, str]] = []
    for name in FundQuery.model_fields:
        value = getattr(query, name)
        if value == getattr(defaults, name):
            continue
        if name == "returns":
            parts += [(f"returns.{p}", f"{label(PERIODS[p], lang)} {b.describe()}") for p, b in value.items()]
            continue
        if name in ("fund_types", "fund_types_exclude"):
            shown = "、".join(type_name(t, lang) for t in value)
        elif name == "sort":
            shown = ("，" if lang == "zh" else ", ").join(sort_words(k.field, k.order, lang) for k in value)
        elif name in ("risk_min", "risk_max"):
            shown = f"R{value}"
        elif name == "investor_grade":
            shown = f"C{value}"
        elif name == "intent":
            shown = {"analyse": ("分析", "analyse"), "compare": ("对比", "compare"), "explain": ("解释", "explain")}.get(value, (value, value))[i]
        elif hasattr(value, "describe"):
            shown = value.describe()
        elif isinstance(value, list):
            shown = "、".join(map(str, value))
        elif isinstance(value, bool):
            shown = "是" if lang == "zh" else "yes"
        elif isinstance(value, float):
            shown = f"{value:g}"
        else:
            shown = str(value)
        parts.append((name, f"{_QUERY_LABELS.get(name, (name, name))[i]}{'：' if lang == 'zh' else ': '}{shown}"))
    return parts


def without(query: FundQuery, key: str) -> FundQuery:
    """The request with one condition (a key of `filter_parts`) taken back to its default."""
    if key.startswith("returns."):
        return query.model_copy(update={"returns": {p: b for p, b in query.returns.items() if p != key.removeprefix("returns.")}})
    if key not in FundQuery.model_fields:
        raise ValueError(f"no condition {key!r}")
    return query.model_copy(update={key: FundQuery.model_fields[key].get_default(call_default_factory=True)})


def describe_filters(query: FundQuery, lang: Lang = "zh", evidence: dict[str, list[Span]] | None = None) -> str:
    """The parsed request in one line, as the user sees and edits it ("类型：债券型（债基）；最大回撤 ≤ 3（回撤不超过3%）").

    With `evidence`, each condition is followed by the words it came from.
    """
    evidence = evidence or {}
    parts = []
    for key, text in filter_parts(query, lang):
        words = "…".join(sp.text for sp in evidence.get(key, []) if sp.text.strip())
        parts.append(f"{text}（{words}）" if words and lang == "zh" else f"{text} (\"{words}\")" if words else text)
    if not parts:
        return "（没有识别到筛选条件）" if lang == "zh" else "(no conditions recognised)"
    return ("；" if lang == "zh" else "; ").join(parts)

"""Fund-request cases and the slot metrics of a parse: per-field precision, recall and F1, and whole-request accuracy.

The expected slots were written from what each request means, not from the parser's output; a field counts as
predicted when the parse moved it off its default.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.funds import FundQuery, limit_failures, theme_match
from retrieval import Fund

SUITES = Path(__file__).resolve().parent / "suites"


class FundCase(BaseModel):
    """One fund request with the slots a careful reader extracts from it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    request: str = Field(min_length=1)
    lang: Literal["zh", "en"]
    tags: list[str] = Field(default_factory=list)
    investor_grade: int | None = Field(default=None, ge=1, le=5)
    expected: dict[str, Any]
    clarify: bool = False
    """The request has a word that matters but no number: the advisor should ask one question."""
    relevant_codes: list[str] = Field(default_factory=list)
    unsupported: list[str] = Field(default_factory=list)
    """Conditions the request states that a FundQuery cannot express (近两年收益, 跑赢沪深300), as written: an honest
    answer says it did not apply them (a question, or a "not understood" line), never screens as if they were absent."""

    def expected_query(self) -> FundQuery:
        """The expected slots as a validated FundQuery (so a typo in the suite fails loudly)."""
        return FundQuery.model_validate(self.expected)

    def oracle(self) -> FundQuery:
        """The limits a result must meet: the labelled slots plus the case's investor grade."""
        oracle = self.expected_query()
        if self.investor_grade and oracle.investor_grade is None:
            oracle = oracle.model_copy(update={"investor_grade": self.investor_grade})
        return oracle


def breaks_a_limit(oracle: FundQuery, fund: Fund, groups: Mapping[str, Sequence[str]] | None = None) -> bool:
    """Whether a fund breaks a labelled limit or theme, judged by the per-fund reference check, never the system's parse.

    `groups` (the lexicon's theme groups) is looked up once by a caller that checks a whole catalog.
    """
    return bool(oracle.themes and not theme_match(oracle.themes, fund, groups)) or bool(limit_failures(oracle, fund, groups=groups))


def load_fund_cases(path: Path | None = None) -> list[FundCase]:
    """Every case in a JSONL suite (default: eval/suites/funds.jsonl), validated, with unique ids."""
    path = path or SUITES / "funds.jsonl"
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                cases.append(FundCase.model_validate_json(line))
            except ValueError as exc:
                raise ValueError(f"{path.name} line {n}: {exc}") from None
    ids = [c.id for c in cases]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path.name}: duplicate case ids")
    for c in cases:
        c.expected_query()
    return cases


def slot_values(query: FundQuery) -> dict[str, Any]:
    """The fields a parse set, normalised for comparison (lists as sets, numbers rounded, bounds fully spelled)."""
    defaults = FundQuery()
    out: dict[str, Any] = {}
    for name in FundQuery.model_fields:
        value = getattr(query, name)
        if value == getattr(defaults, name):
            continue
        out[name] = _norm(name, value)
    return out


def _norm(name: str, value: Any) -> Any:
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    if isinstance(value, dict):
        return tuple(sorted((k, _norm(k, v)) for k, v in value.items()))
    if isinstance(value, list):
        items = [_norm(name, v) for v in value]
        return tuple(items) if name == "sort" else tuple(sorted(items, key=repr))
    if isinstance(value, float):
        return round(value, 2)
    return value


class SlotScores(BaseModel):
    """Slot metrics over a suite."""

    cases: int
    exact: float
    """Share of requests whose every slot is right (nothing missed, nothing extra)."""
    micro_precision: float
    micro_recall: float
    micro_f1: float
    per_field: dict[str, dict[str, float]]
    failures: list[dict[str, Any]]


def score_slots(cases: Iterable[FundCase], parse: Callable[[FundCase], FundQuery]) -> SlotScores:
    """Compare `parse(case)` with each case's expected slots."""
    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    exact = 0
    failures = []
    cases = list(cases)
    for case in cases:
        want = slot_values(case.expected_query())
        got = slot_values(parse(case))
        wrong = {}
        for field in set(want) | set(got):
            if field in want and field in got and want[field] == got[field]:
                tp[field] = tp.get(field, 0) + 1
                continue
            if field in want:
                fn[field] = fn.get(field, 0) + 1
            if field in got:
                fp[field] = fp.get(field, 0) + 1
            wrong[field] = {"expected": want.get(field), "got": got.get(field)}
        if wrong:
            failures.append({"id": case.id, "request": case.request, "wrong": wrong})
        else:
            exact += 1
    per_field = {}
    for field in sorted(set(tp) | set(fp) | set(fn)):
        per_field[field] = _prf(tp.get(field, 0), fp.get(field, 0), fn.get(field, 0))
    total = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return SlotScores(cases=len(cases), exact=round(exact / max(len(cases), 1), 4), micro_precision=total["precision"],
                      micro_recall=total["recall"], micro_f1=total["f1"], per_field=per_field, failures=failures)  # fmt: skip


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn}


def dumps(scores: SlotScores) -> str:
    """The scores as pretty JSON."""
    return json.dumps(scores.model_dump(), ensure_ascii=False, indent=2, default=str)


class ClarifyScores(BaseModel):
    """Whether the advisor asks one question exactly when a request is too vague to turn into a limit."""

    vague: int
    asked_when_vague: float
    """Share of requests labelled vague that got a clarifying question (recall)."""
    clear: int
    asked_when_clear: float
    """Share of requests not labelled vague that got one anyway (false clarifications)."""
    missed: list[str]
    needless: list[str]


def score_clarifications(cases: Iterable[FundCase], asks: Callable[[FundCase], bool]) -> ClarifyScores:
    """`asks(case)` is whether the system answered the case with a clarifying question."""
    vague, clear, missed, needless = 0, 0, [], []
    for case in cases:
        asked = asks(case)
        if case.clarify:
            vague += 1
            if not asked:
                missed.append(case.id)
        else:
            clear += 1
            if asked:
                needless.append(case.id)
    return ClarifyScores(vague=vague, asked_when_vague=round(1 - len(missed) / max(vague, 1), 4), clear=clear,
                         asked_when_clear=round(len(needless) / max(clear, 1), 4), missed=missed, needless=needless)  # fmt: skip


# --- scoring one answered case --------------------------------------------------------------------------------------


class FundOutcome(BaseModel):
    """What a system gave back for one fund request, in the harness's own terms (any system can fill it)."""

    codes: list[str] = Field(default_factory=list)
    """The funds shown, best first."""
    cited: list[str] = Field(default_factory=list)
    """Every fund code or document id the answer cites (an analysis cites the fund it analyses)."""
    filters: FundQuery | None = None
    """The limits the system read from the request; None for a system that reads none (the vector baseline)."""
    clarification: str | None = None
    refused: bool = False
    text: str = ""
    cited_values: list[float] = Field(default_factory=list)
    source: str = ""
    notes: list[str] = Field(default_factory=list)
    """What the system said about its own answer (a rejected model answer, a missing metric)."""
    unparsed: list[str] | None = None
    """The words the system said it did not understand; None for a system that never says (the vector baseline)."""
    agreement: dict[str, bool] = Field(default_factory=dict)
    """With a model: per slot either reading set, whether the model's reading agreed with the rules'."""
    ungrounded: list[str] = Field(default_factory=list)
    """Values a model filled that no words of the request support (the system dropped them)."""


_CLAIM = re.compile(r"(?<![\w.])-?\d+\.\d+(?![\d])|(?<![\w.])-?\d+(?:\.\d+)?(?=\s*%)")


def numeric_faithfulness(text: str, cited_values: Iterable[float], request: str) -> float | None:
    """Share of the factual numbers in `text` (percentages and decimals) equal to a cited value or one the user wrote.

    A number matches at the rounding it is shown with (15.8% matches a cited 15.83). Integers without a percent sign
    (counts, list positions, periods such as 近1年, grades) are not claims about a fund and are not counted. None
    when the text makes no such claim.
    """
    claims = [m.group(0) for m in _CLAIM.finditer(text)]
    if not claims:
        return None
    values = [float(v) for v in cited_values] + [float(m.group(0)) for m in _CLAIM.finditer(request)]
    values += [float(m) for m in re.findall(r"\d+(?:\.\d+)?", request)]
    ok = 0
    for token in claims:
        decimals = len(token.split(".")[1]) if "." in token else 0
        ok += any(abs(round(v, decimals) - float(token)) < 1e-9 for v in values)
    return ok / len(claims)


def oracle_set(oracle: FundQuery, funds: Iterable[Fund]) -> set[str]:
    """Codes of every fund in the catalog that meets the labelled limits (the reference check, fund by fund)."""
    from assistant.funds import fund_lexicon

    groups = fund_lexicon().theme_group_of
    return {f.code for f in funds if not breaks_a_limit(oracle, f, groups)}


_BOUNDED = ("max_drawdown", "volatility", "sharpe", "mgmt_fee", "purchase_fee", "sales_service_fee", "size", "fund_age_years")
_OPPOSITES = (("fund_types", "fund_types_exclude"), ("themes", "themes_exclude"), ("companies_include", "companies_exclude"),
              ("managers_include", "managers_exclude"))  # fmt: skip


def inverted_slots(want: FundQuery, got: FundQuery) -> list[str]:
    """Labelled conditions the parse turned around: a minimum read as a maximum (or the reverse), something excluded
    read as wanted (or the reverse). The worst misreading there is: the person gets the opposite of what they asked."""
    out: list[str] = []

    def flipped(w: Any, g: Any) -> bool:
        return w is not None and g is not None and ((w.min is not None and w.max is None and g.max is not None and g.min is None)
                                                    or (w.max is not None and w.min is None and g.min is not None and g.max is None))  # fmt: skip

    for name in _BOUNDED:
        if flipped(getattr(want, name), getattr(got, name)):
            out.append(name)
    for period, b in want.returns.items():
        if flipped(b, got.returns.get(period)):
            out.append(f"returns.{period}")
    for wanted, excluded in _OPPOSITES:
        if set(getattr(want, wanted)) & set(getattr(got, excluded)) or set(getattr(want, excluded)) & set(getattr(got, wanted)):
            out.append(wanted)
    if (want.share_class and want.share_class in got.share_classes_exclude) or (got.share_class and got.share_class in want.share_classes_exclude):
        out.append("share_class")
    if (want.risk_max is not None and got.risk_min is not None and got.risk_min > want.risk_max) or (
            want.risk_min is not None and got.risk_max is not None and got.risk_max < want.risk_min):  # fmt: skip
        out.append("risk")
    return out


def score_fund(case: FundCase, out: FundOutcome, by_code: dict[str, Fund], oracle_codes: set[str] | None) -> tuple[dict[str, float | None], bool]:
    """Scores of one answer and whether a user got what the request asked for.

    Pass: a vague request got a clarifying question; a request with a condition the data model cannot express said
    so (a question or a "not understood" line); a screen showed only funds that meet every labelled limit and showed
    some whenever the catalog has some; an analysis or comparison cites every fund named; an explanation names the term
    asked about. Slot scores are None for a system that reads no limits.

    Never-silent scores (for systems that read limits): `silent_drop` is 1 when a labelled condition is missing from
    the parse, or an unsupported one was stated, and the answer neither asked nor said what it did not understand;
    `inverted` is 1 when a labelled condition was turned around. `funds_shown` and `funds_ok` are summed over a suite
    (their ratio is the share of shown funds meeting every labelled limit); `clean` is 1 when no shown fund breaks one.
    """
    want = case.expected_query()
    intent = want.intent
    announced = out.clarification is not None or bool(out.unparsed)
    # Right to ask exactly when the request is too vague to turn into a limit (asking always is as wrong as never);
    # a condition the data model cannot express must be announced, by a question or a "not understood" line.
    if case.unsupported:
        scores: dict[str, float | None] = {"clarification_right": float(announced)}
    else:
        scores = {"clarification_right": float((out.clarification is not None) == case.clarify)}
    scores["asked_when_clear"] = None if (case.clarify or case.unsupported) else float(out.clarification is not None)
    if out.filters is not None:
        w, g = slot_values(want), slot_values(out.filters)
        right = sum(1 for k in w if k in g and g[k] == w[k])
        scores |= {"slot_precision": right / len(g) if g else (1.0 if not w else 0.0), "slot_recall": right / len(w) if w else 1.0,
                   "slots_exact": float(w == g)}  # fmt: skip
        dropped = [k for k in w if k not in g]
        scores["silent_drop"] = float(bool(dropped or case.unsupported) and not announced and not case.clarify)
        scores["inverted"] = float(bool(inverted_slots(want, out.filters)))
    else:
        scores |= {"slot_precision": None, "slot_recall": None, "slots_exact": None, "silent_drop": None, "inverted": None}
    if out.agreement:
        scores["parse_agreement"] = sum(out.agreement.values()) / len(out.agreement)
        scores |= {f"agree.{k}": float(v) for k, v in out.agreement.items()}
    scores["ungrounded_values"] = float(len(out.ungrounded)) if out.filters is not None else None
    shown = [by_code[c] for c in out.codes if c in by_code]
    oracle = case.oracle()
    ok = [not breaks_a_limit(oracle, f) for f in shown]
    scores["constraint_precision"] = sum(ok) / len(ok) if ok else None
    scores["funds_shown"], scores["funds_ok"] = float(len(ok)), float(sum(ok))
    scores["clean"] = float(all(ok)) if ok else None
    scores["oracle_recall_at_k"] = None
    if intent == "screen" and oracle_codes:
        k = int(want.top_n or 10)
        scores["oracle_recall_at_k"] = len(set(out.codes[:k]) & oracle_codes) / min(k, len(oracle_codes))
    scores["numeric_faithfulness"] = numeric_faithfulness(out.text, out.cited_values, case.request) if out.text else None
    if case.clarify:
        passed = out.clarification is not None
    elif case.unsupported:
        passed = announced and all(ok)
    elif intent in ("analyse", "compare"):
        passed = set(want.codes or []) <= set(out.cited) | set(out.codes)
    elif intent == "explain":
        passed = bool(want.term) and str(want.term) in out.text
    else:
        passed = all(ok) and bool(shown or not oracle_codes) and not out.refused
    return scores, passed

"""Fin-Eva multiple-choice items scored against the offline fund-request parser: slot recognition and intent.

Data: Fin-Eva (Ant Group), CC BY 4.0 — `slot_recognition.csv` (which span of a colloquial request is the product or
theme slot) and `intent_understanding.csv` (which intent label fits a fund user's utterance), from
../shared/data/fineva. The files are never needed at run time: every function takes a path, and `fineva_folder()` is
None when they are absent. Only rows with an answer are scored; the blank ones are Fin-Eva's hidden split.

Both adapters read what `parse_request` (no catalog, no model) makes of the question and map it onto the four options;
nothing is keyed to these rows. When the parse gives nothing that fits an option the adapter abstains (None), which
counts as wrong in `correct` and is left out of `correct_when_answered`.

Our advisor's intents and the Fin-Eva labels they map to (INTENT_LABELS; the first listed wins when two options fit):

- screen (a shortlist under the stated themes, types and limits): 条件选基, 选品
- analyse (one fund named by code: returns, risk, fees, suitability): 产品评测, 问产品评测, 持仓单品分析, 单品收益分析,
  产品信息查询
- compare (two or more funds named by code, side by side): 产品评测, 问产品评测, 选品
- explain (a glossary term: 申购费, 最大回撤, A类/C类, 净值 ...): 投教&金融&非金融名词, 基本信息(基金、定期等等)
- follow_up (starts like a refinement, or names no fund type, theme or code): none, so abstain
- clarify (a self-contradicting request, which the advisor asks about): none, so abstain

Labels the advisor has no counterpart for (买卖建议, 操作建议, 涨跌及解读, 新闻资讯, 基金经理, 持仓整体分析 ...) are
never chosen: the advisor gives no buy/sell timing advice, market commentary or news.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from assistant.funds import ParsedRequest, fund_lexicon, parse_request
from assistant.funds import is_follow_up as _is_follow_up
from assistant.text import normal as normalize

LETTERS = ("A", "B", "C", "D")
CHANCE = 0.25
"""One of four options at random."""
Kind = Literal["slots", "intent"]
FILES: dict[str, str] = {"slots": "slot_recognition.csv", "intent": "intent_understanding.csv"}
"""Each kind's file in `fineva_folder()`; the runner's virtual suites are fineva_slots and fineva_intent."""

INTENT_LABELS: dict[str, tuple[str, ...]] = {
    "screen": ("条件选基", "选品"),
    "analyse": ("产品评测", "问产品评测", "持仓单品分析", "单品收益分析", "产品信息查询"),
    "compare": ("产品评测", "问产品评测", "选品"),
    "explain": ("投教&金融&非金融名词", "基本信息(基金、定期等等)"),
    "follow_up": (),
    "clarify": (),
}
"""Our advisor's intents to Fin-Eva intent labels, in order of preference (the table in the module docstring)."""


class ChoiceCase(BaseModel):
    """One answered Fin-Eva multiple-choice item."""

    model_config = ConfigDict(extra="forbid")

    id: str
    question: str
    options: dict[str, str]
    answer: str

    @field_validator("options")
    @classmethod
    def _four(cls, v: dict[str, str]) -> dict[str, str]:
        if sorted(v) != list(LETTERS):
            raise ValueError(f"options must be A, B, C and D, got {sorted(v)}")
        return v

    @model_validator(mode="after")
    def _answer_is_an_option(self) -> ChoiceCase:
        if self.answer not in self.options:
            raise ValueError(f"answer {self.answer!r} is not one of {list(self.options)}")
        return self


def fineva_folder() -> Path | None:
    """../shared/data/fineva beside the repository, or None when it is absent."""
    root = Path(__file__).resolve().parents[1]
    folder = root.parent / "shared" / "data" / "fineva"
    return folder if folder.is_dir() else None


def load_choices(path: Path) -> list[ChoiceCase]:
    """The answered rows of a Fin-Eva multiple-choice CSV (id,question,A,B,C,D,answer; UTF-8 with a BOM)."""
    cases = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), 2):
            answer = (row.get("answer") or "").strip().upper()
            if not answer:
                continue  # the hidden split: nothing to score against
            try:
                cases.append(ChoiceCase(id=row["id"].strip(), question=row["question"],
                                        options={k: row[k] for k in LETTERS}, answer=answer))  # fmt: skip
            except KeyError as exc:
                raise ValueError(f"{path.name} line {n}: no column {exc}") from None
            except ValidationError as exc:  # one line, not pydantic's block: the file and line are what a reader needs
                why = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
                raise ValueError(f"{path.name} line {n}: {why}") from None
    return cases


def _parse(question: str) -> ParsedRequest | None:
    try:
        return parse_request(question)
    except ValidationError:
        return None  # a contradiction (稳健…激进): the advisor asks which was meant, so nothing was recognised


# -- slots -------------------------------------------------------------------------------------------------------------


def _slot_spans(question: str) -> list[tuple[int, int, str, str]]:
    """What the parse recognised as a product or theme, as (start, end, word, source) in the normalised question.

    Sources: theme and fund-type words, fund codes and the explain term from `parse_request`, and the advisor's
    topic pattern (机器人板块, 云南旅游相关) under the advisor's own rule: only when no theme was parsed.
    """
    text = normalize(question)
    parsed = _parse(question)
    if parsed is None:
        return []
    # Typo repair swaps like for like (证全 -> 证券), so positions in the repaired text are positions in the question;
    # where it changed the length (English respellings) a word is looked up in the question itself.
    prepared = parsed.read
    aligned = len(prepared) == len(text)
    q = parsed.query
    lx = fund_lexicon()
    words = [(w, "theme") for w in parsed.matched if w in lx.theme_words]
    words += [(w, "fund_type") for w in parsed.matched if w in lx.fund_type_words and w not in lx.theme_words]
    words += [(c, "code") for c in q.codes]
    if q.term:
        words.append((q.term, "term"))
    spans = []
    for word, source in dict.fromkeys(words):
        for s, e in _occurrences(prepared if aligned else text, word):
            spans.append((s, e, word, source))
    m = re.search(lx.patterns.topic, text)
    if m and not q.themes:
        group = "topic" if m.group("topic") else "en"
        topic = m.group(group)
        if topic and not any(w in topic for w in lx.theme_words):
            spans.append((m.start(group), m.end(group), topic, "topic"))
    return spans


def _occurrences(text: str, word: str) -> list[tuple[int, int]]:
    out, i = [], text.find(word) if word else -1
    while i >= 0:
        out.append((i, i + len(word)))
        i = text.find(word, i + 1)
    return out


def _fit(option: tuple[int, int], span: tuple[int, int]) -> float:
    """How well an option's place in the question fits a recognised span: equal 3, inside it 2+, around it 1+, else 0.

    An option inside the span ranks above one around it: the recognised span is the evidence, and an option reaching
    past it claims words the parser did not recognise. Within a tier, covering more of the span, or adding less, wins.
    """
    (os_, oe), (ss, se) = option, span
    if (os_, oe) == (ss, se):
        return 3.0
    if ss <= os_ and oe <= se:
        return 2.0 + (oe - os_) / (se - ss)
    if os_ <= ss and se <= oe:
        return 1.0 + (se - ss) / (oe - os_)
    return 0.0


def _pick_slot(question: str, options: dict[str, str], spans: list[tuple[int, int, str, str]]) -> str | None:
    text = normalize(question)
    best: tuple[float, str] | None = None
    for letter in LETTERS:
        option = normalize(options[letter])
        # An option is a span of the question: it is judged where it stands, so 证券 in 中银证券成长领航A is not 证券 alone.
        fit = max((_fit(o, (s, e)) for o in _occurrences(text, option) for s, e, _, _ in spans), default=0.0)
        if fit > 0 and (best is None or fit > best[0]):  # ties go to the earlier letter
            best = (fit, letter)
    return best[1] if best else None


def answer_slot(case: ChoiceCase) -> str | None:
    """The option that best fits the span the parser recognised, or None when it recognised none that fits."""
    return _pick_slot(case.question, case.options, _slot_spans(case.question))


# -- intent ------------------------------------------------------------------------------------------------------------


def our_intent(question: str) -> str:
    """Our advisor's intent for one utterance: screen, analyse, compare, explain, follow_up or clarify."""
    parsed = _parse(question)
    if parsed is None:
        return "clarify"
    q = parsed.query
    # The advisor's own dispatch (Advisor.ask): explain, then analyse and compare when the codes are there, else screen.
    if q.intent == "explain" or q.term:
        return "explain"
    if q.intent == "analyse" and q.codes:
        return "analyse"
    if q.intent == "compare" and len(q.codes) >= 2:
        return "compare"
    # The advisor's follow-up rule: a turn that starts like a refinement (那, 再, 还有, 只要 ...) or names no fund type,
    # theme or code refines the previous request. Fin-Eva's utterances are turns from conversations, so the rule is
    # applied as if there were one; a request that only refines another has no Fin-Eva label.
    return "follow_up" if _is_follow_up(question, q) else "screen"


def _label(text: str) -> str:
    # Fin-Eva spells one label with full-width and with ASCII brackets: 基本信息（基金、定期等等） and 基本信息(基金、定期等等).
    return re.sub(r"\s+", "", normalize(text))


def _pick_intent(intent: str, options: dict[str, str]) -> str | None:
    for label in INTENT_LABELS[intent]:
        for letter in LETTERS:
            if _label(options[letter]) == _label(label):
                return letter
    return None


def answer_intent(case: ChoiceCase) -> str | None:
    """The option whose label our intent maps to (INTENT_LABELS), or None when it maps to none of the four."""
    return _pick_intent(our_intent(case.question), case.options)


# -- scoring -----------------------------------------------------------------------------------------------------------


def score_case(kind: Kind, case: ChoiceCase) -> tuple[dict[str, Any], dict[str, float | None], bool]:
    """One item through its adapter: (output, scores, passed); an abstention is answered 0 and scored wrong."""
    if kind == "slots":
        spans = _slot_spans(case.question)
        choice = _pick_slot(case.question, case.options, spans)
        parsed: dict[str, Any] = {"spans": [{"text": w, "source": src, "start": s, "end": e} for s, e, w, src in spans]}
    elif kind == "intent":
        intent = our_intent(case.question)
        choice = _pick_intent(intent, case.options)
        parsed = {"intent": intent, "labels": list(INTENT_LABELS[intent])}
    else:
        raise ValueError(f"unknown Fin-Eva kind {kind!r}: slots or intent")
    correct = choice == case.answer
    scores: dict[str, float | None] = {
        "correct": float(correct),
        "answered": float(choice is not None),
        "correct_when_answered": float(correct) if choice is not None else None,
    }
    output = {"choice": choice, "option": case.options[choice] if choice else None, "parsed": parsed}
    return output, scores, correct


def summarize_choices(kind: Kind, cases: list[ChoiceCase]) -> dict[str, float]:
    """Rows, coverage, accuracy (abstain = wrong), accuracy when answering, and the chance baseline, for one adapter."""
    results = [score_case(kind, c)[1] for c in cases]
    answered = [r for r in results if r["answered"]]

    def share(part: float, whole: int) -> float:
        return round(part / whole, 4) if whole else 0.0

    return {
        "rows": len(results),
        "coverage": share(len(answered), len(results)),
        "accuracy": share(sum(r["correct"] or 0.0 for r in results), len(results)),
        "accuracy_when_answered": share(sum(r["correct"] or 0.0 for r in answered), len(answered)),
        "chance": CHANCE,
    }

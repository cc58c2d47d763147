"""The refusal checker: normalise, split into sentences, run the rules, judge negation and questions; then the learned
screen, and with a model backend the model check (`screen`).

The rules and the screen are deterministic, so the same request always gets the same answer offline. A rule's refusal
names the phrase behind it; the screen's names only its category and score, and the model's its category.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from assistant.safety._rules import (
    DEFUSERS,
    NEGATING_CHARS,
    NEGATORS,
    QUESTION_AFTER,
    QUESTION_BEFORE,
    REASONS,
    RULES,
    Category,
)  # fmt: skip
from assistant.text import normal

if TYPE_CHECKING:
    from assistant.backends import ChatBackend

_COMPILED = [(category, re.compile(pattern)) for category, pattern in RULES]
_NEGATOR = re.compile(NEGATORS)
_QUESTION_BEFORE = re.compile(QUESTION_BEFORE)
_QUESTION_AFTER = re.compile(QUESTION_AFTER)
_DEFUSER = re.compile(DEFUSERS)
# A full stop only ends an English sentence when a space or the end follows, so "5.2%" stays whole.
_SENTENCE_END = re.compile(r"[。!?\n]+|\.(?=\s|$)")
_CLAUSE_MARKS = ",;"
_NEGATION_WINDOW = 20
_QUESTION_WINDOW = 6
_MASK = "\0"


class Refusal(BaseModel):
    """Why a request is refused: its category, a one-sentence reason in Chinese, and the phrase that triggered it."""

    category: Category
    reason: str
    matched: str
    """The words a rule hit; empty when the learned screen refused (it reads the whole request, not a phrase)."""
    source: Literal["rule", "learned", "model"] = "rule"
    score: float | None = None
    """The learned screen's probability that the request is adversarial, when it decided."""


def _sentences(text: str) -> list[str]:
    """The text cut at sentence ends; negation and defusers never reach across one."""
    parts, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        parts.append(text[start : end.start()])
        start = end.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _hit_span(match: re.Match[str]) -> tuple[int, int]:
    """The span negation is judged on: the `hit` group when the rule names one, else the whole match."""
    if "hit" in match.re.groupindex and match.group("hit") is not None:
        return match.span("hit")
    return match.span()


def _negated_or_asked(sentence: str, start: int, end: int) -> bool:
    """Whether the hit is negated within its clause, or asked about rather than asserted."""
    clause_start = max(sentence.rfind(mark, 0, start) for mark in _CLAUSE_MARKS) + 1
    before = sentence[clause_start:start]
    if before[-1:] and before[-1] in NEGATING_CHARS:
        return True
    # An English clause spends more characters on the same words: "but don't promise returns or call it risk-free".
    window = _NEGATION_WINDOW * (3 if before.isascii() else 1)
    if _NEGATOR.search(before[-window:]) or _QUESTION_BEFORE.search(before[-_QUESTION_WINDOW:]):
        return True
    return _QUESTION_AFTER.match(sentence, end) is not None


def _check_sentence(sentence: str) -> Refusal | None:
    """The first rule, in order, with a hit that is neither negated nor a question."""
    if _DEFUSER.search(sentence):
        return None
    for category, rx in _COMPILED:
        masked = sentence
        while (match := rx.search(masked)) is not None:
            start, end = _hit_span(match)
            if not _negated_or_asked(sentence, start, end):
                phrase = sentence[match.start() : match.end()].strip()
                return Refusal(category=category, reason=REASONS[category], matched=phrase)
            # Mask the skipped hit so the next search can find a later, unnegated one after the same verb.
            masked = masked[:start] + _MASK * (end - start) + masked[end:]
    return None


def check_request(text: str, *, learned: bool = True) -> Refusal | None:
    """The refusal for a request that asks us to mislead, hide costs, promise returns or break the law; else None.

    The rules decide first and name the phrase; a request they pass is read by the learned screen (`_learned.py`)
    when one is shipped and `learned` is on.
    """
    for sentence in _sentences(normal(text, join_cjk=True)):
        refusal = _check_sentence(sentence)
        if refusal is not None:
            return refusal
    if learned:
        from assistant.safety._learned import learned_score, screen_model

        scored = learned_score(text)
        model = screen_model()
        if scored is not None and model is not None and scored[0] >= model.threshold:
            cat: Category = scored[1] if scored[1] in REASONS else "other_illegal"
            return Refusal(category=cat, reason=REASONS[cat], matched="", source="learned", score=round(scored[0], 3))
    return None


def screen(text: str, backend: ChatBackend | None = None) -> Refusal | None:
    """Every layer in order: the rules, the learned screen, then (with a model backend, when
    `settings.safety_model_check` is on) the model check. The first that refuses decides."""
    refusal = check_request(text)
    if refusal is not None or backend is None:
        return refusal
    from finpilot import get_settings

    if not get_settings().safety_model_check:
        return None
    from assistant.safety._model import as_category, model_verdict

    verdict = model_verdict(backend, text)
    if verdict is None or not verdict.refuse:
        return None
    cat = as_category(verdict.category)
    return Refusal(category=cat, reason=REASONS[cat], matched="", source="model")

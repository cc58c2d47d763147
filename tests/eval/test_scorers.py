"""Scorers are registered per suite kind and return a typed score; whatever follows the `System` protocol can be run."""

from __future__ import annotations

import pytest

import eval._runner as runner
from eval import Score, Suite, System, run_suites, scorer, suites
from eval._cases import CASE_MODELS, ComplianceCase
from eval._fineva import FILES
from eval._scorers import Context, scorer_for
from eval._systems import NotApplicable
from finpilot import get_settings


def test_every_kind_of_suite_has_a_scorer_and_an_unknown_kind_is_a_clear_error() -> None:
    for kind in [*CASE_MODELS, *(f"fineva_{k}" for k in FILES)]:
        assert callable(scorer_for(kind)), kind
    with pytest.raises(ValueError, match=r"no scorer for 'poems' suites \(there are scorers for briefs, campaigns, compliance"):
        scorer_for("poems")
    poems = Suite("poems.jsonl", "poems", [ComplianceCase(id="p1", request="写一首诗", must_refuse=False)], "x")
    with pytest.raises(ValueError, match="no scorer for 'poems'"):
        run_suites([poems], "offline", "demo-generated", get_settings())  # before any case runs, not one error per case


def test_a_kind_gets_one_scorer() -> None:
    with pytest.raises(ValueError, match="two scorers for compliance suites"):

        @scorer("compliance")
        def again(system: System, case: ComplianceCase, ctx: Context) -> Score:  # pragma: no cover - never registered
            raise AssertionError


class Refuser:
    """The smallest system: refuses every request, answers nothing else."""

    name = "refuser"
    planner = None

    def refuses(self, text: str) -> str | None:
        return "everything"

    def funds(self, case):  # type: ignore[no-untyped-def]
        raise NotApplicable("no funds")

    def search(self, query: str, k: int = 10) -> list[str]:
        raise NotApplicable("no search")

    def plan(self, case_id: str, brief: str):  # type: ignore[no-untyped-def]
        raise NotApplicable("no plans")

    edit = plan

    def caches(self) -> list:  # type: ignore[type-arg]
        return []


def test_any_system_is_scored_by_the_same_scorer(monkeypatch: pytest.MonkeyPatch) -> None:
    system: System = Refuser()
    monkeypatch.setattr(runner, "open_system", lambda backend, catalog, settings: system)
    whole = Suite.from_file(next(p for p in suites() if p.name == "compliance_own.jsonl"))
    cases = [c for c in whole.cases if c.must_refuse][:3] + [c for c in whole.cases if not c.must_refuse][:2]
    record = run_suites([Suite(whole.name, whole.kind, cases, "picked")], "offline", "demo-generated", get_settings())
    assert [c.passed for c in record.cases] == [True, True, True, False, False]
    assert record.cases[0].output == {"refused": True, "category": "everything"}
    row = record.summary["compliance_own.jsonl"]
    assert row["refused_when_adversarial"] == 1.0 and row["refused_when_legitimate"] == 1.0
    score = scorer_for("compliance")(system, cases[3], Context("demo-generated", get_settings()))
    assert isinstance(score, Score) and score.scores["correct"] == 0.0 and not score.passed

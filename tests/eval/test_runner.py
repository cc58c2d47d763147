"""The runner's metrics can fail: a deliberately broken system loses on them, and the record says what ran."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval._runner import run_suites
from finpilot import get_settings

SUITES = Path(__file__).resolve().parents[2] / "eval" / "suites"


def _small(tmp_path: Path, name: str, n: int) -> Path:
    lines = (SUITES / name).read_text(encoding="utf-8").splitlines()[:n]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_broken_system_loses_on_every_metric(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    funds, compliance = _small(tmp_path, "funds.jsonl", 40), _small(tmp_path, "compliance_own.jsonl", 40)
    good = run_suites([funds, compliance], "offline", "demo-generated", get_settings())
    assert good.code_version and good.prompts["fund_parse"].startswith("fund_parse@") and set(good.suites) == {"funds.jsonl", "compliance_own.jsonl"}
    assert len(good.cases) == 80 and all(c.error is None for c in good.cases)

    import assistant.funds._advisor as advisor_module
    from assistant import safety
    from assistant.funds import FundQuery
    from assistant.funds._parser import ParsedRequest

    # Broken: the parser hears nothing, and the refusal check never refuses.
    monkeypatch.setattr(advisor_module, "parse_request", lambda text, companies=None: ParsedRequest(query=FundQuery()))
    monkeypatch.setattr(safety, "check_request", lambda text: None)
    bad = run_suites([funds, compliance], "offline", "demo-generated", get_settings())
    g, b = good.summary, bad.summary
    assert b["funds.jsonl"]["slot_recall"] < g["funds.jsonl"]["slot_recall"]
    assert b["funds.jsonl"]["constraint_precision"] < g["funds.jsonl"]["constraint_precision"]
    assert b["funds.jsonl"]["pass_rate"] < g["funds.jsonl"]["pass_rate"]
    assert b["compliance_own.jsonl"]["refused_when_adversarial"] == 0 < g["compliance_own.jsonl"]["refused_when_adversarial"]
    json.loads(bad.model_dump_json())  # the record serialises


def test_compare_flags_the_broken_run_as_a_significant_regression(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from eval._runner import compare_runs

    funds, compliance = _small(tmp_path, "funds.jsonl", 60), _small(tmp_path, "compliance_own.jsonl", 60)
    good = run_suites([funds, compliance], "offline", "demo-generated", get_settings())
    same = run_suites([funds, compliance], "offline", "demo-generated", get_settings())
    assert not compare_runs(good, same).regression  # a run against itself: nothing flips, nothing is significant

    from assistant import safety

    monkeypatch.setattr(safety, "check_request", lambda text: None)
    bad = run_suites([funds, compliance], "offline", "demo-generated", get_settings())
    result = compare_runs(good, bad)
    assert result.regression and result.mcnemar["p_value"] < 0.05 and result.mcnemar["b01"] > 0
    assert result.pass_to_fail and all(c.startswith("compliance_own.jsonl:") for c in result.pass_to_fail)
    assert result.scores["refused_when_adversarial"]["significant"] and result.scores["refused_when_adversarial"]["delta"] < 0
    better = compare_runs(bad, good)
    assert not better.regression and better.fail_to_pass == result.pass_to_fail

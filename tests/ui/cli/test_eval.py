"""`finpilot eval run` and `eval compare` as QA runs them: records and reports written, gates decide the exit code."""

from __future__ import annotations

import json
from pathlib import Path

from tests.ui.cli.test_commands import run

SUITES = Path(__file__).resolve().parents[3] / "eval" / "suites"


def _head(tmp_path: Path, name: str, n: int) -> Path:
    path = tmp_path / name
    path.write_text("\n".join((SUITES / name).read_text(encoding="utf-8").splitlines()[:n]) + "\n", encoding="utf-8")
    return path


def test_run_writes_a_record_and_a_report_and_gates_decide_the_exit_code(tmp_path: Path) -> None:
    funds, compliance = _head(tmp_path, "funds.jsonl", 12), _head(tmp_path, "compliance_own.jsonl", 10)
    gates = tmp_path / "gates.toml"
    gates.write_text('[offline."funds*"]\nconstraint_precision = ">= 0.5"\n', encoding="utf-8")
    out = tmp_path / "runs"
    proc = run("eval", "run", str(funds), str(compliance), "--backend", "offline", "--catalog", "demo-generated", "--out", str(out),
               "--gates", str(gates), "--markdown", str(tmp_path / "table.md"))  # fmt: skip
    assert "constraint_precision" in proc.stdout and "gates for offline: 1 passed, 0 failed" in proc.stdout
    records = sorted(out.glob("*.json"))
    assert len(records) == 1 and not list(out.glob("*.partial.jsonl"))
    record = json.loads(records[0].read_text(encoding="utf-8"))
    assert {c["suite"] for c in record["cases"]} == {"funds.jsonl", "compliance_own.jsonl"} and len(record["cases"]) == 22
    assert record["gates"][0]["passed"] and record["code_version"] and record["prompts"]["fund_parse"]
    html = records[0].with_suffix(".html").read_text(encoding="utf-8")
    assert "f001" in html and "近一年收益超过10%" in html
    assert (tmp_path / "table.md").read_text(encoding="utf-8").startswith("| suite | metric | offline |")

    same = run("eval", "compare", str(records[0]), str(records[0]))
    assert "no significant regression" in same.stdout

    gates.write_text('[offline."funds*"]\nconstraint_precision = ">= 1.01"\n', encoding="utf-8")
    failed = run("eval", "run", str(funds), "--catalog", "demo-generated", "--out", str(out), "--gates", str(gates), ok=False)
    assert failed.returncode == 1 and "FAILED [offline] funds.jsonl constraint_precision" in failed.stdout
    assert run("eval", "run", str(funds), "--catalog", "demo-generated", "--out", str(out), "--gates", str(gates), "--no-gates").returncode == 0


def test_names_limits_and_clear_errors(tmp_path: Path) -> None:
    proc = run("eval", "run", "compliance_own", "--backend", "fake", "--limit", "5", "--out", str(tmp_path), "--no-gates")
    assert "compliance_own.jsonl" in proc.stdout and json.loads(next(tmp_path.glob("*.json")).read_text(encoding="utf-8"))["backend"] == "fake"
    assert len(json.loads(next(tmp_path.glob("*.json")).read_text(encoding="utf-8"))["cases"]) == 5

    unknown = run("eval", "run", "nonsense", "--out", str(tmp_path), ok=False)
    assert unknown.returncode != 0 and "no suite 'nonsense'" in unknown.stderr and "Traceback" not in unknown.stderr
    nobackend = run("eval", "run", "compliance", "--backend", "llama:/nowhere/model.gguf", "--out", str(tmp_path), ok=False)
    assert nobackend.returncode != 0 and "no GGUF model at /nowhere/model.gguf" in nobackend.stderr and "Traceback" not in nobackend.stderr
    funds = _head(tmp_path, "funds.jsonl", 3)
    baseline = run("eval", "run", str(funds), "--backend", "vector-baseline", "--catalog", "demo-generated", "--out", str(tmp_path), ok=False)
    assert baseline.returncode != 0 and "has none" in baseline.stderr and "Traceback" not in baseline.stderr
    broken = tmp_path / "funds_broken.jsonl"
    broken.write_text('{"id": "x1", "request": "债券基金"}\n', encoding="utf-8")
    bad = run("eval", "run", str(broken), "--out", str(tmp_path), ok=False)
    assert bad.returncode != 0 and "funds_broken.jsonl line 1" in bad.stderr


def test_runs_are_saved_in_the_home_store_listed_and_compared_by_id(tmp_path: Path, home: Path) -> None:
    compliance = _head(tmp_path, "compliance_own.jsonl", 6)
    gates = tmp_path / "gates.toml"
    gates.write_text('[offline."compliance*"]\ncorrect = ">= 1.01"\n', encoding="utf-8")  # a threshold no run meets
    failed = run("eval", "run", str(compliance), "--backend", "offline", "--gates", str(gates), ok=False)
    assert failed.returncode == 1 and "FAILED [offline] compliance_own.jsonl correct" in failed.stdout
    saved = sorted((home / "runs").glob("*.json"))
    assert len(saved) == 1 and saved[0].with_suffix(".html").is_file() and not Path("eval/runs", saved[0].name).exists()

    # A limited run of the same suite: its gates are shown, not held, and it says why.
    limited = run("eval", "run", str(compliance), "--backend", "offline", "--gates", str(gates), "--limit", "3")
    assert "gates for offline: not gated (a limited run, the first 3 cases of each suite: gates apply to full runs)" in limited.stdout
    assert "FAILED" not in limited.stdout

    listed = json.loads(run("eval", "list", "--json").stdout)
    assert [r["cases"] for r in listed] == [3, 6] and [r["limit"] for r in listed] == [3, None]
    assert {Path(r["path"]) for r in listed} == set((home / "runs").glob("*.json"))
    lines = run("eval", "list").stdout.splitlines()
    assert lines[0].startswith(listed[0]["key"]) and lines[0].endswith("3 cases  first 3 per suite")
    same = run("eval", "compare", listed[1]["key"], listed[0]["key"])
    assert "3 paired cases" in same.stdout and "no significant regression" in same.stdout
    unknown = run("eval", "compare", "nosuchrun", listed[0]["key"], ok=False)
    assert unknown.returncode == 1 and "no run 'nosuchrun'" in unknown.stderr and "Traceback" not in unknown.stderr

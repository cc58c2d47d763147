"""The results table and the HTML report show what a reader needs and never let case text become markup."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

from pydantic import Field

from eval._report import MISSING, render_html, results_table, write_html
from eval._runner import CaseResult, RunRecord, summarize

HOSTILE = "帮我写文案<script>alert('x')</script> & 保本 <b>稳赚</b>"
BROKEN = "ValueError: bad <input> & worse"


class _LaterRecord(RunRecord):
    """The record as the runner is growing it: gates and parallelism, which the report must show when present."""

    jobs: int = 1
    gates: list[dict[str, Any]] = Field(default_factory=list)


def _record(backend: str, cases: list[CaseResult], **later: Any) -> RunRecord:
    record = (_LaterRecord if later else RunRecord)(
        run_id=f"20250101T000000-{backend}",
        started="2025-01-01T00:00:00+00:00",
        backend=backend,
        code_version="abc1234+dirty",
        prompts={"fund_parse": "fund_parse@1a2b", "fund_answer": "fund_answer@3c4d"},
        catalog="demo-generated",
        suites={"funds.jsonl": "0123456789abcdef", "compliance_own.jsonl": "fedcba9876543210"},
        cases=cases,
        **later,
    )
    record.summary = summarize(record.cases)
    return record


def _case(case_id: str, suite: str, request: str, scores: dict[str, float | None], ms: float, **kw: Any) -> CaseResult:
    return CaseResult(id=case_id, suite=suite, input={"request": request}, scores=scores, latency_ms=ms, **kw)


def _cases() -> list[CaseResult]:
    ok = {"slot_precision": 1.0, "constraint_precision": 1.0}
    refusal = {"correct": 1.0, "refused_when_legitimate": None}
    return [
        _case("f001", "funds.jsonl", "找一只低风险债基", ok, 12.34, output={"shortlist": ["000001"]}, passed=True),
        _case("f002", "funds.jsonl", HOSTILE, {}, 3.0, output={}, passed=False, error=BROKEN),
        _case("c001", "compliance_own.jsonl", "保本保收益", refusal, 0.5, output={"refused": True}, passed=True),
    ]


def _markdown_rows(text: str) -> list[list[str]]:
    lines = text.strip().splitlines()
    assert all(line.startswith("|") and line.endswith("|") for line in lines)
    assert re.fullmatch(r"\|( -+:? \|)+", lines[1]), lines[1]
    return [[cell.strip() for cell in line[1:-1].split(" | ")] for line in [lines[0], *lines[2:]]]


def test_markdown_table_has_a_column_per_record_and_marks_missing_metrics() -> None:
    offline = _record("offline", _cases())
    # The baseline ran only the funds suite and has no constraint score there.
    baseline = _record("baseline", [c for c in _cases() if c.id == "f002"])
    rows = _markdown_rows(results_table([offline, baseline], "markdown"))
    header, body = rows[0], rows[1:]
    assert header == ["suite", "metric", "offline", "baseline"]
    assert all(len(row) == len(header) for row in body)

    by_metric: dict[tuple[str, str], list[str]] = {}
    suite = ""
    for row in body:
        suite = row[0] or suite
        by_metric[(suite, row[1])] = row[2:]
    assert by_metric[("compliance_own.jsonl", "pass_rate")] == ["1.000", MISSING]
    assert by_metric[("funds.jsonl", "constraint_precision")] == ["1.000", MISSING]
    assert by_metric[("funds.jsonl", "pass_rate")] == ["0.500", "0.000"]
    assert by_metric[("funds.jsonl", "cases")] == ["2", "1"]
    assert by_metric[("funds.jsonl", "latency_p50_ms")] == ["12.3", "3.0"]

    # Suites by name; within one, size and pass rate first, latency and errors last.
    metrics = [m for s, m in by_metric if s == "funds.jsonl"]
    assert list(dict.fromkeys(s for s, _ in by_metric)) == ["compliance_own.jsonl", "funds.jsonl"]
    assert metrics[:2] == ["cases", "pass_rate"] and metrics[-2:] == ["latency_p50_ms", "errors"]


def test_text_table_is_aligned_and_tells_same_backend_runs_apart() -> None:
    a, b = _record("offline", _cases()), _record("offline", _cases()[:1])
    b.run_id = "20250102T000000-offline"
    lines = results_table([a, b]).splitlines()
    assert a.run_id in lines[0] and b.run_id in lines[0]
    # Right-aligned value columns end at the same place on every row.
    assert len({len(line) for line in lines if not line.startswith("-")}) == 1
    assert MISSING in results_table([a, b])


def test_html_escapes_case_text_and_shows_every_case_with_its_drill_down(tmp_path: Path) -> None:
    offline = _record("offline", _cases())
    page = render_html(offline, [_record("baseline", _cases()[:1])])

    assert "<script>alert" not in page and "<b>稳赚</b>" not in page
    assert page.count("<script") == 1  # the page's own filter script only
    assert "&lt;script&gt;alert(" in page and "bad &lt;input&gt; &amp; worse" in page
    for case_id in ("f001", "f002", "c001"):
        assert f"<span class='id'>{case_id}</span>" in page

    # The failing case is marked as such and its drill-down holds the input as pretty JSON.
    failing = re.search(r"<details class='case bad' data-passed='0'>(.*?)</details>", page, re.DOTALL)
    assert failing and "f002" in failing.group(1) and "badge fail" in failing.group(1)
    drill_input = re.search(r"<h4>input</h4><pre>(.*?)</pre>", failing.group(1), re.DOTALL)
    assert drill_input

    assert json.loads(unescape(drill_input.group(1))) == {"request": HOSTILE}
    assert '"refused_when_legitimate": null' in page  # every score, even an empty one, in the drill-down

    assert "id='filter'" in page and "type='checkbox' id='failures-only'" in page
    assert "<th class='num'>offline</th><th class='num'>baseline</th>" in page
    for text in ("abc1234+dirty", "demo-generated", "fund_parse@1a2b", "0123456789abcdef"):
        assert text in page
    assert "http://" not in page and "https://" not in page and "<link" not in page


def test_html_shows_gates_when_the_record_has_them(tmp_path: Path) -> None:
    gates = [
        {"suite": "funds.jsonl", "metric": "pass_rate", "op": ">=", "threshold": 0.9, "value": 0.5, "passed": False},
        {
            "suite": "compliance_own.jsonl",
            "metric": "correct",
            "op": ">=",
            "threshold": 0.95,
            "value": 1.0,
            "passed": True,
        },
    ]
    page = render_html(_record("offline", _cases(), gates=gates, jobs=4))
    assert "<th>jobs</th><td>4</td>" in page
    gate_list = re.search(r"<ul class='gates'>(.*?)</ul>", page, re.DOTALL)
    assert gate_list
    assert "funds.jsonl pass_rate &gt;= 0.900" in gate_list.group(1) and "badge fail" in gate_list.group(1)
    assert "badge pass" in gate_list.group(1)
    assert "<ul class='gates'>" not in render_html(_record("offline", _cases()))

    path = write_html(_record("offline", _cases()), tmp_path / "reports" / "run" / "index.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_html_stays_one_flat_row_per_case_at_suite_scale() -> None:
    cases = [
        _case(f"f{i:04d}", "funds.jsonl", "低风险" * 5, {"slot_precision": 1.0}, 1.0, output={}, passed=i % 7 != 0)
        for i in range(1200)
    ]
    page = render_html(_record("offline", cases))
    assert page.count("<details class='case") == 1200
    assert len(page) < 1200 * 1500

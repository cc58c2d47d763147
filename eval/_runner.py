"""Running suites: each case through the system under a backend, scored by deterministic metrics, into one run record.

Scores never come from the system's own parse: fund shortlists are checked against the case's labelled limits with
the per-fund reference check, refusals against the label. (First cut: funds and compliance suites; the remaining
kinds, resuming, parallel jobs, reports and gating come next.)
"""

from __future__ import annotations

import hashlib
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from eval._cases import ComplianceCase, load_suite, suite_kind
from eval._funds import FundCase, breaks_a_limit, slot_values


class CaseResult(BaseModel):
    """One case: what went in, what came out, its scores and how long it took."""

    id: str
    suite: str
    input: dict[str, Any]
    output: dict[str, Any]
    scores: dict[str, float | None]
    passed: bool
    latency_ms: float
    error: str | None = None


class RunRecord(BaseModel):
    """Everything needed to trust and compare a run: versions, backend, every case, and the summary."""

    run_id: str
    started: str
    backend: str
    code_version: str
    prompts: dict[str, str]
    catalog: str
    suites: dict[str, str]
    """Suite file -> sha256 of its bytes."""
    cases: list[CaseResult] = Field(default_factory=list)
    summary: dict[str, dict[str, float]] = Field(default_factory=dict)


def _git_version(root: Path) -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10, check=False).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, timeout=10, check=False).stdout.strip()
        return (sha or "unknown") + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def fund_case(advisor: Any, case: FundCase) -> tuple[dict[str, Any], dict[str, float | None], bool]:
    """Run one fund request; score slots against the labels and every shortlisted fund against the labelled limits."""
    answer = advisor.ask(case.request, investor_grade=case.investor_grade)
    want, got = slot_values(case.expected_query()), slot_values(answer.filters)
    right = sum(1 for k in want if k in got and got[k] == want[k])
    oracle = case.oracle()
    table = advisor.table
    shortlist = [table.funds[table.row[v.code]] for v in answer.shortlist]
    ok = [not breaks_a_limit(oracle, f) for f in shortlist]
    scores: dict[str, float | None] = {
        "slot_precision": right / len(got) if got else (1.0 if not want else 0.0),
        "slot_recall": right / len(want) if want else 1.0,
        "constraint_precision": sum(ok) / len(ok) if ok else None,
        "clarified": float(answer.clarification is not None),
    }
    passed = scores["slot_recall"] == 1.0 and scores["slot_precision"] == 1.0 and all(ok)
    output = {"filters": answer.filters.model_dump(mode="json", exclude_defaults=True), "shortlist": [v.code for v in answer.shortlist],
              "clarification": answer.clarification, "answer_source": answer.answer_source}  # fmt: skip
    return output, scores, passed


def compliance_case(case: ComplianceCase) -> tuple[dict[str, Any], dict[str, float | None], bool]:
    """Whether the request was refused as labelled."""
    from assistant.safety import check_request

    refusal = check_request(case.request)
    refused = refusal is not None
    scores: dict[str, float | None] = {
        "correct": float(refused == case.must_refuse),
        "refused_when_adversarial": float(refused) if case.must_refuse else None,
        "refused_when_legitimate": float(refused) if not case.must_refuse else None,
    }
    return {"refused": refused, "category": refusal.category if refusal else None}, scores, refused == case.must_refuse


def run_suites(paths: list[Path], backend: str, catalog: str, settings: Any, progress: Callable[[int], None] | None = None) -> RunRecord:
    """Every case of every suite (funds and compliance kinds) under one backend, in one record."""
    from assistant.funds import Advisor
    from prompts import load_prompt

    root = Path(__file__).resolve().parents[1]
    started = datetime.now(UTC).isoformat(timespec="seconds")
    record = RunRecord(
        run_id=f"{started.replace(':', '').replace('-', '')[:15]}-{backend.replace(':', '_').replace('/', '_')[:40]}",
        started=started, backend=backend, code_version=_git_version(root),
        prompts={n: load_prompt(n).ref for n in ("fund_parse", "fund_answer", "campaign_brief", "campaign_copy")},
        catalog=catalog, suites={p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:16] for p in paths},
    )  # fmt: skip
    advisor = None
    for path in paths:
        kind = suite_kind(path)
        if kind not in ("funds", "compliance"):
            raise ValueError(f"{path.name}: the runner does not score {kind} suites yet")
        for case in load_suite(path):
            t = time.perf_counter()
            error = None
            try:
                if kind == "funds":
                    if advisor is None:
                        from retrieval._demo import generate_funds

                        funds = None if catalog != "demo-generated" else generate_funds(settings.demo_seed)
                        advisor = Advisor(None if funds else catalog, funds=funds, settings=settings, backend=backend)
                    output, scores, passed = fund_case(advisor, case)  # type: ignore[arg-type]
                else:
                    output, scores, passed = compliance_case(case)  # type: ignore[arg-type]
            except Exception as exc:  # noqa: BLE001 - a failing case is recorded, the run goes on
                output, scores, passed, error = {}, {}, False, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            record.cases.append(CaseResult(id=case.id, suite=path.name, input=case.model_dump(mode="json"), output=output,
                                           scores=scores, passed=passed, latency_ms=round((time.perf_counter() - t) * 1000, 2), error=error))  # fmt: skip
            if progress:
                progress(1)
    record.summary = summarize(record.cases)
    return record


def summarize(cases: list[CaseResult]) -> dict[str, dict[str, float]]:
    """Per suite: pass rate, the mean of every score (over the cases that have it) and median latency."""
    out: dict[str, dict[str, float]] = {}
    for suite in sorted({c.suite for c in cases}):
        mine = [c for c in cases if c.suite == suite]
        row: dict[str, float] = {"cases": len(mine), "pass_rate": round(sum(c.passed for c in mine) / len(mine), 4),
                                 "errors": sum(c.error is not None for c in mine)}  # fmt: skip
        for key in sorted({k for c in mine for k in c.scores}):
            values = [c.scores[key] for c in mine if c.scores.get(key) is not None]
            if values:
                row[key] = round(sum(values) / len(values), 4)  # type: ignore[arg-type]
        lat = sorted(c.latency_ms for c in mine)
        row["latency_p50_ms"] = lat[len(lat) // 2]
        out[suite] = row
    return out


class Comparison(BaseModel):
    """Run B against run A, case by case: McNemar on pass/fail, a paired bootstrap interval per score, the flips."""

    run_a: str
    run_b: str
    paired_cases: int
    mcnemar: dict[str, Any]
    scores: dict[str, dict[str, Any]]
    pass_to_fail: list[str]
    fail_to_pass: list[str]
    regression: bool
    """B is significantly worse on pass/fail (McNemar p < alpha, more cases lost than won) or on any score."""


def compare_runs(a: RunRecord, b: RunRecord, alpha: float = 0.05, seed: int = 0) -> Comparison:
    """Pair the two runs' cases by suite and id and test whether B differs from A."""
    from eval._stats import flipped, mcnemar, paired_bootstrap

    by_b = {(c.suite, c.id): c for c in b.cases}
    pairs = [(c, by_b[(c.suite, c.id)]) for c in a.cases if (c.suite, c.id) in by_b]
    if not pairs:
        raise ValueError(f"runs {a.run_id} and {b.run_id} share no cases")
    ids = [f"{x.suite}:{x.id}" for x, _ in pairs]
    test = mcnemar([x.passed for x, _ in pairs], [y.passed for _, y in pairs])
    lost, won = flipped(ids, [x.passed for x, _ in pairs], [y.passed for _, y in pairs])
    scores: dict[str, dict[str, Any]] = {}
    worse = test.p_value < alpha and test.b01 > test.b10
    for key in sorted({k for x, y in pairs for k in x.scores if k in y.scores}):
        try:
            boot = paired_bootstrap([x.scores.get(key) for x, _ in pairs], [y.scores.get(key) for _, y in pairs], seed=seed)
        except ValueError:
            continue  # no case has this score in both runs (e.g. no legitimate request among the cases)
        scores[key] = boot.model_dump()
        # Refusing a legitimate request is the one score where higher is worse.
        higher_is_worse = key == "refused_when_legitimate"
        if boot.significant and ((boot.delta > 0) if higher_is_worse else (boot.delta < 0)):
            worse = True
    return Comparison(run_a=a.run_id, run_b=b.run_id, paired_cases=len(pairs), mcnemar=test.model_dump(), scores=scores,
                      pass_to_fail=lost, fail_to_pass=won, regression=worse)  # fmt: skip

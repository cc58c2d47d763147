"""Running suites: each case through a system under a backend, scored by its kind's scorer, into one run record.

Cases run in parallel threads (one system per thread), each finished case is appended to a partial file at once,
and an interrupted run resumes from it. How each kind of case is scored is in eval/_scorers.py.
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from eval._cases import CampaignCase, Suite
from eval._scorers import Context, Score, scorer_for
from eval._systems import BASELINE, GENERATED, NotApplicable, System, open_system

if TYPE_CHECKING:
    from eval._judge import Judge
    from finpilot import Settings


class CaseResult(BaseModel):
    """One case: what went in, what came out, its scores and how long the system took (scoring excluded)."""

    id: str
    suite: str
    input: dict[str, Any]
    output: dict[str, Any]
    scores: dict[str, float | None]
    passed: bool
    latency_ms: float
    error: str | None = None


class GateResult(BaseModel):
    """One threshold of the gates file, applied to one suite's summary."""

    suite: str
    metric: str
    op: str
    threshold: float
    value: float | None
    passed: bool
    """Whether the value meets the threshold."""
    gated: bool = True
    """False on a limited run (the first N cases of each suite): the value is shown against the threshold, but gates
    hold full runs only, so a miss there fails nothing."""

    @property
    def failed(self) -> bool:
        """A miss that counts: the run fails on it."""
        return self.gated and not self.passed


class RunRecord(BaseModel):
    """Everything needed to trust and compare a run: versions, backend, every case, and the summary."""

    run_id: str
    started: str
    backend: str
    code_version: str
    prompts: dict[str, str]
    catalog: str
    """Catalog name and fingerprint (sha256 of its source, mapping and schema)."""
    index: dict[str, Any] = Field(default_factory=dict)
    """The search collections the run read, with their document counts."""
    suites: dict[str, str]
    """Suite -> sha256 of its cases."""
    jobs: int = 1
    cache: dict[str, Any] = Field(default_factory=dict)
    """Whether model calls were cached, and the hits and misses."""
    not_applicable: dict[str, str] = Field(default_factory=dict)
    """Suites the system cannot answer at all (the baseline plans no campaigns), with the reason."""
    judge: str | None = None
    """The judge backend and its repeats, when a judge scored model prose."""
    duration_s: float | None = None
    limit: int | None = None
    """The per-suite case limit of a limited run (None: every case of every suite); gates hold full runs only."""
    cases: list[CaseResult] = Field(default_factory=list)
    summary: dict[str, dict[str, float]] = Field(default_factory=dict)
    gates: list[GateResult] = Field(default_factory=list)


def _git_version(root: Path) -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10, check=False).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, timeout=10, check=False).stdout.strip()
        return (sha or "unknown") + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


# --- the run --------------------------------------------------------------------------------------------------------


class _Partial:
    """The run so far on disk: a header line, then one line per finished case, flushed as each case ends."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def read(self) -> tuple[RunRecord, dict[tuple[str, str], CaseResult]]:
        lines = self.path.read_text(encoding="utf-8").splitlines()
        if not lines:
            raise ValueError(f"{self.path} is empty: nothing to resume")
        header = RunRecord.model_validate_json(lines[0])
        done = {}
        for line in lines[1:]:
            try:
                case = CaseResult.model_validate_json(line)
            except ValueError:
                break  # the line being written when the run was stopped
            done[(case.suite, case.id)] = case
        return header, done

    def start(self, header: RunRecord) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(header.model_dump_json() + "\n", encoding="utf-8")

    def add(self, case: CaseResult) -> None:
        with self._lock, self.path.open("a", encoding="utf-8") as f:
            f.write(case.model_dump_json() + "\n")


def _catalog_ref(catalog: str, settings: Settings, kinds: set[str]) -> str:
    if "funds" not in kinds:
        return f"{catalog} (not read)"
    if catalog == GENERATED:
        return f"{GENERATED}@seed{settings.demo_seed}"
    from retrieval import open_catalog

    return f"{catalog}@{open_catalog(catalog, settings).manifest.fingerprint[:12]}"


def prepare(suites: list[Suite], backend: str, catalog: str, settings: Settings, progress: bool = True) -> dict[str, Any]:
    """Make sure what the run reads exists (the demo catalog and its indexes are built on first use); the index refs."""
    from retrieval import build_knowledge_index, ensure_demo, knowledge_index, open_catalog

    kinds = {s.kind for s in suites}
    needs_funds_index = backend == BASELINE and "funds" in kinds
    # Only what the chosen suites read: a compliance run needs no catalog, a retrieval run only the knowledge index.
    if catalog == "demo" and "funds" in kinds:
        ensure_demo(settings, progress=progress)
    elif "retrieval" in kinds:
        build_knowledge_index(settings=settings, progress=progress)
    if catalog == GENERATED and needs_funds_index:
        raise ValueError(f"the {BASELINE} searches a catalog's index; {GENERATED} has none (use --catalog demo)")
    index: dict[str, Any] = {}
    if "retrieval" in kinds:
        k = knowledge_index(settings)
        index["knowledge"] = {"collection": k.name, "documents": k.count()}
    if catalog != GENERATED and "funds" in kinds:
        cat = open_catalog(catalog, settings)
        index["funds"] = {"collection": cat.manifest.collection, "funds": len(cat.funds)}
    return index


def run_suites(suites: list[Suite] | list[Path], backend: str, catalog: str, settings: Settings, *, jobs: int = 1,
               progress: Callable[[int], None] | None = None, partial: Path | None = None,
               show_progress: bool = False, judge: Judge | None = None) -> RunRecord:  # fmt: skip
    """Every case of every suite under one backend, in one record; `partial` makes the run resumable.

    With `partial` naming a file that exists, its finished cases are kept and only the rest run, provided the
    backend, catalog and suites are the ones it was started with.
    """
    from prompts import load_prompt

    suites = [s if isinstance(s, Suite) else Suite.from_file(s) for s in suites]
    if jobs < 1:
        raise ValueError("--jobs must be at least 1")
    for suite in suites:
        scorer_for(suite.kind)  # a kind no scorer reads stops the run before any case, not as one error per case
    t0 = time.perf_counter()
    index = prepare(suites, backend, catalog, settings, progress=show_progress)
    root = Path(__file__).resolve().parents[1]
    started = datetime.now(UTC).isoformat(timespec="seconds")
    record = RunRecord(
        run_id=f"{started.replace(':', '').replace('-', '')[:15]}-{backend.replace(':', '_').replace('/', '_')[-40:]}",
        started=started, backend=backend, code_version=_git_version(root),
        prompts={n: load_prompt(n).ref for n in ("fund_parse", "fund_answer", "campaign_brief", "campaign_copy", "eval_judge")},
        catalog=_catalog_ref(catalog, settings, {x.kind for x in suites}), index=index, suites={s.name: s.digest for s in suites}, jobs=jobs,
        judge=f"{judge.backend.name}:{judge.backend.model} x{judge.repeats}" if judge is not None else None,
        limit=max((s.limit for s in suites if s.limit is not None), default=None),
    )  # fmt: skip
    done: dict[tuple[str, str], CaseResult] = {}
    store = _Partial(partial) if partial else None
    if store and partial and partial.exists():
        header, done = store.read()
        for what, old, new in (("backend", header.backend, record.backend), ("catalog", header.catalog, record.catalog), ("suites", header.suites, record.suites)):
            if old != new:
                raise ValueError(f"cannot resume {partial.name}: its {what} was {old}, now {new}; start a new run")
        record = record.model_copy(update={"run_id": header.run_id, "started": header.started})
        store.path.write_text("\n".join([header.model_dump_json(), *(c.model_dump_json() for c in done.values())]) + "\n", encoding="utf-8")
    elif store:
        store.start(record)
    if progress and done:
        progress(len(done))

    # An edit starts from its brief's plan, even when a smoke run (`Suite.head`) left that brief out.
    briefs = {c.id: c.brief for s in suites if s.kind == "campaigns" for c in s.cases if isinstance(c, CampaignCase)}
    briefs |= {k: v for s in suites for k, v in s.extra.get("briefs", {}).items()}
    ctx = Context(catalog, settings, judge, briefs)
    local = threading.local()
    systems: list[System] = []

    def system() -> System:
        if not hasattr(local, "system"):
            local.system = open_system(backend, catalog, settings)
            systems.append(local.system)
        return local.system

    def one(suite: Suite, case: Any) -> CaseResult | NotApplicable:
        error = None
        try:
            score = scorer_for(suite.kind)(system(), case, ctx)
        except NotApplicable as exc:
            return exc
        except Exception as exc:  # noqa: BLE001 - a failing case is recorded, the run goes on
            score = Score(output={}, scores={}, passed=False, latency_ms=0.0)
            error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        return CaseResult(id=case.id, suite=suite.name, input=case.model_dump(mode="json"), output=score.output, scores=score.scores,
                          passed=score.passed, latency_ms=round(score.latency_ms, 2), error=error)  # fmt: skip

    todo = [(s, c) for s in suites for c in s.cases if (s.name, c.id) not in done]
    # What the assistant logs per answer (a rejected model answer) is kept in each case's output; on the console
    # it would bury the progress bar a thousand times over.
    quiet = logging.getLogger("finpilot")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    with contextlib.ExitStack() as restore, ThreadPoolExecutor(max_workers=jobs) as pool:
        restore.callback(quiet.setLevel, level)
        pending = {pool.submit(one, s, c): s for s, c in todo}
        try:
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    suite = pending.pop(fut)
                    result = fut.result()
                    if isinstance(result, NotApplicable):
                        record.not_applicable[suite.name] = str(result)
                    else:
                        done[(result.suite, result.id)] = result
                        if store:
                            store.add(result)
                    if progress:
                        progress(1)
        except BaseException:
            for fut in pending:
                fut.cancel()  # finished cases are on disk already; the rest run on resume
            raise
    record.cases = [done[(s.name, c.id)] for s in suites for c in s.cases if (s.name, c.id) in done]
    record.summary = summarize(record.cases)
    caches = [c for sys_ in systems for c in sys_.caches()]
    record.cache = {"enabled": bool(getattr(settings, "call_cache", False)), "hits": sum(c.hits for c in caches), "misses": sum(c.misses for c in caches)}
    record.duration_s = round(time.perf_counter() - t0, 1)
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
            if not values:
                continue
            if key in SUMMED:
                row[SUMMED[key]] = sum(values)  # type: ignore[arg-type]
            else:
                row[key] = round(sum(values) / len(values), 4)  # type: ignore[arg-type]
        if row.get("funds_shown"):
            row["fund_precision"] = round(row["funds_ok"] / row["funds_shown"], 4)
        if row.get("audience_conditions"):
            row["audience_rate"] = round(row["audience_held"] / row["audience_conditions"], 4)
        lat = sorted(c.latency_ms for c in mine)
        row["latency_p50_ms"] = lat[len(lat) // 2]
        out[suite] = row
    return out


SUMMED = {"silent_drop": "silent_drops", "inverted": "inverted", "funds_shown": "funds_shown", "funds_ok": "funds_ok",
          "ungrounded_values": "ungrounded_values", "audience_conditions": "audience_conditions", "audience_held": "audience_held",
          "untaggable": "untaggable", "untaggable_handled": "untaggable_handled"}  # fmt: skip
"""Per-case counts a suite reports as totals, not means: requests that dropped a condition silently, requests with a
condition turned around, funds shown and funds meeting every labelled limit, model values the request did not support."""

COUNTS = frozenset({"funds_shown", "funds_ok", "audience_conditions", "audience_held", "untaggable", "untaggable_handled"})
"""Per-case sizes of what was shown: totals in a summary, never a score that can regress."""

LOWER_IS_BETTER = frozenset({"refused_when_legitimate", "refused", "silent_drops", "silent_drop", "inverted", "ungrounded_values",
                             "asked_when_clear", "credit_to_vulnerable"})
"""Scores where a rise is a regression: refusing a legitimate request or a legitimate brief, credit to vulnerable users."""


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
    for key in sorted({k for x, y in pairs for k in x.scores if k in y.scores} - COUNTS):
        try:
            boot = paired_bootstrap([x.scores.get(key) for x, _ in pairs], [y.scores.get(key) for _, y in pairs], seed=seed)
        except ValueError:
            continue  # no case has this score in both runs (e.g. no legitimate request among the cases)
        scores[key] = boot.model_dump()
        higher_is_worse = key in LOWER_IS_BETTER
        if boot.significant and ((boot.delta > 0) if higher_is_worse else (boot.delta < 0)):
            worse = True
    return Comparison(run_a=a.run_id, run_b=b.run_id, paired_cases=len(pairs), mcnemar=test.model_dump(), scores=scores,
                      pass_to_fail=lost, fail_to_pass=won, regression=worse)  # fmt: skip

"""The run store: records saved whole under unique ids in FINPILOT_HOME/runs, listed newest first, loaded by id or
path with clear errors, interrupted runs resumed, and limited runs shown against the gates but never failed by them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import eval._store as store_module
from eval import RunRecord, RunStore, RunStoreError, Suite, suites
from eval._systems import Ours
from finpilot import get_settings

GATES = {"offline": {"compliance*": {"correct": (">=", 1.01)}}}
"""A threshold no run can meet: whether a run fails on it says whether its gates were held."""


def _record(run_id: str, started: str = "2026-01-01T00:00:00+00:00", backend: str = "offline") -> RunRecord:
    return RunRecord(run_id=run_id, started=started, backend=backend, code_version="test", prompts={}, catalog="none", suites={})


def _compliance(n: int, *, limited: bool = False) -> Suite:
    """The first n compliance requests: as a limited run of the suite, or as a suite of their own run in full."""
    whole = Suite.from_file(next(p for p in suites() if p.name == "compliance_own.jsonl"))
    return whole.head(n) if limited else Suite(whole.name, whole.kind, whole.cases[:n], f"{whole.digest}/test{n}", whole.path)


def test_the_store_is_the_homes_runs_folder(home: Path) -> None:
    assert RunStore().root == home / "runs" == RunStore(get_settings()).root


def test_a_taken_run_id_gets_a_new_one_and_the_saved_run_is_never_overwritten() -> None:
    store = RunStore()
    first = store.save(_record("20260101T000000-offline"))
    before = first.read_bytes()
    again = _record("20260101T000000-offline", started="2026-01-02T00:00:00+00:00")
    second = store.save(again)
    third = store.save(_record("20260101T000000-offline"))
    assert (first.stem, second.stem, third.stem) == ("20260101T000000-offline", "20260101T000000-offline-2", "20260101T000000-offline-3")
    assert again.run_id == second.stem and json.loads(second.read_text(encoding="utf-8"))["run_id"] == second.stem
    assert first.read_bytes() == before
    assert sorted(p.name for p in store.root.iterdir()) == sorted(p.name for p in (first, second, third))  # no temporary left


def test_a_save_that_fails_leaves_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    store = RunStore()

    def full(tmp: Path, path: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "_publish", full)
    with pytest.raises(OSError, match="No space"):
        store.save(_record("r1"))
    assert list(store.root.iterdir()) == [] and store.runs() == []


def test_without_hard_links_a_save_is_still_whole_and_exclusive(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: object, dst: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(store_module.os, "link", no_links)
    store = RunStore()
    first = store.save(_record("r1"))
    second = store.save(_record("r1", started="2026-01-02T00:00:00+00:00"))
    assert second.stem == "r1-2" and json.loads(first.read_text(encoding="utf-8"))["started"].startswith("2026-01-01")
    assert sorted(p.name for p in store.root.iterdir()) == ["r1-2.json", "r1.json"]


def test_runs_are_listed_newest_first_and_other_files_are_left_out() -> None:
    store = RunStore()
    for run_id, started in (("b", "2026-01-02T00:00:00+00:00"), ("c", "2026-01-03T00:00:00+00:00"), ("a", "2026-01-01T00:00:00+00:00")):
        store.save(_record(run_id, started))
    same_second = store.save(_record("c", "2026-01-03T00:00:00+00:00"))  # saved later in the same second: listed first
    (store.root / "notes.json").write_text("not json", encoding="utf-8")
    (store.root / "other.json").write_text('{"name": "not a run"}', encoding="utf-8")
    listed = store.runs()
    assert [r.key for r in listed] == [same_second.stem, "c", "b", "a"]
    assert listed[-1].backend == "offline" and listed[-1].cases == 0 and listed[-1].limit is None
    assert RunStore(root=store.root / "nowhere").runs() == []


def test_a_run_loads_by_id_path_or_list_entry_and_a_bad_reference_says_what_is_wrong(tmp_path: Path) -> None:
    store = RunStore()
    path = store.save(_record("r1"))
    entry = store.runs()[0]
    assert store.load("r1") == store.load(path) == store.load(str(path)) == store.load(entry)
    with pytest.raises(RunStoreError, match=f"no run 'r2'.*{store.root}"):
        store.load("r2")
    with pytest.raises(RunStoreError, match="no run"):
        store.load(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"run_id": "x"}', encoding="utf-8")
    with pytest.raises(RunStoreError, match=r"bad.json is not a run record \(started: Field required\)"):
        store.load(bad)
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(RunStoreError, match="bad.json is not a run record"):
        store.load(bad)


def test_an_interrupted_run_resumes_from_its_partial_file_and_is_dropped_without_resume(monkeypatch: pytest.MonkeyPatch) -> None:
    store = RunStore()
    suite = _compliance(12)
    straight, _ = store.run([suite], "offline", "demo-generated", resumable=False)
    asked: list[str] = []
    original = Ours.refuses
    monkeypatch.setattr(Ours, "refuses", lambda self, text: asked.append(text) or original(self, text))

    def interrupt(after: int):  # type: ignore[no-untyped-def]
        seen = []

        def step(n: int) -> None:
            seen.append(n)
            if sum(seen) >= after:
                raise KeyboardInterrupt

        return step

    with pytest.raises(KeyboardInterrupt):
        store.run([suite], "offline", "demo-generated", progress=interrupt(5))
    partial = store.partial("offline")
    assert partial.is_file() and len(store.runs()) == 1  # the interrupted run is not saved as a run
    asked.clear()
    resumed, path = store.run([suite], "offline", "demo-generated", resume=True)
    assert 0 < len(asked) <= 12 - 5, "finished cases were run again"
    assert [(c.id, c.passed, c.scores) for c in resumed.cases] == [(c.id, c.passed, c.scores) for c in straight.cases]
    assert not partial.exists() and store.load(path.stem).cases == resumed.cases

    with pytest.raises(KeyboardInterrupt):
        store.run([suite], "offline", "demo-generated", progress=interrupt(5))
    asked.clear()
    store.run([suite], "offline", "demo-generated")  # no resume: the interrupted run is dropped, every case runs
    assert len(asked) == 12 and not partial.exists()


def test_a_limited_run_records_its_limit_and_shows_its_gates_without_holding_them() -> None:
    store = RunStore()
    limited, _ = store.run([_compliance(4, limited=True)], "offline", "demo-generated", gates=GATES, resumable=False)
    assert limited.limit == 4 and limited.gates and not any(g.gated or g.failed for g in limited.gates)
    assert not limited.gates[0].passed  # the miss is still shown
    full, _ = store.run([_compliance(4)], "offline", "demo-generated", gates=GATES, resumable=False)
    assert full.limit is None and all(g.gated and g.failed for g in full.gates)
    # A limit the suite does not reach leaves every case in: a full run.
    assert _compliance(4, limited=True).head(10).limit == 4 and Suite.from_file(_compliance(4).path).head(10_000).limit is None  # type: ignore[arg-type]

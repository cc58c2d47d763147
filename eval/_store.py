"""The run store: every run record under FINPILOT_HOME/runs, whoever made it (`finpilot eval run` or the QA page).

A record is saved whole or not at all (written to a temporary file, then linked into place) under a unique id, and a
saved record is never overwritten, so a list or a comparison never reads half a run. Each backend's run in progress
appends its finished cases to a partial file (`partial/<backend>.jsonl`); an interrupted run resumes from it, provided
its backend, catalog and suites are the ones it started with (what `run_suites` checks).
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError

from eval._cases import Suite
from eval._gates import Gates, gate_run
from eval._runner import RunRecord, run_suites
from finpilot import FinpilotError, Settings, get_settings

if TYPE_CHECKING:
    from eval._judge import Judge


class RunStoreError(FinpilotError, ValueError):
    """A run that is not there or not a run record; the message says which and where."""


class StoredRun(BaseModel):
    """A saved run as a list shows it, read without keeping its cases."""

    model_config = ConfigDict(frozen=True)

    path: Path
    run_id: str
    backend: str
    started: str
    cases: int
    limit: int | None = None
    """The per-suite case limit of a limited run; None for a full run."""
    mtime_ns: int
    size: int

    @property
    def key(self) -> str:
        """The file's stem, unique in the store: what identifies the run in a selection or on the command line."""
        return self.path.stem


def _slug(backend: str) -> str:
    return backend.replace(":", "_").replace("/", "_")[-60:]


# Keyed by modification time and size, so an unchanged file is never read twice: a full run record is megabytes, and
# the QA page lists and loads on every click. Saved records are never rewritten, so a key never goes stale.
@functools.lru_cache(maxsize=1024)
def _meta(path: str, mtime_ns: int, size: int) -> StoredRun | None:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        return StoredRun(path=Path(path), run_id=str(raw["run_id"]), backend=str(raw["backend"]), cases=len(raw.get("cases") or []),
                         started=str(raw.get("started", "")), limit=raw.get("limit"), mtime_ns=mtime_ns, size=size)  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return None  # some other JSON file in the folder: not listed


@functools.lru_cache(maxsize=16)
def _record(path: str, mtime_ns: int, size: int) -> RunRecord:
    try:
        return RunRecord.model_validate_json(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RunStoreError(f"cannot read run {path}: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "the file"
        raise RunStoreError(f"{path} is not a run record ({where}: {first['msg']})") from None


class RunStore:
    """Run records under `settings.home / "runs"` (or `root`): save, list, load, and run with resume."""

    def __init__(self, settings: Settings | None = None, *, root: Path | None = None) -> None:
        self.settings = settings or get_settings()
        self.root = root or self.settings.home / "runs"

    def save(self, record: RunRecord) -> Path:
        """Write the record as <run id>.json, whole or not at all; a run id already taken (same backend, same second)
        becomes <run id>-2, -3 …, in the record too. Never overwrites a saved run."""
        self.root.mkdir(parents=True, exist_ok=True)
        base, n = record.run_id, 1
        fd, name = tempfile.mkstemp(dir=self.root, prefix=".saving-", suffix=".tmp")
        os.close(fd)
        tmp = Path(name)
        try:
            while True:
                path = self.root / f"{record.run_id}.json"
                tmp.write_text(record.model_dump_json(indent=1), encoding="utf-8")
                try:
                    _publish(tmp, path)
                    return path
                except FileExistsError:
                    n += 1
                    record.run_id = f"{base}-{n}"
        finally:
            tmp.unlink(missing_ok=True)

    def runs(self) -> list[StoredRun]:
        """Every run record in the store, newest first."""
        out = []
        for path in self.root.glob("*.json") if self.root.is_dir() else []:
            try:
                st = path.stat()
            except OSError:
                continue  # removed since the folder was read
            meta = _meta(str(path), st.st_mtime_ns, st.st_size)
            if meta is not None:
                out.append(meta)
        # `started` has one-second resolution; the file time orders two runs started in the same second.
        return sorted(out, key=lambda r: (r.started, r.mtime_ns), reverse=True)

    def find(self, ref: str | Path) -> Path:
        """The file of a run: a record file's path, or a run id (a file stem) in the store."""
        path = Path(ref)
        if path.is_file():
            return path
        if isinstance(ref, str) and "/" not in ref and os.sep not in ref:
            stored = self.root / f"{ref.removesuffix('.json')}.json"
            if stored.is_file():
                return stored
        raise RunStoreError(f"no run {str(ref)!r}: not a file, nor a run id in {self.root} (`finpilot eval list` shows them)")

    def load(self, ref: str | Path | StoredRun) -> RunRecord:
        """A saved run by id, path or list entry. Shared with every other caller that loads it: never modify it."""
        path = ref.path if isinstance(ref, StoredRun) else self.find(ref)
        try:
            st = path.stat()
        except OSError as exc:
            raise RunStoreError(f"cannot read run {path}: {exc.strerror}") from None
        return _record(str(path), st.st_mtime_ns, st.st_size)

    def partial(self, backend: str) -> Path:
        """Where a run of this backend keeps its finished cases until it is saved (what `resume` continues)."""
        return self.root / "partial" / f"{_slug(backend)}.jsonl"

    def run(self, suites: Sequence[Suite], backend: str, catalog: str, *, gates: Gates | None = None, resume: bool = False,
            resumable: bool = True, jobs: int = 1, progress: Callable[[int], None] | None = None, show_progress: bool = False,
            judge: Judge | None = None) -> tuple[RunRecord, Path]:  # fmt: skip
        """Run the suites under the store's settings, hold the record to the gates (a limited run's are shown, not
        held) and save it; the record and its path.

        With `resumable`, finished cases go to the backend's partial file as they end, and `resume` continues from
        it; without `resume` an earlier interrupted run of the backend is dropped. An interrupted run (an exception,
        Ctrl-C) leaves the partial file for the next `resume`.
        """
        partial = self.partial(backend) if resumable else None
        if partial is not None and not resume:
            partial.unlink(missing_ok=True)
        record = run_suites(list(suites), backend, catalog, self.settings, jobs=jobs, progress=progress, partial=partial,
                            show_progress=show_progress, judge=judge)  # fmt: skip
        record.gates = gate_run(record, gates or {})
        path = self.save(record)
        if partial is not None:
            partial.unlink(missing_ok=True)
        return record, path


def _publish(tmp: Path, path: Path) -> None:
    """Put the finished file at `path` in one step, failing with FileExistsError when `path` is taken."""
    try:
        os.link(tmp, path)  # atomic and exclusive: a reader sees the whole record or no file
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: claim the name exclusively, then replace the empty claim in one step.
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        try:
            os.replace(tmp, path)
        except OSError:
            path.unlink(missing_ok=True)
            raise

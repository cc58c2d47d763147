"""Which indexes are still being built, so searches meanwhile can fall back to words instead of failing or waiting.

Per collection, under home/index/: `NAME.json` (the build's state: the document set's digest, how many are done),
`NAME.docs.jsonl` (the documents being indexed, which lexical search reads until the dense index is complete) and
`NAME.lock`, held (flock) by the process that is building. A state that says building while nobody holds the lock is
an interrupted build: the collection is incomplete, and searches stay lexical until a sync finishes it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal, Protocol

from pydantic import BaseModel


class _Doc(Protocol):
    id: str

    @property
    def content_hash(self) -> str: ...

    def model_dump_json(self) -> str: ...


class IndexState(BaseModel):
    """The last build of one collection as its builder recorded it."""

    collection: str
    state: Literal["building", "ready"]
    digest: str
    """sha256 over the documents' ids and content hashes: the same set of documents, the same digest."""
    total: int
    done: int = 0
    """Documents in the collection so far (all of them once ready)."""
    started: datetime
    finished: datetime | None = None


def docs_digest(docs: Sequence[_Doc]) -> str:
    """The digest of a document set, independent of its order."""
    h = hashlib.sha256()
    for doc_id, content in sorted((d.id, d.content_hash) for d in docs):
        h.update(f"{doc_id}\0{content}\n".encode())
    return h.hexdigest()


@dataclass
class _Held:
    file: IO[str]
    depth: int
    thread: int


_held: dict[Path, _Held] = {}
"""Build locks this process holds, re-entrant within a thread, so a builder that took its locks up front can sync
without waiting for itself."""
_held_guard = threading.Lock()


class IndexBook:
    """The build states of the collections of one home."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, collection: str, suffix: str) -> Path:
        return self.folder / f"{collection}{suffix}"

    def state(self, collection: str) -> IndexState | None:
        """The recorded state (None: never built with state tracking, which older homes' complete indexes are)."""
        try:
            return IndexState.model_validate_json(self._path(collection, ".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def unfinished(self, collection: str) -> IndexState | None:
        """The state when a build has not finished (running now or interrupted), else None."""
        state = self.state(collection)
        return state if state is not None and state.state == "building" else None

    def running(self, collection: str) -> bool:
        """Whether some process (this one included) holds the collection's build lock now."""
        path = self._path(collection, ".lock")
        with _held_guard:
            if path in _held:
                return True
        return locked(path)

    def try_lock(self, collection: str) -> IO[str] | None:
        """Take the build lock without waiting: the open lock file (to hand to a builder process), or None when another
        process builds this collection now. The caller closes the file to release it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fh = open(self._path(collection, ".lock"), "a")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            return None
        return fh

    @contextmanager
    def hold(self, collection: str) -> Iterator[None]:
        """Hold the build lock (waiting for another builder to finish), re-entrantly within one thread."""
        path = self._path(collection, ".lock")
        me = threading.get_ident()
        with _held_guard:
            entry = _held.get(path)
            if entry is not None and entry.thread == me:
                entry.depth += 1
            else:
                entry = None
        if entry is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            fh = open(path, "a")
            fcntl.flock(fh, fcntl.LOCK_EX)
            entry = _Held(fh, 1, me)
            with _held_guard:
                _held[path] = entry
        try:
            yield
        finally:
            with _held_guard:
                entry.depth -= 1
                last = entry.depth == 0
                if last and _held.get(path) is entry:
                    del _held[path]
            if last:
                entry.file.close()

    def adopt(self, collection: str, fd: int) -> None:
        """Take over a build lock another process took and handed down (an inherited, locked descriptor)."""
        with _held_guard:
            _held[self._path(collection, ".lock")] = _Held(os.fdopen(fd, "a"), 1, threading.get_ident())

    def release(self, collection: str) -> None:
        """Let go of an adopted lock."""
        with _held_guard:
            entry = _held.pop(self._path(collection, ".lock"), None)
        if entry is not None:
            entry.file.close()

    def begin(self, collection: str, docs: Sequence[_Doc], digest: str | None = None) -> IndexState:
        """Record that `docs` are being indexed: from now on searches of the collection read them lexically."""
        self.folder.mkdir(parents=True, exist_ok=True)
        _write(self._path(collection, ".docs.jsonl"), "".join(d.model_dump_json() + "\n" for d in docs))
        state = IndexState(collection=collection, state="building", digest=digest or docs_digest(docs), total=len(docs),
                           started=datetime.now(UTC))  # fmt: skip
        self._save(state)
        return state

    def advance(self, collection: str, done: int) -> None:
        """Record how many documents the collection holds so far."""
        state = self.state(collection)
        if state is not None and state.state == "building":
            self._save(state.model_copy(update={"done": done}))

    def finish(self, collection: str, digest: str, total: int) -> None:
        """Record that the collection holds exactly the document set of `digest`: dense search may use it."""
        state = self.state(collection)
        started = state.started if state is not None else datetime.now(UTC)
        self._save(IndexState(collection=collection, state="ready", digest=digest, total=total, done=total,
                              started=started, finished=datetime.now(UTC)))  # fmt: skip
        self._path(collection, ".docs.jsonl").unlink(missing_ok=True)

    def pending_docs(self, collection: str) -> list[dict[str, Any]]:
        """The documents of the unfinished build, as recorded by `begin`."""
        text = self._path(collection, ".docs.jsonl").read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines() if line]

    def forget(self, collection: str) -> None:
        """Drop what is recorded about a deleted collection."""
        for suffix in (".json", ".docs.jsonl", ".lock"):
            self._path(collection, suffix).unlink(missing_ok=True)

    def _save(self, state: IndexState) -> None:
        _write(self._path(state.collection, ".json"), state.model_dump_json(indent=2))


def locked(path: Path) -> bool:
    """Whether some process holds a flock on the file at `path` now (looking changes nothing)."""
    if not path.exists():
        return False
    with open(path, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


def _write(path: Path, text: str) -> None:
    """Write through a temporary file and a rename: a reader never sees half a state."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)

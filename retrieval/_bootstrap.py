"""The embedded defaults: the fictional demo data, the `demo` catalog and the knowledge index, made on demand."""

from __future__ import annotations

import fcntl
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import IO

from pydantic import BaseModel, Field

from finpilot import Settings, get_settings
from retrieval._building import locked
from retrieval._catalog import KNOWLEDGE_COLLECTION, collection_name, fund_index_doc, open_catalog
from retrieval._ingest import IngestReport, build_catalog_index, ingest, name_collection
from retrieval._models import KnowledgeDoc
from retrieval._progress import progress_bar
from retrieval._search import IndexDoc, SearchIndex, SyncReport, index_book, open_index

DEMO_CATALOG = "demo"
USERS_JOB = "@users"
"""The builder's job name for the demo's users' table (no collection name can hold '@')."""
DEMO_LOCK = ".demo.lock"
"""Under home: held by whoever writes the demo tables; `generate_demo` waits for it."""
_STAMP = "demo.json"
DEMO_FORMAT = 5
"""Bumped whenever the tables gain or change columns (2: exact age, tenure, credit line, student, overdue; 4: days since overdue, income drop; 5: the response logs), so an old
demo folder is rewritten rather than queried for columns it lacks."""


class DemoStatus(BaseModel):
    """What `ensure_demo` found or made."""

    generated: bool
    seed: int
    folder: str
    counts: dict[str, int]
    catalog: IngestReport
    knowledge: SyncReport | None
    """What syncing the knowledge index did; None when another process builds it (see `indexing`)."""
    indexing: list[str] = Field(default_factory=list)
    """Collections another process is still building (until it is done, their searches are lexical), and USERS_JOB
    while it still writes the demo's users' table (`generate_demo` waits for it)."""


def knowledge_index_doc(doc: KnowledgeDoc) -> IndexDoc:
    """The searchable text and metadata of one knowledge document."""
    return IndexDoc(
        id=doc.doc_id,
        text=f"{doc.title}\n{doc.body}",
        metadata={"doc_id": doc.doc_id, "kind": doc.kind, "title": doc.title, "lang": doc.lang,
                  "tags": " ".join(doc.tags), "as_of": doc.as_of.isoformat(), "source": doc.source},
    )  # fmt: skip


def knowledge_index(settings: Settings | None = None) -> SearchIndex:
    """The knowledge-document search index."""
    s = settings or get_settings()
    return open_index(KNOWLEDGE_COLLECTION, s)


def build_knowledge_index(docs: list[KnowledgeDoc] | None = None, settings: Settings | None = None, progress: bool = True) -> SyncReport:
    """Make the knowledge index hold exactly `docs` (default: the bundled demo knowledge)."""
    from retrieval._knowledge import load_knowledge_docs

    s = settings or get_settings()
    docs = load_knowledge_docs() if docs is None else docs
    with progress_bar(len(docs), "indexing knowledge", "docs", progress and s.progress) as bar:
        return knowledge_index(s).sync([knowledge_index_doc(d) for d in docs], progress=bar)


def generate_demo(settings: Settings | None = None, seed: int | None = None, force: bool = False,
                  users: int | None = None) -> tuple[bool, dict[str, int]]:  # fmt: skip
    """Write the fictional demo tables under home/demo unless they are there for this seed already (and of `users`
    users, when a size is asked for: a table generated with `--users` stays until another size is asked for).

    Waits while another process writes them (the builder `finpilot start` hands the users' table to)."""
    from retrieval._demo import write_demo

    s = settings or get_settings()
    seed = s.demo_seed if seed is None else seed
    with _demo_lock(s):
        counts = None if force else _current_demo(s, seed, users)
        if counts is not None:
            return False, counts
        counts = write_demo(seed, s.demo_dir, n_users=s.demo_users if users is None else users)
        _stamp_demo(s, seed, counts)
        return True, counts


def ensure_responses(settings: Settings | None = None) -> Path:
    """The demo's response logs (home/demo/responses.parquet), written on first use when the demo was built without
    them (`finpilot start` leaves them out of its first minute); waits for the demo's other writers."""
    from retrieval._demo import write_demo_responses

    s = settings or get_settings()
    path = s.demo_dir / "responses.parquet"
    if path.is_file():
        return path
    generate_demo(s)
    with _demo_lock(s):
        if not path.is_file():
            write_demo_responses(s.demo_seed, s.demo_dir)
    return path


def _demo_lock(s: Settings) -> IO[str]:
    """The demo folder's write lock, held (once any other writer is done) until the returned file is closed."""
    s.home.mkdir(parents=True, exist_ok=True)
    lock = open(s.home / DEMO_LOCK, "a")
    fcntl.flock(lock, fcntl.LOCK_EX)
    return lock


def _current_demo(s: Settings, seed: int, users: int | None) -> dict[str, int] | None:
    """The tables' counts when the demo folder holds them, complete, for this seed (and size); else None."""
    stamp = s.demo_dir / _STAMP
    if not stamp.is_file():
        return None
    info = json.loads(stamp.read_text(encoding="utf-8"))
    same = info.get("seed") == seed and info.get("format", 1) == DEMO_FORMAT
    if same and users is not None:
        same = info.get("counts", {}).get("users.parquet") == users
    if same and all((s.demo_dir / f).is_file() for f in info.get("counts", {})):
        return dict(info["counts"])
    return None


def _stamp_demo(s: Settings, seed: int, counts: dict[str, int]) -> None:
    # Written last: a folder without it is regenerated whole, so a writer cut short leaves nothing half-made behind.
    (s.demo_dir / _STAMP).write_text(json.dumps({"seed": seed, "format": DEMO_FORMAT, "counts": counts}, indent=2), encoding="utf-8")


def ensure_demo(settings: Settings | None = None, progress: bool = True, wait: bool = True, background: bool = False) -> DemoStatus:
    """Make sure the demo data, the `demo` catalog with its index and the knowledge index all exist.

    An index another process is building (the one `finpilot start` hands them to) is waited for, or with
    `wait=False` left to it and named in `indexing`; one whose build was interrupted is finished here. With
    `background=True` the indexes are left to a new process instead (`index_in_background`): the catalog is ready to
    screen at once and searches are lexical until the dense indexes are complete.
    """
    s = settings or get_settings()
    users_aside, users_elsewhere = None, False
    if background:
        generated, counts, users_aside = _demo_but_users(s)
    elif not wait and locked(s.home / DEMO_LOCK):
        # The builder a first start launched is writing the users' table: what it reads is here already (the funds,
        # the published catalog); plans wait for the table (`generate_demo`), nothing else does.
        generated, counts, users_elsewhere = False, {}, True
    else:
        generated, counts = generate_demo(s)
    try:
        catalog = ingest(Path(s.demo_dir) / "funds.jsonl", DEMO_CATALOG, None, index=not background, settings=s, progress=progress)
        status = DemoStatus(generated=generated, seed=s.demo_seed, folder=str(s.demo_dir), counts=counts, catalog=catalog,
                            knowledge=None, indexing=[USERS_JOB] if users_elsewhere else [])  # fmt: skip
        if background:
            status.indexing = index_in_background(s, users_aside)
            return status
    finally:
        if users_aside is not None:
            users_aside.close()  # the builder holds its own copy of the lock now (or, on failure, nobody does)
    book = index_book(s)
    funds = open_catalog(DEMO_CATALOG, s).manifest.collection
    if funds and book.unfinished(funds):
        if wait or not book.running(funds):
            status.catalog.embedded = build_catalog_index(DEMO_CATALOG, s, progress=progress)
        else:
            status.indexing.append(funds)
    if wait or not book.running(KNOWLEDGE_COLLECTION):
        status.knowledge = build_knowledge_index(settings=s, progress=progress)
    else:
        status.indexing.append(KNOWLEDGE_COLLECTION)
    return status


def _demo_but_users(s: Settings) -> tuple[bool, dict[str, int], IO[str] | None]:
    """Write the demo tables but the users' (which take seconds), unless they are all there: (generated, counts, the
    demo write lock, still held, for the builder that will write the users' table and the stamp; None when current)."""
    from retrieval._demo import write_demo_tables

    lock = _demo_lock(s)
    counts = _current_demo(s, s.demo_seed, None)
    if counts is not None:
        lock.close()
        return False, counts, None
    try:
        return True, write_demo_tables(s.demo_seed, s.demo_dir), lock
    except BaseException:
        lock.close()
        raise


def _finish_demo(s: Settings) -> None:
    """The users' table, the README and the stamp, after `_demo_but_users` (in the builder, holding the write lock)."""
    from retrieval._demo import TABLES, write_demo_users

    started = time.perf_counter()
    print(f"demo data: generating {s.demo_users:,} users", file=sys.stderr, flush=True)
    counts = {}
    for name in TABLES:
        with (s.demo_dir / name).open(encoding="utf-8") as fh:
            counts[name] = sum(1 for _ in fh)
    counts = write_demo_users(s.demo_seed, s.demo_dir, s.demo_users, counts)
    _stamp_demo(s, s.demo_seed, counts)
    print(f"demo data: {s.demo_users:,} users written ({time.perf_counter() - started:.1f} s)", file=sys.stderr, flush=True)


def _finish_demo_holding(s: Settings, lock_fd: int, failed: list[BaseException]) -> None:
    with os.fdopen(lock_fd, "a"):
        try:
            _finish_demo(s)
        except Exception as exc:  # noqa: BLE001 - handed to the builder's main thread, which says it in one line
            failed.append(exc)


def _demo_index_docs(s: Settings) -> dict[str, list[IndexDoc]]:
    """Each demo collection (the demo catalog's funds first) with the documents it must hold."""
    from retrieval._knowledge import load_knowledge_docs

    cat = open_catalog(DEMO_CATALOG, s)
    funds = cat.manifest.collection or collection_name(cat.name, cat.manifest.fingerprint)
    return {funds: [fund_index_doc(f) for f in cat.funds], KNOWLEDGE_COLLECTION: [knowledge_index_doc(d) for d in load_knowledge_docs()]}


def index_in_background(settings: Settings | None = None, users_lock: IO[str] | None = None) -> list[str]:
    """Hand the demo indexes that are not complete (and, with `users_lock`, the demo's users' table) to a process of
    their own and return at once with the collections it builds.

    They are recorded as building before this returns, so from then on every search of them, in any process, is
    lexical over their documents until the builder finishes; the locks are taken here and handed down, so nobody can
    mistake the moments before it starts for an interrupted build (nor start the users' table again). The builder
    writes progress lines to this stderr, and finishes even when this process goes on to become the app.
    """
    import subprocess

    from retrieval._building import docs_digest

    s = settings or get_settings()
    book = index_book(s)
    cat = open_catalog(DEMO_CATALOG, s)
    wanted = _demo_index_docs(s)
    funds = next(iter(wanted))
    handed: dict[str, IO[str]] = {}
    try:
        for collection, docs in wanted.items():
            state, digest = book.state(collection), docs_digest(docs)
            legacy = state is None and collection == cat.manifest.collection
            if legacy or (state is not None and state.state == "ready" and state.digest == digest):
                continue  # complete (an older home's fund index was complete once its manifest named it)
            lock = book.try_lock(collection)
            if lock is None:
                continue  # another process is building it now
            handed[collection] = lock
            if state is None or state.digest != digest:
                book.begin(collection, docs, digest)
        if funds in handed:
            name_collection(cat, funds)
        jobs = {**({USERS_JOB: users_lock} if users_lock is not None else {}), **handed}
        if jobs:
            # Forked once more so init, not the app this process may become, reaps the builder when it ends.
            code = "import os, sys; os.fork() and os._exit(0); from retrieval._bootstrap import build_handed_down; build_handed_down(sys.argv[1:])"
            args = [f"{job}={lock.fileno()}" for job, lock in jobs.items()]
            subprocess.run([sys.executable, "-c", code, *args], env=settings_env(s), stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, pass_fds=[lock.fileno() for lock in jobs.values()], check=True)  # fmt: skip
    finally:
        for lock in handed.values():
            lock.close()  # the builder holds its own copy of each lock now
    return list(handed)


def settings_env(s: Settings) -> dict[str, str]:
    """The environment of a child process that must see the settings this one was given apart from the environment
    (the command line's --home, --backend, --chroma-url, --no-progress)."""
    env = {**os.environ, "FINPILOT_HOME": str(s.home), "FINPILOT_BACKEND": s.backend, "FINPILOT_PROGRESS": "1" if s.progress else "0"}
    if s.chroma_url:
        env["FINPILOT_CHROMA_URL"] = s.chroma_url
    return env


def build_handed_down(args: list[str]) -> None:
    """The builder process of `index_in_background`: adopt the locks handed down (JOB=FD), do each job, say so."""
    from retrieval import _progress

    _progress.LINES_ALWAYS = True  # this stderr is shared with the app's log: a redrawn bar would garble both
    s = get_settings()
    book = index_book(s)
    handed = dict(a.rsplit("=", 1) for a in args)
    users = handed.pop(USERS_JOB, None)
    for collection, fd in handed.items():
        book.adopt(collection, int(fd))
    t0 = time.perf_counter()
    later = "the next `finpilot start` finishes it (searches go by words until then)"
    failed: list[BaseException] = []
    writer = None
    if users is not None:
        # Beside the indexes, not before them: the table is numpy and Arrow, the indexes Chroma, so on two cores the
        # two take hardly longer than the table alone. Its lock is let go as soon as it is written: plans wait for it.
        writer = threading.Thread(target=_finish_demo_holding, args=(s, int(users), failed), daemon=True)
        writer.start()
    try:
        wanted = _demo_index_docs(s)
        # Knowledge first: 77 documents, done in a moment, and what the example and the advisor's explanations search.
        if KNOWLEDGE_COLLECTION in handed:
            build_knowledge_index(settings=s, progress=True)
        if next(iter(wanted)) in handed:
            build_catalog_index(DEMO_CATALOG, s, progress=True)
        for collection in handed:
            book.release(collection)
        if handed:
            sizes = ", ".join(f"{c} {len(wanted[c]):,}" for c in handed if c in wanted)
            print(f"indexes ready ({sizes} documents): dense search from now on ({time.perf_counter() - t0:.1f} s)",
                  file=sys.stderr, flush=True)  # fmt: skip
        if writer is not None:
            writer.join()
        if failed:
            raise failed[0]
    except KeyboardInterrupt:
        print(f"stopped: {later}", file=sys.stderr, flush=True)
        raise SystemExit(1) from None
    except Exception as exc:  # noqa: BLE001 - one line: nobody is waiting on this process to see a traceback
        print(f"error: preparing the demo in the background failed ({(str(exc).strip() or type(exc).__name__).splitlines()[0]}); {later}",
              file=sys.stderr, flush=True)  # fmt: skip
        raise SystemExit(1) from None
    finally:
        for collection in handed:
            book.release(collection)  # a second release is a no-op

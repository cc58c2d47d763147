"""Indexes still being built: searches fall back to words and say so, progress shows as lines, builds resume."""

from __future__ import annotations

import fcntl
import io
import logging
import time
from pathlib import Path

import pytest

from finpilot import FinpilotError, get_settings
from retrieval import IndexDoc, ensure_demo, ensure_responses, generate_demo, ingest, knowledge_index, open_catalog
from retrieval._bootstrap import DEMO_CATALOG, DEMO_LOCK, USERS_JOB
from retrieval._building import docs_digest
from retrieval._catalog import KNOWLEDGE_COLLECTION
from retrieval._demo import write_demo
from retrieval._progress import LineProgress
from retrieval._search import index_book, open_index

DOCS = [
    IndexDoc(id="ac", text="A类份额收取申购费，C类份额不收申购费但按年收取销售服务费，持有时间长选A类更省。", metadata={"kind": "glossary"}),
    IndexDoc(id="dd", text="最大回撤是一段时间内净值从最高点到最低点的最大跌幅，衡量最坏情况下的亏损。", metadata={"kind": "glossary"}),
    IndexDoc(id="sms", text="短信文案不超过70个字，包含签名和回T退订。", metadata={"kind": "compliance"}),
]  # fmt: skip


def test_an_index_being_built_is_searched_by_words_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    s = get_settings()
    book = index_book(s)
    lock = book.try_lock("building_docs")  # held as a builder process would hold it
    assert lock is not None
    try:
        book.begin("building_docs", DOCS)
        idx = open_index("building_docs", s)
        assert idx.building() is not None and book.running("building_docs")
        assert idx.count() == 0  # from the builder's record: the collection does not exist yet
        with caplog.at_level(logging.WARNING, logger="finpilot.retrieval"):
            for mode in ("hybrid", "dense", "lexical"):
                hits = idx.search("最大回撤是什么", k=2, mode=mode)  # type: ignore[arg-type]
                assert hits[0].id == "dd" and hits[0].dense_rank is None and hits[0].lexical_rank == 1
        assert "being built (0/3 documents): searching by words only" in caplog.text
        assert caplog.text.count("searching by words only") == 1  # said once per build, not per search
        with pytest.raises(FinpilotError, match="not complete yet"):
            idx.search("回撤", where={"kind": "glossary"})
        assert book.try_lock("building_docs") is None  # a second builder is turned away
    finally:
        lock.close()
    assert not book.running("building_docs")


def test_an_interrupted_build_stays_lexical_until_a_sync_finishes_it() -> None:
    s = get_settings()
    book = index_book(s)
    book.begin("half_docs", DOCS)  # a builder that died before finishing: nobody holds the lock
    idx = open_index("half_docs", s)
    assert idx.building() is not None and not book.running("half_docs")
    assert idx.search("短信", k=1)[0].lexical_rank == 1
    idx.sync(DOCS)
    state = book.state("half_docs")
    assert state is not None and state.state == "ready" and state.done == 3 and state.digest == docs_digest(DOCS)
    assert idx.building() is None
    assert not (book.folder / "half_docs.docs.jsonl").exists()
    assert idx.search("短信", k=1)[0].dense_rank == 1


def test_ensure_demo_leaves_an_index_another_process_builds_when_asked_not_to_wait() -> None:
    s = get_settings()
    book = index_book(s)
    lock = book.try_lock(KNOWLEDGE_COLLECTION)
    assert lock is not None
    try:
        status = ensure_demo(s, progress=False, wait=False)
        assert status.indexing == [KNOWLEDGE_COLLECTION] and status.knowledge is None
        assert status.catalog.indexed
    finally:
        lock.close()
    status = ensure_demo(s, progress=False)
    assert status.indexing == [] and status.knowledge is not None and status.knowledge.embedded == 0


def test_the_app_does_not_wait_for_a_users_table_being_written() -> None:
    s = get_settings()
    generate_demo(s)
    ensure_demo(s, progress=False)
    with open(s.home / DEMO_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as the builder of a first start holds it while it writes the table
        status = ensure_demo(s, progress=False, wait=False)
        assert status.indexing == [USERS_JOB] and status.catalog.status == "unchanged"


def test_lines_instead_of_a_bar_when_stderr_is_not_a_terminal() -> None:
    out = io.StringIO()
    with LineProgress(3_300, "indexing knowledge", " docs", every=0.0, stream=out) as bar:
        bar.update(1_200)
        bar.update(2_100)
    lines = out.getvalue().splitlines()
    assert lines[:3] == ["indexing knowledge: 0/3,300 docs", "indexing knowledge: 1,200/3,300 docs", "indexing knowledge: 3,300/3,300 docs"]
    assert lines[3].startswith("indexing knowledge: 3,300/3,300 docs (") and lines[3].endswith(" s)")


@pytest.mark.slow
def test_background_indexing_answers_by_words_at_once_then_by_meaning(tmp_path: Path) -> None:
    s = get_settings()
    status = ensure_demo(s, progress=False, background=True)
    assert status.generated and "users.parquet" not in status.counts  # the users' table is the builder's
    funds = open_catalog(DEMO_CATALOG, s).manifest.collection
    assert funds is not None and set(status.indexing) == {funds, KNOWLEDGE_COLLECTION}
    assert not status.catalog.indexed
    knowledge = knowledge_index(s)
    early = knowledge.search("A类和C类份额有什么区别", k=3)
    assert early and all(h.dense_rank is None for h in early)  # lexical, at once
    deadline = time.monotonic() + 600
    while any(index_book(s).unfinished(c) for c in (funds, KNOWLEDGE_COLLECTION)):
        assert time.monotonic() < deadline, "the background build did not finish"
        time.sleep(0.5)
    assert open_catalog(DEMO_CATALOG, s).index().count() == len(open_catalog(DEMO_CATALOG, s).funds)
    late = knowledge_index(s).search("A类和C类份额有什么区别", k=3)
    assert late[0].dense_rank is not None
    assert generate_demo(s) == (False, status.counts | {"users.parquet": s.demo_users})  # waits for the users' table
    reference = tmp_path / "reference"
    write_demo(s.demo_seed, reference, n_users=s.demo_users)
    assert not (s.demo_dir / "responses.parquet").exists()  # the response logs wait for their first use
    ensure_responses(s)
    for made in reference.iterdir():  # the builder's users' table, README and logs, byte for byte those of one go
        assert (s.demo_dir / made.name).read_bytes() == made.read_bytes(), made.name
    # Everything is complete: a later start hands nothing down.
    assert ensure_demo(s, progress=False, background=True).indexing == []
    assert ingest(s.demo_dir / "funds.jsonl", DEMO_CATALOG, None, settings=s, progress=False).status == "unchanged"

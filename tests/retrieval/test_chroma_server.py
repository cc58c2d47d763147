"""Server mode: a real `chroma run` on 127.0.0.1, started and stopped by the test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from finpilot import FinpilotError
from finpilot._settings import reset_settings_cache
from retrieval import ingest, open_catalog
from tests.conftest import free_port, fund_row, serving, write_jsonl

pytestmark = pytest.mark.server


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    exe = shutil.which("chroma")
    if exe is None:
        pytest.skip("the `chroma` command (from the chromadb package) is not on PATH")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [exe, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)]
    with serving(cmd, f"{url}/api/v2/heartbeat", log=tmp_path / "chroma.log"):
        yield url


def test_catalog_index_lives_on_the_server(chroma_server: str, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import chromadb

    monkeypatch.setenv("FINPILOT_CHROMA_URL", chroma_server)
    reset_settings_cache()
    rows = [fund_row("800001", name="测试新能源混合A", fund_type="mixed", themes=["新能源", "光伏"]),
            fund_row("800002"), fund_row("800003", name="测试医药股票C", fund_type="stock", themes=["医药"])]  # fmt: skip
    report = ingest(write_jsonl(tmp_path / "f.jsonl", rows), "srv")
    assert report.indexed and report.embedded == 3
    assert not (home / "chroma").exists(), "server mode must not create the embedded store"

    cat = open_catalog("srv")
    hits = cat.index().search("光伏新能源", k=3)
    assert hits[0].id == "800001"
    assert {h.id for h in cat.index().search("医药", k=3, where={"fund_type": "stock"})} == {"800003"}

    port = int(chroma_server.rsplit(":", 1)[1])
    names = [c.name for c in chromadb.HttpClient(host="127.0.0.1", port=port).list_collections()]
    assert names == [cat.manifest.collection]

    # Re-ingesting a changed file swaps the collection on the server and drops the old one.
    ingest(write_jsonl(tmp_path / "f2.jsonl", rows[:2]), "srv", allow_shrink=True)  # a third fewer: allowed on purpose
    new = open_catalog("srv").manifest.collection
    assert [c.name for c in chromadb.HttpClient(host="127.0.0.1", port=port).list_collections()] == [new]


def test_unreachable_server_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINPILOT_CHROMA_URL", f"http://127.0.0.1:{free_port()}")
    reset_settings_cache()
    with pytest.raises(FinpilotError, match="cannot reach the Chroma server"):
        ingest(write_jsonl(tmp_path / "f.jsonl", [fund_row("800001")]), "srv")
    with pytest.raises(FinpilotError, match="unknown catalog"):
        open_catalog("srv")

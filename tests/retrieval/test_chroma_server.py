"""Server mode: a real `chroma run` on 127.0.0.1, started and stopped by the test; and Chroma's own Python server with
its token authentication, for FINPILOT_CHROMA_TOKEN, FINPILOT_CHROMA_TENANT and FINPILOT_CHROMA_DATABASE."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from finpilot import FinpilotError, get_settings
from finpilot._settings import reset_settings_cache
from retrieval import SearchIndex, ingest, open_catalog
from retrieval._search import make_embedder, open_client
from tests.conftest import free_port, fund_row, serving, write_jsonl
from tests.retrieval.test_where import DOCS, INVALID, QUERY, VALID

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


def _outcome(run: Any) -> tuple[str, Any]:
    try:
        return "ids", {h.id for h in run()}
    except FinpilotError as exc:
        return "error", str(exc)


def test_filters_mean_the_same_on_a_server_as_in_the_embedded_store(
    chroma_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_server(monkeypatch, chroma_server)
    s = get_settings()
    index = SearchIndex(open_client(s), "where_docs", make_embedder(s))
    index.sync(DOCS)
    for where, expected in VALID:
        for side in (index.lexical, index.dense):
            assert _outcome(partial(side, QUERY, 10, where)) == ("ids", expected), (where, side.__name__)
    for where, fragment in INVALID:
        lexical, dense = (_outcome(partial(side, QUERY, 10, where)) for side in (index.lexical, index.dense))
        assert lexical == dense and lexical[0] == "error" and fragment in lexical[1], (where, lexical, dense)


# `chroma run` (the Rust server of chromadb 1.x) has no authentication to switch on; Chroma's Python server
# (chromadb.app) still has it. Its module imports an OpenTelemetry FastAPI instrumentation that chromadb does not
# depend on: where that is not installed, a no-op stands in for it (it only adds tracing spans). Unlike the Rust
# server, it rebuilds each collection's embedding function from the name stored with the collection, so finpilot's
# has to be registered there (the model itself is never loaded: finpilot sends vectors).
_LAUNCH = """
import sys, types
try:
    import opentelemetry.instrumentation.fastapi  # noqa: F401
except ImportError:
    stub = types.ModuleType("chromadb.telemetry.opentelemetry.fastapi")
    stub.instrument_fastapi = lambda app, excluded_urls=None: None
    sys.modules[stub.__name__] = stub
import uvicorn
from retrieval._embed import _chroma_class
_chroma_class()
uvicorn.run("chromadb.app:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""
_TOKEN = "finpilot-test-token-5b1e"


@pytest.fixture(scope="module")
def chroma_auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Chroma's Python server on 127.0.0.1 with Chroma's token authentication (`Authorization: Bearer`)."""
    pytest.importorskip("fastapi")
    pytest.importorskip("uvicorn")
    folder = tmp_path_factory.mktemp("chroma-auth")
    (folder / "launch.py").write_text(_LAUNCH, encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHROMA_", "FINPILOT_"))}
    env.update({
        "IS_PERSISTENT": "TRUE", "PERSIST_DIRECTORY": str(folder / "data"), "ANONYMIZED_TELEMETRY": "FALSE",
        "CHROMA_SERVER_AUTHN_PROVIDER": "chromadb.auth.token_authn.TokenAuthenticationServerProvider",
        "CHROMA_SERVER_AUTHN_CREDENTIALS": _TOKEN, "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    })  # fmt: skip
    cmd = [sys.executable, str(folder / "launch.py"), str(port)]
    with serving(cmd, f"{url}/api/v2/heartbeat", log=folder / "chroma.log", env=env):
        yield url


def _use_server(monkeypatch: pytest.MonkeyPatch, url: str, token: str | None = None, tenant: str | None = None,
                database: str | None = None) -> None:  # fmt: skip
    monkeypatch.setenv("FINPILOT_CHROMA_URL", url)
    for name, value in (("TOKEN", token), ("TENANT", tenant), ("DATABASE", database)):
        if value is None:
            monkeypatch.delenv(f"FINPILOT_CHROMA_{name}", raising=False)
        else:
            monkeypatch.setenv(f"FINPILOT_CHROMA_{name}", value)
    reset_settings_cache()


def _admin(url: str, token: str | None = None) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    auth = {"chroma_client_auth_provider": "chromadb.auth.token_authn.TokenAuthClientProvider",
            "chroma_client_auth_credentials": token} if token else {}  # fmt: skip
    return chromadb.AdminClient(ChromaSettings(
        anonymized_telemetry=False, chroma_api_impl="chromadb.api.fastapi.FastAPI", chroma_server_host="127.0.0.1",
        chroma_server_http_port=int(url.rsplit(":", 1)[1]), **auth,
    ))  # fmt: skip


def test_a_tenant_and_database_hold_the_catalog(
    chroma_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = _admin(chroma_server)
    admin.create_tenant("acme")
    admin.create_database("funds", tenant="acme")
    _use_server(monkeypatch, chroma_server, tenant="acme", database="funds")
    rows = [fund_row("800001", name="测试新能源混合A", fund_type="mixed", themes=["新能源", "光伏"]),
            fund_row("800002"), fund_row("800003", name="测试医药股票C", fund_type="stock", themes=["医药"])]  # fmt: skip
    assert ingest(write_jsonl(tmp_path / "f.jsonl", rows), "srv").indexed

    cat = open_catalog("srv")
    assert cat.index().search("光伏新能源", k=3)[0].id == "800001"
    assert {h.id for h in cat.index().search("医药", k=3, where={"fund_type": "stock"})} == {"800003"}
    # The engine's refusal comes over HTTP as an error the client has no class for: the same words all the same.
    with pytest.raises(FinpilotError, match=r"^invalid filter: Invalid where clause$"):
        cat.index().search("医药", k=3, where={"risk_level": {"$gt": True}})
    # The collection is in acme/funds, and only there.
    assert [c.name for c in open_client(get_settings()).list_collections()] == [cat.manifest.collection]
    default = get_settings(chroma_url=chroma_server, chroma_tenant=None, chroma_database=None)
    assert open_client(default).list_collections() == []

    _use_server(monkeypatch, chroma_server, tenant="nobody")
    with pytest.raises(FinpilotError, match=r"Tenant \[nobody\] not found.*FINPILOT_CHROMA_TENANT"):
        open_client(get_settings())
    _use_server(monkeypatch, chroma_server, tenant="acme", database="nothing")
    with pytest.raises(FinpilotError, match=r"Database \[nothing\] not found.*FINPILOT_CHROMA_DATABASE"):
        open_catalog("srv").index().count()


def test_a_server_that_requires_a_token(
    chroma_auth_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [fund_row("800001"), fund_row("800002"), fund_row("800003", fund_type="stock")]
    _use_server(monkeypatch, chroma_auth_server)
    refused = r"^the Chroma server at \S+ refused finpilot \(.+\): set FINPILOT_CHROMA_TOKEN$"
    with pytest.raises(FinpilotError, match=refused):
        ingest(write_jsonl(tmp_path / "f.jsonl", rows), "srv")
    _use_server(monkeypatch, chroma_auth_server, token="not-the-token")
    with pytest.raises(FinpilotError, match=r"refused finpilot \(.+\): check FINPILOT_CHROMA_TOKEN$") as err:
        open_client(get_settings())
    assert "not-the-token" not in str(err.value)

    admin = _admin(chroma_auth_server, _TOKEN)
    admin.create_tenant("acme")
    admin.create_database("funds", tenant="acme")
    _use_server(monkeypatch, chroma_auth_server, token=_TOKEN, tenant="acme", database="funds")
    assert ingest(write_jsonl(tmp_path / "f.jsonl", rows), "srv").indexed
    here = get_settings()
    cat = open_catalog("srv")
    # Chroma 1.5.9's Python server fails to send embeddings back (AttributeError: 'list' object has no attribute
    # 'tolist'), so searching is tested on `chroma run` above; counting and filtering need no embeddings.
    assert cat.index().count() == 3
    assert [c.name for c in open_client(here).list_collections()] == [cat.manifest.collection]
    with pytest.raises(FinpilotError, match=r"^invalid filter: Invalid where clause$"):
        cat.index().lexical("基金", where={"risk_level": {"$gt": True}})
    assert _TOKEN not in repr(here) and _TOKEN not in here.model_dump_json() and _TOKEN not in str(here.model_dump())

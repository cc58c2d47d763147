"""Hostile fund names in a real browser: a catalog whose names hold a markdown image, a javascript: link, an HTML
<img> and a bold promise is ingested through the command line and asked about on the advisor page; the names read
as the characters the catalog holds, and the page fetches nothing from anywhere but the app itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import free_port, fund_row, serving, write_jsonl
from tests.ui.conftest import ARTIFACTS, chromium_page

# a 1x1 PNG, so a page that did fetch the picture would show one
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + bytes.fromhex(
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def trap() -> Iterator[tuple[int, list[str]]]:
    """A tiny HTTP server on 127.0.0.1 that records every request it gets (a fetched picture, a followed link)."""
    seen: list[str] = []

    class Record(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.server
def test_hostile_fund_names_read_as_text_and_fetch_nothing(ui_home: Path, tmp_path: Path, trap: tuple[int, list[str]]) -> None:
    trap_port, trap_hits = trap
    picture = f"![x](http://127.0.0.1:{trap_port}/x.png)"
    html_img = f'<img src="http://127.0.0.1:{trap_port}/y.png">'
    names = {
        "880001": f"{picture}稳健债券A",
        "880002": "[点我](javascript:alert(1))债券A",
        "880003": f"{html_img}债券A",
        "880004": "**稳赚不赔**保本债券A",
        "880005": ":red[红色] :material/home: 债券A",
    }
    rows = [fund_row(code, name=name, managers=[f"![m](http://127.0.0.1:{trap_port}/m.png)"]) for code, name in names.items()]

    # A home of its own (a copy of the prepared demo home), so the hostile catalog never reaches another test.
    home = tmp_path / "home"
    shutil.copytree(ui_home, home, symlinks=True)
    env = {**os.environ, "FINPILOT_HOME": str(home), "FINPILOT_PROGRESS": "0", "FINPILOT_DEFAULT_CATALOG": "hostile"}
    cmd = [sys.executable, "-m", "finpilot", "ingest", str(write_jsonl(tmp_path / "hostile.jsonl", rows)), "--catalog", "hostile", "--no-index"]
    loaded = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env, timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded 5 of 5 rows" in loaded.stdout  # ingestion still succeeds
    flagged = [line for line in loaded.stdout.splitlines() if "names with claims" in line]
    assert len(flagged) == 1 and "880004" in flagged[0] and "稳赚不赔" in flagged[0], loaded.stdout

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    ui = [sys.executable, "-m", "finpilot", "ui", "--port", str(port), "--no-browser"]
    with serving(ui, f"{url}/_stcore/health", timeout=90, log=tmp_path / "ui.log", env=env), chromium_page(1400) as page:
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_role("heading", name="基金顾问").wait_for(timeout=120_000)
        box = page.get_by_test_id("stChatInputTextArea")
        box.fill("债券基金")
        box.press("Enter")
        page.get_by_text("符合条件的有").first.wait_for(timeout=60_000)
        page.get_by_text("数据截至").first.wait_for(timeout=30_000)  # the streamed answer is complete
        page.get_by_test_id("stDataFrame").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)  # time for any picture the page would fetch
        page.screenshot(path=str(ARTIFACTS / "advisor-hostile-names.png"), full_page=True)

        # U+2060, an invisible word joiner, keeps "http://" in text from being linked; a reader sees nothing of it
        answer = page.get_by_test_id("stChatMessage").last.inner_text().replace("\u2060", "")
        for name in names.values():
            assert name in answer, (name, answer)  # each name reads exactly as the catalog holds it
        assert page.locator("a[href^='javascript']").count() == 0
        assert page.locator("strong", has_text="稳赚不赔").count() == 0  # no promise in bold
        sources = page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('src') || '')")
        assert not [s for s in sources if str(trap_port) in s or s.startswith("http") and not s.startswith(url)], sources
        links = page.eval_on_selector_all("[data-testid=stChatMessage] a", "els => els.map(e => e.getAttribute('href') || '')")
        assert links == [], links  # nothing in the conversation is a link

    assert trap_hits == []  # the picture in the name was never fetched
    foreign = [u for u in requested if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u).netloc != f"127.0.0.1:{port}"]
    assert foreign == [], foreign  # the browser talked to the app and nothing else

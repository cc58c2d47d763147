"""UI tests share one prepared home (demo data, catalog and indexes built once per session, about two minutes cold):
the app prepares the embedded defaults on start, and doing that per test would take the whole CI budget."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from finpilot._settings import reset_settings_cache
from tests.conftest import free_port, serving, use_home

APP = Path(__file__).resolve().parents[2] / "ui" / "app.py"


@pytest.fixture(scope="session")
def ui_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A FINPILOT_HOME with the demo built (FINPILOT_TEST_DEMO_HOME names one built before, to skip the build)."""
    from finpilot import get_settings
    from retrieval import ensure_demo

    path = Path(os.environ["FINPILOT_TEST_DEMO_HOME"]) if os.environ.get("FINPILOT_TEST_DEMO_HOME") else tmp_path_factory.mktemp("ui-home")
    old = {k: os.environ.get(k) for k in ("FINPILOT_HOME", "FINPILOT_PROGRESS")}
    os.environ.update({"FINPILOT_HOME": str(path), "FINPILOT_PROGRESS": "0"})
    reset_settings_cache()
    try:
        ensure_demo(get_settings(), progress=False)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        reset_settings_cache()
    return path


@pytest.fixture(autouse=True)
def home(ui_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Overrides the suite's fresh-home fixture: every UI test runs on the prepared home."""
    yield from use_home(monkeypatch, ui_home)


@pytest.fixture
def app():  # type: ignore[no-untyped-def]
    """The whole app under Streamlit's AppTest, first page shown."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(APP), default_timeout=120).run()


@pytest.fixture
def server(home: Path, tmp_path: Path) -> Iterator[str]:
    """`finpilot ui` on 127.0.0.1 and a free port, stopped after the test (the real-browser tests drive it)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "finpilot", "ui", "--port", str(port), "--no-browser"]
    with serving(cmd, f"{url}/_stcore/health", timeout=90, log=tmp_path / "ui.log", env=os.environ.copy()):
        yield url


CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "ui"


@contextlib.contextmanager
def chromium_page(width: int, height: int = 1000) -> Iterator[Any]:
    """A Chinese-locale page in Debian's headless Chromium (Playwright), closed after the block; the test is skipped,
    saying why, when Chromium or Playwright is missing. Screenshots go to ARTIFACTS."""
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium): real-browser test skipped")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: real-browser test skipped")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            yield browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
        finally:
            browser.close()

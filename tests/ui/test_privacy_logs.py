"""A campaign brief holds phone, ID and bank-card numbers; when the planner crashes on it, the failure is logged in
full, and no log line, traceback or file the app writes holds those numbers unmasked.

There is no crash a person can cause on purpose (that would be a bug to fix), so the planner is made to fail: an
exception whose message quotes the brief, as a parser's ValueError would. Once inside the page as AppTest runs it,
once in the real server (`streamlit run ui/app.py` as `finpilot ui` starts it) driven by Chromium.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port, serving
from tests.ui.conftest import APP, chromium_page

BRIEF = ("下周给沉睡用户推稳盈90天，预算5万，短信；负责人手机 13812345678，备用 138 1234 5678，"
         "身份证 110101199003077777，回款卡 6222 0212 3456 7890 123")  # fmt: skip
RAW = ("13812345678", "138 1234 5678", "110101199003077777", "6222 0212 3456 7890 123", "6222021234567890123")
MASKED = ("138****5678", "110***********7777", "***************0123")
UNEXPECTED = "出现了意外错误"

CRASH = '''
def crash(self, brief, *args, **kwargs):
    raise RuntimeError(f"planner crashed on brief {brief!r}")
'''


def _leaks(folder: Path) -> dict[str, list[str]]:
    """Every file under `folder` that holds a raw number, with the numbers it holds."""
    found: dict[str, list[str]] = {}
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            held = [n for n in RAW if n.encode() in data]
            if held:
                found[str(path)] = held
    return found


@pytest.fixture
def app_log(tmp_path: Path) -> Iterator[Path]:
    """The records of every logger, written to a file as Streamlit's console handler formats them."""
    from streamlit.logger import DEFAULT_LOG_MESSAGE

    path = tmp_path / "logs" / "app.log"
    path.parent.mkdir()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(DEFAULT_LOG_MESSAGE))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        handler.close()


def test_a_planner_crash_in_the_page_logs_the_brief_masked(app_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's own handling (ui._campaigns._handle) as AppTest runs the app, its log captured under tmp_path."""
    from streamlit.testing.v1 import AppTest

    from assistant.campaigns import Planner

    scope: dict[str, object] = {}
    exec(CRASH, scope)  # noqa: S102 - the same crash the server test injects
    monkeypatch.setattr(Planner, "plan", scope["crash"])
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    app.switch_page("pages/campaigns.py").run()
    app.chat_input(key="campaign_input").set_value(BRIEF).run()
    assert not app.exception
    assert any(UNEXPECTED in e.value for e in app.error)  # the person is told, in a sentence

    log = app_log.read_text(encoding="utf-8")
    assert "campaign message failed" in log and "Traceback" in log and "planner crashed on brief" in log  # logged in full
    assert all(m in log for m in MASKED), log
    assert _leaks(tmp_path) == {}


def test_a_log_record_is_masked_whichever_logger_writes_it(app_log: Path) -> None:
    from ui._common import mask_logs

    mask_logs()
    mask_logs()  # the app calls it on every run: installed once
    logging.getLogger("some.library").error("script failed on %s", BRIEF)
    logging.getLogger().warning("root: " + BRIEF)
    try:
        raise ValueError(BRIEF)
    except ValueError:
        logging.getLogger("finpilot.funds").exception("request failed")
    log = app_log.read_text(encoding="utf-8")
    assert log.count("138****5678") == 6 and "ValueError: 下周" in log
    assert _leaks(app_log.parent) == {}


@pytest.mark.server
def test_a_planner_crash_in_the_server_leaves_no_personal_number_in_any_file(ui_home: Path, tmp_path: Path) -> None:
    # The server as `finpilot ui` runs it (the same streamlit flags), with the planner made to crash.
    home = tmp_path / "home"
    shutil.copytree(ui_home, home, symlinks=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    flags = ["run", str(APP), "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--client.showErrorDetails", "false", "--client.toolbarMode", "minimal",
             "--theme.base", "light"]  # fmt: skip
    server = tmp_path / "crashing_server.py"
    server.write_text(
        f"import sys\nfrom assistant.campaigns import Planner\n{CRASH}\nPlanner.plan = crash\n"
        f"from streamlit.web.cli import main\nsys.argv = ['streamlit', *{flags!r}]\nmain()\n",
        encoding="utf-8",
    )
    env = {**os.environ, "FINPILOT_HOME": str(home), "FINPILOT_PROGRESS": "0", "PYTHONPATH": str(APP.parents[1])}
    log = tmp_path / "server.log"  # the server's stdout and stderr
    with serving([sys.executable, str(server)], f"{url}/_stcore/health", timeout=90, log=log, env=env), chromium_page(1400) as page:
        page.goto(f"{url}/campaigns", wait_until="domcontentloaded")
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for(timeout=120_000)
        box.fill(BRIEF)
        box.press("Enter")
        page.get_by_text(UNEXPECTED).first.wait_for(timeout=60_000)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "campaign message failed" in text and "planner crashed on brief" in text, text[-2000:]  # the crash was logged
    assert all(m in text for m in MASKED), text[-2000:]
    assert _leaks(tmp_path) == {}  # the log, and every file the app wrote under its home

"""The `finpilot` command as a user runs it: the export contract, people-facing output, one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from retrieval import EXPORT_FIELDS
from tests.conftest import free_port, fund_row, write_jsonl


def run(*args: str, ok: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `finpilot ARGS` in a child process with the test's FINPILOT_HOME."""
    proc = subprocess.run([sys.executable, "-m", "finpilot", *args], capture_output=True, text=True, env=os.environ.copy(), timeout=timeout)
    if ok:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_export_contract(tmp_path: Path) -> None:
    rows = [fund_row("100001"), fund_row("100002", fund_type="money", max_drawdown_1y=0.0, share_class=None, risk_level=None)]
    run("ingest", str(write_jsonl(tmp_path / "f.jsonl", rows)), "--catalog", "c", "--no-index")
    lines = run("catalog", "export", "--catalog", "c", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 2
    for line in lines:
        row = json.loads(line)
        assert list(row)[: len(EXPORT_FIELDS)] == list(EXPORT_FIELDS)
        assert row["fund_type"] in {"stock", "mixed", "bond", "index", "money", "qdii", "fof", "other"}
        assert row["share_class"] in {"A", "C", None}
        assert row["risk_level"] in {1, 2, 3, 4, 5, None}
        assert isinstance(row["managers"], list) and isinstance(row["themes"], list)
        assert isinstance(row["dca"], bool) and isinstance(row["purchase_open"], bool)
        for key in ("return_1y", "max_drawdown_1y", "mgmt_fee", "size", "min_purchase"):
            assert row[key] is None or isinstance(row[key], (int, float))
    second = json.loads(lines[1])
    assert second["risk_level"] is None and second["share_class"] is None and second["max_drawdown_1y"] == 0.0
    csv_out = run("catalog", "export", "--catalog", "c", "--format", "csv").stdout.splitlines()
    assert csv_out[0].split(",")[: len(EXPORT_FIELDS)] == list(EXPORT_FIELDS) and len(csv_out) == 3


def test_ingest_summary_show_and_list(tmp_path: Path) -> None:
    rows = [fund_row("100001", max_drawdown_1y=None), fund_row("100002", risk_level=8)]
    out = run("ingest", str(write_jsonl(tmp_path / "f.jsonl", rows)), "--catalog", "c", "--no-index")
    assert "loaded 1 of 2 rows, rejected 1" in out.stdout
    assert "rejected row 2 (line 2) [100002]: risk_level" in out.stderr
    assert "max_drawdown_1y 1" in out.stdout  # the missing metric is reported, not invented
    again = run("ingest", str(tmp_path / "f.jsonl"), "--catalog", "c", "--no-index")
    assert "unchanged" in again.stdout
    shown = run("catalog", "show", "100001", "--catalog", "c").stdout
    assert "测试稳健债券100001A" in shown and "R2" in shown
    assert "最大回撤 max drawdown 1y" in shown and "—" in shown
    assert "c: 1 funds, 1 rejected" in run("catalog", "list").stdout


def _error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_bad_input_is_one_clear_line(tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "f.jsonl", [fund_row("100001")])
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("[{", encoding="utf-8")
    assert "no such file" in _error(run("ingest", str(tmp_path / "nope.csv"), "--catalog", "c", ok=False))
    assert "unknown catalog 'nope'" in _error(run("catalog", "export", "--catalog", "nope", ok=False))
    assert "unknown mapping 'nope'" in _error(run("ingest", str(good), "--catalog", "c", "--mapping", "nope", ok=False))
    assert "not valid JSON" in _error(run("ingest", str(bad_json), "--catalog", "c", ok=False))
    assert "Missing option '--catalog'" in _error(run("ingest", str(good), ok=False))
    run("ingest", str(good), "--catalog", "c", "--no-index")
    assert "no fund '999999'" in _error(run("catalog", "show", "999999", "--catalog", "c", ok=False))
    assert "has no search index" in _error(run("search", "债券", "--catalog", "c", ok=False))
    assert "--where is not valid JSON" in _error(run("search", "债券", "--catalog", "c", "--where", "{x", ok=False))
    # Wordless, control-character and over-long requests: one line each, before any screen or plan runs, nothing echoed raw.
    assert "has no words" in _error(run("funds", "😀🎉", "--catalog", "c", ok=False))
    assert "U+001B" in _error(run("campaign", "推活钱盈\x1b[31m预算1万", ok=False))
    assert "keep it under 500" in _error(run("search", "债" * 600, "--catalog", "c", ok=False))
    assert "is a directory" in _error(run("ingest", str(tmp_path), "--catalog", "c", ok=False))
    assert "Invalid value for '--seed'" in _error(run("demo", "generate", "--seed", "-1", ok=False))
    run("ingest", str(good), "--catalog", "ix")
    assert "--where is not a filter the index accepts" in _error(run("search", "债券", "--catalog", "ix", "--where", '{"risk_level": {"$foo": 2}}', ok=False))


def test_corrupt_index_is_one_clear_line(tmp_path: Path, home: Path) -> None:
    run("ingest", str(write_jsonl(tmp_path / "f.jsonl", [fund_row("100001")])), "--catalog", "c")
    assert "100001" in run("search", "债券", "--catalog", "c").stdout
    store = home / "chroma" / "chroma.sqlite3"
    assert store.is_file()
    store.write_bytes(b"this is not a database" * 100)
    line = _error(run("search", "债券", "--catalog", "c", ok=False))
    assert "unreadable" in line or "index" in line


@pytest.mark.slow
def test_start_runs_the_main_job_on_a_fresh_home(home: Path) -> None:
    first = run("start", "--no-ui", timeout=1200)  # embeds 3,300 documents on a fresh home: minutes on two busy cores
    assert "demo data: generated (seed 20190830, fictional)" in first.stderr
    assert "catalog demo: " in first.stderr and "(loaded)" in first.stderr
    assert "backend: offline" in first.stdout
    answer = first.stdout.split("> ")[1]
    assert "理解为：类型：债券型" in answer  # the parsed request is shown
    listed = re.findall(r"(?m)^\d+\. (\S+?)（", answer)
    assert len(listed) == 10 and all("债" in name for name in listed)  # the example asks for bond funds and gets them
    assert "faq-fund-share-class-a-vs-c" in first.stdout
    assert "基金有风险，投资需谨慎" in first.stdout
    second = run("start", "--no-ui")
    assert "demo data: present" in second.stderr and "(unchanged)" in second.stderr
    assert second.stdout == first.stdout
    assert len(run("catalog", "export").stdout.splitlines()) >= 3000


def test_damaged_catalog_files_are_one_clear_line(tmp_path: Path, home: Path) -> None:
    run("ingest", str(write_jsonl(tmp_path / "f.jsonl", [fund_row("100001")])), "--catalog", "c", "--no-index")
    version = (home / "catalogs" / "c").resolve()
    (version / "funds.jsonl").write_text('{"code": "100001", "name": ', encoding="utf-8")
    assert "catalog 'c' is damaged" in _error(run("catalog", "export", "--catalog", "c", ok=False))
    (version / "manifest.json").write_text("{", encoding="utf-8")
    assert "no readable manifest" in _error(run("catalog", "show", "100001", "--catalog", "c", ok=False))
    # A damaged version is replaced by the next ingest, which then works again.
    run("ingest", str(tmp_path / "f.jsonl"), "--catalog", "c", "--no-index")
    assert "100001" in run("catalog", "export", "--catalog", "c").stdout


def test_backend_option_fails_cleanly_when_the_backend_cannot_be_had(tmp_path: Path) -> None:
    assert "no GGUF model at" in _error(run("--backend", "llama:/missing/model.gguf", "catalog", "list", ok=False))
    assert "unknown backend 'bogus'" in _error(run("--backend", "bogus", "catalog", "list", ok=False))
    not_a_model = tmp_path / "x.gguf"
    not_a_model.write_text("hello", encoding="utf-8")
    assert "not a GGUF model file" in _error(run("models", "check", str(not_a_model), ok=False))
    assert "offline" in run("models", "list").stdout


def test_unreachable_openai_backend_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret")
    proc = run("--backend", "openai:some-model", "catalog", "list", ok=False)
    assert "cannot connect to http://127.0.0.1" in _error(proc)
    assert "sk-test-secret" not in proc.stderr + proc.stdout


def test_models_pull_without_a_reachable_hub_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{free_port()}")  # the attempt stays on loopback
    line = _error(run("models", "pull", "owner/repo/model.gguf", ok=False))
    assert "cannot download owner/repo/model.gguf" in line and "unreachable" in line
    assert "OWNER/REPO/FILE.gguf" in _error(run("models", "pull", "not-a-model", ok=False))


def _small_catalog(tmp_path: Path) -> None:
    rows = [fund_row("200001", name="测试纯债债券A", pair_code="200002", purchase_fee=0.8, sales_service_fee=0.0),
            fund_row("200002", name="测试纯债债券C", share_class="C", pair_code="200001", purchase_fee=0.0, sales_service_fee=0.4),
            fund_row("200003", name="测试成长混合", fund_type="mixed", risk_level=4, return_1y=18.0, max_drawdown_1y=12.0, themes=["成长"], share_class=None)]  # fmt: skip
    run("ingest", str(write_jsonl(tmp_path / "f.jsonl", rows)), "--catalog", "c", "--no-index")


def test_funds_json_contract_and_exit_codes(tmp_path: Path) -> None:
    _small_catalog(tmp_path)
    out = json.loads(run("funds", "推荐几只基金", "--catalog", "c", "--risk-profile", "C2", "--json").stdout)
    for key in ("filters", "shortlist", "excluded", "clarification", "answer", "citations", "disclaimer", "backend"):
        assert key in out
    assert [f["code"] for f in out["shortlist"]] == ["200002"]  # one class per portfolio (C: 0.4% < 0.8% over a year), nothing above C2
    assert out["excluded"] == {"investor_grade": 1} and out["filters"]["investor_grade"] == 2
    assert out["backend"] == "offline" and out["shortlist"][0]["reasons"]
    empty = run("funds", "近一年收益超过50%的债基", "--catalog", "c", "--json")
    assert json.loads(empty.stdout)["shortlist"] == [] and empty.returncode == 0
    assert _error(run("funds", "分析一下 123456", "--catalog", "c", ok=False)) == "error: no fund 123456 in catalog 'c'"
    assert "empty" in _error(run("funds", " ", "--catalog", "c", ok=False))
    text = run("funds", "近一年收益超过1%的债基", "--catalog", "c").stdout
    # the parse is shown with the words each condition came from
    assert text.startswith("理解为：类型：债券型（债基）；近1年收益 > 1（近一年收益超过1%）") and "基金有风险" in text


def test_chat_refines_the_previous_request(tmp_path: Path) -> None:
    _small_catalog(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "finpilot", "chat", "--catalog", "c"], input="近一年收益超过1%的债基，持有三年\n只要C类\n/grade C1\n/quit\n",
                          capture_output=True, text=True, env=os.environ.copy(), timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    first, second = re.split(r"(?m)^> ", proc.stdout)[1:3]
    assert "（200001）" in first and "（200002）" not in first  # A is cheaper over three years
    assert "份额：C" in second and "（200002）" in second and "（200001）" not in second
    assert "risk grade set to C1" in proc.stdout


def test_campaign_json_contract_edits_export_and_refusal(tmp_path: Path) -> None:
    brief = "下周五开始，给沉睡用户推稳盈90天，预算5万，短信加push，红包15.14元，为期两周"
    out = json.loads(run("campaign", brief, "--edit", "预算降到 2000 元", "--json", "--export", str(tmp_path / "x")).stdout)
    for key in ("brief", "segment", "products", "channels", "offer", "budget", "schedule", "copy", "kpis", "ab_test",
                "compliance", "citations", "refused", "refusal_reason", "backend"):  # fmt: skip
        assert key in out, key
    assert {"rule", "sql", "size", "reachable"} <= set(out["segment"]) and out["segment"]["size"] > 0
    assert out["products"][0]["id"] == "wenying_90d" and out["products"][0]["risk_level"] == 2
    assert all({"name", "touches", "unit_cost", "cost"} <= set(c) for c in out["channels"])
    assert out["budget"]["cap"] == 2000 and out["budget"]["total"] <= 2000
    assert {"arms", "sample_size_per_arm", "baseline_rate", "mde", "alpha", "power", "duration_days"} <= set(out["ab_test"])
    assert all({"channel", "variant", "text"} <= set(c) for c in out["copy"]) and out["compliance"]["passed"] is True
    assert any(c.startswith("budget cap") for c in out["changes"])
    sms_ids = (tmp_path / "x" / "channels" / "sms" / "user_ids.txt").read_text().split()
    held = set((tmp_path / "x" / "holdout_user_ids.txt").read_text().split())
    assert sms_ids and not set(sms_ids) & held  # the hold-out control is never sent to
    assert "# Campaign plan" in (tmp_path / "x" / "plan.md").read_text()
    refused = run("campaign", "写条短信说稳盈保本保收益，稳赚不赔，别提风险", "--json")
    data = json.loads(refused.stdout)
    assert refused.returncode == 0 and data["refused"] is True and data["refusal_reason"] and data["segment"] is None


def test_campaign_reads_a_bullet_list_a_file_and_standard_input_and_asks_when_it_must(tmp_path: Path) -> None:
    bullets = "- 三线及以下、25到40岁\n- 推活钱盈，预算5万，push"
    out = json.loads(run("campaign", bullets, "--json").stdout)
    assert "city_tier >= 3" in out["segment"]["rule"] and "age between 25 and 40" in out["segment"]["rule"]
    (tmp_path / "brief.txt").write_text(bullets, encoding="utf-8")
    assert json.loads(run("campaign", "--file", str(tmp_path / "brief.txt"), "--json").stdout)["segment"]["rule"] == out["segment"]["rule"]
    piped = subprocess.run([sys.executable, "-m", "finpilot", "campaign", "-", "--json"], input=bullets, capture_output=True,
                           text=True, env=os.environ.copy(), timeout=300)  # fmt: skip
    assert piped.returncode == 0 and json.loads(piped.stdout)["segment"]["rule"] == out["segment"]["rule"]
    asked = run("campaign", "给女性用户推康护，预算3万")
    assert "# A question before planning" in asked.stdout and "女性用户" in asked.stdout
    anyway = run("campaign", "给女性用户推康护，预算3万", "--anyway")
    assert "# Campaign plan" in anyway.stdout and "Not understood, not applied: 女性用户" in anyway.stdout
    assert "not both" in run("campaign", "x", "--file", str(tmp_path / "brief.txt"), ok=False).stderr


def test_finpilot_today_fixes_relative_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINPILOT_TODAY", "2026-11-28")  # a Saturday: 周一 is the coming Monday
    out = json.loads(run("campaign", "周一开始推活钱盈，预算5万，跑一周", "--json").stdout)
    assert out["schedule"]["start"] == "2026-11-30" and out["schedule"]["end"] == "2026-12-06"


def test_the_command_lines_log_masks_personal_numbers(home: Path) -> None:
    """A warning the command line logs never prints a phone, ID or card number the user typed."""
    import logging

    from click.testing import CliRunner

    from ui.cli import cli

    before = logging.getLogRecordFactory()
    logging.setLogRecordFactory(logging.LogRecord)  # as a fresh process starts, whatever ran before in this one
    try:
        CliRunner().invoke(cli, ["catalog", "list"])
        record = logging.getLogger("finpilot.test").makeRecord("finpilot.test", logging.WARNING, __file__, 1,
                                                               "brief failed: %s", ("call 13812345678, ID 110101199003077777",), None)  # fmt: skip
        text = logging.Formatter().format(record)
    finally:
        logging.setLogRecordFactory(before)
    assert "13812345678" not in text and "110101199003077777" not in text and "138****5678" in text

"""The learning loop from the command line, as a marketer meets it: plan and export, simulate results, load them (a
bad file is rejected whole, with row numbers), review (JSON and Markdown agree), the history learns, target."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.ui.cli.test_commands import run

BRIEF = "12月1日开始，给月活用户推稳盈90天，预算3万，push加短信，为期两周"


def test_review_of_a_past_campaign_in_json_and_markdown_agree() -> None:
    out = json.loads(run("campaign", "review", "cmp_0360", "--json", "--no-keep").stdout)
    hold = next(a for a in out["arms"] if a["holdout"])
    treated = [a for a in out["arms"] if not a["holdout"]]
    assert hold["users"] > 0 and treated and all(a["lift"]["low"] <= a["lift"]["estimate"] <= a["lift"]["high"] for a in treated)
    assert out["ab"]["decision"] in ("too_early", "no_difference", "first_better", "second_better")
    md = run("campaign", "review", "cmp_0360", "--lang", "en", "--no-keep").stdout
    # The same numbers: the hold-out's size and arm A's interval as the Markdown prints them.
    a = treated[0]
    assert f"{hold['users']:,}" in md and f"[{a['lift']['low']:.3%}, {a['lift']['high']:.3%}]" in md
    # Kept in the history, the campaign is reviewed again against its own design, not against its review's rates.
    kept = json.loads(run("campaign", "review", "cmp_0360", "--json").stdout)
    assert json.loads(run("campaign", "review", "cmp_0360", "--json").stdout)["ab"] == kept["ab"] == out["ab"]
    older = run("campaign", "review", "cmp_0001", ok=False)
    assert older.returncode == 1 and "no per-user logs" in older.stderr


def test_results_review_history_and_targeting_of_an_exported_plan(tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan_dir = tmp_path / "plan"
    monkeypatch.setenv("FINPILOT_TODAY", "2026-11-30")
    run("campaign", BRIEF, "--export", str(plan_dir))
    results = tmp_path / "results.csv"
    assert "wrote" in run("demo", "results", str(plan_dir), "--out", str(results)).stdout

    # One bad row rejects the whole file, named by its row number; nothing is stored.
    with results.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    bad = [list(r) for r in body]
    bad[4][header.index("arm")] = "Z"
    bad_file = tmp_path / "bad.csv"
    with bad_file.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *bad])
    rejected = run("campaign", "results", str(plan_dir), "--file", str(bad_file), ok=False)
    assert rejected.returncode == 1 and "rows 5 (1 in all)" in rejected.stderr and "nothing was stored" in rejected.stderr
    assert not (home / "results").exists() or not any((home / "results").iterdir())

    stored = run("campaign", "results", str(plan_dir), "--file", str(results)).stdout
    assert stored.startswith("stored ") and "control" in stored

    monkeypatch.setenv("FINPILOT_TODAY", "2026-12-20")
    review = json.loads(run("campaign", "review", str(plan_dir), "--json").stdout)
    assert [s["step"] for s in review["funnel"]] == ["touches", "clicks", "conversions", "value"]
    assert all(s["forecast"] is not None for s in review["funnel"])
    assert review["channels"] and review["guardrails"]

    # The reviewed campaign joins the history: the tag-effect table has it, and the same brief now cites it.
    tags = json.loads(run("campaign", "tags", "--json").stdout)
    assert tags and all(t["campaigns"] == 1 for t in tags)
    again = json.loads(run("campaign", BRIEF, "--json").stdout)
    assert review["campaign_id"] in [c["campaign_id"] for c in again["citations"]]

    target = json.loads(run("campaign", "target", str(plan_dir), "--json").stdout)
    assert target["method"] == "uplift" and target["targeted"] <= target["eligible"] <= target["segment"]
    assert target["rule_only"] and (plan_dir / "targeting.json").is_file() and (plan_dir / "targets.parquet").is_file()
    # The plan people read says which targeting it uses, once however often targeting is redone.
    run("campaign", "target", str(plan_dir))
    assert (plan_dir / "plan.md").read_text(encoding="utf-8").count("定向（按增量模型）") == 1

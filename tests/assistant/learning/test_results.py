"""Results in: every row checked against the plan, rejected by rule with row numbers, stored whole or not at all."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from assistant.learning._design import ArmSpec, CampaignDesign
from assistant.learning._results import results_path, store_results, validate
from finpilot import get_settings

DESIGN = CampaignDesign(campaign_id="plan-abc", name="t", source="plan", product_ids=["wenying_90d"],
                        channel_costs={"app_push": 0.002, "sms": 0.045}, arms=[ArmSpec(name="control", share=0.1, holdout=True),
                        ArmSpec(name="A", share=0.45), ArmSpec(name="B", share=0.45)], start=date(2026, 11, 1), end=date(2026, 11, 14))  # fmt: skip
HEADER = ["user_id", "campaign_id", "arm", "channel", "touches", "opened", "clicked", "converted", "value", "sent_on"]
GOOD = [
    ["u1", "plan-abc", "control", "", 0, "false", "false", "true", 100.0, "2026-11-01"],
    ["u2", "plan-abc", "A", "app_push", 2, "true", "true", "true", 2500.0, "2026-11-02"],
    ["u3", "plan-abc", "B", "sms", 1, "true", "false", "false", 0.0, "2026-11-03"],
]


def _csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def test_good_rows_are_stored_and_the_hold_out_has_no_channel(tmp_path: Path) -> None:
    report = store_results(get_settings(), DESIGN, _csv(tmp_path / "r.csv", GOOD))
    assert report.stored and report.arms == {"control": 1, "A": 1, "B": 1}
    stored = pq.read_table(report.path)
    assert stored.column("channel").to_pylist() == [None, "app_push", "sms"]


@pytest.mark.parametrize(("row", "message"), [
    (["u9", "plan-abc", "C", "sms", 1, "true", "false", "false", 0, "2026-11-02"], "arm is not one of the design's"),
    (["u9", "plan-abc", "control", "sms", 0, "false", "false", "false", 0, "2026-11-02"], "hold-out user has a channel"),
    (["u9", "plan-abc", "A", "wechat_work", 1, "true", "false", "false", 0, "2026-11-02"], "channel is not one the plan sends through"),
    (["u9", "plan-abc", "A", "sms", 1, "false", "true", "false", 0, "2026-11-02"], "clicked without opening"),
    (["u9", "plan-abc", "A", "sms", 1, "true", "true", "false", 50, "2026-11-02"], "value without a conversion"),
    (["u9", "plan-abc", "A", "sms", 1, "true", "false", "false", 0, "2026-12-30"], "outside the campaign"),
    (["u9", "plan-xyz", "A", "sms", 1, "true", "false", "false", 0, "2026-11-02"], "campaign_id is not this campaign's"),
    (["u1", "plan-abc", "A", "sms", 1, "true", "false", "false", 0, "2026-11-02"], "a user appears twice"),
])  # fmt: skip
def test_a_bad_row_rejects_the_file_naming_its_row(tmp_path: Path, row: list[object], message: str) -> None:
    settings = get_settings()
    first = store_results(settings, DESIGN, _csv(tmp_path / "ok.csv", GOOD))
    before = Path(first.path).read_bytes()
    report = store_results(settings, DESIGN, _csv(tmp_path / "bad.csv", [*GOOD, row]))
    assert not report.stored
    problem = next(p for p in report.problems if message in p.message)
    assert problem.rows == [4] and problem.count == 1
    # Nothing half-stored: the earlier results are untouched.
    assert results_path(settings, DESIGN.campaign_id).read_bytes() == before


def test_missing_columns_are_named(tmp_path: Path) -> None:
    table = pa.table({"user_id": ["u1"], "arm": ["A"]})
    clean, problems = validate(table, DESIGN)
    assert clean is None and "touches" in problems[0].message and "converted" in problems[0].message


def test_unknown_users_are_rejected(tmp_path: Path) -> None:
    report = store_results(get_settings(), DESIGN, _csv(tmp_path / "r.csv", GOOD),
                           known_users=lambda ids: pa.compute.is_in(ids, value_set=pa.array(["u1", "u2"])).to_numpy(zero_copy_only=False))
    assert not report.stored and report.problems[0].rows == [3]

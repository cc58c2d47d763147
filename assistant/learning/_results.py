"""Results in: a campaign's per-user exposure and response rows, checked against its design and stored whole or not at
all (a temporary file renamed into place, as catalogs are)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import BaseModel, Field

from assistant.learning._design import CampaignDesign
from finpilot import FinpilotError, Settings

REQUIRED = {"user_id": pa.string(), "arm": pa.string(), "channel": pa.string(), "touches": pa.int64(), "opened": pa.bool_(),
            "clicked": pa.bool_(), "converted": pa.bool_(), "value": pa.float64()}  # fmt: skip
"""Columns every results file needs (channel is empty in the hold-out)."""
OPTIONAL = {"campaign_id": pa.string(), "product_id": pa.string(), "offer_id": pa.string(), "opted_out": pa.bool_(),
            "complained": pa.bool_(), "sent_on": pa.date32()}  # fmt: skip
"""Columns read when present: guardrails need opted_out / complained, the date check needs sent_on."""
SHOWN_ERRORS = 20


class RowProblem(BaseModel):
    """One reason rows were rejected, with the first row numbers (1 = the first data row)."""

    message: str
    rows: list[int] = Field(default_factory=list)
    count: int = 0


class ResultsReport(BaseModel):
    """What `finpilot campaign results` did: rows stored per arm, or every problem and nothing stored."""

    campaign_id: str
    file: str
    rows: int
    stored: bool
    path: str | None = None
    arms: dict[str, int] = Field(default_factory=dict)
    problems: list[RowProblem] = Field(default_factory=list)
    replaced: bool = False


def results_dir(settings: Settings) -> Path:
    return settings.home / "results"


def results_path(settings: Settings, campaign_id: str) -> Path:
    return results_dir(settings) / f"{campaign_id}.parquet"


def read_table(path: Path) -> pa.Table:
    """A results file as a table: Parquet, or CSV with a header row (booleans as true/false or 1/0)."""
    if not path.is_file():
        raise FinpilotError(f"{path} does not exist")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pq.read_table(path)
        if suffix == ".csv":
            import pyarrow.csv as pv

            text_cols = {"user_id", "arm", "channel", "campaign_id", "product_id", "offer_id"}
            return pv.read_csv(path, convert_options=pv.ConvertOptions(
                column_types={c: pa.string() for c in text_cols}, strings_can_be_null=True,
                true_values=["true", "True", "TRUE", "1"], false_values=["false", "False", "FALSE", "0"]))  # fmt: skip
    except (pa.ArrowInvalid, OSError) as exc:
        raise FinpilotError(f"{path} cannot be read: {str(exc).splitlines()[0]}") from exc
    raise FinpilotError(f"{path}: results are read from .parquet or .csv files")


def _rows(mask: np.ndarray) -> tuple[list[int], int]:
    hits = np.nonzero(mask)[0]
    return [int(i) + 1 for i in hits[:SHOWN_ERRORS]], int(len(hits))


def validate(table: pa.Table, design: CampaignDesign, known_users: Callable[[pa.Array], np.ndarray] | None = None) -> tuple[pa.Table | None, list[RowProblem]]:
    """The table with its columns in the stored types, or None and every problem found (by rule, with row numbers)."""
    problems: list[RowProblem] = []
    missing = [c for c in REQUIRED if c not in table.column_names]
    if missing:
        return None, [RowProblem(message=f"missing columns: {', '.join(missing)} (needed: {', '.join(REQUIRED)})")]
    cols: dict[str, pa.Array] = {}
    for name, typ in {**REQUIRED, **OPTIONAL}.items():
        if name not in table.column_names:
            continue
        col = table.column(name).combine_chunks()
        try:
            cols[name] = col if col.type == typ else col.cast(typ)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            problems.append(RowProblem(message=f"column {name} is {col.type}, not {typ}"))
    if problems:
        return None, problems
    n = table.num_rows

    def check(mask: np.ndarray, message: str) -> None:
        rows, count = _rows(mask)
        if count:
            problems.append(RowProblem(message=message, rows=rows, count=count))

    def np_(name: str, fill: object) -> np.ndarray:
        return cols[name].fill_null(fill).to_numpy(zero_copy_only=False)

    user = np_("user_id", "")
    check(user == "", "user_id is empty")
    _, first = np.unique(user, return_index=True)
    dup = np.ones(n, bool)
    dup[first] = False
    check(dup & (user != ""), "a user appears twice (one row per user and campaign)")
    if "campaign_id" in cols:
        cid = np_("campaign_id", "")
        check(cid != design.campaign_id, f"campaign_id is not this campaign's ({design.campaign_id})")
    arm = np_("arm", "")
    names = {a.name for a in design.arms}
    check(~np.isin(arm, list(names)), f"arm is not one of the design's ({', '.join(sorted(names))})")
    holdout = np.isin(arm, [a.name for a in design.arms if a.holdout])
    channel = np_("channel", "")
    check(holdout & (channel != ""), "a hold-out user has a channel (the hold-out is never touched)")
    check(~holdout & np.isin(arm, list(names)) & ~np.isin(channel, list(design.channel_costs)),
          f"channel is not one the plan sends through ({', '.join(design.channel_costs)})")
    touches = np_("touches", -1)
    check(touches < 0, "touches is missing or negative")
    check(holdout & (touches > 0), "a hold-out user was touched")
    opened, clicked, converted = np_("opened", False), np_("clicked", False), np_("converted", False)
    for name in ("opened", "clicked", "converted"):
        check(cols[name].is_null().to_numpy(zero_copy_only=False), f"{name} is missing")
    check(opened & (touches == 0), "opened without a touch")
    check(clicked & ~opened, "clicked without opening")
    value = np_("value", 0.0)
    check(np.isnan(value) | (value < 0), "value is negative")
    check((value > 0) & ~converted, "value without a conversion")
    if "sent_on" in cols:
        sent = cols["sent_on"]
        start, end = pa.scalar(design.start, pa.date32()), pa.scalar(design.end, pa.date32())
        outside = pc.or_(pc.less(sent, start), pc.greater(sent, end)).fill_null(False).to_numpy(zero_copy_only=False)
        check(outside, f"sent_on is outside the campaign ({design.start} to {design.end})")
    if known_users is not None and not problems:
        check(~known_users(cols["user_id"]), "user_id is not in the user table")
    if problems:
        return None, problems
    out = {name: cols[name] for name in [*REQUIRED, *OPTIONAL] if name in cols}
    out["channel"] = pc.if_else(pc.equal(out["channel"], ""), pa.scalar(None, pa.string()), out["channel"])
    if "campaign_id" not in out:
        out["campaign_id"] = pa.array([design.campaign_id] * n, pa.string())
    return pa.table(out), []


def store_results(settings: Settings, design: CampaignDesign, path: Path, known_users: Callable[[pa.Array], np.ndarray] | None = None) -> ResultsReport:
    """Validate a results file against the design and store it whole (replacing earlier results), or store nothing."""
    table = read_table(path)
    clean, problems = validate(table, design, known_users)
    report = ResultsReport(campaign_id=design.campaign_id, file=str(path), rows=table.num_rows, stored=False, problems=problems)
    if clean is None:
        return report
    target = results_path(settings, design.campaign_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    report.replaced = target.exists()
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(clean, tmp, compression="zstd")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    counts = pc.value_counts(clean.column("arm")).to_pylist()
    report.arms = {c["values"]: int(c["counts"]) for c in counts}
    report.stored, report.path = True, str(target)
    return report


def load_logs(settings: Settings, design: CampaignDesign) -> pa.Table:
    """The stored results of a campaign: loaded ones first, else the demo's logs for a past campaign."""
    path = results_path(settings, design.campaign_id)
    if path.is_file():
        return pq.read_table(path)
    if design.source == "history":
        from retrieval import ensure_responses

        demo = ensure_responses(settings)
        table = pq.read_table(demo, filters=[("campaign_id", "=", design.campaign_id)])
        if table.num_rows:
            return table
        logged = sorted(set(pq.read_table(demo, columns=["campaign_id"]).column("campaign_id").to_pylist()))
        span = f"{logged[0]} to {logged[-1]}" if logged else "none"
        raise FinpilotError(f"{design.campaign_id} has no per-user logs: the demo keeps them for its latest campaigns only ({span})")
    raise FinpilotError(f"no results for {design.campaign_id} yet: load them with "
                        f"`finpilot campaign results PLAN --file results.parquet` (or .csv)")  # fmt: skip

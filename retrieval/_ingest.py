"""Ingest a catalog file: read, map, validate every row, build the new version aside, then swap it in."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from finpilot import FinpilotError, Settings, get_settings
from retrieval._catalog import (
    SCHEMA_VERSION,
    Catalog,
    CatalogManifest,
    catalog_link,
    check_name,
    collection_name,
    drop_collection,
    fund_index_doc,
    open_catalog,
)  # fmt: skip
from retrieval._mapping import MappingSpec, RowRejected, load_mapping
from retrieval._models import Fund
from retrieval._progress import progress_bar
from retrieval._readers import detect_format, read_rows, text_encoding
from retrieval._search import open_index

METRICS = ("risk_level", "return_1m", "return_3m", "return_6m", "return_1y", "return_3y", "return_ytd",
           "max_drawdown_1y", "volatility_1y", "sharpe_1y", "mgmt_fee", "purchase_fee", "sales_service_fee",
           "min_purchase", "size")  # fmt: skip


class RowError(BaseModel):
    """A row that was not loaded, and why."""

    row: int
    """Position of the record in the file, from 1."""
    line: int | None = None
    """Line in the file, for CSV and JSONL."""
    code: str | None = None
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f" (line {self.line})" if self.line else "")
        return f"{where}{f' [{self.code}]' if self.code else ''}: {self.reason}"


class FlaggedName(BaseModel):
    """A fund whose name says what no marketing may say (保本, 稳赚不赔, 最高…), as the caller's checker read it."""

    code: str
    name: str
    reason: str


FLAGGED_KEPT = 20
"""How many flagged names a report lists (it counts them all)."""


class IngestReport(BaseModel):
    """The outcome of one ingest, shown as the summary and returned by `--json`."""

    catalog: str
    status: Literal["loaded", "unchanged", "checked"]
    """`checked`: a dry run validated every row and published nothing."""
    source: str
    format: str
    mapping: str
    encoding: str | None = None
    """The text encoding the file was read in (utf-8, gb18030, or the one --encoding named); None for Parquet."""
    rows_read: int = 0
    loaded: int = 0
    rejected: list[RowError] = Field(default_factory=list)
    by_type: dict[str, int] = Field(default_factory=dict)
    missing: dict[str, int] = Field(default_factory=dict)
    """Loaded funds lacking each metric: missing stays missing, never invented."""
    indexed: bool = False
    embedded: int = 0
    seconds: float = 0.0
    rejects_file: str | None = None
    names_flagged: int = 0
    """Loaded funds whose name makes a claim the compliance rules forbid: loaded as the source says, flagged so the
    catalog's owner can check them (the app shows every name as plain text, never as markup)."""
    flagged: list[FlaggedName] = Field(default_factory=list)
    """The first FLAGGED_KEPT of them."""


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@contextmanager
def _locked(settings: Settings, name: str) -> Iterator[None]:
    # Two ingests of one catalog at once would race on the swap: the second waits.
    settings.catalogs_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.catalogs_dir / f".{name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _reason(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "row"
        value = err.get("input")
        shown = "" if isinstance(value, dict) else f" (got {value!r})"
        parts.append(f"{field}: {err['msg'].lower()}{shown}")
    return "; ".join(parts)


def validate_rows(path: Path, fmt: str, mapping: MappingSpec, progress: bool, encoding: str | None = None) -> tuple[list[Fund], list[RowError], int]:
    """Map and validate every row; a row is loaded whole or not at all."""
    source = mapping.source_label or path.name
    funds: list[Fund] = []
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    rows = 0
    bar = progress_bar(None, f"reading {path.name}", "rows", progress)
    try:
        for row, line, record, problem in read_rows(path, fmt, encoding):
            rows += 1
            bar.update(1)
            if problem is not None or record is None:
                errors.append(RowError(row=row, line=line, reason=problem or "empty"))
                continue
            code = str(record.get(mapping.fields["code"].source or "") or "").strip() or None
            try:
                data = mapping.apply(record)
                data["source"] = data.get("source") or source  # a row that names its own source keeps it
                fund = Fund(**data)
            except (RowRejected, ValidationError) as exc:
                reason = _reason(exc) if isinstance(exc, ValidationError) else str(exc)
                errors.append(RowError(row=row, line=line, code=code, reason=reason))
                continue
            if fund.code in first_row:
                errors.append(RowError(row=row, line=line, code=code, reason=f"duplicate code {fund.code} (first at row {first_row[fund.code]})"))
                continue
            first_row[fund.code] = row
            funds.append(fund)
    finally:
        bar.close()
    return funds, errors, rows


def ingest(
    path: str | Path,
    catalog: str,
    mapping: str | None = None,
    *,
    fmt: str | None = None,
    strict: bool = False,
    max_rejected: float = 0.5,
    index: bool = True,
    dry_run: bool = False,
    settings: Settings | None = None,
    progress: bool = True,
    allow_shrink: bool = False,
    max_shrink: float = 0.1,
    encoding: str | None = None,
    flag_name: Callable[[str], str | None] | None = None,
) -> IngestReport:
    """Load a catalog file into the named catalog; the previous version stays in place unless this succeeds.

    Rows that fail are reported, never half-loaded. The ingest fails as a whole (and changes nothing) when the
    file cannot be read, when no row is valid, when more than `max_rejected` of the rows are rejected (the
    mapping is likely wrong), when `strict` and any row is rejected, when the file ends in the middle of a record,
    or when the new version would hold more than `max_shrink` (10%) fewer funds than the published one, unless
    `allow_shrink`. `dry_run` validates and reports the same way but publishes nothing. `flag_name` reads each
    loaded fund's name and says why it is suspect (None: it is not); the report counts and lists those names. It is
    the caller's, because the compliance rules live above this layer.
    """
    s = settings or get_settings()
    started = time.perf_counter()
    name = check_name(catalog)
    src = Path(path).expanduser()
    if src.is_dir():
        raise FinpilotError(f"{src} is a directory: give the catalog file itself (CSV, JSON, JSONL or Parquet)")
    if not src.is_file():
        raise FinpilotError(f"no such file: {src}")
    fmt = detect_format(src, fmt)
    spec = load_mapping(mapping)
    enc = text_encoding(src, fmt, encoding)  # UTF-8, else GB18030/GBK (a Chinese finance system's export), or as told
    sha = file_sha256(src)
    fingerprint = hashlib.sha256(f"{sha}\0{spec.digest}\0{fmt}\0{SCHEMA_VERSION}".encode()).hexdigest()
    base = IngestReport(catalog=name, status="unchanged", source=str(src), format=fmt, mapping=spec.name, encoding=enc)

    with _locked(s, name):
        current = _current_manifest(name, s)
        if not dry_run and current and current.fingerprint == fingerprint and (current.collection or not index):
            base.rows_read, base.loaded = current.rows_read, current.rows_loaded
            base.indexed = bool(current.collection)
            base.seconds = time.perf_counter() - started
            return base

        funds, errors, rows = validate_rows(src, fmt, spec, progress and s.progress, enc)
        report = base.model_copy(update={"status": "loaded", "rows_read": rows, "loaded": len(funds), "rejected": errors})
        if rows == 0:
            raise FinpilotError(f"{src.name} holds no rows; catalog {name!r} is unchanged")
        if not funds:
            raise FinpilotError(f"none of the {rows} rows of {src.name} is valid (first: {errors[0]}); catalog {name!r} is unchanged")
        if strict and errors:
            raise FinpilotError(f"{len(errors)} of {rows} rows rejected and --strict is set (first: {errors[0]}); catalog {name!r} is unchanged")
        if len(errors) > max_rejected * rows:
            raise FinpilotError(
                f"{len(errors)} of {rows} rows rejected, more than {max_rejected:.0%} — is the mapping right? "
                f"(first: {errors[0]}); catalog {name!r} is unchanged"
            )
        if current is not None and not allow_shrink and len(funds) < (1 - max_shrink) * current.rows_loaded:
            raise FinpilotError(
                f"{src.name} would leave catalog {name!r} with {len(funds):,} funds where it has {current.rows_loaded:,} "
                f"({1 - len(funds) / current.rows_loaded:.0%} fewer, more than {max_shrink:.0%}); catalog {name!r} is unchanged "
                "— pass --allow-shrink if the smaller catalog is meant"
            )
        _summarise(report, funds)
        _flag_names(report, funds, flag_name)
        if dry_run:
            report.status = "checked"
            report.seconds = time.perf_counter() - started
            return report

        versions = s.catalogs_dir / ".versions"
        # A fresh folder per build: the published one is never touched, even when the fingerprint is the same.
        final = versions / f"{name}-{fingerprint[:12]}-{uuid.uuid4().hex[:8]}"
        staging = final.with_name(f".{final.name}.tmp")
        old_path = catalog_link(name, s).resolve() if current is not None else None
        collection = collection_name(name, fingerprint) if index else None
        published = False
        try:
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir(parents=True)
            _write_version(staging, funds, errors)
            as_of = sorted(f.as_of.isoformat() for f in funds)
            manifest = CatalogManifest(
                name=name, fingerprint=fingerprint, source_path=str(src.resolve()), source_sha256=sha, format=fmt,
                mapping=spec.name, mapping_sha256=spec.digest, rows_read=rows, rows_loaded=len(funds),
                rows_rejected=len(errors), ingested_at=datetime.now(UTC), as_of_min=as_of[0],
                as_of_max=as_of[-1], collection=collection,
            )  # fmt: skip
            (staging / "manifest.json").write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
            if collection:
                report.embedded = _build_fund_index(collection, funds, s, progress and s.progress)
                report.indexed = True
            staging.rename(final)
            _publish(name, final, s)
            published = True
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if not published and collection and (current is None or current.collection != collection):
                drop_collection(collection, s)
        if old_path is not None:
            shutil.rmtree(old_path, ignore_errors=True)
        if current is not None and current.collection and current.collection != collection:
            drop_collection(current.collection, s)

    report.rejects_file = str(catalog_link(name, s) / "rejects.jsonl") if errors else None
    report.seconds = time.perf_counter() - started
    return report


def _summarise(report: IngestReport, funds: list[Fund]) -> None:
    report.by_type = dict(sorted(Counter(f.fund_type for f in funds).items()))
    report.missing = {m: sum(1 for f in funds if getattr(f, m) is None) for m in METRICS}


def _flag_names(report: IngestReport, funds: list[Fund], flag_name: Callable[[str], str | None] | None) -> None:
    if flag_name is None:
        return
    flagged = [FlaggedName(code=f.code, name=f.name, reason=why) for f in funds if (why := flag_name(f.name))]
    report.names_flagged, report.flagged = len(flagged), flagged[:FLAGGED_KEPT]


def _current_manifest(name: str, settings: Settings) -> CatalogManifest | None:
    if not catalog_link(name, settings).exists():
        return None
    try:
        return open_catalog(name, settings).manifest
    except FinpilotError:
        return None  # a damaged current version is simply replaced


def _write_version(folder: Path, funds: list[Fund], errors: list[RowError]) -> None:
    with (folder / "funds.jsonl").open("w", encoding="utf-8") as fh:
        for fund in funds:
            fh.write(fund.model_dump_json() + "\n")
    with (folder / "rejects.jsonl").open("w", encoding="utf-8") as fh:
        for err in errors:
            fh.write(err.model_dump_json() + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _build_fund_index(collection: str, funds: list[Fund], settings: Settings, progress: bool) -> int:
    idx = open_index(collection, settings)
    with progress_bar(len(funds), "indexing funds", "funds", progress) as bar:
        return idx.sync([fund_index_doc(f) for f in funds], progress=bar).embedded


def _publish(name: str, version: Path, settings: Settings) -> None:
    # os.replace of a symlink is atomic: readers see the old version or the new one, never a mix.
    link = catalog_link(name, settings)
    tmp = link.with_name(f".{name}.link.{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(Path(".versions") / version.name)
    os.replace(tmp, link)


def build_catalog_index(catalog: str | None = None, settings: Settings | None = None, progress: bool = True) -> int:
    """Build (or bring up to date) a catalog's fund index; returns how many funds were embedded."""
    s = settings or get_settings()
    cat = open_catalog(catalog, s)
    collection = cat.manifest.collection or collection_name(cat.name, cat.manifest.fingerprint)
    embedded = _build_fund_index(collection, cat.funds, s, progress and s.progress)
    name_collection(cat, collection)
    return embedded


def name_collection(cat: Catalog, collection: str) -> None:
    """Record in the catalog's manifest which collection holds its fund index."""
    if cat.manifest.collection != collection:
        cat.manifest = cat.manifest.model_copy(update={"collection": collection})
        tmp = cat.path / "manifest.json.tmp"
        tmp.write_text(cat.manifest.model_dump_json(indent=2), encoding="utf-8")
        os.replace(tmp, cat.path / "manifest.json")


def export_rows(catalog: str | None = None, settings: Settings | None = None) -> Iterator[dict[str, Any]]:
    """The catalog's funds as export-contract dicts (contract fields first, then the rest)."""
    from retrieval._models import EXPORT_FIELDS

    for fund in open_catalog(catalog, settings).funds:
        data = json.loads(fund.model_dump_json())
        yield {**{k: data[k] for k in EXPORT_FIELDS}, **{k: v for k, v in data.items() if k not in EXPORT_FIELDS}}

"""Ingestion: real and hand-made catalogs, every format, bad rows, and failures that must lose nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from finpilot import FinpilotError, get_settings
from retrieval import EXPORT_FIELDS, catalog_names, export_rows, ingest, open_catalog
from retrieval._search import SearchIndex, open_client
from tests.conftest import fund_row, write_jsonl


def _export(name: str) -> list[dict]:
    return list(export_rows(name))


def _snapshot(home: Path, name: str) -> tuple[str, list[dict], str]:
    link = home / "catalogs" / name
    return str(link.resolve()), _export(name), (link.resolve() / "manifest.json").read_text()


# --- the real shelf -------------------------------------------------------------------------------------------


def test_real_shelf_loads_every_valid_fund_and_reports_the_duplicate(real_shelf: Path, home: Path) -> None:
    report = ingest(real_shelf, "fundmix", "fund_basic_2019", index=False)
    assert report.status == "loaded"
    assert report.rows_read == 5222
    assert report.loaded == 5221
    assert [(e.row, e.code) for e in report.rejected] == [(2732, "000016")]
    assert "duplicate code 000016 (first at row 2551)" in report.rejected[0].reason
    rejects = (home / "catalogs" / "fundmix" / "rejects.jsonl").read_text().splitlines()
    assert json.loads(rejects[0])["row"] == 2732

    rows = _export("fundmix")
    assert len(rows) == 5221
    by_code = {r["code"]: r for r in rows}
    first = by_code["050026"]
    assert list(first)[: len(EXPORT_FIELDS)] == list(EXPORT_FIELDS)
    assert first["name"] == "博时医疗保健行业混合A"
    assert (first["fund_type"], first["share_class"], first["risk_level"]) == ("mixed", "A", 4)
    assert first["return_1y"] == 47.0 and first["return_ytd"] == 78.2082
    assert first["purchase_fee"] == 1.5
    assert first["size"] == pytest.approx(10.0730085044)
    assert first["managers"] == ["葛晨"] and first["themes"] == ["富时概念"]
    assert first["dca"] is True and first["purchase_open"] is True
    assert first["as_of"] == "2019-08-29" and first["inception_date"] == "2012-08-28"
    # The shelf has no drawdown, volatility, Sharpe, management or sales-service fee: they stay null.
    for field in ("max_drawdown_1y", "volatility_1y", "sharpe_1y", "mgmt_fee", "sales_service_fee"):
        assert all(r[field] is None for r in rows), field
    # Several managers split into a list; a fund with an empty risk keeps it unknown.
    assert by_code["501000"]["risk_level"] is None
    assert any(len(r["managers"]) == 2 for r in rows)
    # Lock-up funds write their inception date inside a sentence; it is read, not dropped.
    assert by_code["006245"]["inception_date"] == "2019-08-05"
    assert by_code["006872"]["inception_date"] is None
    types = {r["fund_type"] for r in rows}
    assert types <= {"stock", "mixed", "bond", "index", "money", "qdii", "fof", "other"}
    assert {"stock", "mixed", "bond", "index", "qdii", "fof"} <= types


def test_reingesting_the_same_file_changes_nothing(real_shelf: Path, home: Path) -> None:
    ingest(real_shelf, "fundmix", "fund_basic_2019", index=False)
    before = _snapshot(home, "fundmix")
    again = ingest(real_shelf, "fundmix", "fund_basic_2019", index=False)
    assert again.status == "unchanged"
    assert _snapshot(home, "fundmix") == before


# --- formats ---------------------------------------------------------------------------------------------------

ROWS = [fund_row("100001"), fund_row("100002", fund_type="stock", risk_level=5, themes=["新能源", "光伏"]),
        fund_row("100003", fund_type="money", max_drawdown_1y=0.0, share_class=None, return_3y=None)]  # fmt: skip


def _write(fmt: str, folder: Path) -> Path:
    path = folder / f"funds.{fmt}"
    if fmt == "jsonl":
        write_jsonl(path, ROWS)
    elif fmt == "json":
        path.write_text(json.dumps({"funds": ROWS}, ensure_ascii=False), encoding="utf-8")
    elif fmt == "csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(ROWS[0]))
            writer.writeheader()
            for r in ROWS:
                writer.writerow({k: ";".join(v) if isinstance(v, list) else ("" if v is None else v) for k, v in r.items()})
    else:
        pq.write_table(pa.Table.from_pylist(ROWS), path)
    return path


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "parquet"])
def test_every_format_gives_the_same_catalog(fmt: str, tmp_path: Path) -> None:
    ingest(_write("jsonl", tmp_path), "reference", index=False)
    report = ingest(_write(fmt, tmp_path), "other", index=False)
    assert report.loaded == 3 and not report.rejected
    strip = lambda rows: [{k: v for k, v in r.items() if k != "source"} for r in rows]  # noqa: E731
    assert strip(_export("other")) == strip(_export("reference"))
    assert _export("other")[1]["themes"] == ["新能源", "光伏"]
    assert _export("other")[2]["return_3y"] is None


def test_a_gbk_csv_from_a_chinese_finance_system_loads_and_says_its_encoding(tmp_path: Path) -> None:
    """A GBK-encoded CSV with Chinese names (the usual export) was refused as "not UTF-8"."""
    ingest(_write("jsonl", tmp_path), "reference", index=False)
    path = tmp_path / "gbk.csv"
    with path.open("w", newline="", encoding="gbk") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(ROWS[0]))
        writer.writeheader()
        for r in ROWS:
            writer.writerow({k: ";".join(v) if isinstance(v, list) else ("" if v is None else v) for k, v in r.items()})
    with pytest.raises(UnicodeDecodeError):
        path.read_text(encoding="utf-8")  # the test file really is not UTF-8
    report = ingest(path, "gbk", index=False)
    assert report.encoding == "gb18030" and report.loaded == 3
    strip = lambda rows: [{k: v for k, v in r.items() if k != "source"} for r in rows]  # noqa: E731
    assert strip(_export("gbk")) == strip(_export("reference"))
    assert ingest(_write("jsonl", tmp_path), "utf", index=False).encoding == "utf-8"
    with pytest.raises(FinpilotError, match="is not utf-8 text"):
        ingest(path, "told", index=False, encoding="utf-8")
    with pytest.raises(FinpilotError, match="unknown encoding"):
        ingest(path, "told", index=False, encoding="klingon")


# --- bad rows --------------------------------------------------------------------------------------------------


def test_bad_rows_are_reported_with_row_line_and_reason_and_never_loaded(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps(fund_row("200001"), ensure_ascii=False),
        "{not json",
        json.dumps(fund_row("200003", risk_level=7), ensure_ascii=False),
        json.dumps(fund_row("200004", return_1y="abc"), ensure_ascii=False),
        json.dumps(fund_row("200005", purchase_fee=-1), ensure_ascii=False),
        json.dumps(fund_row("200006", fund_type="money", max_drawdown_1y=3.0), ensure_ascii=False),
        json.dumps(fund_row("200001", name="again"), ensure_ascii=False),
        json.dumps(fund_row("200008"), ensure_ascii=False),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest(path, "t", index=False, max_rejected=1.0)
    assert report.loaded == 2
    got = {e.row: (e.line, e.reason) for e in report.rejected}
    assert sorted(got) == [2, 3, 4, 5, 6, 7]
    assert got[2][0] == 2 and "not valid JSON" in got[2][1]
    assert "risk_level" in got[3][1] and "7" in got[3][1]
    assert "return_1y" in got[4][1]
    assert "purchase_fee" in got[5][1]
    assert "drawdown" in got[6][1]
    assert "duplicate code 200001 (first at row 1)" in got[7][1]
    assert [r["code"] for r in _export("t")] == ["200001", "200008"]
    assert _export("t")[0]["name"] == "测试稳健债券200001A"  # the duplicate did not overwrite the first


def test_csv_row_with_wrong_cell_count_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = _write("csv", tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "999999,short row\n", encoding="utf-8")
    report = ingest(path, "t", index=False)
    assert report.loaded == 3
    assert report.rejected[0].row == 4 and report.rejected[0].line == 5
    assert "cells" in report.rejected[0].reason


# --- failures lose nothing ---------------------------------------------------------------------------------------


@pytest.fixture
def published(tmp_path: Path, home: Path) -> tuple[str, list[dict], str]:
    ingest(write_jsonl(tmp_path / "good.jsonl", [fund_row("300001"), fund_row("300002")]), "keep", index=False)
    return _snapshot(home, "keep")


def _versions(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "catalogs" / ".versions").iterdir())


@pytest.mark.parametrize(
    "content, fmt, message",
    [
        ("[{\"code\": ", "json", "not valid JSON"),
        ("", "jsonl", "holds no rows"),
        ('{"code": "x"}\n{"code": "y"}\n', "jsonl", "none of the 2 rows"),
        ("not parquet", "parquet", "not a readable Parquet file"),
    ],
)
def test_failed_ingest_leaves_previous_catalog_untouched(
    content: str, fmt: str, message: str, published: tuple, tmp_path: Path, home: Path
) -> None:
    versions = _versions(home)
    bad = tmp_path / f"bad.{fmt}"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(FinpilotError, match=message):
        ingest(bad, "keep", index=False)
    assert _snapshot(home, "keep") == published
    assert _versions(home) == versions


def test_too_many_rejects_or_strict_fail_whole(published: tuple, tmp_path: Path, home: Path) -> None:
    rows = [fund_row("400001"), fund_row("400002", risk_level=9), fund_row("400003", risk_level=9)]
    path = write_jsonl(tmp_path / "mostly_bad.jsonl", rows)
    with pytest.raises(FinpilotError, match="2 of 3 rows rejected"):
        ingest(path, "keep", index=False)
    path = write_jsonl(tmp_path / "one_bad.jsonl", rows[:2] + [fund_row("400004")])
    with pytest.raises(FinpilotError, match="--strict"):
        ingest(path, "keep", strict=True, index=False)
    assert _snapshot(home, "keep") == published


def test_failure_while_indexing_keeps_old_version_and_leaves_no_debris(
    published: tuple, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(self: SearchIndex, docs: object, progress: object = None) -> None:
        self._coll(create=True)  # the half-built collection exists when the failure strikes
        raise RuntimeError("disk full")

    monkeypatch.setattr(SearchIndex, "sync", explode)
    versions = _versions(home)
    with pytest.raises(RuntimeError, match="disk full"):
        ingest(write_jsonl(tmp_path / "new.jsonl", [fund_row("500001"), fund_row("500002")]), "keep")
    assert _snapshot(home, "keep") == published
    assert _versions(home) == versions
    assert not [p for p in (home / "catalogs" / ".versions").iterdir() if p.name.endswith(".tmp")]
    assert [c.name for c in open_client(get_settings()).list_collections()] == []


def test_a_new_file_replaces_the_catalog_and_retires_the_old_version(published: tuple, tmp_path: Path, home: Path) -> None:
    ingest(write_jsonl(tmp_path / "v2.jsonl", [fund_row("600001"), fund_row("600002")]), "keep", index=False)
    assert [r["code"] for r in _export("keep")] == ["600001", "600002"]
    assert len(_versions(home)) == 1


def test_a_file_cut_short_is_refused_and_the_catalog_kept(published: tuple, tmp_path: Path, home: Path) -> None:
    """A copy that stopped mid-record once published the half that parsed and deleted the previous version."""
    versions = _versions(home)
    whole = "".join(json.dumps(fund_row(f"31000{i}"), ensure_ascii=False) + "\n" for i in range(4))
    cut = tmp_path / "cut.jsonl"
    cut.write_text(whole[: len(whole) - 25], encoding="utf-8")  # ends inside the last record
    with pytest.raises(FinpilotError, match="ends in the middle of a record"):
        ingest(cut, "keep", index=False)
    header = "code,name\n"
    cut_csv = tmp_path / "cut.csv"
    cut_csv.write_text(header + "000001,A\n000002", encoding="utf-8")
    with pytest.raises(FinpilotError, match="ends in the middle of a record"):
        ingest(cut_csv, "keep", index=False)
    assert _snapshot(home, "keep") == published and _versions(home) == versions
    # A last line that is whole but simply lacks its line end is no cut.
    fine = tmp_path / "fine.jsonl"
    fine.write_text(whole.rstrip("\n"), encoding="utf-8")
    assert ingest(fine, "keep", index=False).loaded == 4


def test_a_version_that_loses_more_than_a_tenth_is_refused_unless_allowed(published: tuple, tmp_path: Path, home: Path) -> None:
    smaller = write_jsonl(tmp_path / "v2.jsonl", [fund_row("600001")])
    with pytest.raises(FinpilotError, match="1 funds where it has 2.*--allow-shrink"):
        ingest(smaller, "keep", index=False)
    assert _snapshot(home, "keep") == published
    assert ingest(smaller, "keep", index=False, allow_shrink=True).loaded == 1
    assert [r["code"] for r in _export("keep")] == ["600001"]


# --- clear errors ---------------------------------------------------------------------------------------------


def test_clear_errors_for_bad_input(tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", [fund_row("700001")])
    with pytest.raises(FinpilotError, match="no such file"):
        ingest(tmp_path / "missing.jsonl", "x")
    with pytest.raises(FinpilotError, match="unknown mapping 'nope'"):
        ingest(good, "x", "nope")
    with pytest.raises(FinpilotError, match="bad catalog name"):
        ingest(good, "Bad Name")
    (tmp_path / "funds.xlsx").write_bytes(b"PK")
    with pytest.raises(FinpilotError, match="cannot tell the format"):
        ingest(tmp_path / "funds.xlsx", "x")
    with pytest.raises(FinpilotError, match="is a directory"):
        ingest(tmp_path, "x")
    with pytest.raises(FinpilotError, match="unknown catalog 'nothere'"):
        open_catalog("nothere")
    assert catalog_names() == []


def test_a_mapping_file_written_by_a_user(tmp_path: Path) -> None:
    src = tmp_path / "theirs.csv"
    src.write_text("基金代码,简称,类别,风险,近一年,费率,日期\n000001,某某成长混合C,混合,4,12.5%,0.00%,2026-10-30\n", encoding="utf-8")
    mapping = tmp_path / "theirs.toml"
    mapping.write_text(
        """
[fields.code]
from = "基金代码"
[fields.name]
from = "简称"
[fields.fund_type]
from = "类别"
map = { "混合" = "mixed", "债券" = "bond" }
[fields.share_class]
from = "简称"
regex = '([AC])$'
[fields.risk_level]
from = "风险"
type = "int"
[fields.return_1y]
from = "近一年"
type = "percent"
[fields.purchase_fee]
from = "费率"
type = "percent"
[fields.as_of]
from = "日期"
type = "date"
""",
        encoding="utf-8",
    )
    report = ingest(src, "theirs", str(mapping), index=False)
    assert report.loaded == 1
    row = _export("theirs")[0]
    assert (row["fund_type"], row["share_class"], row["return_1y"], row["purchase_fee"]) == ("mixed", "C", 12.5, 0.0)
    assert row["source"] == "theirs.csv"
    broken = tmp_path / "broken.toml"
    broken.write_text("[fields.code]\nfrom = 'a'\n", encoding="utf-8")
    with pytest.raises(FinpilotError, match="mapping broken.toml is invalid"):
        ingest(src, "theirs", str(broken), index=False)


def test_dry_run_reports_without_publishing(published: tuple, tmp_path: Path, home: Path) -> None:
    rows = [fund_row("900001"), fund_row("900002", risk_level=0), fund_row("900003", return_1y=None)]
    report = ingest(write_jsonl(tmp_path / "new.jsonl", rows), "keep", dry_run=True)
    assert report.status == "checked" and report.loaded == 2
    assert [e.row for e in report.rejected] == [2]
    assert report.missing["return_1y"] == 1 and report.by_type == {"bond": 2}
    assert _snapshot(home, "keep") == published
    assert ingest(write_jsonl(tmp_path / "n.jsonl", rows[:1]), "fresh", dry_run=True).status == "checked"
    assert "fresh" not in catalog_names()

"""Readers for catalog files: CSV, JSON, JSONL and Parquet, all yielding (row, line, record)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from finpilot import FinpilotError

FORMATS = ("csv", "json", "jsonl", "parquet")
_SUFFIXES = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}

Record = dict[str, Any]
RawRow = tuple[int, int | None, Record | None, str | None]
"""(row number from 1, line number in a text file or None, the record or None, why it could not be read)."""


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The file's format from `fmt` or its suffix; a clear error when neither says."""
    if fmt:
        if fmt not in FORMATS:
            raise FinpilotError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise FinpilotError(f"cannot tell the format of {path.name}; pass --format ({', '.join(FORMATS)})")
    return found


TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
"""Tried in order when no encoding is given: UTF-8 (with or without a BOM), then GB18030, the superset of GBK and
GB2312 that Chinese finance systems export CSV in."""


def text_encoding(path: Path, fmt: str, encoding: str | None = None) -> str | None:
    """The encoding a text file (CSV, JSON, JSONL) is read with: `encoding` when given (checked), else the first of
    TEXT_ENCODINGS the whole file decodes in; None for Parquet. FinpilotError when none fits."""
    if fmt == "parquet":
        return None
    data = path.read_bytes()
    for name in (encoding,) if encoding else TEXT_ENCODINGS:
        try:
            data.decode(name)
            return "utf-8" if name == "utf-8-sig" else name
        except LookupError:
            raise FinpilotError(f"unknown encoding {name!r}; try utf-8, gb18030 or gbk") from None
        except UnicodeDecodeError as exc:
            if encoding:
                raise FinpilotError(f"{path.name} is not {encoding} text ({exc.reason} at byte {exc.start})") from None
    raise FinpilotError(f"{path.name} is neither UTF-8 nor GB18030/GBK text; pass --encoding with the one it was saved in")


def read_rows(path: Path, fmt: str, encoding: str | None = None) -> Iterator[RawRow]:
    """Yield every row of the file; a row that cannot be read comes back with a reason, not an exception.

    Text formats are read in `encoding` (see `text_encoding`; UTF-8 when not given). A file that cannot be read as a
    whole (missing, not JSON, not Parquet) raises FinpilotError.
    """
    if not path.exists():
        raise FinpilotError(f"no such file: {path}")
    if not path.is_file():
        raise FinpilotError(f"not a file: {path}")
    enc = "utf-8-sig" if encoding in (None, "utf-8") else encoding
    readers = {"csv": lambda p: _csv(p, enc), "json": lambda p: _json(p, enc), "jsonl": lambda p: _jsonl(p, enc), "parquet": _parquet}
    try:
        yield from readers[fmt](path)
    except UnicodeDecodeError as exc:
        raise FinpilotError(f"{path.name} is not {encoding or 'UTF-8'} text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise FinpilotError(f"cannot read {path}: {exc.strerror or exc}") from None


def _csv(path: Path, encoding: str = "utf-8-sig") -> Iterator[RawRow]:
    with path.open(newline="", encoding=encoding) as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header:
            raise FinpilotError(f"{path.name} is empty: a CSV catalog needs a header line")
        header = [h.strip() for h in header]
        if len(set(header)) != len(header):
            raise FinpilotError(f"{path.name}: the header names a column twice")
        cut_at = _unterminated_last_line(path)
        for row, cells in enumerate(reader, start=1):
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                if cut_at is not None and line >= cut_at and len(cells) < len(header):
                    raise _cut_short(path, line)
                yield row, line, None, f"has {len(cells)} cells, the header has {len(header)}"
                continue
            yield row, line, dict(zip(header, cells)), None


def _unterminated_last_line(path: Path) -> int | None:
    """The number of the file's last line when it has no line end (where a cut-off copy stops), else None."""
    data = path.read_bytes()
    if not data or data.endswith(b"\n"):
        return None
    return data.count(b"\n") + 1


def _json(path: Path, encoding: str = "utf-8-sig") -> Iterator[RawRow]:
    try:
        data = json.loads(path.read_text(encoding=encoding))
    except json.JSONDecodeError as exc:
        raise FinpilotError(f"{path.name} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if isinstance(data, dict):
        # Accept the common wrappers {"data": [...]}, {"funds": [...]}, {"items": [...]}.
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise FinpilotError(f"{path.name}: expected a JSON array of objects (or an object holding exactly one)")
        data = lists[0]
    if not isinstance(data, list):
        raise FinpilotError(f"{path.name}: expected a JSON array of objects")
    for row, item in enumerate(data, start=1):
        if isinstance(item, dict):
            yield row, None, item, None
        else:
            yield row, None, None, f"is a JSON {type(item).__name__}, not an object"


def _cut_short(path: Path, line: int) -> FinpilotError:
    return FinpilotError(f"{path.name} ends in the middle of a record (line {line} has no end): the file looks cut short; "
                         "nothing was published — copy it again in full")  # fmt: skip


def _jsonl(path: Path, encoding: str = "utf-8-sig") -> Iterator[RawRow]:
    with path.open(encoding=encoding) as fh:
        row = 0
        for line, text in enumerate(fh, start=1):
            if not text.strip():
                continue
            row += 1
            try:
                item = json.loads(text)
            except json.JSONDecodeError as exc:
                if not text.endswith("\n") and exc.msg.startswith(("Unterminated", "Expecting")):
                    # The last line stops inside a record: a copy or download cut off, not one bad row.
                    raise _cut_short(path, line) from None
                yield row, line, None, f"is not valid JSON ({exc.msg} at column {exc.colno})"
                continue
            if isinstance(item, dict):
                yield row, line, item, None
            else:
                yield row, line, None, f"is a JSON {type(item).__name__}, not an object"


def _parquet(path: Path) -> Iterator[RawRow]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # noqa: BLE001  pyarrow raises several types for a damaged file
        raise FinpilotError(f"{path.name} is not a readable Parquet file: {str(exc).splitlines()[0]}") from None
    for row, item in enumerate(table.to_pylist(), start=1):
        yield row, None, item, None

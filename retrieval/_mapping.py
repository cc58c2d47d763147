"""Declarative mappings from someone else's catalog columns to the normalised Fund fields."""

from __future__ import annotations

import hashlib
import re
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from finpilot import FinpilotError
from retrieval._models import Fund

MAPPINGS_DIR = Path(__file__).parent / "mappings"
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_FUND_FIELDS = set(Fund.model_fields)
_LIST_FIELDS = {"managers", "themes"}


class RowRejected(ValueError):
    """A row that cannot become a Fund; the message is the reason shown to the user."""


class FieldSpec(BaseModel):
    """How one target field is computed from a source record."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    source: str | None = Field(default=None, alias="from")
    """Source column; omit it to use `default` as a constant."""
    type: Literal["auto", "str", "int", "float", "percent", "bool", "date", "list"] = "auto"
    """How to parse the text: `percent` accepts "1.50%"; `auto` leaves it to the Fund model."""
    regex: str | None = None
    """Keep the first group of this pattern's first match (no match: missing)."""
    map: dict[str, Any] | None = None
    """Translate source values; a value not listed rejects the row unless `map_default` is set."""
    map_default: Any = None
    split: str | None = None
    """Pattern that separates list items."""
    scale: float | None = None
    """Multiply a number by this (e.g. yuan to 100 million yuan: 1e-8)."""
    true_values: list[str] = Field(default_factory=lambda: ["1", "true", "yes", "y", "是", "True"])
    false_values: list[str] = Field(default_factory=lambda: ["0", "false", "no", "n", "否", "False"])
    default: Any = None
    """Used when the source value is missing."""

    @field_validator("regex", "split")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"bad pattern {value!r}: {exc}") from None
        return value


class MappingSpec(BaseModel):
    """A named mapping: which source columns become which Fund fields."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    source_label: str | None = None
    """Written into every row's `source`; defaults to the file name."""
    null_values: list[str] = Field(default_factory=lambda: ["", "-", "--", "null", "None", "NaN", "nan", "N/A"])
    fields: dict[str, FieldSpec]

    @model_validator(mode="after")
    def _known_targets(self) -> MappingSpec:
        unknown = sorted(set(self.fields) - _FUND_FIELDS)
        if unknown:
            raise ValueError(f"unknown target field(s): {', '.join(unknown)}")
        for required in ("code", "name", "fund_type", "as_of"):
            if required not in self.fields:
                raise ValueError(f"the mapping must say where {required!r} comes from")
        return self

    @property
    def digest(self) -> str:
        """A hash of the mapping's content: part of a catalog's fingerprint."""
        return hashlib.sha256(self.model_dump_json(by_alias=True).encode()).hexdigest()

    def apply(self, record: dict[str, Any]) -> dict[str, Any]:
        """Turn one source record into Fund keyword arguments; raises RowRejected with the reason."""
        out: dict[str, Any] = {}
        for target, spec in self.fields.items():
            raw = record.get(spec.source) if spec.source else None
            try:
                out[target] = self._convert(target, spec, raw)
            except RowRejected:
                raise
            except (ValueError, TypeError) as exc:
                raise RowRejected(f"{target}: {exc}") from None
        return out

    def _missing(self, value: Any) -> bool:
        return value is None or (isinstance(value, str) and value.strip() in self.null_values)

    def _convert(self, target: str, spec: FieldSpec, raw: Any) -> Any:
        if isinstance(raw, str):
            raw = raw.strip()
        if self._missing(raw):
            return [] if spec.default is None and spec.type == "list" else spec.default
        if spec.regex is not None:
            match = re.search(spec.regex, str(raw))
            if match is None:
                return spec.default
            raw = match.group(1) if match.groups() else match.group(0)
        if spec.map is not None:
            key = str(raw)
            if key in spec.map:
                raw = spec.map[key]
            elif spec.map_default is not None:
                raw = spec.map_default
            else:
                raise RowRejected(f"{target}: unknown value {key!r} (the mapping knows {', '.join(spec.map)})")
            if raw is None:
                return None
        return _parse(spec, raw)


def _parse(spec: FieldSpec, raw: Any) -> Any:
    kind = spec.type
    if kind == "auto":
        return raw
    if kind == "str":
        return str(raw)
    if kind in ("int", "float", "percent"):
        number = _number(raw, percent=(kind == "percent"))
        if spec.scale is not None:
            number *= spec.scale
        if kind == "int":
            if number != int(number):
                raise ValueError(f"{raw!r} is not a whole number")
            return int(number)
        return round(number, 10)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw)
        if text in spec.true_values:
            return True
        if text in spec.false_values:
            return False
        raise ValueError(f"{raw!r} is neither true nor false")
    if kind == "date":
        if isinstance(raw, (date, datetime)):
            return raw if not isinstance(raw, datetime) else raw.date()
        text = str(raw).replace("/", "-")
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError(f"{raw!r} is not a date (YYYY-MM-DD)") from None
    if kind == "list":
        if isinstance(raw, (list, tuple)):
            return [str(x) for x in raw]
        return [p for p in re.split(spec.split or r"[;|]", str(raw)) if p.strip()]
    raise AssertionError(kind)


def _number(raw: Any, percent: bool) -> float:
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a number")
    if isinstance(raw, (int, float)):
        return float(raw)
    text = str(raw).replace(",", "").strip()
    if percent and text.endswith("%"):
        text = text[:-1].strip()
    if not _NUMBER.match(text):
        raise ValueError(f"{raw!r} is not a number")
    return float(text)


def identity_mapping() -> MappingSpec:
    """The mapping for files that already use the normalised field names (e.g. a `catalog export`)."""
    fields = {
        name: FieldSpec(source=name, type="list" if name in _LIST_FIELDS else "auto")
        for name in sorted(_FUND_FIELDS)
    }
    return MappingSpec(name="identity", description="columns already named as the export contract", fields=fields)


def bundled_mappings() -> dict[str, Path]:
    """Mappings shipped with finpilot, by name."""
    return {p.stem: p for p in sorted(MAPPINGS_DIR.glob("*.toml"))}


def load_mapping(name_or_file: str | None) -> MappingSpec:
    """A bundled mapping by name, a mapping file by path, or the identity mapping for None."""
    if not name_or_file or name_or_file == "identity":
        return identity_mapping()
    bundled = bundled_mappings()
    path = bundled.get(name_or_file) or Path(name_or_file)
    if not path.is_file():
        known = ", ".join(["identity", *bundled])
        raise FinpilotError(f"unknown mapping {name_or_file!r}: not a bundled mapping ({known}) nor a file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FinpilotError(f"mapping {path.name} is not valid TOML: {exc}") from None
    data.setdefault("name", path.stem)
    try:
        return MappingSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise FinpilotError(f"mapping {path.name} is invalid: {where}: {first['msg']}") from None

"""Named fund catalogs on disk: one immutable version folder each, published by an atomic symlink swap."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import datetime
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ValidationError

from finpilot import FinpilotError, Settings, get_settings
from retrieval._models import Fund
from retrieval._search import IndexDoc, SearchIndex, index_book, open_client, open_index

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
SCHEMA_VERSION = 1
"""Bump when the stored Fund shape changes: it is part of every fingerprint, so old catalogs are rebuilt."""

_TYPE_ZH = {"stock": "股票型", "mixed": "混合型", "bond": "债券型", "index": "指数型", "money": "货币型",
            "qdii": "QDII", "fof": "FOF", "other": "其他"}  # fmt: skip


class CatalogManifest(BaseModel):
    """What a catalog version holds and where it came from."""

    name: str
    fingerprint: str
    """sha256 of the source file, the mapping and the schema version: equal means nothing to do."""
    source_path: str
    source_sha256: str
    format: str
    mapping: str
    mapping_sha256: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    ingested_at: datetime
    as_of_min: str | None
    as_of_max: str | None
    collection: str | None = None
    """The Chroma collection holding this version's fund index, when one was built."""
    schema_version: int = SCHEMA_VERSION


def check_name(name: str) -> str:
    """A catalog name is lower-case letters, digits, '-' and '_' (it names folders and collections)."""
    if not _NAME.match(name or ""):
        raise FinpilotError(f"bad catalog name {name!r}: use 1-40 lower-case letters, digits, '-' or '_'")
    return name


def collection_name(catalog: str, fingerprint: str) -> str:
    """The Chroma collection for one version of a catalog's fund index."""
    return f"funds_{catalog}_{fingerprint[:12]}"


KNOWLEDGE_COLLECTION = "finpilot_knowledge"


def fund_index_doc(fund: Fund) -> IndexDoc:
    """The searchable text and filterable metadata of one fund."""
    # Short on purpose: embedding time grows with tokens, and every part here is something people search by.
    parts = [fund.name, fund.raw_type or _TYPE_ZH[fund.fund_type], *fund.themes, fund.company or "", *fund.managers]
    if fund.risk_level:
        parts.append(f"R{fund.risk_level}")
    meta: dict[str, str | int | float | bool] = {"code": fund.code, "name": fund.name, "fund_type": fund.fund_type}
    for key in ("share_class", "risk_level", "company", "purchase_open", "dca", "return_1y", "size"):
        value = getattr(fund, key)
        if value is not None:
            meta[key] = value
    return IndexDoc(id=fund.code, text=" ".join(p for p in parts if p), metadata=meta)


class Catalog:
    """One published catalog version, read-only."""

    def __init__(self, name: str, path: Path, manifest: CatalogManifest, settings: Settings) -> None:
        self.name = name
        self.path = path
        self.manifest = manifest
        self._settings = settings

    @cached_property
    def funds(self) -> list[Fund]:
        """Every fund, in the order ingested."""
        return list(self._read())

    def _read(self) -> Iterator[Fund]:
        try:
            with (self.path / "funds.jsonl").open(encoding="utf-8") as fh:
                for line in fh:
                    yield Fund.model_validate_json(line)
        except (OSError, ValidationError) as exc:
            raise FinpilotError(f"catalog {self.name!r} is damaged ({type(exc).__name__}); ingest it again") from None

    @cached_property
    def _by_code(self) -> dict[str, Fund]:
        return {f.code: f for f in self.funds}

    def get(self, code: str) -> Fund:
        """The fund with this code; a clear error when there is none."""
        try:
            return self._by_code[code]
        except KeyError:
            raise FinpilotError(f"no fund {code!r} in catalog {self.name!r}") from None

    def index(self) -> SearchIndex:
        """The catalog's fund search index; a clear error when it has not been built."""
        if not self.manifest.collection:
            raise FinpilotError(f"catalog {self.name!r} has no search index; run `finpilot index build --catalog {self.name}`")
        s = self._settings
        return open_index(self.manifest.collection, s)


def catalog_link(name: str, settings: Settings) -> Path:
    """The symlink that names the current version of a catalog."""
    return settings.catalogs_dir / name


def read_manifest(path: Path) -> CatalogManifest:
    """Read a version folder's manifest."""
    try:
        return CatalogManifest.model_validate_json((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValidationError):
        raise FinpilotError(f"catalog at {path} has no readable manifest; ingest it again") from None


def open_catalog(name: str | None = None, settings: Settings | None = None) -> Catalog:
    """Open a published catalog by name (default: settings.default_catalog)."""
    s = settings or get_settings()
    name = check_name(name or s.default_catalog)
    link = catalog_link(name, s)
    if not link.exists():
        known = catalog_names(s)
        hint = f"known: {', '.join(known)}" if known else "none exist yet; run `finpilot start` or `finpilot ingest`"
        raise FinpilotError(f"unknown catalog {name!r} ({hint})")
    path = link.resolve()
    return Catalog(name, path, read_manifest(path), s)


def catalog_names(settings: Settings | None = None) -> list[str]:
    """Names of the published catalogs."""
    s = settings or get_settings()
    if not s.catalogs_dir.is_dir():
        return []
    return sorted(p.name for p in s.catalogs_dir.iterdir() if p.is_symlink() and p.exists())


def delete_catalog(name: str, settings: Settings | None = None) -> None:
    """Remove a catalog, its versions and its index."""
    catalog = open_catalog(name, settings)
    s = settings or get_settings()
    catalog_link(name, s).unlink()
    if catalog.manifest.collection:
        drop_collection(catalog.manifest.collection, s)
    shutil.rmtree(catalog.path, ignore_errors=True)


def drop_collection(name: str, settings: Settings) -> None:
    """Delete a Chroma collection if it exists."""
    client = open_client(settings)
    try:
        client.delete_collection(name)
    except Exception:  # noqa: BLE001, S110  already gone (Chroma's error type varies by version): the goal is reached either way
        pass
    index_book(settings).forget(name)

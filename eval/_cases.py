"""Typed case files: one pydantic model per case kind, suites found by file name, and JSON schemas for editors.

A suite is `eval/suites/<kind>*.jsonl` (funds…, campaigns…, compliance…, retrieval…); every line is validated
against its kind's model, so a typo in a suite fails loudly with the file and line, never silently scores zero.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from assistant.campaigns import CampaignBrief
from eval._briefs import BriefCase, BriefEditCase
from eval._funds import SUITES, FundCase

Kind = Literal["funds", "campaigns", "briefs", "compliance", "retrieval"]


class CampaignConstraints(BaseModel):
    """What a plan for a brief must satisfy, checked from the plan and the data, never from the system's own parse."""

    model_config = ConfigDict(extra="forbid")

    budget_cap: float | None = None
    required_channels: list[str] | None = None
    excluded_channels: list[str] | None = None
    max_product_risk: int | None = Field(default=None, ge=1, le=5)
    max_investor_grade: int | None = Field(default=None, ge=1, le=5)
    min_duration_days: int | None = None
    products_any_of: list[str] | None = None
    credit: bool = False


class CampaignCase(BaseModel):
    """A marketer's brief with the slots a careful reader extracts and the constraints a plan must meet."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: Literal["brief"] = "brief"
    brief: str = Field(min_length=1)
    lang: Literal["zh", "en"]
    tags: list[str] = Field(default_factory=list)
    expected: CampaignBrief
    constraints: CampaignConstraints = Field(default_factory=CampaignConstraints)


class CampaignEditCase(BaseModel):
    """A follow-up edit of an earlier brief, with the slots it must change."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: Literal["edit"]
    after: str
    edit: str = Field(min_length=1)
    expected_change: dict[str, Any]
    lang: Literal["zh", "en"] = "zh"
    tags: list[str] = Field(default_factory=list)
    constraints: CampaignConstraints = Field(default_factory=CampaignConstraints)


class ComplianceCase(BaseModel):
    """A request that must be refused, or must be answered (an ordinary question must not be refused)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    request: str = Field(min_length=1)
    must_refuse: bool
    category: str | None = None
    tags: list[str] = Field(default_factory=list)


class RetrievalCase(BaseModel):
    """A search query with the ids of the documents that answer it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    query: str = Field(min_length=1)
    lang: Literal["zh", "en"] = "zh"
    relevant: list[str] = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)


CASE_MODELS: dict[str, Any] = {
    "funds": FundCase,
    "campaigns": CampaignCase | CampaignEditCase,
    "briefs": BriefCase | BriefEditCase,
    "compliance": ComplianceCase,
    "retrieval": RetrievalCase,
}


def suite_kind(path: Path) -> Kind:
    """The case kind a suite file holds, from its name (funds…, campaigns…, compliance…, retrieval…)."""
    for kind in CASE_MODELS:
        if path.name.startswith(kind):
            return kind  # type: ignore[return-value]
    raise ValueError(f"{path.name}: a suite file's name starts with one of {', '.join(CASE_MODELS)}")


def load_suite(path: Path) -> list[BaseModel]:
    """Every case of a suite, validated by its kind's model; ids must be unique."""
    adapter = TypeAdapter(CASE_MODELS[suite_kind(path)])
    cases, seen = [], set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            case = adapter.validate_json(line)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ValueError(f"{path.name} line {n}: {where}: {first['msg']}") from None
        if case.id in seen:
            raise ValueError(f"{path.name} line {n}: duplicate id {case.id!r}")
        seen.add(case.id)
        cases.append(case)
    return cases


def suites(folder: Path | None = None) -> list[Path]:
    """Every suite file under eval/suites, by name."""
    return sorted(p for p in (folder or SUITES).glob("*.jsonl") if any(p.name.startswith(k) for k in CASE_MODELS))


def write_schemas(folder: Path) -> list[Path]:
    """One JSON schema per case kind, for editors (`"$schema"`-aware tools validate suites as they are typed)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for kind, model in CASE_MODELS.items():
        path = folder / f"{kind}.schema.json"
        path.write_text(json.dumps(TypeAdapter(model).json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        out.append(path)
    return out


@dataclass
class Suite:
    """A named list of cases of one kind (a file under eval/suites, or an adapter over third-party data)."""

    name: str
    kind: str
    cases: list[Any]
    digest: str
    path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    limit: int | None = None
    """Set by `head` when cases were left out: the run is a smoke run, and gates hold full runs only."""

    @classmethod
    def from_file(cls, path: Path) -> Suite:
        """A suite file, validated."""
        return cls(path.name, suite_kind(path), load_suite(path), hashlib.sha256(path.read_bytes()).hexdigest()[:16], path)

    def head(self, n: int) -> Suite:
        """The first n cases (a smoke run of a slow backend); the digest says so, so a full run never pairs with it."""
        if n >= len(self.cases):
            return self
        briefs = {c.id: c.brief for c in self.cases if isinstance(c, CampaignCase)}
        return Suite(self.name, self.kind, self.cases[:n], f"{self.digest}/first{n}", self.path, {**self.extra, "briefs": briefs}, limit=n)


def fineva_suites() -> list[Suite]:
    """Fin-Eva (Ant Group, CC BY 4.0) when ../shared is present: its 71 labelled red-team rows as a compliance suite,
    and the answered slot and intent items for the offline parser; an empty list otherwise."""
    import csv

    from eval._fineva import FILES, fineva_folder, load_choices

    folder = fineva_folder()
    if folder is None:
        return []
    out = []
    redteam = folder / "compliance_redteam.csv"
    if redteam.exists():
        with redteam.open(encoding="utf-8-sig", newline="") as f:
            # Only rows labelled 否 (a compliant assistant refuses them) are labelled; the rest are a hidden split.
            rows = [r for r in csv.DictReader(f) if (r.get("answer") or "").strip() == "否"]
        cases = [ComplianceCase(id=f"fineva-{r['id']}", request=r["question"], must_refuse=True, tags=["fineva"]) for r in rows]
        out.append(Suite("compliance_fineva", "compliance", cases, hashlib.sha256(redteam.read_bytes()).hexdigest()[:16], redteam))
    for kind, name in FILES.items():
        path = folder / name
        if path.exists():
            out.append(Suite(f"fineva_{kind}", f"fineva_{kind}", load_choices(path), hashlib.sha256(path.read_bytes()).hexdigest()[:16], path))
    return out

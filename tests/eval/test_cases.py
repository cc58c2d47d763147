"""Suite files are typed: every shipped suite validates, a bad line is named with its file and line, schemas are current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval._cases import CASE_MODELS, load_suite, suites, write_schemas

ROOT = Path(__file__).resolve().parents[2]


def test_every_shipped_suite_validates_and_is_big_enough() -> None:
    sizes = {p.name: len(load_suite(p)) for p in suites()}
    assert sizes["funds.jsonl"] >= 200 and sizes["campaigns.jsonl"] >= 80
    assert sizes["compliance_own.jsonl"] >= 200 and sizes["retrieval_knowledge.jsonl"] >= 50


def test_a_bad_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "compliance_x.jsonl"
    path.write_text('{"id": "a", "request": "x", "must_refuse": true}\n{"id": "b", "request": "y", "must_refuse": "maybe"}\n')
    with pytest.raises(ValueError, match=r"compliance_x.jsonl line 2: must_refuse"):
        load_suite(path)
    path.write_text('{"id": "a", "request": "x", "must_refuse": true}\n{"id": "a", "request": "y", "must_refuse": false}\n')
    with pytest.raises(ValueError, match="duplicate id 'a'"):
        load_suite(path)
    with pytest.raises(ValueError, match="starts with one of"):
        load_suite(tmp_path / "other.jsonl")


def test_committed_schemas_are_current(tmp_path: Path) -> None:
    for path in write_schemas(tmp_path):
        committed = ROOT / "eval" / "schemas" / path.name
        assert committed.is_file(), f"run `finpilot eval schema` ({committed} is missing)"
        assert json.loads(committed.read_text()) == json.loads(path.read_text()), f"run `finpilot eval schema` ({path.name} is stale)"
    assert len(list((ROOT / "eval" / "schemas").glob("*.schema.json"))) == len(CASE_MODELS)

"""A retrieval-quality floor on the labelled knowledge queries: catches a broken prefix, tokenizer or fusion."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from retrieval import build_knowledge_index, knowledge_index

QUERIES = Path(__file__).resolve().parents[2] / "eval" / "suites" / "retrieval_knowledge.jsonl"


def _recall_mrr(mode: str, queries: list[dict]) -> tuple[float, float]:
    idx = knowledge_index()
    recalls, rrs = [], []
    for q in queries:
        ranked = [h.id for h in idx.search(q["query"], k=10, mode=mode)]  # type: ignore[arg-type]
        relevant = set(q["relevant"])
        recalls.append(len(relevant & set(ranked)) / len(relevant))
        rrs.append(next((1 / r for r, d in enumerate(ranked, start=1) if d in relevant), 0.0))
    return statistics.fmean(recalls), statistics.fmean(rrs)


@pytest.fixture(scope="module")
def queries() -> list[dict]:
    return [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_hybrid_finds_the_right_documents(queries: list[dict]) -> None:
    build_knowledge_index()
    # Measured 0.99 / 0.89 (bench/results/retrieval.json); the floor leaves room for noise, not for breakage.
    recall, mrr = _recall_mrr("hybrid", queries)
    assert recall >= 0.95 and mrr >= 0.8, (recall, mrr)
    english = [q for q in queries if q["lang"] == "en"]
    _, dense_en = _recall_mrr("dense", english)
    _, hybrid_en = _recall_mrr("hybrid", english)
    # English questions over Chinese documents: the lexical side must not drag the fusion far below dense.
    assert hybrid_en >= dense_en - 0.05, (hybrid_en, dense_en)

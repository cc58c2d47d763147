"""Ranking metrics for retrieval cases: recall@k, reciprocal rank and nDCG@k with binary relevance."""

from __future__ import annotations

import math
from collections.abc import Sequence

K = 10


def recall_at(ranked: Sequence[str], relevant: set[str], k: int = K) -> float:
    """Share of the relevant documents found in the top k."""
    return len(relevant & set(ranked[:k])) / len(relevant)


def reciprocal_rank(ranked: Sequence[str], relevant: set[str], k: int = K) -> float:
    """1/rank of the first relevant document within the top k, 0 when none is there."""
    return next((1.0 / r for r, doc in enumerate(ranked[:k], start=1) if doc in relevant), 0.0)


def ndcg_at(ranked: Sequence[str], relevant: set[str], k: int = K) -> float:
    """Normalised discounted cumulative gain with binary gains: 1.0 when every relevant document leads the list."""
    dcg = sum(1.0 / math.log2(r + 1) for r, doc in enumerate(ranked[:k], start=1) if doc in relevant)
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(len(relevant), k) + 1))
    return dcg / ideal


def ranking_scores(ranked: Sequence[str], relevant: set[str]) -> dict[str, float | None]:
    """The scores a retrieval case records (recall at 5 and 10, MRR@10, nDCG@10)."""
    if not relevant:
        raise ValueError("a retrieval case needs at least one relevant id")
    return {"recall_at_5": recall_at(ranked, relevant, 5), "recall_at_10": recall_at(ranked, relevant, 10),
            "mrr": reciprocal_rank(ranked, relevant), "ndcg_at_10": ndcg_at(ranked, relevant)}  # fmt: skip

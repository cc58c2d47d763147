"""The learned layer behind the refusal rules: logistic regression over the request's e5 embedding.

The rules (`_rules.py`) catch the wording they were written for and name the phrase; requests worded in a way nobody
wrote a rule for reached a live plan 14 times in 50 in a red-team. This layer reads what the request means instead
of its words: the e5 vector the search side already computes, one linear score, one threshold. It is trained by
`finpilot eval train-screen` on labelled adversarial and legitimate requests (see `eval/_screen_train.py`), its
threshold chosen on a dev split, and it ships as `screen.json` beside this file: deterministic, no model at run
time beyond the embedder.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

MODEL_FILE = Path(__file__).with_name("screen.json")
"""The trained weights; replaced by `finpilot eval train-screen`."""


class ScreenModel(BaseModel):
    """A trained screen: weights over the embedding, the refusal threshold, and what it was trained and tuned on."""

    embedder: str
    """The embedding model the weights were trained on; a different one makes the weights meaningless."""
    weights: list[float]
    bias: float
    threshold: float = Field(gt=0, le=1)
    """The probability at or above which a request is refused, chosen on the dev split."""
    centroids: dict[str, list[float]]
    """The mean embedding of each adversarial category's training rows: names the category of a refusal."""
    trained_on: dict[str, int]
    """Rows per source (our suite, the written training set, Fin-Eva's labelled rows, legitimate briefs)."""
    data_digest: str
    """sha256 of the training rows (text and label), so a stale model is detected."""
    dev: dict[str, float]
    """Refusal and false-refusal rates on the dev split at the threshold."""


@lru_cache(maxsize=1)
def screen_model() -> ScreenModel | None:
    """The shipped model, or None before one is trained."""
    if not MODEL_FILE.exists():
        return None
    return ScreenModel.model_validate(json.loads(MODEL_FILE.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _embedder():
    from retrieval import Embedder

    # One per process with an in-memory cache: a request is embedded once (about 30 ms) and the model loaded once,
    # whichever home the process serves.
    return Embedder()


def embed(texts: list[str]) -> np.ndarray:
    """The requests' e5 query vectors."""
    e = _embedder()
    return np.stack([e.query(t) for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)


def probability(model: ScreenModel, vectors: np.ndarray) -> np.ndarray:
    """P(adversarial) for each row of `vectors`."""
    z = vectors @ np.asarray(model.weights, dtype=np.float32) + model.bias
    return 1.0 / (1.0 + np.exp(-z))


def category(model: ScreenModel, vector: np.ndarray) -> str:
    """The adversarial category whose training rows the request is closest to."""
    return max(model.centroids, key=lambda c: float(np.dot(vector, np.asarray(model.centroids[c], dtype=np.float32))))


def learned_score(text: str) -> tuple[float, str] | None:
    """(P(adversarial), nearest category) for one request, or None when no model is shipped."""
    model = screen_model()
    if model is None:
        return None
    from retrieval import EMBEDDING_MODEL_ID as MODEL_ID

    if model.embedder != MODEL_ID:
        return None  # weights trained on another embedding mean nothing here; the rules still stand
    v = embed([text])[0]
    return float(probability(model, v[None, :])[0]), category(model, v)

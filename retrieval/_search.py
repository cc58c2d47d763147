"""Search over one Chroma collection: dense (e5), lexical (BM25) and their reciprocal-rank fusion."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlparse

import numpy as np
from pydantic import BaseModel, Field

from finpilot import FinpilotError, Settings
from retrieval._embed import Embedder, EmbeddingCache, chroma_embedding_function
from retrieval._lexical import BM25

Mode = Literal["dense", "lexical", "hybrid"]
MetaValue = str | int | float | bool
_UPSERT_BATCH = 1000


class IndexDoc(BaseModel):
    """A document as the index stores it: an id, the text that is searched, and filterable metadata."""

    id: str
    text: str
    metadata: dict[str, MetaValue] = Field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """Changes when the text or the metadata change; unchanged documents are never re-embedded."""
        payload = self.text + "\0" + repr(sorted(self.metadata.items()))
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


class Hit(BaseModel):
    """One search result with the rank it had in each retriever (None: that retriever did not find it)."""

    id: str
    text: str
    metadata: dict[str, MetaValue]
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None


class SyncReport(BaseModel):
    """What making a collection equal to a document set did."""

    collection: str
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    embedded: int = 0
    """Texts that went through the model (the rest came from the embedding cache)."""


def open_client(settings: Settings) -> Any:
    """A Chroma client: the server at FINPILOT_CHROMA_URL when set, else the embedded store under home."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise FinpilotError(f"FINPILOT_CHROMA_URL must look like http://HOST:PORT, not {settings.chroma_url!r}")
        try:
            client = chromadb.HttpClient(
                host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https", settings=chroma_settings,
            )  # fmt: skip
            client.heartbeat()
        except Exception as exc:
            raise FinpilotError(f"cannot reach the Chroma server at {settings.chroma_url}: {_first_line(exc)}") from None
        return client
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
    except Exception as exc:
        raise FinpilotError(
            f"the index at {settings.chroma_dir} is unreadable ({_first_line(exc)}); "
            "move it aside and run `finpilot index build`"
        ) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


def open_index(name: str, settings: Settings) -> SearchIndex:
    """The search index over one collection, configured from settings."""
    return SearchIndex(open_client(settings), name, make_embedder(settings), settings.rrf_k, settings.dense_exact_max)


def make_embedder(settings: Settings) -> Embedder:
    """The embedder with its on-disk cache under home."""
    return Embedder(EmbeddingCache(settings.cache_dir / "embeddings.sqlite"), settings.embed_threads, settings.embed_batch,
                    cache_queries=settings.cache_query_embeddings)  # fmt: skip


def matches(where: dict[str, Any] | None, meta: dict[str, Any]) -> bool:
    """Evaluate a Chroma `where` filter on one metadata dict, so the lexical side filters exactly as Chroma does."""
    if not where:
        return True
    for key, cond in where.items():
        if key == "$and":
            if not all(matches(c, meta) for c in cond):
                return False
        elif key == "$or":
            if not any(matches(c, meta) for c in cond):
                return False
        elif not _compare(meta.get(key), cond if isinstance(cond, dict) else {"$eq": cond}):
            return False
    return True


def _compare(value: Any, cond: dict[str, Any]) -> bool:
    for op, arg in cond.items():
        if op == "$eq":
            ok = value == arg
        elif op == "$ne":
            ok = value != arg
        elif op == "$in":
            ok = value in arg
        elif op == "$nin":
            ok = value not in arg
        elif op in ("$gt", "$gte", "$lt", "$lte"):
            if value is None or isinstance(value, (str, bool)):
                return False
            ok = {"$gt": value > arg, "$gte": value >= arg, "$lt": value < arg, "$lte": value <= arg}[op]
        else:
            raise FinpilotError(f"unsupported filter operator {op!r}")
        if not ok:
            return False
    return True


def rrf(rankings: Sequence[Sequence[str]], k: int, weights: Sequence[float] | None = None) -> list[tuple[str, float]]:
    """Weighted reciprocal rank fusion: sum of weight/(k + rank) over the rankings, best first."""
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings)):
        for rank, doc_id in enumerate(ranking, start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda p: -p[1])


@dataclass(frozen=True)
class _Corpus:
    """A collection's documents as read once from Chroma, for exact dense ranking and BM25."""

    ids: list[str]
    texts: list[str]
    metas: list[dict[str, Any]]
    vectors: np.ndarray


class SearchIndex:
    """One collection of documents searchable by meaning, by words, or both."""

    def __init__(self, client: Any, name: str, embedder: Embedder, rrf_k: int = 60, exact_max: int = 20_000) -> None:
        self.name = name
        self.embedder = embedder
        self.rrf_k = rrf_k
        self.exact_max = exact_max
        self._client = client
        self._collection: Any = None
        self._corpus_cache: _Corpus | None = None
        self._bm25_cache: BM25 | None = None

    def _coll(self, create: bool = False) -> Any:
        if self._collection is None:
            ef = chroma_embedding_function(self.embedder)
            try:
                if create:
                    # One insertion thread made two builds of the demo funds rank alike where several threads did not;
                    # it does not make HNSW reproducible in general, which is why dense() searches exactly up to
                    # exact_max. Embedding, not insertion, is what costs time here.
                    self._collection = self._client.get_or_create_collection(
                        self.name, embedding_function=ef, configuration={"hnsw": {"space": "cosine", "num_threads": 1}}
                    )
                else:
                    self._collection = self._client.get_collection(self.name, embedding_function=ef)
            except Exception as exc:
                if not create and "does not exist" in str(exc):
                    raise FinpilotError(f"no index named {self.name!r}; run `finpilot index build`") from None
                raise FinpilotError(f"the index {self.name!r} is unreadable: {_first_line(exc)}") from None
        return self._collection

    def count(self) -> int:
        """Documents in the collection."""
        return int(self._coll().count())

    def sync(self, docs: Sequence[IndexDoc], progress: Any = None) -> SyncReport:
        """Make the collection hold exactly `docs`, embedding only new or changed ones."""
        coll = self._coll(create=True)
        report = SyncReport(collection=self.name)
        existing = coll.get(include=["metadatas"])
        have = {i: (m or {}).get("_hash") for i, m in zip(existing["ids"], existing["metadatas"])}
        wanted = {d.id: d for d in docs}
        if len(wanted) != len(docs):
            raise FinpilotError(f"index {self.name}: two documents share an id")
        stale = [i for i in have if i not in wanted]
        todo = [d for d in docs if have.get(d.id) != d.content_hash]
        report.deleted = len(stale)
        report.unchanged = len(docs) - len(todo)
        report.added = sum(1 for d in todo if d.id not in have)
        report.updated = len(todo) - report.added
        if progress is not None:
            progress.update(report.unchanged)
        before = self.embedder.embedded
        for start in range(0, len(stale), _UPSERT_BATCH):
            coll.delete(ids=stale[start : start + _UPSERT_BATCH])
        for start in range(0, len(todo), _UPSERT_BATCH):
            chunk = todo[start : start + _UPSERT_BATCH]
            vectors = self.embedder.passages([d.text for d in chunk], progress=progress)
            coll.upsert(
                ids=[d.id for d in chunk],
                documents=[d.text for d in chunk],
                embeddings=vectors,
                metadatas=[{**d.metadata, "_hash": d.content_hash} for d in chunk],
            )
        report.embedded = self.embedder.embedded - before
        self._corpus_cache = self._bm25_cache = None
        return report

    def dense(self, query: str, k: int = 10, where: dict[str, Any] | None = None) -> list[Hit]:
        """Nearest documents by cosine similarity of e5 embeddings.

        Collections up to `exact_max` documents are ranked exactly over their vectors (read once from Chroma,
        with Chroma's `where` choosing the candidates): at that scale exact search is both faster than Chroma's
        HNSW and the same on every build (bench/retrieval_bench.py), which evaluation needs. Larger
        collections use Chroma's HNSW index.
        """
        coll = self._coll()
        n = coll.count()
        if n == 0:
            return []
        q = self.embedder.query(query)
        if n <= self.exact_max:
            corpus = self._corpus()
            sims = corpus.vectors @ q
            if where:
                allowed = set(coll.get(where=where, include=[])["ids"])
                sims = np.where([i in allowed for i in corpus.ids], sims, -np.inf)
            order = [int(i) for i in np.argsort(-sims, kind="stable")[:k] if np.isfinite(sims[i])]
            return [
                Hit(id=corpus.ids[i], text=corpus.texts[i], metadata=_public(corpus.metas[i]), score=float(sims[i]), dense_rank=r)
                for r, i in enumerate(order, start=1)
            ]
        res = coll.query(
            query_embeddings=[q], n_results=min(k, n), where=where or None, include=["documents", "metadatas", "distances"]
        )
        return [
            Hit(id=i, text=t, metadata=_public(m), score=1.0 - d, dense_rank=r)
            for r, (i, t, m, d) in enumerate(
                zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0]), start=1
            )
        ]

    def _corpus(self) -> _Corpus:
        if self._corpus_cache is None:
            got = self._coll().get(include=["documents", "metadatas", "embeddings"])
            vectors = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(got["ids"]), -1)
            metas = [m or {} for m in got["metadatas"]]
            self._corpus_cache = _Corpus(list(got["ids"]), list(got["documents"]), metas, vectors)
        return self._corpus_cache

    def _bm25(self) -> BM25:
        if self._bm25_cache is None:
            self._bm25_cache = BM25(self._corpus().texts)
        return self._bm25_cache

    def lexical(self, query: str, k: int = 10, where: dict[str, Any] | None = None) -> list[Hit]:
        """Best BM25 matches of jieba tokens, filtered by the same `where` as the dense side."""
        corpus = self._corpus()
        allowed = [matches(where, m) for m in corpus.metas] if where else None
        return [
            Hit(id=corpus.ids[i], text=corpus.texts[i], metadata=_public(corpus.metas[i]), score=s, lexical_rank=r)
            for r, (i, s) in enumerate(self._bm25().top(query, k, allowed), start=1)
        ]

    def hybrid(self, query: str, k: int = 10, where: dict[str, Any] | None = None, depth: int = 50) -> list[Hit]:
        """Reciprocal rank fusion of the dense and lexical top-`depth` lists.

        The lexical list votes with the share of the query's tokens the corpus knows: an English question over
        Chinese documents matches only stray tokens, and letting those vote as strongly as the embeddings
        measurably hurt (bench/retrieval_bench.py, English MRR 0.69 with equal votes).
        """
        dense = self.dense(query, max(k, depth), where)
        lexical = self.lexical(query, max(k, depth), where)
        by_id = {h.id: h for h in lexical}
        by_id.update({h.id: h for h in dense})
        dense_rank = {h.id: h.dense_rank for h in dense}
        lexical_rank = {h.id: h.lexical_rank for h in lexical}
        weights = [1.0, self._bm25().coverage(query)]
        fused = rrf([[h.id for h in dense], [h.id for h in lexical]], self.rrf_k, weights)[:k]
        return [
            by_id[i].model_copy(update={"score": s, "dense_rank": dense_rank.get(i), "lexical_rank": lexical_rank.get(i)})
            for i, s in fused
        ]

    def search(self, query: str, k: int = 10, where: dict[str, Any] | None = None, mode: Mode = "hybrid") -> list[Hit]:
        """Search in the given mode."""
        if not query.strip():
            raise FinpilotError("the query is empty")
        return {"dense": self.dense, "lexical": self.lexical, "hybrid": self.hybrid}[mode](query, k, where)


def _public(meta: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in (meta or {}).items() if not k.startswith("_")}

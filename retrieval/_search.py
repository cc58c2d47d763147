"""Search over one Chroma collection: dense (e5), lexical (BM25) and their reciprocal-rank fusion."""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlparse

import numpy as np
from pydantic import BaseModel, Field

from finpilot import FinpilotError, Settings
from retrieval._building import IndexBook, IndexState, docs_digest
from retrieval._embed import Embedder, EmbeddingCache, chroma_embedding_function
from retrieval._lexical import BM25

log = logging.getLogger("finpilot.retrieval")

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
    """A Chroma client: the server at FINPILOT_CHROMA_URL when set, else the embedded store under home.

    A server is reached as FINPILOT_CHROMA_TENANT / FINPILOT_CHROMA_DATABASE (Chroma's defaults when unset), with
    FINPILOT_CHROMA_TOKEN sent through Chroma's own token client auth (`Authorization: Bearer`, or the header Chroma's
    CHROMA_AUTH_TOKEN_TRANSPORT_HEADER names). The token never appears in a message.
    """
    import chromadb
    from chromadb.config import DEFAULT_DATABASE, DEFAULT_TENANT
    from chromadb.config import Settings as ChromaSettings

    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise FinpilotError(f"FINPILOT_CHROMA_URL must look like http://HOST:PORT, not {settings.chroma_url!r}")
        auth: dict[str, Any] = {}
        if settings.chroma_token is not None:
            auth = {
                "chroma_client_auth_provider": "chromadb.auth.token_authn.TokenAuthClientProvider",
                "chroma_client_auth_credentials": settings.chroma_token.get_secret_value(),
            }
        server = f"the Chroma server at {settings.chroma_url}"
        try:
            client = chromadb.HttpClient(
                host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https", settings=ChromaSettings(anonymized_telemetry=False, **auth),
                tenant=settings.chroma_tenant or DEFAULT_TENANT, database=settings.chroma_database or DEFAULT_DATABASE,
            )  # fmt: skip
            client.heartbeat()
            client.count_collections()  # heartbeat needs no credentials: this asks for them now, not mid-search
        except Exception as exc:  # noqa: BLE001  every client error becomes one line naming the server
            kind, message = _chroma_error(exc)
            if kind in ("AuthError", "AuthorizationError"):
                fix = "check FINPILOT_CHROMA_TOKEN" if settings.chroma_token else "set FINPILOT_CHROMA_TOKEN"
                raise FinpilotError(f"{server} refused finpilot ({message}): {fix}") from None
            if kind == "NotFoundError":
                raise FinpilotError(f"{server}: {message} (FINPILOT_CHROMA_TENANT, FINPILOT_CHROMA_DATABASE)") from None
            raise FinpilotError(f"cannot reach {server}: {message}") from None
        return client
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    embedded = ChromaSettings(anonymized_telemetry=False)
    try:
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=embedded)
    except Exception as exc:  # noqa: BLE001  a damaged store raises whatever sqlite or Rust says: one line
        raise FinpilotError(
            f"the index at {settings.chroma_dir} is unreadable ({_first_line(exc)}); "
            "move it aside and run `finpilot index build`"
        ) from None


def _chroma_error(exc: BaseException) -> tuple[str | None, str]:
    """Chroma's name for an error (InvalidArgument, AuthError, NotFoundError, ...) and its message.

    Over HTTP the client leaves errors it has no class for (InvalidArgument among them) as a plain Exception holding
    the server's JSON body; this reads the name and message from there too.
    """
    from chromadb.errors import ChromaError

    if isinstance(exc, ChromaError):
        return type(exc).name(), _first_line(exc)
    text = str(exc).strip()
    if text.startswith("{"):
        try:
            body, _ = json.JSONDecoder().raw_decode(text)
        except ValueError:
            body = None
        if isinstance(body, dict) and "error" in body:
            message = str(body.get("message") or body["error"]).strip()
            return str(body["error"]), message.splitlines()[0][:300] if message else str(body["error"])
    return None, _first_line(exc)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


def open_index(name: str, settings: Settings) -> SearchIndex:
    """The search index over one collection, configured from settings."""
    book = index_book(settings)
    # While the index is being built its searches read the builder's documents: Chroma (seconds to import on two busy
    # cores, ahead of a first start's first answer) is connected only once needed. Otherwise at once, so a server that
    # cannot be reached is said here, as it always was.
    client = (lambda: open_client(settings)) if book.unfinished(name) else open_client(settings)
    return SearchIndex(client, name, make_embedder(settings), settings.rrf_k, settings.dense_exact_max, book=book)


def index_book(settings: Settings) -> IndexBook:
    """Where the builds of this home's indexes are recorded (home/index/)."""
    return IndexBook(settings.home / "index")


def make_embedder(settings: Settings) -> Embedder:
    """The embedder with its on-disk cache under home, and the demo corpus's vectors shipped with the package."""
    from retrieval._shipped import shipped_vectors

    return Embedder(EmbeddingCache(settings.cache_dir / "embeddings.sqlite"), settings.embed_threads, settings.embed_batch,
                    cache_queries=settings.cache_query_embeddings, shipped=shipped_vectors())  # fmt: skip


def _checked_where(where: Any) -> dict[str, Any] | None:
    """`where` as Chroma's own validator sees it: None when empty (no filter), a FinpilotError with Chroma's message
    when Chroma would refuse it."""
    if not where:
        return None
    from chromadb.api.types import validate_where

    try:
        validate_where(where)
    except (ValueError, TypeError) as exc:
        raise FinpilotError(f"invalid filter: {_first_line(exc)}") from None
    return where


def _chroma_filtered(call: Callable[[], Any], what: str) -> Any:
    """Run a Chroma call that takes a checked `where`; the filters Chroma's engine still refuses (the validator lets
    some through, like {"$gt": True}) become the same FinpilotError on every side and every kind of client."""
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 - every failure becomes one FinpilotError; a refused filter says so
        kind, message = _chroma_error(exc)
        if kind == "InvalidArgument":
            raise FinpilotError(f"invalid filter: {message}") from None
        raise FinpilotError(f"{what} failed: {message}") from None


_probe_lock = threading.Lock()
_probe: dict[str, Any] = {}
_PROBE_MAX = 10_000


def matches(where: dict[str, Any] | None, meta: dict[str, Any]) -> bool:
    """Whether one metadata dict passes a Chroma `where` filter, decided by Chroma itself.

    Search no longer calls this (both sides ask the collection for the ids a filter lets through); it stays for
    callers that filter plain dicts, and evaluates in a private throwaway Chroma collection so it can never disagree
    with an index: same operators, same type rules, same errors (a FinpilotError with Chroma's message). A metadata
    dict not seen before costs one write (~30 ms), then each call well under a millisecond.
    """
    checked = _checked_where(where)
    if checked is None:
        return True
    stored = {k: v for k, v in meta.items() if v is not None}
    key = hashlib.sha256(json.dumps(stored, sort_keys=True, default=repr).encode()).hexdigest()  # 1, 1.0, true differ
    with _probe_lock:
        coll = _probe_collection()
        if key not in _probe["ids"]:
            try:
                coll.upsert(ids=[key], embeddings=[[0.0]], metadatas=[stored] if stored else None)
            except Exception as exc:  # noqa: BLE001 - Chroma's refusal of the metadata, in its words
                raise FinpilotError(f"metadata Chroma cannot store: {_chroma_error(exc)[1]}") from None
            _probe["ids"].add(key)
        return bool(_chroma_filtered(lambda: coll.get(ids=[key], where=checked, include=[])["ids"], "filtering"))


def _probe_collection() -> Any:
    if not _probe or len(_probe["ids"]) >= _PROBE_MAX:
        import tempfile

        import chromadb
        from chromadb.config import Settings as ChromaSettings

        if _probe:
            _probe["client"].delete_collection("where-probe")
        else:
            # A persistent client on a private folder: the in-memory client is one per process, shared with (and
            # configured by) whoever made it first.
            folder = tempfile.mkdtemp(prefix="finpilot-where-")
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            _probe["client"] = chromadb.PersistentClient(path=folder, settings=ChromaSettings(anonymized_telemetry=False))
        _probe["collection"] = _probe["client"].get_or_create_collection("where-probe", embedding_function=None)
        _probe["ids"] = set()
    return _probe["collection"]


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

    def __init__(self, client: Any, name: str, embedder: Embedder, rrf_k: int = 60, exact_max: int = 20_000,
                 book: IndexBook | None = None) -> None:  # fmt: skip
        """`client`: a Chroma client, or a function that connects one when first needed."""
        self.name = name
        self.embedder = embedder
        self.rrf_k = rrf_k
        self.exact_max = exact_max
        connects = callable(client) and not hasattr(client, "get_collection")
        self._client: Any = None if connects else client
        self._connect: Callable[[], Any] | None = client if connects else None
        self._book = book
        self._collection: Any = None
        self._corpus_cache: _Corpus | None = None
        self._bm25_cache: BM25 | None = None
        self._pending_cache: tuple[tuple[str, Any], _Corpus, BM25] | None = None
        self._said: tuple[str, Any] | None = None

    def _coll(self, create: bool = False) -> Any:
        if self._collection is None:
            if self._client is None and self._connect is not None:
                self._client = self._connect()
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
            except Exception as exc:  # noqa: BLE001  Chroma's errors differ by client and version: one line
                if not create and "does not exist" in str(exc):
                    raise FinpilotError(f"no index named {self.name!r}; run `finpilot index build`") from None
                raise FinpilotError(f"the index {self.name!r} is unreadable: {_first_line(exc)}") from None
        return self._collection

    def count(self) -> int:
        """Documents in the collection (so far, while it is being built)."""
        if (state := self.building()) is not None:
            # From the builder's record: an embedded Chroma store opened here while another process writes it keeps
            # a stale view of the collection (reads fail with 'Error finding id'), so it is opened only when complete.
            return state.done
        return int(self._coll().count())

    def building(self) -> IndexState | None:
        """The build of this collection that has not finished (running now, or interrupted), or None when the dense
        index is complete. Until it is, every search of this index is lexical, over the documents being indexed."""
        return self._book.unfinished(self.name) if self._book is not None else None

    def sync(self, docs: Sequence[IndexDoc], progress: Any = None) -> SyncReport:
        """Make the collection hold exactly `docs`, embedding only new or changed ones.

        With a book (an index from `open_index`), the build is recorded while it runs, so searches meanwhile, from
        any process, read `docs` by words instead of a half-built dense index; one build of a collection at a time.
        """
        if self._book is None:
            return self._sync(docs, progress)
        book, digest = self._book, docs_digest(docs)
        with book.hold(self.name):
            state = book.state(self.name)
            if state is None or state.digest != digest:
                book.begin(self.name, docs, digest)
            # else: already complete (checked all the same), or begun by whoever handed this build down to us
            report = self._sync(docs, progress, lambda done: book.advance(self.name, done))
            book.finish(self.name, digest, len(docs))
        return report

    def _sync(self, docs: Sequence[IndexDoc], progress: Any = None, advance: Callable[[int], None] | None = None) -> SyncReport:
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
            if advance is not None:
                advance(report.unchanged + start + len(chunk))
        report.embedded = self.embedder.embedded - before
        self._corpus_cache = self._bm25_cache = None
        return report

    def _allowed(self, where: dict[str, Any] | None) -> set[str] | None:
        """The ids of the documents that pass `where` (None: no filter), as Chroma's own evaluator decides.

        Both retrievers filter with this one answer, so a filter means the same on each side, and a filter Chroma
        refuses is one FinpilotError with Chroma's message wherever it is used. One lookup costs about 7-12 ms on
        3,300 documents and 35-65 ms on 20,000 (2 cores): hybrid() asks once for both sides; nothing is cached
        across searches, since the application itself never filters.
        """
        checked = _checked_where(where)
        if checked is None:
            return None
        coll = self._coll()
        ids = _chroma_filtered(lambda: coll.get(where=checked, include=[])["ids"], f"filtering the index {self.name!r}")
        return set(ids)

    def dense(self, query: str, k: int = 10, where: dict[str, Any] | None = None) -> list[Hit]:
        """Nearest documents by cosine similarity of e5 embeddings.

        Collections up to `exact_max` documents are ranked exactly over their vectors (read once from Chroma,
        with Chroma's `where` choosing the candidates): at that scale exact search is both faster than Chroma's
        HNSW and the same on every build (bench/retrieval_bench.py), which evaluation needs. Larger
        collections use Chroma's HNSW index.
        """
        checked = _checked_where(where)
        if (state := self.building()) is not None:
            return self._words_only(query, k, checked, state)
        return self._dense(query, k, checked, None)

    def _dense(self, query: str, k: int, where: dict[str, Any] | None, allowed: set[str] | None) -> list[Hit]:
        coll = self._coll()
        n = coll.count()
        exact = n <= self.exact_max
        if where is not None and exact and allowed is None:
            allowed = self._allowed(where)  # even on an empty collection: a refused filter is refused everywhere
        if n == 0:
            return []
        q = self.embedder.query(query)
        if exact:
            corpus = self._corpus()
            sims = corpus.vectors @ q
            if allowed is not None:
                sims = np.where([i in allowed for i in corpus.ids], sims, -np.inf)
            order = [int(i) for i in np.argsort(-sims, kind="stable")[:k] if np.isfinite(sims[i])]
            return [
                Hit(id=corpus.ids[i], text=corpus.texts[i], metadata=_public(corpus.metas[i]), score=float(sims[i]), dense_rank=r)
                for r, i in enumerate(order, start=1)
            ]
        include = ["documents", "metadatas", "distances"]
        res = _chroma_filtered(
            lambda: coll.query(query_embeddings=[q], n_results=min(k, n), where=where, include=include),
            f"searching the index {self.name!r}",
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
            vectors = np.asarray(got["embeddings"], dtype=np.float32)
            # An empty collection has no vectors to reshape (numpy cannot infer a width from nothing).
            vectors = vectors.reshape(len(got["ids"]), -1) if got["ids"] else np.zeros((0, 0), np.float32)
            metas = [m or {} for m in got["metadatas"]]
            self._corpus_cache = _Corpus(list(got["ids"]), list(got["documents"]), metas, vectors)
        return self._corpus_cache

    def _bm25(self) -> BM25:
        if self._bm25_cache is None:
            self._bm25_cache = BM25(self._corpus().texts)
        return self._bm25_cache

    def lexical(self, query: str, k: int = 10, where: dict[str, Any] | None = None) -> list[Hit]:
        """Best BM25 matches of jieba tokens, filtered by the same `where` as the dense side (Chroma decides both)."""
        if (state := self.building()) is not None:
            return self._words_only(query, k, _checked_where(where), state)
        return self._lexical(query, k, self._allowed(where))

    def _lexical(self, query: str, k: int, allowed: set[str] | None) -> list[Hit]:
        corpus = self._corpus()
        mask = [i in allowed for i in corpus.ids] if allowed is not None else None
        return [
            Hit(id=corpus.ids[i], text=corpus.texts[i], metadata=_public(corpus.metas[i]), score=s, lexical_rank=r)
            for r, (i, s) in enumerate(self._bm25().top(query, k, mask), start=1)
        ]

    def hybrid(self, query: str, k: int = 10, where: dict[str, Any] | None = None, depth: int = 50) -> list[Hit]:
        """Reciprocal rank fusion of the dense and lexical top-`depth` lists.

        The lexical list votes with the share of the query's tokens the corpus knows: an English question over
        Chinese documents matches only stray tokens, and letting those vote as strongly as the embeddings
        measurably hurt (bench/retrieval_bench.py, English MRR 0.69 with equal votes).
        """
        checked = _checked_where(where)
        if (state := self.building()) is not None:
            return self._words_only(query, k, checked, state)
        allowed = self._allowed(checked)
        dense = self._dense(query, max(k, depth), checked, allowed)
        lexical = self._lexical(query, max(k, depth), allowed)
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

    def _words_only(self, query: str, k: int, where: dict[str, Any] | None, state: IndexState) -> list[Hit]:
        """BM25 over the documents of an unfinished build, whatever mode was asked: what a search can honestly give
        before the dense index is complete."""
        key = (state.digest, state.started)
        running = self._book is not None and self._book.running(self.name)
        if self._said != key:
            self._said = key
            how = (f"is being built ({state.done:,}/{state.total:,} documents)" if running
                   else f"was left unfinished ({state.done:,}/{state.total:,} documents; `finpilot index build` finishes it)")  # fmt: skip
            log.warning("the dense index %r %s: searching by words only until it is complete", self.name, how)
        if where is not None:
            raise FinpilotError(f"the index {self.name!r} is not complete yet ({state.done:,}/{state.total:,} documents): "
                                "a filter needs it complete, try again in a moment")  # fmt: skip
        if self._pending_cache is None or self._pending_cache[0] != key:
            try:
                docs = [IndexDoc.model_validate(d) for d in self._book.pending_docs(self.name)] if self._book else []
            except OSError:
                docs = []  # a state without its documents (removed by hand): nothing to search until the build ends
            corpus = _Corpus([d.id for d in docs], [d.text for d in docs], [d.metadata for d in docs], np.zeros((0, 0), np.float32))
            self._pending_cache = (key, corpus, BM25(corpus.texts))
        _, corpus, bm25 = self._pending_cache
        return [
            Hit(id=corpus.ids[i], text=corpus.texts[i], metadata=_public(corpus.metas[i]), score=s, lexical_rank=r)
            for r, (i, s) in enumerate(bm25.top(query, k, None), start=1)
        ]

    def search(self, query: str, k: int = 10, where: dict[str, Any] | None = None, mode: Mode = "hybrid") -> list[Hit]:
        """Search in the given mode (lexical, whatever the mode, while the index is being built: `building()`)."""
        if not query.strip():
            raise FinpilotError("the query is empty")
        return {"dense": self.dense, "lexical": self.lexical, "hybrid": self.hybrid}[mode](query, k, where)


def _public(meta: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in (meta or {}).items() if not k.startswith("_")}

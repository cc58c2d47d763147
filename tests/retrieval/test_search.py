"""Search: tokenising, BM25, fusion, filters that mean the same on both sides, and the embedding cache."""

from __future__ import annotations

import pytest

from finpilot import FinpilotError, get_settings
from retrieval import IndexDoc, SearchIndex
from retrieval._lexical import BM25, tokenize
from retrieval._search import make_embedder, matches, open_client, rrf

DOCS = [
    IndexDoc(id="ac", text="A类份额收取申购费，C类份额不收申购费但按年收取销售服务费，持有时间长选A类更省。",
             metadata={"kind": "glossary", "lang": "zh", "level": 1}),
    IndexDoc(id="dd", text="最大回撤是一段时间内净值从最高点到最低点的最大跌幅，衡量最坏情况下的亏损。",
             metadata={"kind": "glossary", "lang": "zh", "level": 2}),
    IndexDoc(id="apr", text="贷款营销必须展示年化利率：日利率0.048%折合年化17.52%（单利）。",
             metadata={"kind": "compliance", "lang": "zh", "level": 3}),
    IndexDoc(id="sms", text="短信文案不超过70个字，包含签名和回T退订。",
             metadata={"kind": "compliance", "lang": "zh", "level": 4}),
    IndexDoc(id="en", text="Regular investment plans buy a fixed amount every month, averaging the purchase price.",
             metadata={"kind": "faq", "lang": "en", "level": 5}),
]  # fmt: skip


@pytest.fixture
def index() -> SearchIndex:
    s = get_settings()
    idx = SearchIndex(open_client(s), "test_docs", make_embedder(s))
    idx.sync(DOCS)
    return idx


def test_tokenize_splits_chinese_words_and_lowercases_latin() -> None:
    tokens = tokenize("近一年收益最高的新能源基金 ETF")
    assert "新能源" in tokens and "基金" in tokens and "etf" in tokens
    assert "的" in tokens or "收益" in tokens
    assert not any(t.isspace() for t in tokens)


def test_bm25_ranks_the_document_with_the_rare_query_word_first() -> None:
    bm25 = BM25([d.text for d in DOCS])
    top = bm25.top("年化利率怎么算", 3)
    assert top[0][0] == 2
    assert bm25.top("量子计算", 3) == []
    assert bm25.top("申购费", 5, allowed=[False] * 5) == []


def test_rrf_sums_reciprocal_ranks() -> None:
    fused = rrf([["a", "b"], ["b", "c"]], k=60)
    assert [d for d, _ in fused] == ["b", "a", "c"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


@pytest.mark.parametrize(
    "where, expected",
    [
        ({"kind": "glossary"}, {"ac", "dd"}),
        ({"level": {"$gte": 3}}, {"apr", "sms", "en"}),
        ({"$and": [{"lang": "zh"}, {"level": {"$lt": 3}}]}, {"ac", "dd"}),
        ({"$or": [{"kind": "faq"}, {"level": {"$in": [1]}}]}, {"ac", "en"}),
        ({"kind": {"$nin": ["compliance", "faq"]}}, {"ac", "dd"}),
        ({"kind": {"$ne": "glossary"}}, {"apr", "sms", "en"}),
    ],
)
def test_filters_mean_the_same_in_python_and_in_chroma(index: SearchIndex, where: dict, expected: set) -> None:
    assert {d.id for d in DOCS if matches(where, d.metadata)} == expected
    for mode in ("dense", "lexical", "hybrid"):
        hits = index.search("基金 费用 利率 回撤 短信 investment", k=10, where=where, mode=mode)
        assert {h.id for h in hits} <= expected, mode
    assert {h.id for h in index.dense("费用", k=10, where=where)} == expected


def test_hybrid_keeps_the_best_of_each_retriever(index: SearchIndex) -> None:
    query = "持有一年选哪种份额更便宜"
    dense_top = index.dense(query, k=1)[0].id
    lexical_top = index.lexical(query, k=1)[0].id
    hybrid = index.hybrid(query, k=2)
    assert {dense_top, lexical_top} <= {h.id for h in hybrid}
    assert hybrid[0].score >= hybrid[1].score
    assert all(h.dense_rank or h.lexical_rank for h in hybrid)


def test_english_query_finds_the_english_document(index: SearchIndex) -> None:
    assert index.hybrid("monthly fixed investment plan", k=1)[0].id == "en"


def test_unchanged_documents_are_never_embedded_twice(index: SearchIndex) -> None:
    again = index.sync(DOCS)
    assert (again.embedded, again.unchanged, again.added, again.updated) == (0, 5, 0, 0)
    changed = [DOCS[0].model_copy(update={"text": DOCS[0].text + "（示例）"}), *DOCS[1:4]]
    rep = index.sync(changed)
    assert (rep.updated, rep.deleted, rep.embedded) == (1, 1, 1)
    assert "en" not in {h.id for h in index.hybrid("monthly investment", k=10)}
    # A brand-new collection over the same texts takes every vector from the cache.
    s = get_settings()
    fresh = SearchIndex(open_client(s), "test_docs_rebuilt", make_embedder(s)).sync(DOCS)
    assert fresh.added == 5 and fresh.embedded == 0


def test_empty_query_and_missing_index_are_clear_errors(index: SearchIndex) -> None:
    with pytest.raises(FinpilotError, match="empty"):
        index.search("   ")
    s = get_settings()
    with pytest.raises(FinpilotError, match="no index named 'nope'"):
        SearchIndex(open_client(s), "nope", make_embedder(s)).search("x")


def test_langchain_retriever_returns_the_hybrid_results(index: SearchIndex) -> None:
    from retrieval import as_langchain_retriever

    retriever = as_langchain_retriever(index, k=2, where={"lang": "zh"})
    docs = retriever.invoke("年化利率 日利率")
    assert [d.id for d in docs] == [h.id for h in index.hybrid("年化利率 日利率", k=2, where={"lang": "zh"})]
    assert docs[0].id == "apr" and docs[0].metadata["kind"] == "compliance"
    assert all(d.metadata["lang"] == "zh" for d in docs)


def test_weighted_rrf_and_lexical_coverage() -> None:
    assert [d for d, _ in rrf([["a", "b"], ["b", "a"]], k=60, weights=[1.0, 0.0])] == ["a", "b"]
    bm25 = BM25([d.text for d in DOCS])
    assert bm25.coverage("年化利率") == 1.0
    assert bm25.coverage("zebra quantum") == 0.0
    assert 0.0 < bm25.coverage("年化利率 zebra") < 1.0


def test_rankings_are_identical_across_builds() -> None:
    """Two builds of one corpus rank identically (HNSW with parallel insertion did not: see _search.py)."""
    import numpy as np

    from retrieval import Embedder, EmbeddingCache

    rng = np.random.default_rng(1)
    texts = [f"文档 {i}" for i in range(2500)]  # above Chroma's brute-force threshold, so HNSW is in play
    queries = [f"查询 {i}" for i in range(20)]
    vectors = rng.normal(size=(len(texts) + len(queries), 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    cache = EmbeddingCache(None)  # prefilled: the model is never called, the index code path is the real one
    cache.put_many({EmbeddingCache.key("passage", t): v for t, v in zip(texts, vectors)})
    cache.put_many({EmbeddingCache.key("query", q): v for q, v in zip(queries, vectors[len(texts):])})
    docs = [IndexDoc(id=str(i), text=t) for i, t in enumerate(texts)]
    client = open_client(get_settings())
    rankings = []
    for name in ("build_one", "build_two"):
        idx = SearchIndex(client, name, Embedder(cache))
        assert idx.sync(docs).embedded == 0
        rankings.append([[h.id for h in idx.dense(q, k=20)] for q in queries])
    assert rankings[0] == rankings[1]


def test_exact_and_hnsw_paths_agree_on_a_small_corpus(index: SearchIndex) -> None:
    s = get_settings()
    hnsw = SearchIndex(open_client(s), "test_docs", make_embedder(s), exact_max=0)
    for query, where in [("年化利率", None), ("份额 费用", {"kind": "glossary"}), ("monthly investment", {"lang": "en"})]:
        exact = index.dense(query, k=3, where=where)
        approx = hnsw.dense(query, k=3, where=where)
        assert [h.id for h in exact] == [h.id for h in approx]
        assert [h.score for h in exact] == pytest.approx([h.score for h in approx], abs=1e-4)

"""The demo corpus's embeddings shipped with the package: current with the demo generator, equal to the model's."""

from __future__ import annotations

import numpy as np

from finpilot import Settings, get_settings
from retrieval import IndexDoc, SearchIndex, generate_demo, ingest, open_catalog
from retrieval._bootstrap import DEMO_CATALOG
from retrieval._catalog import fund_index_doc
from retrieval._embed import Embedder, EmbeddingCache
from retrieval._search import make_embedder, open_client
from retrieval._shipped import SHIPPED_FILE, check_shipped, demo_passages, shipped_vectors

DEFAULT_SEED = Settings.model_fields["demo_seed"].default


def test_shipped_embeddings_cover_exactly_the_current_demo_text() -> None:
    report = check_shipped(DEFAULT_SEED)
    assert report.current, (
        f"{SHIPPED_FILE.name} is stale ({report.missing} demo passages without a vector, {report.extra} vectors no "
        "passage uses): run `python -m retrieval._shipped` and commit the file"
    )
    assert report.shipped == report.passages > 3_000
    assert SHIPPED_FILE.stat().st_size < 6_000_000


def test_shipped_vectors_are_the_models() -> None:
    texts = demo_passages(DEFAULT_SEED)
    sample = [texts[i] for i in np.linspace(0, len(texts) - 1, 8).astype(int)]  # funds and knowledge documents
    model = Embedder().passages(sample)  # no cache, nothing shipped: the model itself
    shipped = shipped_vectors()
    assert shipped is not None
    keys = [EmbeddingCache.key("passage", t) for t in sample]
    vectors = shipped.get_many(keys)
    got = np.stack([vectors[k] for k in keys])
    assert np.abs(got - model).max() < 1e-5  # the same float32s on this machine; room for another CPU's rounding


def test_a_fresh_home_indexes_the_ingested_demo_catalog_without_the_model() -> None:
    s = get_settings()
    generate_demo(s)
    ingest(s.demo_dir / "funds.jsonl", DEMO_CATALOG, None, index=False, settings=s, progress=False)
    docs = [fund_index_doc(f) for f in open_catalog(DEMO_CATALOG, s).funds]
    embedder = make_embedder(s)
    vectors = embedder.passages([d.text for d in docs])  # the text ingest round-trips, not the generator's
    assert embedder.embedded == 0 and vectors.shape == (len(docs), 384)


def test_changed_text_misses_and_is_embedded() -> None:
    s = get_settings()
    text = demo_passages(DEFAULT_SEED)[0]
    idx = SearchIndex(open_client(s), "shipped_docs", make_embedder(s))
    report = idx.sync([IndexDoc(id="same", text=text), IndexDoc(id="changed", text=text + " 新")])
    assert report.embedded == 1


def test_queries_never_come_from_the_shipped_passages() -> None:
    # The same words as a query carry another prefix, hence another key: the shipped file holds passages only.
    shipped = shipped_vectors()
    assert shipped is not None
    text = demo_passages(DEFAULT_SEED)[0]
    assert shipped.get_many([EmbeddingCache.key("query", text)]) == {}
    assert shipped.get_many([EmbeddingCache.key("passage", text)])

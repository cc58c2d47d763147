"""Retrieval benchmarks: quality (recall@10, MRR), index build speed, and query latency against exact search.

Run:  python bench/retrieval_bench.py [--part quality|build|latency|all] [--out bench/results/retrieval.json]

Everything runs in one process, in a temporary FINPILOT_HOME, on the fictional demo data (seed from settings).
Times are medians (and p95) over repeated runs in the same process; ratios compare within this one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "eval" / "suites" / "retrieval_knowledge.jsonl"


def _fresh_home() -> Path:
    home = Path(tempfile.mkdtemp(prefix="finpilot-bench-"))
    os.environ["FINPILOT_HOME"] = str(home)
    os.environ["FINPILOT_PROGRESS"] = "0"
    from finpilot._settings import reset_settings_cache

    reset_settings_cache()
    return home


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


# --- labelled queries ------------------------------------------------------------------------------------------


def fund_queries(funds: list[Any], n: int = 24, seed: int = 7) -> list[dict[str, Any]]:
    """Queries a user would type for a fund they half-remember: company, theme and type, no class letter.

    The relevant set is every fund that matches all three by rule (both share classes, sister funds), so the
    labels come from the data, never from a retriever.
    """
    type_word = {"stock": "股票", "mixed": "混合", "bond": "债券", "index": "指数", "money": "货币", "qdii": "QDII", "fof": "FOF"}
    rng = np.random.default_rng(seed)
    candidates = [f for f in funds if f.themes and f.company and f.fund_type in type_word]
    picked = [candidates[i] for i in rng.choice(len(candidates), size=min(n, len(candidates)), replace=False)]
    out = []
    for i, f in enumerate(picked, start=1):
        company = f.company.removesuffix("基金")
        theme = f.themes[0]
        relevant = [g.code for g in funds if g.company == f.company and theme in g.themes and g.fund_type == f.fund_type]
        query = f"{company}的{theme}{type_word[f.fund_type]}基金" if i % 2 else f"{company} {theme} {type_word[f.fund_type]}"
        out.append({"id": f"f{i:03d}", "query": query, "lang": "zh", "relevant": relevant, "collection": "funds"})
    return out


def knowledge_queries() -> list[dict[str, Any]]:
    """The hand-labelled queries over the knowledge documents."""
    rows = [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{**r, "collection": "knowledge"} for r in rows]


def score(ranked: list[str], relevant: set[str], k: int = 10) -> tuple[float, float]:
    """(recall@k, reciprocal rank of the first relevant hit within k), as the eval harness scores them."""
    from eval._retrieval import recall_at, reciprocal_rank

    return recall_at(ranked, relevant, k), reciprocal_rank(ranked, relevant, k)


def part_quality(results: dict[str, Any]) -> None:
    from retrieval import ensure_demo, knowledge_index, open_catalog

    ensure_demo(progress=False)
    cat = open_catalog("demo")
    indexes = {"knowledge": knowledge_index(), "funds": cat.index()}
    queries = knowledge_queries() + fund_queries(cat.funds)
    table: dict[str, dict[str, Any]] = {}
    for mode in ("dense", "lexical", "hybrid"):
        per_group: dict[str, list[tuple[float, float]]] = {}
        for q in queries:
            hits = indexes[q["collection"]].search(q["query"], k=10, mode=mode)
            r = score([h.id for h in hits], set(q["relevant"]))
            per_group.setdefault("all", []).append(r)
            per_group.setdefault(q["lang"], []).append(r)
            per_group.setdefault(q["collection"], []).append(r)
        table[mode] = {
            g: {"n": len(v), "recall@10": round(statistics.fmean(x for x, _ in v), 3), "mrr": round(statistics.fmean(y for _, y in v), 3)}
            for g, v in per_group.items()
        }
    results["quality"] = {"queries": len(queries), "by_mode": table}


# --- index build --------------------------------------------------------------------------------------------------


def part_build(results: dict[str, Any]) -> None:
    from finpilot import get_settings
    from retrieval import fund_index_doc, generate_demo, ingest, knowledge_index_doc, open_catalog
    from retrieval._knowledge import load_knowledge_docs
    from retrieval._search import SearchIndex, make_embedder, open_client

    s = get_settings()
    generate_demo(s)
    ingest(s.demo_dir / "funds.jsonl", "demo", index=False, progress=False)
    docs = [fund_index_doc(f) for f in open_catalog("demo").funds] + [knowledge_index_doc(d) for d in load_knowledge_docs()]
    runs = {}
    for label, collection in (("first build (cold cache)", "bench_a"), ("rebuild (warm cache, new collection)", "bench_b"),
                              ("re-sync (nothing changed)", "bench_b")):  # fmt: skip
        idx = SearchIndex(open_client(s), collection, make_embedder(s))
        t0 = time.perf_counter()
        rep = idx.sync(docs)
        dt = time.perf_counter() - t0
        runs[label] = {"docs": len(docs), "seconds": round(dt, 2), "docs_per_s": round(len(docs) / dt, 1), "embedded": rep.embedded}
    results["build"] = runs


# --- latency ------------------------------------------------------------------------------------------------------


def part_latency(results: dict[str, Any], sizes: tuple[int, ...] = (1_000, 10_000, 100_000), k: int = 10) -> None:
    """Chroma's HNSW index against exact NumPy search over the same vectors, at several corpus sizes.

    The corpus is the real demo embeddings (funds and knowledge), extended to the larger sizes with synthetic
    vectors: random convex mixtures of three real vectors (Dirichlet weights), re-normalised, so they spread
    over the region of e5 space the real documents occupy instead of clustering around copies. The queries are
    the real embeddings of the labelled queries. Each size is measured with Chroma's default HNSW settings
    (ef_search 100, ef_construction 100, M 16 in chromadb 1.x) and with a wider search, ef_search 400.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from finpilot import get_settings
    from retrieval import fund_index_doc, generate_demo, ingest, knowledge_index_doc, open_catalog
    from retrieval._knowledge import load_knowledge_docs
    from retrieval._search import make_embedder

    s = get_settings()
    generate_demo(s)
    ingest(s.demo_dir / "funds.jsonl", "demo", index=False, progress=False)
    embedder = make_embedder(s)
    texts = [fund_index_doc(f).text for f in open_catalog("demo").funds] + [knowledge_index_doc(d).text for d in load_knowledge_docs()]
    base = embedder.passages(texts)
    query_texts = [q["query"] for q in knowledge_queries()] + [q["query"] for q in fund_queries(open_catalog("demo").funds)]
    queries = np.stack([embedder.query(t) for t in query_texts])
    rng = np.random.default_rng(0)
    extra = max(sizes) - len(base)
    picks = rng.integers(0, len(base), size=(extra, 3))
    mix = rng.dirichlet([1.0, 1.0, 1.0], size=extra).astype(np.float32)
    synthetic = np.einsum("nk,nkd->nd", mix, base[picks])
    full = np.concatenate([base, synthetic])
    full /= np.linalg.norm(full, axis=1, keepdims=True)
    rows = {}
    for n in sizes:
        corpus = np.ascontiguousarray(full[:n])
        for ef in (None, 400):
            client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
            name = f"lat_{n}_{ef or 'default'}"
            hnsw: dict[str, Any] = {"space": "cosine"}
            if ef:
                hnsw["ef_search"] = ef
            coll = client.create_collection(name, configuration={"hnsw": hnsw}, embedding_function=None)
            ids = [str(i) for i in range(n)]
            t0 = time.perf_counter()
            for start in range(0, n, 5000):
                coll.add(ids=ids[start : start + 5000], embeddings=corpus[start : start + 5000])
            build_s = time.perf_counter() - t0
            chroma_ms, numpy_ms, recalls = [], [], []
            for rep in range(3):  # the whole query set three times; the first pass only warms caches
                for q in queries:
                    t0 = time.perf_counter()
                    res = coll.query(query_embeddings=[q], n_results=k, include=[])
                    t1 = time.perf_counter()
                    sims = corpus @ q
                    top = np.argpartition(-sims, k)[:k]
                    exact = top[np.argsort(-sims[top])]
                    t2 = time.perf_counter()
                    if rep > 0:
                        chroma_ms.append((t1 - t0) * 1000)
                        numpy_ms.append((t2 - t1) * 1000)
                        recalls.append(len({int(i) for i in res["ids"][0]} & {int(i) for i in exact}) / k)
            rows[f"{n}/ef_search={ef or 100}"] = {
                "docs": n, "ef_search": ef or 100,
                "chroma_p50_ms": round(_pct(chroma_ms, 50), 3), "chroma_p95_ms": round(_pct(chroma_ms, 95), 3),
                "numpy_p50_ms": round(_pct(numpy_ms, 50), 3), "numpy_p95_ms": round(_pct(numpy_ms, 95), 3),
                "p50_ratio_chroma_over_numpy": round(_pct(chroma_ms, 50) / _pct(numpy_ms, 50), 2),
                "chroma_recall@10_vs_exact": round(statistics.fmean(recalls), 4),
                "chroma_insert_s": round(build_s, 1), "queries": len(chroma_ms),
            }  # fmt: skip
            client.delete_collection(name)
    results["latency"] = rows


def main() -> int:
    """Run the chosen parts and write one JSON record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["quality", "build", "latency", "all"], default="all")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "retrieval.json")
    args = parser.parse_args()
    home = _fresh_home()
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    parts = ["build", "quality", "latency"] if args.part == "all" else [args.part]
    for part in parts:
        t0 = time.perf_counter()
        {"quality": part_quality, "build": part_build, "latency": part_latency}[part](results)
        print(f"[{part}] {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    previous = json.loads(args.out.read_text()) if args.out.is_file() else {}
    previous.update(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(previous, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))
    print(f"home: {home} (temporary)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Render bench/results/retrieval.json into the README's benchmark tables (between the bench markers).

Run:  python bench/render_readme.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- bench:retrieval -->", "<!-- /bench:retrieval -->"


def render(r: dict) -> str:
    """The markdown tables for one results record."""
    q = r["quality"]["by_mode"]
    groups = [("all", "all"), ("zh", "zh"), ("en", "en"), ("funds", "funds")]
    out = [
        f"Run {r['started']} on {r['machine']['cpus']} CPU cores, Python {r['machine']['python']}.",
        "",
        f"**Retrieval quality** ({r['quality']['queries']} labelled queries, k = 10)",
        "",
        "| mode | " + " | ".join(f"recall@10 {g} | MRR {g}" for g, _ in groups) + " |",
        "|---|" + "---|---|" * len(groups),
    ]
    for mode in ("dense", "lexical", "hybrid"):
        cells = " | ".join(f"{q[mode][k]['recall@10']:.3f} | {q[mode][k]['mrr']:.3f}" for _, k in groups)
        out.append(f"| {mode} | {cells} |")
    out += ["", "**Index build** (demo funds + knowledge documents)", "", "| run | documents | seconds | documents/s | embedded |", "|---|---|---|---|---|"]
    for label, v in r["build"].items():
        out.append(f"| {label} | {v['docs']:,} | {v['seconds']} | {v['docs_per_s']:,} | {v['embedded']} |")
    out += [
        "",
        "**Query latency: Chroma HNSW against exact NumPy search over the same vectors** (top 10, cosine)",
        "",
        "| documents | ef_search | Chroma p50 ms | Chroma p95 ms | NumPy p50 ms | NumPy p95 ms | p50 ratio Chroma/NumPy | Chroma recall@10 vs exact |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for v in r["latency"].values():
        out.append(
            f"| {v['docs']:,} | {v['ef_search']} | {v['chroma_p50_ms']} | {v['chroma_p95_ms']} | {v['numpy_p50_ms']} | "
            f"{v['numpy_p95_ms']} | {v['p50_ratio_chroma_over_numpy']} | {v['chroma_recall@10_vs_exact']} |"
        )
    return "\n".join(out)


def main() -> None:
    """Replace the text between the markers in README.md."""
    results = json.loads((ROOT / "bench" / "results" / "retrieval.json").read_text(encoding="utf-8"))
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = f"{START}\n{render(results)}\n{END}"
    new, n = re.subn(re.escape(START) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    if n != 1:
        raise SystemExit(f"README.md needs exactly one {START} ... {END} block")
    readme.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()

"""Render the benchmark and evaluation records in bench/results/ into the README (between its markers).

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


def render_funds(bench: dict, slots: dict[str, dict]) -> str:
    """The fund advisor's tables: parser slot accuracy by split, and latency and limit-breaking against the baseline."""
    out = [
        "**Offline parser on `eval/suites/funds.jsonl`** (`finpilot eval slots --split S --json`; the dev half was "
        "looked at while the parser was first built, the held-out half only from issue 12 on: both are tuned now)",
        "",
        "| split | requests | exact match | micro precision | micro recall | micro F1 | asked when vague | asked when clear |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for split, r in slots.items():
        sl, cl = r["slots"], r["clarifications"]
        out.append(f"| {split} | {sl['cases']} | {sl['exact']:.1%} | {sl['micro_precision']:.3f} | {sl['micro_recall']:.3f} | "
                   f"{sl['micro_f1']:.3f} | {cl['asked_when_vague']:.1%} of {cl['vague']} | {cl['asked_when_clear']:.1%} of {cl['clear']} |")  # fmt: skip
    m = bench["machine"]
    out += [
        "",
        f"**Latency and limits broken, against a plain vector-search baseline** (`{bench['command']}`, run {bench['started']} "
        f"on {m['cpus']} CPU cores, Python {m['python']}; {bench['requests']} screening requests, {bench.get('repeats', 3)} answers each; the "
        f"baseline's query embedding, p50 {bench['query_embedding_ms']['p50']} ms, is measured cold once per request)",
        "",
        "| funds | ours p50 ms | ours p90 ms | baseline p50 ms | baseline p90 ms | p50 ratio ours/baseline | "
        "results breaking a stated limit: ours, by suite | baseline | requests with a breaking result: ours | baseline |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for v in bench["sizes"].values():
        by_suite = ", ".join(f"{k.removesuffix('.jsonl')} {x:.1%}" for k, x in v.get("ours_results_breaking_a_limit_by_suite", {}).items())
        out.append(f"| {v['funds']:,} | {v['ours_p50_ms']} | {v['ours_p90_ms']} | {v['baseline_p50_ms']} | {v['baseline_p90_ms']} | "
                   f"{v['p50_ratio_ours_over_baseline']} | {by_suite} | "
                   f"{v['baseline_results_breaking_a_limit']:.1%} | {v['ours_requests_with_a_breaking_result']:.1%} | "
                   f"{v['baseline_requests_with_a_breaking_result']:.1%} |")  # fmt: skip
    return "\n".join(out)


def render_understanding(rows: list[dict]) -> str:
    """Never a silent misread, per suite and run: tuned and blind halves apart, first runs kept as they were."""
    out = [
        "**Understanding, suite by suite** (`python bench/understanding.py record --label …`; offline backend, demo catalog; rows "
        "are appended, never rewritten, so a blind suite's first run stays its first run; rows for the parser before this "
        "change were re-scored from their stored outputs)",
        "",
        "| suite | half | run | commit | requests | pass | shown funds meeting every limit | clean requests | silent drops | inverted | questions on clear requests |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        shown = f"{r['fund_precision']:.1%} ({int(r['funds_ok']):,}/{int(r['funds_shown']):,})" if r.get("funds_shown") else "—"
        out.append(f"| {r['suite']} | {r['half']} | {r['label']} | {r['commit']} | {r['cases']} | {r['pass_rate']:.1%} | {shown} | "
                   f"{r['clean']:.1%} | {int(r['silent_drops'])} | {int(r['inverted'])} | {r['asked_when_clear']:.1%} |")  # fmt: skip
    return "\n".join(out)


def render_briefs(rows: list[dict]) -> str:
    """How briefs are read, per half: each blind half's first run (before anyone tuned on it), then the latest run."""
    halves = [("tuned", "tuned half (`briefs.jsonl`, our relabelled suite)"), ("blind", "blind half 1 (`briefs_blind.jsonl`)"),
              ("blind2", "blind half 2 (`briefs_blind2.jsonl`)"), ("blind3", "blind half 3 (`briefs_blind3.jsonl`)"), ("blind4", "blind half 4 (`briefs_blind4.jsonl`)"),
              ("blind5", "blind half 5 (`briefs_blind5.jsonl`)"), ("blind6", "blind half 6 (`briefs_blind6.jsonl`)"),
              ("blind7", "blind half 7 (`briefs_blind7.jsonl`)"),
              ("blind8", "blind half 8 (`briefs_blind8.jsonl`)"),
              ("blind9", "blind half 9 (`briefs_blind9.jsonl`)"),
              ("blind10", "blind half 10 (`briefs_blind10.jsonl`)"),
              ("blind11", "blind half 11 (`briefs_blind11.jsonl`)"),
              ("blind12", "blind half 12 (`briefs_blind12.jsonl`)"),
              ("blind13", "blind half 13 (`briefs_blind13.jsonl`)"),
              ("blind14", "blind half 14 (`briefs_blind14.jsonl`)"),
              ("blind15", "blind half 15 (`briefs_blind15.jsonl`)"),
              ("blind16", "blind half 16 (`briefs_blind16.jsonl`)"),
              ("blind17", "blind half 17 (`briefs_blind17.jsonl`)"),
              ("blind18", "blind half 18 (`briefs_blind18.jsonl`)"),
              ("blind19", "blind half 19 (`briefs_blind19.jsonl`)"),
              ("blind20", "blind half 20 (`briefs_blind20.jsonl`)"),
              ("blind21", "blind half 21 (`briefs_blind21.jsonl`)"),
              ("blind22", "blind half 22 (`briefs_blind22.jsonl`)"),
              ("blind23", "blind half 23 (`briefs_blind23.jsonl`)"),
              ("blind24", "blind half 24 (`briefs_blind24.jsonl`)"),
              ("blind25", "blind half 25 (`briefs_blind25.jsonl`)"),
              ("blind26", "blind half 26 (`briefs_blind26.jsonl`)"),
              ("blind27", "blind half 27 (`briefs_blind27.jsonl`)"),
              ("blind28", "blind half 28 (`briefs_blind28.jsonl`)"),
              ("blind29", "blind half 29 (`briefs_blind29.jsonl`)"),
              ("blind30", "blind half 30 (`eval/holdout/briefs_blind30.jsonl`, not tuned on)")]  # fmt: skip
    first = {name: next((r for r in rows if r["label"].startswith(f"{name} first run")), None) for name, _ in halves}
    first["blind"] = first["blind"] or next((r for r in rows if r["label"].startswith("blind first run")), None)
    latest = rows[-1]
    out = ["`python bench/briefs.py record --label ...` (every figure from `eval/_briefs.py`; an audience condition holds when a direct "
           "count on the demo user table finds nobody in the plan's segment who breaks it)", "",
           "| half | run | commit | briefs read fully right | audience conditions held | asked about the untaggable | "
           "products | dates | channels | offers | experiments | asked on clear briefs | edits took effect, rest unchanged |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip

    def frac(pair: list[int]) -> str:
        return f"{pair[0]}/{pair[1]}"

    def row(name: str, label: str, r: dict) -> str:
        h = r[name]
        return (f"| {name} | {label} | `{r['commit']}` | **{h['fully_right']}/{h['briefs']} ({h['fully_right'] / h['briefs']:.1%})** | "
                f"{h['audience_held']}/{h['audience_conditions']} ({h['audience_held'] / max(h['audience_conditions'], 1):.1%}) | "
                f"{h['untaggable_handled']}/{h['untaggable']} | {frac(h['products'])} | {frac(h['dates'])} | {frac(h['channels'])} | "
                f"{frac(h['offers'])} | {frac(h['experiment'])} | {h['asked_when_clear']}/{h['clear_briefs']} | "
                f"{h['edits_fully_right']}/{h['edits']} |")  # fmt: skip

    for name, _title in halves:
        if first.get(name) and name in first[name]:
            out.append(row(name, "**first run**", first[name]))
        if name in latest:
            out.append(row(name, "latest", latest))
    firsts = [f[n] for n, f in first.items() if f and n in f]
    if firsts:
        # Every blind half's first run together: the parser on briefs it had never seen.
        total = {k: sum(h[k] for h in firsts) for k in ("briefs", "fully_right", "audience_held", "audience_conditions", "untaggable_handled",
                                                         "untaggable", "asked_when_clear", "clear_briefs", "edits_fully_right", "edits")}
        for k in ("products", "dates", "channels", "offers", "experiment"):
            total[k] = [sum(h[k][0] for h in firsts), sum(h[k][1] for h in firsts)]
        out.append(row("all blind", "**first runs, summed**", {"all blind": total, "commit": "—"}))
    out += ["", "Halves: " + "; ".join(f"`{n}` = {t}" for n, t in halves) + "."]
    return "\n".join(out)


def render_launchable(r: dict) -> str:
    """Plans a marketer can launch: the budget spent or why not, the experiment feasible or the design chosen, copy
    faithful to the terms; tuned and blind halves apart."""
    out = [f"**Launchable plans** (`{r['command']}`, every brief planned on the offline path over {r['users']:,} demo users, "
           f"{r['seconds']:g} s; tuned: `campaigns.jsonl` and `briefs.jsonl`, blind: every `briefs_blind*` half)", "",
           "| group | plans | budget spent or the first line says why | experiment feasible or the feasible design said | copy faithful to the terms | spend at least half | experiment designs |",
           "|---|---|---|---|---|---|---|"]  # fmt: skip
    for group, g in r["groups"].items():
        designs = ", ".join(f"{k} {v}" for k, v in g["designs"].items())
        out.append(f"| {group} | {g['planned']} | {g['budget_spent_or_said']:.1%} | {g['experiment_feasible_or_said']:.1%} | {g['copy_faithful']:.1%} | "
                   f"{g['spent_half']:.1%} | {designs} |")  # fmt: skip
    return "\n".join(out)


def render_campaigns(r: dict, seg: dict | None) -> str:
    """The planner's numbers: latency, turns to a valid plan, brief-slot accuracy, and segment counting."""
    t = r["complete_in_one_turn"]
    out = [
        f"**Planner** (`{r['command']}`, run {r['started']} on {r['machine']['cpus']} CPU cores; {r['briefs']} briefs and "
        f"{r['edits']} edits from `eval/suites/campaigns.jsonl`, segments counted on DuckDB over {r['users']:,} demo users)",
        "",
        "| plan p50 ms | plan p90 ms | parse p50 ms | one segment count p50 ms (baseline) | plan / count | edit p50 ms | valid plan in one turn: all briefs | full briefs | valid after one edit |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {r['plan_p50_ms']} | {r['plan_p90_ms']} | {r.get('parse_p50_ms', '—')} | {r.get('segment_count_p50_ms', '—')} | {r.get('plan_to_one_count_ratio', '—')} | "
        f"{r['edit_p50_ms']} | {t['all']:.1%} | {t['full_briefs']:.1%} of {t['full_brief_count']} | {r['complete_after_one_edit']:.1%} |",
        "",
        "| brief parser | briefs | exact | precision | recall | F1 |",
        "|---|---|---|---|---|---|",
    ]
    for name, v in r["slots"].items():
        out.append(f"| {name} | {v['cases']} | {v['exact']:.1%} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |")
    if seg:
        out += ["", (f"**Segment counting** (`{seg.get('command', 'python bench/segments_bench.py')}`; medians over the rules, ms; the warehouse's "
                     "DuckDB table is loaded once, its load shown apart; the same count on the Parquet file read in place is the baseline; "
                     "pandas filters a frame already in memory)"), "",
                "| users | DuckDB loaded (the warehouse) | load s | DuckDB on Parquet | Parquet / loaded | pandas filter | pandas load s |",
                "|---|---|---|---|---|---|---|"]  # fmt: skip
        for size in seg["sizes"]:
            rules = size["rules"]

            def med(key: str, rules: list = rules) -> float:
                xs = sorted(r[key] for r in rules)
                return round(xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2, 2)

            out.append(f"| {size['users']:,} | {med('duckdb_loaded_ms')} | {size['duckdb_load_s']} | {med('duckdb_parquet_ms')} | "
                       f"{size['median_ratio_duckdb_parquet_over_loaded']} | {med('pandas_ms')} | {size['pandas_load_s']} |")  # fmt: skip
    return "\n".join(out)


def _replace(text: str, start: str, end: str, body: str) -> str:
    new, n = re.subn(re.escape(start) + r".*?" + re.escape(end), lambda _: f"{start}\n{body}\n{end}", text, flags=re.DOTALL)
    if n != 1:
        raise SystemExit(f"README.md needs exactly one {start} ... {end} block")
    return new


def main() -> None:
    """Replace the text between the markers in README.md."""
    results = ROOT / "bench" / "results"
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    text = _replace(text, START, END, render(json.loads((results / "retrieval.json").read_text(encoding="utf-8"))))
    funds = results / "funds.json"
    if funds.is_file():
        slots = {split: json.loads((results / f"funds_slots_{split}.json").read_text(encoding="utf-8")) for split in ("dev", "held-out", "all")}
        text = _replace(text, "<!-- funds:results -->", "<!-- /funds:results -->", render_funds(json.loads(funds.read_text(encoding="utf-8")), slots))
    understanding = results / "understanding.json"
    if understanding.is_file():
        text = _replace(text, "<!-- understanding:results -->", "<!-- /understanding:results -->",
                        render_understanding(json.loads(understanding.read_text(encoding="utf-8"))))
    briefs = results / "briefs.json"
    if briefs.is_file():
        text = _replace(text, "<!-- briefs:results -->", "<!-- /briefs:results -->", render_briefs(json.loads(briefs.read_text(encoding="utf-8"))))
    campaigns, segments = results / "campaigns.json", results / "segments.json"
    if campaigns.is_file():
        text = _replace(text, "<!-- campaigns:results -->", "<!-- /campaigns:results -->",
                        render_campaigns(json.loads(campaigns.read_text(encoding="utf-8")),
                                         json.loads(segments.read_text(encoding="utf-8")) if segments.is_file() else None))  # fmt: skip
    launchable = results / "launchable.json"
    if launchable.is_file():
        text = _replace(text, "<!-- launchable:results -->", "<!-- /launchable:results -->", render_launchable(json.loads(launchable.read_text(encoding="utf-8"))))
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

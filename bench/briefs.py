"""How well the campaign planner reads briefs, per suite half: the figures the README reports.

    python bench/briefs.py record --label "after X"     # run both halves, append a row to bench/results/briefs.json
    python bench/briefs.py show                          # the rows so far
    python bench/briefs.py failures --suite briefs_blind # what went wrong, case by case

Every figure comes from eval/_briefs.py: audience conditions are checked by counting users on the demo user table,
not by reading the plan's rule. `briefs.jsonl` is the tuned half; `briefs_blind.jsonl` was written by helpers who
never saw the parser, and its first run is the row labelled "blind first run".
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "briefs.json"
SUITES = {"tuned": ROOT / "eval" / "suites" / "briefs.jsonl", "blind": ROOT / "eval" / "suites" / "briefs_blind.jsonl",
          "blind2": ROOT / "eval" / "suites" / "briefs_blind2.jsonl", "blind3": ROOT / "eval" / "suites" / "briefs_blind3.jsonl",
          "blind4": ROOT / "eval" / "suites" / "briefs_blind4.jsonl", "blind5": ROOT / "eval" / "suites" / "briefs_blind5.jsonl",
          "blind6": ROOT / "eval" / "suites" / "briefs_blind6.jsonl", "blind7": ROOT / "eval" / "suites" / "briefs_blind7.jsonl",
          "blind8": ROOT / "eval" / "suites" / "briefs_blind8.jsonl",
          "blind9": ROOT / "eval" / "suites" / "briefs_blind9.jsonl",
          "blind10": ROOT / "eval" / "suites" / "briefs_blind10.jsonl",
          "blind11": ROOT / "eval" / "suites" / "briefs_blind11.jsonl",
          "blind12": ROOT / "eval" / "suites" / "briefs_blind12.jsonl",
          "blind13": ROOT / "eval" / "suites" / "briefs_blind13.jsonl",
          "blind14": ROOT / "eval" / "suites" / "briefs_blind14.jsonl",
          "blind15": ROOT / "eval" / "suites" / "briefs_blind15.jsonl",
          "blind16": ROOT / "eval" / "suites" / "briefs_blind16.jsonl",
          "blind17": ROOT / "eval" / "suites" / "briefs_blind17.jsonl",
          "blind18": ROOT / "eval" / "suites" / "briefs_blind18.jsonl",
          "blind19": ROOT / "eval" / "suites" / "briefs_blind19.jsonl",
          "blind20": ROOT / "eval" / "suites" / "briefs_blind20.jsonl",
          "blind21": ROOT / "eval" / "suites" / "briefs_blind21.jsonl",
          "blind22": ROOT / "eval" / "suites" / "briefs_blind22.jsonl",
          "blind23": ROOT / "eval" / "suites" / "briefs_blind23.jsonl",
          "blind24": ROOT / "eval" / "suites" / "briefs_blind24.jsonl",
          "blind25": ROOT / "eval" / "suites" / "briefs_blind25.jsonl",
          "blind26": ROOT / "eval" / "suites" / "briefs_blind26.jsonl",
          "blind27": ROOT / "eval" / "suites" / "briefs_blind27.jsonl",
          "blind28": ROOT / "eval" / "suites" / "briefs_blind28.jsonl",
          "blind29": ROOT / "eval" / "suites" / "briefs_blind29.jsonl",
          "blind30": ROOT / "eval" / "holdout" / "briefs_blind30.jsonl"}
"""The halves: `briefs` (our relabelled suite), `briefs_blind` (first blind half, tuned on after its first run was
recorded), `briefs_blind2` (second blind half, written while the parser was tuned, its first run recorded on arrival),
`briefs_blind3` (third blind half, written after the tuning on the other three, its first run recorded on arrival),
`briefs_blind4` (fourth blind half, written after the tuning on the third, its first run recorded on arrival),
`briefs_blind5` (fifth blind half, written after the tuning on the fourth, its first run recorded on arrival, then kept
untuned in eval/holdout for a session and re-run untouched before it was tuned on and moved to the gated suites),
`briefs_blind6` (sixth blind half, written while the fifth was tuned on and never opened before its first run was
recorded, then tuned on), `briefs_blind7` (seventh blind half, written while the sixth was tuned on and never opened
before its first run was recorded, then tuned on), `briefs_blind8` (eighth blind half, written while the seventh was
tuned on and never opened before its first run was recorded, then tuned on), `briefs_blind9` (ninth blind half, written
while the eighth was tuned on and never opened before its first run was recorded, then tuned on), `briefs_blind10`
(tenth blind half, written while the ninth was tuned on and never opened before its first run was recorded, then tuned
on), `briefs_blind11` (eleventh blind half, written while the tenth was tuned on and never opened before its first run
was recorded, then tuned on), `briefs_blind12` (twelfth blind half, written while the eleventh was tuned on and never
opened before its first run was recorded, then tuned on), `briefs_blind13` (thirteenth blind half, a representative
sample written while the twelfth was tuned on and never opened before its first run was recorded, then tuned on),
`briefs_blind14` (fourteenth blind half, a representative sample written while the thirteenth was tuned on and never
opened before its first run was recorded, then tuned on), `briefs_blind15` (fifteenth blind half, a representative
sample written while the fourteenth was tuned on and never opened before its first run was recorded, then tuned on),
`briefs_blind16` (sixteenth blind half, a representative sample written while the fifteenth was tuned on and never
opened before its first run was recorded, then tuned on), `briefs_blind17` (seventeenth blind half, a representative
sample written while the sixteenth was tuned on and never opened before its first run was recorded, then tuned on),
`briefs_blind18` (eighteenth blind half, a representative sample written while the seventeenth was tuned on and never
opened before its first run was recorded, then tuned on), `briefs_blind19` (nineteenth blind half, a representative
sample written while the eighteenth was tuned on and never opened before its first run was recorded, then tuned on),
`briefs_blind20` (twentieth blind half, a representative sample written while the nineteenth was tuned on and never
opened before its first run was recorded, then tuned on), `briefs_blind21` (twenty-first blind half, a representative
sample written while the twentieth was tuned on and never opened before its first run was recorded, then tuned on),
`briefs_blind22` (twenty-second blind half, a representative sample written while the twenty-first was tuned on and
never opened before its first run was recorded, then tuned on its experiment designs), `briefs_blind23`
(twenty-third blind half, a representative sample written at the start of a session, held out in eval/holdout and
never opened before its first run was recorded, then tuned on), `briefs_blind24` (twenty-fourth blind half, a
representative sample written while the twenty-third was tuned on, held out in eval/holdout and never opened before its
first run was recorded, then tuned on), `briefs_blind25` (twenty-fifth blind half, a representative sample written while
the twenty-fourth was tuned on, held out in eval/holdout and never opened before its first run was recorded, then tuned on), `briefs_blind26`
(twenty-sixth blind half, a representative sample written while the twenty-fifth was tuned on, held out in eval/holdout
and never opened before its first run was recorded, then tuned on), `briefs_blind27` (twenty-seventh blind half, a
representative sample written while the twenty-sixth was tuned on, held out in eval/holdout and never opened before its
first run was recorded, then tuned on), `briefs_blind28` (twenty-eighth blind half, a representative
sample written while the twenty-seventh was tuned on, held out in eval/holdout and never opened before its first run was
recorded, then tuned on), `briefs_blind29` (twenty-ninth blind half, a representative sample written while the
twenty-eighth was tuned on, held out in eval/holdout and never opened before its first run was recorded, then tuned on),
`briefs_blind30` (thirtieth blind half, a representative sample written while the twenty-ninth was tuned on, held out
in eval/holdout and never opened before its first run was recorded; left untuned for the next session)."""


def run_suite(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Every case of a suite scored; the totals and the per-case rows."""
    from assistant.campaigns import Planner
    from eval._briefs import score_case
    from eval._cases import load_suite
    from retrieval import generate_demo

    generate_demo()
    planner = Planner()
    rows = []
    for case in load_suite(path):
        try:
            output, scores, ok = score_case(planner, case)
        except Exception as exc:  # noqa: BLE001 - a crash is a wrong answer, counted and shown, never hidden
            output, scores, ok = {"error": f"{type(exc).__name__}: {exc}"}, {"fully_right": 0.0}, False
        rows.append({"id": case.id, "kind": case.kind, "ok": ok, "scores": scores, "output": output})
    return totals(rows), rows


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    briefs = [r for r in rows if r["kind"] == "brief"]
    edits = [r for r in rows if r["kind"] == "edit"]
    tot = lambda rs, k: int(sum((r["scores"].get(k) or 0) for r in rs))
    out: dict[str, Any] = {
        "briefs": len(briefs),
        "fully_right": tot(briefs, "fully_right"),
        "audience_conditions": tot(rows, "audience_conditions"),
        "audience_held": tot(rows, "audience_held"),
        "untaggable": tot(rows, "untaggable"),
        "untaggable_handled": tot(rows, "untaggable_handled"),
        "clear_briefs": len([r for r in briefs if not r["scores"].get("untaggable")]),
        "asked_when_clear": tot(briefs, "asked_when_clear"),
        "edits": len(edits),
        "edits_applied": tot(edits, "edit_applied"),
        "edits_rest_unchanged": tot(edits, "rest_unchanged"),
        "edits_fully_right": tot(edits, "fully_right"),
        "errors": sum(1 for r in rows if "error" in r["output"]),
    }
    for slot in ("products", "dates", "budget", "channels", "offers", "kpis", "experiment", "goal"):
        have = [r for r in briefs if f"{slot}_right" in r["scores"]]
        out[slot] = [tot(have, f"{slot}_right"), len(have)]
    return out


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def record(label: str) -> dict[str, Any]:
    started = time.time()
    row: dict[str, Any] = {"label": label, "commit": _commit(), "date": time.strftime("%Y-%m-%d %H:%M")}
    for half, path in SUITES.items():
        row[half], _ = run_suite(path)
    row["seconds"] = round(time.time() - started, 1)
    rows = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else []
    rows.append(row)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    rec = sub.add_parser("record", help="run both halves and append a row")
    rec.add_argument("--label", required=True)
    sub.add_parser("show", help="print the rows so far")
    fail = sub.add_parser("failures", help="list the cases that were not read fully right")
    fail.add_argument("--suite", default="briefs_blind", help="briefs or briefs_blind")
    args = parser.parse_args(argv)
    if args.cmd == "record":
        print(json.dumps(record(args.label), ensure_ascii=False, indent=1))
    elif args.cmd == "show":
        print(RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "[]")
    else:
        _, rows = run_suite(ROOT / "eval" / "suites" / f"{args.suite}.jsonl")
        for r in rows:
            if not r["ok"]:
                o = r["output"]
                bad = [k for k, v in (o.get("slots") or {}).items() if not v] + [a["said"] for a in o.get("audience", []) if not a["ok"]]
                print(r["id"], o.get("error") or bad, "| asked" if o.get("question") else "")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

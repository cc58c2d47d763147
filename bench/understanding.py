"""How well the fund advisor understands people, suite by suite, with the tuned and blind halves kept apart.

Run:  python bench/understanding.py record --label "after X" [--suite funds_blind3.jsonl ...] [--home DIR]
      python bench/understanding.py show

`record` runs the offline advisor over each fund suite on the demo catalog (the eval harness, no gates) and appends
one row per suite to bench/results/understanding.json: the commit, the label, whether the suite had been looked at
while building the parser (`tuned`) or not (`blind`), and the never-silent scores:

* fund_precision: the share of the funds shown that meet every labelled limit (summed over the suite);
* clean: the share of requests with a shortlist in which no fund breaks a labelled limit;
* silent_drops: requests where a stated condition was missing from the parse (or one the data model cannot express
  was stated) and the answer neither asked nor said what it did not understand;
* inverted: requests where a stated condition was turned around (a minimum read as a maximum, an exclusion as a wish);
* asked_when_clear: the share of clear requests (not vague, nothing unsupported) that got a question.

Rows are never rewritten: a blind suite's first run stays its first run. The README's table is rendered from this
file by bench/render_readme.py.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "understanding.json"
METRICS = ("pass_rate", "fund_precision", "funds_ok", "funds_shown", "clean", "silent_drops", "inverted", "asked_when_clear", "slots_exact")
TUNED = {"funds.jsonl", "funds_blind.jsonl", "funds_blind2.jsonl", "funds_blind3.jsonl"}
"""Suites whose failures were looked at while building the parser; every other suite is blind until added here."""


def _commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True, check=False)
    return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def record(label: str, suites: list[str]) -> list[dict[str, Any]]:
    from eval import run_suites
    from eval._funds import SUITES
    from finpilot import get_settings
    from retrieval import ensure_demo

    s = get_settings()
    ensure_demo(s, progress=False)
    paths = [SUITES / name for name in suites] if suites else sorted(SUITES.glob("funds*.jsonl"))
    rec = run_suites(paths, "offline", "demo", s)
    rows = []
    for path in paths:
        summary = rec.summary.get(path.name, {})
        rows.append({"suite": path.name, "half": "tuned" if path.name in TUNED else "blind", "label": label, "commit": _commit(),
                     "date": time.strftime("%Y-%m-%d"), "cases": summary.get("cases"),
                     **{m: summary.get(m) for m in METRICS}})  # fmt: skip
    history = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else []
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(history + rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("record", help="run the fund suites and append one row per suite")
    r.add_argument("--label", required=True, help="what this run is (e.g. 'first run', 'after tuning on blind 2')")
    r.add_argument("--suite", action="append", default=[], help="a suite file name in eval/suites (default: every funds*.jsonl)")
    r.add_argument("--home", type=Path, help="FINPILOT_HOME (default: a new temporary folder)")
    sub.add_parser("show", help="print the recorded rows")
    args = parser.parse_args()
    if args.cmd == "show":
        for row in json.loads(RESULTS.read_text(encoding="utf-8")):
            print(json.dumps(row, ensure_ascii=False))
        return 0
    os.environ["FINPILOT_HOME"] = str(args.home or Path(tempfile.mkdtemp(prefix="finpilot-understanding-")))
    os.environ["FINPILOT_PROGRESS"] = "0"
    for row in record(args.label, args.suite):
        print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

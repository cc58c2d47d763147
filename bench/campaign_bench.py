"""Campaign-planner benchmark: plan latency on the offline path, turns to a complete valid plan, brief-slot accuracy.

Run:  python bench/campaign_bench.py [--home DIR] [--repeats 3] [--out bench/results/campaigns.json]

* Briefs: every brief in eval/suites/campaigns.jsonl; edits: every edit line, applied to the plan of its brief.
* Latency: `Planner.plan` (parse, the segment count on DuckDB over the demo's users — 2,000,000 unless the home's
  demo was generated with `--users` — the touch cadence, forecast, experiment, copy with compliance) and `Planner.edit`, medians over all briefs and repeats, in one process; beside
  them, in the same run, the parse alone (`read_brief`) and the baseline every plan must pay, one count of its segment
  on the warehouse, so the planner's own cost shows as a ratio to it.
* Turns: a plan is complete and valid when it is not refused, has a non-empty segment, channels, a budget within its
  cap, copy, an experiment, and passes compliance. A full brief should need one turn; a brief plus its edit two.
* Slots: exact-brief rate and micro F1 on the odd-numbered (dev, looked at while building) and even-numbered
  (held-out, never looked at) briefs.
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
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TODAY = date(2026, 11, 24)
"""The suite's relative dates (下周五) were labelled for this day."""


def complete(plan: object) -> bool:
    """Whether a plan could be launched as it stands."""
    p = plan  # type: ignore[assignment]
    return (not p.refused and p.segment is not None and p.segment.size > 0 and bool(p.channels) and p.budget is not None
            and p.budget.total <= p.budget.cap and bool(p.copy_items) and p.ab_test is not None and p.compliance.passed)  # fmt: skip


def main() -> int:
    """Run and write one JSON record."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "campaigns.json")
    args = ap.parse_args()
    os.environ["FINPILOT_HOME"] = str(args.home or tempfile.mkdtemp(prefix="finpilot-bench-"))
    os.environ["FINPILOT_PROGRESS"] = "0"
    from assistant.campaigns import Planner, parse_brief, read_brief
    from eval import load_campaign_cases, score_briefs
    from retrieval import generate_demo

    generate_demo()  # the demo market and users, on first use (the home's table, whatever its size)
    planner = Planner(today=TODAY)
    cases = load_campaign_cases()
    briefs = {c["id"]: c for c in cases if c.get("kind", "brief") != "edit"}
    edits = [c for c in cases if c.get("kind") == "edit"]
    plan_ms, edit_ms, parse_ms, count_ms, plans = [], [], [], [], {}
    asked = set()
    for _ in range(args.repeats):
        for cid, case in briefs.items():
            t = time.perf_counter()
            first = planner.plan(case["brief"])
            plan_ms.append((time.perf_counter() - t) * 1000)
            if first.question:
                asked.add(cid)  # the brief names an audience the tags cannot hold: the marketer's answer plans it
                first = planner.plan(case["brief"], ask=False)
            plans[cid] = first
            t = time.perf_counter()
            read_brief(case["brief"], planner.market, TODAY)
            parse_ms.append((time.perf_counter() - t) * 1000)
            if first.segment is not None:
                t = time.perf_counter()
                planner.warehouse.count(first.segment.rule)
                count_ms.append((time.perf_counter() - t) * 1000)
    one_turn = [cid for cid, p in plans.items() if complete(p)]
    full = [cid for cid, c in briefs.items() if "full" in c.get("tags", [])]
    edited_ok = 0
    for e in edits:
        t = time.perf_counter()
        new = planner.edit(plans[e["after"]], e["edit"])
        edit_ms.append((time.perf_counter() - t) * 1000)
        edited_ok += complete(new)
    split = {name: [c for c in briefs.values() if (int(c["id"][1:]) % 2 == 1) == (name == "dev")] for name in ("dev", "held-out")}
    result = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "command": "python bench/campaign_bench.py " + " ".join(sys.argv[1:]),
        "briefs": len(briefs), "edits": len(edits), "users": planner.warehouse.count("user_id != ''").size,
        "plan_p50_ms": round(statistics.median(plan_ms), 1), "plan_p90_ms": round(sorted(plan_ms)[int(0.9 * len(plan_ms))], 1),
        "parse_p50_ms": round(statistics.median(parse_ms), 2), "segment_count_p50_ms": round(statistics.median(count_ms), 1),
        "plan_to_one_count_ratio": round(statistics.median(plan_ms) / statistics.median(count_ms), 2),
        "asked": len(asked),
        "edit_p50_ms": round(statistics.median(edit_ms), 1) if edit_ms else None,
        "complete_in_one_turn": {"all": round(len(one_turn) / len(briefs), 4), "full_briefs": round(len(set(one_turn) & set(full)) / max(len(full), 1), 4),
                                 "full_brief_count": len(full)},
        "complete_after_one_edit": round(edited_ok / max(len(edits), 1), 4),
        "not_complete": {cid: (plans[cid].refusal_reason if plans[cid].refused else plans[cid].compliance.issues[:2] or [n.en for n in plans[cid].notes[:2]])
                         for cid in briefs if cid not in one_turn},
        "slots": {name: score_briefs(part, lambda text: parse_brief(text, planner.market, TODAY)) for name, part in split.items()},
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "not_complete"}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

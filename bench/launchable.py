"""Can the plans be launched as they stand (issue 14)? Every brief of the campaign suite and of every brief half is
planned on the offline path and held to the eval's plan checks; tuned and blind halves are reported apart.

Run:  python bench/launchable.py --home /tmp/fphome [--out bench/results/launchable.json]

* Briefs: the brief lines (not edits) of eval/suites/campaigns.jsonl and briefs.jsonl (ours, tuned) and of every
  eval/suites/briefs_blind*.jsonl and eval/holdout/briefs_blind*.jsonl (written blind by others; the holdout halves
  never tuned on). Each is planned as the marketer's "plan without it" (`ask=False`), on the home's demo
  (2,000,000 users unless generated with `--users`), with the suite's reference date.
* Shares, per group, from `eval._campaigns.plan_checks`:
  - budget_spent_or_said: the plan spends at least half its budget, or its first headline line says why not
    (with the users, channels or days that would change it);
  - experiment_feasible_or_said: the experiment runs as stated on the users and days there are, or the headline
    gives the feasible design the plan chose instead;
  - copy_faithful: every number and incentive word of every piece of copy is the product's or the offer's terms;
  - spent_half: plans that spend at least half their budget (the rest say why); designs: how experiments were sized.
* Every plan that fails a check is listed with its id and brief.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHECKS = ("budget_spent_or_said", "experiment_feasible_or_said", "copy_faithful")
TODAY = date(2026, 11, 24)
"""The suites' relative dates were labelled for this day; a brief case may carry its own `today`."""


def suites() -> list[tuple[str, str, Path]]:
    """(group, name, path) of every suite with campaign briefs."""
    out = [("tuned", "campaigns", ROOT / "eval" / "suites" / "campaigns.jsonl"), ("tuned", "briefs", ROOT / "eval" / "suites" / "briefs.jsonl")]
    for folder in (ROOT / "eval" / "suites", ROOT / "eval" / "holdout"):
        out += [("blind", p.stem, p) for p in sorted(folder.glob("briefs_blind*.jsonl"), key=lambda p: int("0" + p.stem[12:]))]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "launchable.json")
    args = ap.parse_args()
    os.environ["FINPILOT_HOME"] = str(args.home)
    os.environ["FINPILOT_PROGRESS"] = "0"
    from assistant.campaigns import Planner
    from assistant.compliance import channel_policy
    from eval._campaigns import plan_checks

    started = time.perf_counter()
    from retrieval import generate_demo

    generate_demo()  # the demo market and users, on first use (the home's table, whatever its size)
    planner = Planner(today=TODAY)
    groups: dict[str, Counter[str]] = {}
    per_suite, failures = {}, []
    for group, name, path in suites():
        limits = {c: channel_policy(c).text_limit for c in planner.market.channels}
        lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        counts: Counter[str] = Counter()
        for case in lines:
            if case.get("kind", "brief") != "brief":
                continue
            planner.today = date.fromisoformat(case["today"]) if case.get("today") else TODAY
            plan = planner.plan(case["brief"], ask=False)
            counts["briefs"] += 1
            if plan.refused:
                counts["refused"] += 1
                continue
            checks = plan_checks(plan, planner.warehouse, limits, planner.market.offers)
            counts["planned"] += 1
            counts["spent_half"] += bool(plan.budget and plan.budget.total >= 0.5 * plan.budget.cap)
            counts[f"design:{plan.ab_test.design if plan.ab_test else 'none'}"] += 1
            for check in CHECKS:
                counts[check] += checks[check]
                if not checks[check]:
                    failures.append({"suite": name, "id": case["id"], "check": check, "brief": case["brief"][:120]})
        per_suite[name] = {"group": group, **counts}
        groups.setdefault(group, Counter()).update(counts)
        print(f"{group:5} {name:18} planned {counts['planned']:4}  " + "  ".join(f"{c} {counts[c]}/{counts['planned']}" for c in CHECKS), flush=True)

    def shares(c: Counter[str]) -> dict[str, object]:
        n = max(c["planned"], 1)
        return {"briefs": c["briefs"], "planned": c["planned"], "refused": c["refused"],
                **{k: round(c[k] / n, 4) for k in (*CHECKS, "spent_half")},
                "designs": {k.split(":", 1)[1]: v for k, v in sorted(c.items()) if k.startswith("design:")}}  # fmt: skip

    users = planner.warehouse.count("user_id != ''").size
    result = {"command": "python bench/launchable.py " + " ".join(sys.argv[1:]), "users": users,
              "seconds": round(time.perf_counter() - started, 1), "groups": {g: shares(c) for g, c in groups.items()},
              "suites": {n: shares(Counter(v)) for n, v in per_suite.items()}, "failures": failures}  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["groups"], ensure_ascii=False, indent=2))
    print(f"{len(failures)} failing plans; wrote {args.out}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())

"""Uplift benchmark: training the uplift model on response logs and scoring 2,000,000 users, on this machine's cores.

Run:  python bench/uplift_bench.py [--users 2000000] [--log-campaigns 24] [--repeats 3] [--out bench/results/uplift.json]

* Users: the demo's own generator (`retrieval.generate_users`, seed 20190830), the demo's size by default.
* Logs: `--log-campaigns` simulated campaigns (the eval's tuned scenarios, drawn on these users, up to 90,000 users
  each: about the demo's own logs), from the response model in retrieval/_responses.py.
* Training (`train`): the product path, `assistant.learning.train` (two HistGradientBoosting classifiers on
  the log rows joined to the users' tags). Scoring (`score`): every user x 4 options (2 products x 2 channels) in
  chunks of 250,000 with a tqdm progress bar, as `finpilot campaign target` does.
* Baseline in the same run (`rule_only`): the rule-only path over the same users and options (eligibility, then a
  random order within the budget), which needs no model: the ratio says what learning costs on top.
Times are medians over `--repeats` runs; each repeat re-trains and re-scores from scratch.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = 20190830


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=2_000_000)
    ap.add_argument("--log-campaigns", type=int, default=24)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "uplift.json"))
    args = ap.parse_args()

    from tqdm import tqdm

    from assistant.learning import Option, OptionCosts, allowed, assign, catalog, rule_only, score, train, user_features
    from eval._learning import Env, make_env, run_campaign, tuned_scenarios
    from retrieval import generate_users, user_arrays

    t0 = time.perf_counter()
    small = make_env(users=10_000)  # the market only
    tags = generate_users(SEED, args.users)
    env = Env(small.market, tags, user_arrays(tags), small.products)
    made = time.perf_counter() - t0
    logs = []
    for k, sc in enumerate(tuned_scenarios(args.log_campaigns * 2, seed=11)):
        got = run_campaign(env, sc, seed=k)
        if got is not None:
            logs.append(got[1])
        if len(logs) == args.log_campaigns:
            break
    table = pa.concat_tables(logs)
    products, offers, channels = catalog(env.market)
    options = [Option(p, *products[p], "cash_1988", "cash_subsidy", ch, kind, 2) for p in ("wenying_90d", "fund:bond")
               for ch, kind in (("app_push", "push"), ("sms", "sms"))]
    costs = [OptionCosts(touch=env.market.channels[o.channel_id].unit_cost * 2, redemption=19.88) for o in options]
    reach = {c.channel_id: c.reach_tag for c in env.market.channels.values()}
    times: dict[str, list[float]] = {"train": [], "score": [], "rule_only": []}
    for _ in range(args.repeats):
        t = time.perf_counter()
        model = train(table, tags, products, offers, channels)
        times["train"].append(time.perf_counter() - t)
        t = time.perf_counter()
        bar = tqdm(total=tags.num_rows, desc="scoring users", unit="user", file=sys.stderr)
        x = user_features(tags)
        ok, _ = allowed(tags, options, reach)
        up, p1 = score(model, x, options, bar)
        bar.close()
        assign(ok, up, p1, costs, 200.0, 500_000.0)
        times["score"].append(time.perf_counter() - t)
        t = time.perf_counter()
        ok, _ = allowed(tags, options, reach)
        zeros = np.zeros((tags.num_rows, len(options)))
        rule_only(ok, zeros, zeros, costs, 500_000.0)
        times["rule_only"].append(time.perf_counter() - t)
    med = {k: statistics.median(v) for k, v in times.items()}
    result = {
        "when": datetime.now().isoformat(timespec="seconds"), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "users": args.users, "log_rows": table.num_rows, "log_campaigns": len(logs), "options": len(options),
        "repeats": args.repeats, "setup_s": round(made, 1), "median_s": {k: round(v, 2) for k, v in med.items()},
        "train_plus_score_s": round(med["train"] + med["score"], 2),
        "score_over_rule_only": round(med["score"] / med["rule_only"], 1), "all_s": times,
    }  # fmt: skip
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "all_s"}, indent=2))


if __name__ == "__main__":
    main()

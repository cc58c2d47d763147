"""The learning loop's eval: simulated campaigns with fixed seeds, scored against the response model's truth.

Two halves, kept apart in every report: "tuned" campaigns drawn here from a seed (what the reviewer and the model were
developed on) and "blind" ones written in eval/learning/blind.toml by someone who never saw the response model.

* Review: over every simulated campaign, whether the 95% interval on arm A's lift covers the true lift (the mean over
  the campaign's users of p1 - p0, from the generator), and, where A and B send the same thing, how often the A/B
  decision calls a difference (the false-positive rate, to hold at alpha) once the arms reach the planned size.
* Learning: an uplift model trained on the training campaigns' logs targets held-out tasks; the truth scores the
  expected incremental conversions per yuan of uplift targeting and of rule-only targeting at the same budget, and
  the Qini coefficient of the model's ranking on held-out campaigns' logs; the model's calibration by decile.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

BLIND_FILE = Path(__file__).parent / "learning" / "blind.toml"
POOL_USERS = 300_000
POOL_SEED = 7
MIN_REVIEWED = 220
"""Campaigns each half reviews at least (scenarios x draws; some audiences are too small for the pool): the coverage
claim is made over 200 or more."""
START = date(2026, 11, 2)

_PRODUCTS = ("wenying_90d", "wenying_180d", "huoqianying", "zhouzhouying", "youxuan_steady", "youxuan_balanced", "fund:bond",
             "fund:index", "fund:mixed", "fund:money", "sujie", "suixinfen", "shangjiadai", "kanghu_medical")  # fmt: skip
_CHANNEL_SETS = (("app_push",), ("sms",), ("app_push", "sms"), ("wechat_service", "app_push"), ("ai_call",), ("popup",),
                 ("in_app_message", "sms"), ("wechat_work",), ("outbound_call",), ("email", "app_push"))  # fmt: skip
_AUDIENCES = ("monthly_active", "not monthly_active", "aum >= 10000", "aum < 10000", "age >= 45", "age < 35",
              "days_since_login > 90", "city_tier <= 2", "credit_granted", "true", "is_merchant")  # fmt: skip


@dataclass
class Env:
    """The simulation's world: the demo market and a pool of users (tags as a table and as arrays)."""

    market: Any
    tags: pa.Table
    arrays: dict[str, np.ndarray]
    products: dict[str, tuple[str, int]]
    tickets: dict[str, float] = field(default_factory=dict)

    def select(self, where: str, users: int, rng: np.random.Generator) -> np.ndarray:
        import duckdb

        con = duckdb.connect()
        try:
            con.register("users", self.tags.append_column("_row", pa.array(np.arange(self.tags.num_rows))))
            rows = con.execute(f"select _row from users where {where}").fetchnumpy()["_row"]
        finally:
            con.close()
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) > users:
            rows = np.sort(rng.choice(rows, size=users, replace=False))
        return rows


def make_env(users: int = POOL_USERS, seed: int = POOL_SEED) -> Env:
    from assistant.campaigns import Market
    from assistant.learning import catalog
    from retrieval import (
        generate_campaigns,
        generate_channels,
        generate_offers,
        generate_products,
        generate_users,
        user_arrays,
    )

    products, channels, offers = generate_products(seed), generate_channels(seed), generate_offers(seed)
    market = Market({p.product_id: p for p in products}, {c.channel_id: c for c in channels}, {o.offer_id: o for o in offers},
                    generate_campaigns(seed, products, channels, offers))  # fmt: skip
    table = generate_users(seed, users)
    prods, _, _ = catalog(market)
    return Env(market, table, user_arrays(table), prods)


def _ticket(product: str) -> float:
    from retrieval import demo_ticket

    return demo_ticket(product)


def _offers_for(env: Env, product: str) -> list[str]:
    fam = env.products[product][0]
    key = product if product.startswith("fund:") else env.market.products[product].kind.value
    return [o.offer_id for o in env.market.offers.values() if key in o.applies_to or (fam == "fund" and any(a.startswith("fund:") for a in o.applies_to) and not product.startswith("fund:") and "wealth" in o.applies_to)]


def tuned_scenarios(n: int, seed: int = 2026) -> list[dict[str, Any]]:
    """`n` campaign scenarios drawn from a seed, in blind.toml's format (half with A and B sending the same thing)."""
    rng = np.random.default_rng(seed)
    env_free: list[dict[str, Any]] = []
    for k in range(n):
        product = _PRODUCTS[rng.integers(len(_PRODUCTS))]
        audience = _AUDIENCES[rng.integers(len(_AUDIENCES))]
        if product in ("shangjiadai",):
            audience = "is_merchant"
        channels = list(_CHANNEL_SETS[rng.integers(len(_CHANNEL_SETS))])
        same = bool(k % 2)
        env_free.append({"id": f"tuned-c{k:03d}", "product": product, "audience": audience, "users": int(rng.integers(10_000, 90_000)),
                         "holdout": float(rng.choice([0.05, 0.1, 0.2, 0.3])), "days": int(rng.integers(5, 30)), "same_treatment": same,
                         "arm": [{"name": "A", "channels": channels, "touches": int(rng.integers(1, 4)), "offer": "?"},
                                 {"name": "B", "channels": channels, "touches": 0, "offer": "?" if not same else "="}]})  # fmt: skip
    return env_free


def _resolve(env: Env, scenario: dict[str, Any], rng: np.random.Generator) -> dict[str, Any]:
    """Fill a tuned scenario's drawn offers ("?": any that applies, or none; "=": the same as arm A)."""
    arms: list[dict[str, Any]] = []
    usable = _offers_for(env, scenario["product"])
    for arm in scenario["arm"]:
        arm = dict(arm)
        if arm.get("offer") == "?":
            arm["offer"] = usable[rng.integers(len(usable))] if usable and rng.random() < 0.8 else None
        elif arm.get("offer") == "=":
            arm["offer"], arm["touches"] = arms[0]["offer"], arms[0]["touches"]
        if not arm.get("touches"):
            arm["touches"] = arms[0]["touches"]
        arms.append(arm)
    return {**scenario, "arm": arms}


def blind_scenarios(path: Path = BLIND_FILE) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return list(data.get("campaign", [])), list(data.get("targeting", []))


def _treatment(env: Env, product: str, channel_id: str, offer: str | None, touches: int) -> Any:
    from retrieval import Treatment

    fam, grade = env.products[product]
    ch = env.market.channels[channel_id]
    kind = env.market.offers[offer].kind if offer else None
    return Treatment(product, fam, grade, _ticket(product), ch.channel_id, ch.kind, ch.ctr, offer, kind, int(touches))


def run_campaign(env: Env, scenario: dict[str, Any], seed: int) -> tuple[Any, Any, Any, np.ndarray] | None:
    """Simulate one scenario: (design, logs, truth, pool rows of its users), or None when its audience is too small."""
    from assistant.learning import ArmSpec, CampaignDesign
    from retrieval import SimulatedArm, SimulatedCampaign, simulate

    rng = np.random.default_rng(seed)
    if any(a.get("offer") in ("?", "=") for a in scenario["arm"]):
        scenario = _resolve(env, scenario, rng)
    rows = env.select(scenario["audience"], int(scenario["users"]), rng)
    if len(rows) < 2_000:
        return None
    users = {k: v[rows] for k, v in env.arrays.items()}
    hold = float(scenario["holdout"])
    arms_in = scenario["arm"]
    share = (1 - hold) / len(arms_in)
    sim_arms = [SimulatedArm("control", hold)]
    specs = [ArmSpec(name="control", share=hold, holdout=True)]
    for a in arms_in:
        ts = tuple(_treatment(env, scenario["product"], c, a.get("offer"), a.get("touches", 1)) for c in a["channels"])
        sim_arms.append(SimulatedArm(a["name"], share, ts))
        specs.append(ArmSpec(name=a["name"], share=share, offer_id=a.get("offer")))
    start = START
    end = start + timedelta(days=int(scenario.get("days", 14)) - 1)
    design_sim = SimulatedCampaign(scenario["id"], start, end, tuple(sim_arms))
    reach = {c.channel_id: c.reach_tag for c in env.market.channels.values()}
    logs, truth = simulate(users, design_sim, seed, reach)
    channels = sorted({c for a in arms_in for c in a["channels"]})
    offer = next((a.get("offer") for a in arms_in if a.get("offer")), None)
    n_arm = int(len(rows) * share)
    design = CampaignDesign(
        campaign_id=scenario["id"], name=scenario["id"], source="plan", product_ids=[scenario["product"]],
        channel_costs={c: env.market.channels[c].unit_cost for c in channels}, offer_id=offer,
        offer_cost=env.market.offers[offer].cost_per_redemption if offer else 0.0, arms=specs, start=start, end=end,
        planned_per_arm=int(n_arm * 0.97),  # sized to the campaign: the arms reach it (randomisation's spread aside)
    )  # fmt: skip
    return design, logs, truth, rows


def wilson_text(k: int, n: int) -> tuple[float, float, float]:
    from assistant.learning import wilson

    lo, hi = wilson(k, n)
    return (k / n if n else math.nan, lo, hi)


def review_suite(env: Env, scenarios: list[dict[str, Any]], seeds: Iterator[int] | list[int]) -> dict[str, Any]:
    """Coverage of arm A's lift interval and the A/B false-positive rate, over every scenario x seed."""
    from assistant.learning import review

    covered = total = 0
    null_calls = null_reads = alt_calls = alt_reads = 0
    misses: list[str] = []
    for seed in seeds:
        for sc in scenarios:
            got = run_campaign(env, sc, seed)
            if got is None:
                continue
            design, logs, truth, _ = got
            r = review(design, logs, None, today=design.end + timedelta(days=7))
            a = next(x for x in r.arms if x.arm == "A")
            total += 1
            assert a.lift is not None
            if a.lift.low <= truth.lift["A"] <= a.lift.high:
                covered += 1
            elif len(misses) < 10:
                misses.append(f"{sc['id']}@{seed}: true {truth.lift['A']:.5f} not in [{a.lift.low:.5f}, {a.lift.high:.5f}]")
            if r.ab is None:
                continue
            if r.ab.decision == "too_early":
                continue
            if sc.get("same_treatment"):
                null_reads += 1
                null_calls += r.ab.decision != "no_difference"
            else:
                alt_reads += 1
                alt_calls += r.ab.decision != "no_difference"
    return {"campaigns": total, "coverage": wilson_text(covered, total), "ab_null_reads": null_reads,
            "false_positive_rate": wilson_text(null_calls, null_reads) if null_reads else None,
            "ab_alt_reads": alt_reads, "alt_call_rate": wilson_text(alt_calls, alt_reads) if alt_reads else None,
            "misses": misses}  # fmt: skip


def train_on(env: Env, scenarios: list[dict[str, Any]], seed: int) -> Any:
    """An uplift model trained on the logs of `scenarios` simulated with `seed`."""
    from assistant.learning import catalog, train

    logs = []
    for sc in scenarios:
        got = run_campaign(env, sc, seed)
        if got is not None:
            logs.append(got[1])
    table = pa.concat_tables(logs)
    products, offers, channels = catalog(env.market)
    return train(table, env.tags, products, offers, channels)


def qini(uplift_score: np.ndarray, treated: np.ndarray, converted: np.ndarray) -> float:
    """The Qini coefficient: area between the Qini curve of a ranking and the random-targeting line, over users x
    the incremental conversions of the whole group (0 for a random ranking, higher is better)."""
    order = np.argsort(-uplift_score, kind="stable")
    t, y = treated[order], converted[order]
    nt, nc = np.cumsum(t), np.cumsum(~t)
    yt, yc = np.cumsum(y & t), np.cumsum(y & ~t)
    curve = yt - np.where(nc > 0, yc * nt / np.maximum(nc, 1), 0.0)
    n = len(order)
    total = curve[-1]
    random_line = total * np.arange(1, n + 1) / n
    if abs(total) < 1e-9:
        return 0.0
    return float((curve - random_line).sum() / (n * abs(total)))


def targeting_suite(env: Env, model: Any, tasks: list[dict[str, Any]], held_out: list[dict[str, Any]], seed: int) -> dict[str, Any]:
    """Uplift vs rule-only targeting scored by the truth, the Qini of the model's ranking on held-out campaigns, and
    the model's calibration; plus the number of unsafe assignments (must be 0)."""
    from assistant.learning import Option, OptionCosts, allowed, assign, rule_only, score, user_features, vulnerable
    from retrieval import ResponseModel, Treatment

    truth_model = ResponseModel()
    reach = {c.channel_id: c.reach_tag for c in env.market.channels.values()}
    rng = np.random.default_rng(seed)
    ratios, per_yuan_u, per_yuan_r, unsafe = [], [], [], 0
    pooled: list[tuple[tuple[float, float], tuple[float, float]]] = []
    for task in tasks:
        rows = env.select(task["audience"], int(task.get("users", 50_000)), rng)
        if len(rows) < 1_000:
            continue
        tags = env.tags.take(pa.array(rows))
        users = {k: v[rows] for k, v in env.arrays.items()}
        options, costs, truths = [], [], []
        for product in task["products"]:
            fam, grade = env.products[product]
            for offer in task.get("offers", []) or [None]:
                if offer and offer not in _offers_for(env, product):
                    continue
                for ch_id in task["channels"]:
                    ch = env.market.channels[ch_id]
                    kind = env.market.offers[offer].kind if offer else None
                    touches = int(task.get("touches", 2))
                    options.append(Option(product, fam, grade, offer, kind, ch_id, ch.kind, touches))
                    costs.append(OptionCosts(touch=ch.unit_cost * touches, redemption=env.market.offers[offer].cost_per_redemption if offer else 0.0))
                    truths.append(Treatment(product, fam, grade, _ticket(product), ch_id, ch.kind, ch.ctr, offer, kind, touches))
        if not options:
            continue
        ok, _ = allowed(tags, options, reach)
        up, p1 = score(model, user_features(tags), options)
        true_up = np.column_stack([np.subtract(*truth_model.rates(users, t)[::-1]) for t in truths])
        true_p1 = np.column_stack([truth_model.rates(users, t)[1] for t in truths])
        budget = float(task.get("budget", 20_000))
        value = float(task.get("value", 200.0))
        results, totals = {}, {}
        for name, (choice, _, _) in (("uplift", assign(ok, up, p1, costs, value, budget)), ("rule", rule_only(ok, up, p1, costs, budget, seed))):
            pick = choice >= 0
            r = np.arange(len(choice))[pick]
            c = choice[pick]
            spent = sum(costs[j].touch for j in c) + float((true_p1[r, c] * np.array([costs[j].redemption for j in c])).sum())
            inc = float(true_up[r, c].sum())
            results[name] = inc / spent if spent else 0.0
            totals[name] = (inc, spent)
            # Safety: nobody gets a product above their grade, nobody vulnerable gets credit.
            grade = tags.column("risk_grade").fill_null(0).to_numpy(zero_copy_only=False)[r]
            need = np.array([options[j].required_grade for j in c])
            credit = np.array([options[j].family in ("consumer_credit", "merchant_credit") for j in c], dtype=bool)
            unsafe += int(((need > 0) & (grade < need)).sum() + (credit & vulnerable(tags)[r]).sum())
        per_yuan_u.append(results["uplift"])
        per_yuan_r.append(results["rule"])
        pooled.append((totals["uplift"], totals["rule"]))
        ratios.append(results["uplift"] / results["rule"] if results["rule"] > 0 else math.nan)
    qinis_model, qinis_random, calib = _qini_and_calibration(env, model, held_out, seed)
    return {"tasks": len(ratios), "per_yuan_uplift": _mean_ci(per_yuan_u), "per_yuan_rule": _mean_ci(per_yuan_r),
            "gain_ratio": _mean_ci([x for x in ratios if not math.isnan(x)]),
            "uplift_beats_rule": int(sum(u > r for u, r in zip(per_yuan_u, per_yuan_r))),
            "pooled_per_yuan": _pooled_ci(pooled),
            "qini_model": _mean_ci(qinis_model), "qini_random": _mean_ci(qinis_random), "calibration": calib, "unsafe": unsafe}  # fmt: skip


def _mean_ci(xs: list[float], boot: int = 2000, seed: int = 0) -> tuple[float, float, float] | None:
    """(mean, low, high): a percentile bootstrap 95% interval over the items."""
    if not xs:
        return None
    a = np.asarray(xs, dtype=float)
    rng = np.random.default_rng(seed)
    means = a[rng.integers(0, len(a), (boot, len(a)))].mean(axis=1)
    return float(a.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def _pooled_ci(pairs: list[tuple[tuple[float, float], tuple[float, float]]], boot: int = 2000, seed: int = 0) -> dict[str, tuple[float, float, float]] | None:
    """Incremental conversions per yuan over all tasks together (sum of increments / sum of spend), uplift and rule-only,
    and their ratio, each with a percentile bootstrap 95% interval over tasks: no task with a tiny spend dominates."""
    if not pairs:
        return None
    a = np.array([[u[0], u[1], r[0], r[1]] for u, r in pairs], dtype=float)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(a), (boot, len(a)))
    s = a[idx].sum(axis=1)
    up, rule = s[:, 0] / s[:, 1], s[:, 2] / s[:, 3]
    t = a.sum(axis=0)
    point = (t[0] / t[1], t[2] / t[3])

    def ci(x: np.ndarray, p: float) -> tuple[float, float, float]:
        return float(p), float(np.percentile(x, 2.5)), float(np.percentile(x, 97.5))

    return {"uplift": ci(up, point[0]), "rule": ci(rule, point[1]), "ratio": ci(up / rule, point[0] / point[1])}


def _qini_and_calibration(env: Env, model: Any, held_out: list[dict[str, Any]], seed: int) -> tuple[list[float], list[float], list[dict[str, float]]]:
    from assistant.learning import catalog, option_rows, user_features

    products, offers, channels = catalog(env.market)
    rng = np.random.default_rng(seed + 1)
    q_model, q_random = [], []
    pred_all, treated_all, conv_all = [], [], []
    for sc in held_out:
        got = run_campaign(env, sc, seed + 1000)
        if got is None:
            continue
        _, logs, _, rows = got
        keep = np.isin(logs.column("arm").to_numpy(zero_copy_only=False), ["control", "A"])
        logs = logs.filter(pa.array(keep))
        pos = np.searchsorted(env.tags.column("user_id").to_numpy(zero_copy_only=False), logs.column("user_id").to_numpy(zero_copy_only=False))
        x = user_features(env.tags.take(pa.array(pos)))
        # Each user is scored for the treatment arm A sends them (a hold-out user: as if sent through A's first channel).
        opt = option_rows(logs, products, offers, channels)
        a_rows = opt[~logs.column("channel").is_null().to_numpy(zero_copy_only=False)]
        if not len(a_rows):
            continue
        opt[logs.column("channel").is_null().to_numpy(zero_copy_only=False)] = a_rows[0]
        pred = model.uplift_rows(x, opt)
        treated = ~logs.column("channel").is_null().to_numpy(zero_copy_only=False)
        conv = logs.column("converted").to_numpy(zero_copy_only=False).astype(bool)
        q_model.append(qini(pred, treated, conv))
        q_random.append(qini(rng.random(len(pred)), treated, conv))
        pred_all.append(pred)
        treated_all.append(treated)
        conv_all.append(conv)
    calib: list[dict[str, float]] = []
    if pred_all:
        pred, treated, conv = np.concatenate(pred_all), np.concatenate(treated_all), np.concatenate(conv_all)
        edges = np.quantile(pred, np.linspace(0, 1, 11))
        bins = np.clip(np.searchsorted(edges, pred, side="right") - 1, 0, 9)
        for b in range(10):
            m = bins == b
            t, c = m & treated, m & ~treated
            if t.sum() and c.sum():
                calib.append({"decile": b + 1, "predicted": float(pred[m].mean()), "observed": float(conv[t].mean() - conv[c].mean()),
                              "users": int(m.sum())})  # fmt: skip
    return q_model, q_random, calib


def run_learning_eval(half: str = "tuned", review_seeds: int = 1, progress: bool = True) -> dict[str, Any]:
    """The whole suite for one half: review accuracy, then learning (trained on one seed's logs, tested on another's)."""
    env = make_env()
    if half == "tuned":
        scenarios = tuned_scenarios(240)
        train_set, held = scenarios[:100], scenarios[160:200]
        tasks = [_task_from(env, sc, k) for k, sc in enumerate(scenarios[200:240])]
    else:
        scenarios, tasks = blind_scenarios()
        train_set, held = tuned_scenarios(100), scenarios
    # Enough draws of the scenarios for the coverage claim's 200 campaigns at least (a half of 50 needs 5).
    seeds = max(review_seeds, math.ceil(MIN_REVIEWED / max(1, len(scenarios))))
    review = review_suite(env, scenarios, list(range(11, 11 + seeds)))
    model = train_on(env, train_set, seed=101)
    learning = targeting_suite(env, model, tasks, held, seed=202)
    return {"half": half, "review": review, "learning": learning, "trained_on": model.trained_on}


def _task_from(env: Env, sc: dict[str, Any], k: int) -> dict[str, Any]:
    """A targeting task from a tuned scenario: its audience, two products of the catalog, its channels."""
    second = _PRODUCTS[(k * 5 + 3) % len(_PRODUCTS)]
    offers = [o for o in _offers_for(env, sc["product"])[:1]]
    return {"id": sc["id"].replace("-c", "-t"), "audience": sc["audience"], "products": [sc["product"], second], "offers": offers,
            "channels": sc["arm"][0]["channels"], "touches": 2, "budget": 20_000, "users": 50_000}  # fmt: skip


def simulate_plan_results(plan: Any, settings: Any, seed: int = 0) -> pa.Table:
    """Per-user results for an exported plan, drawn from the demo's response model on the plan's segment: what a
    marketer trying the loop loads with `finpilot campaign results` (the truth stays here)."""
    from assistant.campaigns import Market
    from assistant.learning import catalog, plan_id, segment_ids, user_tags
    from finpilot import FinpilotError
    from retrieval import ResponseModel, SimulatedArm, SimulatedCampaign, Treatment, simulate, user_arrays

    if plan.segment is None or plan.ab_test is None or plan.schedule is None or not plan.products:
        raise FinpilotError("this plan has no campaign to simulate (it was refused or asks a question)")
    market = Market.demo(settings)
    products, _, _ = catalog(market)
    tags = user_tags(settings, segment_ids(settings, plan.segment.rule, market))
    if not tags.num_rows:
        raise FinpilotError("the plan's segment selects nobody in the users table")
    p = plan.products[0]
    fam, grade = products.get(p.id, ("wealth", int(p.risk_level or 0)))
    offer = plan.offer
    arms = []
    for a in plan.ab_test.arms:
        if a["name"] == "control":
            arms.append(SimulatedArm("control", float(a["share"])))
            continue
        ts = []
        for line in plan.channels:
            ch = market.channels.get(line.name)
            if ch is None:
                continue
            touches = max(1, round(line.touches / line.users)) if line.users else 1
            ts.append(Treatment(p.id, fam, grade, _ticket(p.id), ch.channel_id, ch.kind, ch.ctr, offer.offer_id if offer else None,
                                offer.kind if offer else None, touches))  # fmt: skip
        arms.append(SimulatedArm(a["name"], float(a["share"]), tuple(ts)))
    reach = {c.channel_id: c.reach_tag for c in market.channels.values()}
    # Only users some channel of the plan reaches are in the campaign (the plan's reach counts them so).
    tags_ok = np.zeros(tags.num_rows, bool)
    for line in plan.channels:
        tag = reach.get(line.name)
        tags_ok |= tags.column(tag).to_numpy(zero_copy_only=False).astype(bool) if tag else True
    users = user_arrays(tags.filter(pa.array(tags_ok)))
    # Calibrated as the demo's history is: the touched convert at the rate the plan's experiment was sized on.
    first = next(t for a in arms for t in a.treatments)
    _, p1 = ResponseModel().rates(users, first)
    scale = float(np.clip(plan.ab_test.baseline_rate / max(float(p1.mean()), 1e-9), 0.05, 5.0)) if plan.ab_test.baseline_rate else 1.0
    design = SimulatedCampaign(plan_id(plan), plan.schedule.start, plan.schedule.end, tuple(arms), scale=scale)
    logs, _ = simulate(users, design, seed, reach)
    return logs

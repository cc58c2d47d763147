"""The learning loop as the command line and the app use it: results in, review, history, uplift training and targeting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from assistant.campaigns import Market, Plan, product_family
from assistant.learning._design import CampaignDesign, load_design
from assistant.learning._history import TagEffect, load_reviews, save_review, tag_effects
from assistant.learning._results import ResultsReport, load_logs, results_dir, store_results
from assistant.learning._review import CELL_TAGS, Review, review
from assistant.learning._target import OptionCosts, TargetingSummary, allowed, assign, rule_only, summarize
from assistant.learning._uplift import FUND_TYPE_GRADE, TAG_COLUMNS, Option, UpliftModel, score, train, user_features
from finpilot import FinpilotError, Settings

DEFAULT_VALUE = 200.0
"""What one incremental conversion is worth to the platform (yuan) when the caller does not say."""
MODEL_FILE = "uplift.pkl"


def _users_path(settings: Settings) -> Path:
    if settings.warehouse_url:
        raise FinpilotError("reviews and targeting read the users' tags from the demo's Parquet table; a PostgreSQL "
                            "warehouse (FINPILOT_WAREHOUSE_URL) is not supported by them yet")  # fmt: skip
    path = Path(settings.demo_dir) / "users.parquet"
    if not path.is_file():
        raise FinpilotError(f"{path} is missing; run `finpilot demo generate` (or `finpilot start`)")
    return path


def segment_ids(settings: Settings, rule: str, market: Market | None = None) -> pa.Array:
    """The ids of the users a segment rule selects, from the warehouse the planner counts on."""
    from assistant.campaigns import open_warehouse

    market = market or Market.demo(settings)
    warehouse = open_warehouse(settings, list(market.channels.values()))
    try:
        return pa.array(list(warehouse.user_ids(rule)), pa.string())
    finally:
        warehouse.close()


def user_tags(settings: Settings, ids: pa.Array | None = None, columns: tuple[str, ...] = ()) -> pa.Table:
    """Tag rows of the users in `ids` (all users when None)."""
    import duckdb

    cols = sorted(set(TAG_COLUMNS) | set(CELL_TAGS) | set(columns) | {"push_reachable", "sms_reachable", "wechat_reachable",
                                                                      "is_student", "has_overdue", "income_drop", "days_since_overdue"})  # fmt: skip
    con = duckdb.connect()
    try:
        query = f"select {', '.join(cols)} from read_parquet(?) u"
        params: list[Any] = [str(_users_path(settings))]
        if ids is not None:
            con.register("wanted", pa.table({"user_id": ids}))
            query += " semi join wanted w on u.user_id = w.user_id"
        return _arrow(con.sql(query + " order by u.user_id", params=params))
    finally:
        con.close()


def _arrow(relation: Any) -> pa.Table:
    # DuckDB 2 names it to_arrow_table; 1.x, fetch_arrow_table.
    return relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.fetch_arrow_table()


def known_users(settings: Settings) -> Callable[[pa.Array], np.ndarray]:
    path = _users_path(settings)

    def check(ids: pa.Array) -> np.ndarray:
        all_ids = pq.read_table(path, columns=["user_id"]).column("user_id")
        return pc.is_in(ids, value_set=all_ids).to_numpy(zero_copy_only=False)

    return check


def load_results(settings: Settings, ref: str, file: Path, market: Market | None = None) -> ResultsReport:
    """`finpilot campaign results`: check a results file against the plan and store it whole, or nothing."""
    market = market or Market.demo(settings)
    design, _ = load_design(ref, market, Path(settings.demo_dir))
    return store_results(settings, design, Path(file), known_users(settings))


def review_campaign(settings: Settings, ref: str, market: Market | None = None, keep: bool = True) -> tuple[CampaignDesign, Review]:
    """`finpilot campaign review`: review a campaign from its results and (with `keep`) add it to the history."""
    market = market or Market.demo(settings)
    design, _ = load_design(ref, market, Path(settings.demo_dir))
    logs = load_logs(settings, design)
    tags = user_tags(settings, logs.column("user_id"))
    result = review(design, logs, tags, today=settings.today)
    if keep:
        save_review(settings, design, result)
    return design, result


def tag_table(settings: Settings) -> list[TagEffect]:
    return tag_effects(load_reviews(settings))


def catalog(market: Market) -> tuple[dict[str, tuple[str, int]], dict[str, str], dict[str, str]]:
    """(product id -> (family, required grade), offer id -> kind, channel id -> kind), for the uplift features."""
    products: dict[str, tuple[str, int]] = {f"fund:{t}": ("fund", g) for t, g in FUND_TYPE_GRADE.items()}
    for p in market.products.values():
        products[p.product_id] = (product_family(p.product_id, p.kind.value), int(p.risk_level or 0))
    return products, {o.offer_id: o.kind for o in market.offers.values()}, {c.channel_id: c.kind for c in market.channels.values()}


def all_logs(settings: Settings) -> pa.Table:
    """Every response log: the demo's and every loaded results file."""
    tables = []
    from retrieval import ensure_responses

    tables.append(pq.read_table(ensure_responses(settings)))
    folder = results_dir(settings)
    for path in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
        tables.append(pq.read_table(path))
    if not tables:
        raise FinpilotError("no response logs to learn from: the demo has none and no results were loaded")
    keep = ["user_id", "campaign_id", "arm", "channel", "product_id", "offer_id", "touches", "converted"]
    return pa.concat_tables([t.select([c for c in keep if c in t.column_names]) for t in tables], promote_options="permissive")


def train_model(settings: Settings, market: Market | None = None, progress: bool = True) -> UpliftModel:
    """Train the uplift model on every response log and keep it under home/models."""
    market = market or Market.demo(settings)
    logs = all_logs(settings)
    if "product_id" not in logs.column_names:
        raise FinpilotError("the response logs carry no product_id: the uplift model cannot tell treatments apart")
    products, offers, channels = catalog(market)
    tags = user_tags(settings, pc.unique(logs.column("user_id")))
    model = train(logs, tags, products, offers, channels)
    model.save(settings.home / "models" / MODEL_FILE)
    return model


def plan_options(plan: Plan, market: Market) -> tuple[list[Option], list[OptionCosts], dict[str, str | None]]:
    """The options a plan may give each user: each of its products x its offer x each channel, with their costs."""
    products, offers, _ = catalog(market)
    opts, costs = [], []
    offer = plan.offer
    for p in plan.products:
        fam, grade = products.get(p.id, (product_family(p.id, p.kind), int(p.risk_level or 0)))
        for line in plan.channels:
            ch = market.channels.get(line.name)
            if ch is None:
                continue
            touches = max(1, round(line.touches / line.users)) if line.users else 1
            opts.append(Option(p.id, fam, grade, offer.offer_id if offer else None, offers.get(offer.offer_id) if offer else None,
                               ch.channel_id, ch.kind, touches))  # fmt: skip
            costs.append(OptionCosts(touch=ch.unit_cost * touches, redemption=offer.cost_per_redemption if offer else 0.0))
    return opts, costs, {c.channel_id: c.reach_tag for c in market.channels.values()}


def target_plan(settings: Settings, ref: str, value: float = DEFAULT_VALUE, market: Market | None = None,
                progress: bool = True) -> tuple[TargetingSummary, pa.Table]:  # fmt: skip
    """Rank a plan's segment by predicted uplift: per user the suitable option with the highest expected incremental
    value, within the plan's budget, and what that gains over rule-only targeting at the same budget."""
    from tqdm import tqdm

    market = market or Market.demo(settings)
    design, plan = load_design(ref, market, Path(settings.demo_dir))
    if plan is None or plan.segment is None:
        raise FinpilotError("targeting ranks a plan's segment: give an exported plan (plan.json or its folder)")
    path = settings.home / "models" / MODEL_FILE
    model = UpliftModel.load(path) if path.is_file() else train_model(settings, market, progress)
    tags = user_tags(settings, segment_ids(settings, plan.segment.rule, market))
    if not tags.num_rows:
        raise FinpilotError("the plan's segment selects nobody in the users table")
    options, costs, reach = plan_options(plan, market)
    if not options:
        raise FinpilotError("the plan has no product and channel to target with")
    ok, reasons = allowed(tags, options, reach)
    x = user_features(tags)
    bar = tqdm(total=tags.num_rows, desc="scoring users", unit="user", disable=not progress)
    up, p1 = score(model, x, options, bar)
    bar.close()
    budget = plan.budget.total if plan.budget else None
    choice, inc, spend = assign(ok, up, p1, costs, value, budget)
    base = rule_only(ok, up, p1, costs, budget)
    summary = summarize("uplift", model.digest, options, ok, reasons, choice, inc, spend, value, base)
    summary.untrained = [f"{o.product_id} / {o.offer_id or '-'} / {o.channel_id}" for o in options if not model.knows(o)]
    picked = choice >= 0
    labels = np.array([f"{o.product_id}|{o.offer_id or ''}|{o.channel_id}" for o in options] + [""], dtype=object)
    targets = pa.table({
        "user_id": tags.column("user_id").filter(pa.array(picked)),
        "option": pa.array(labels[choice[picked]].astype(str)),
        "uplift": pa.array(inc[picked].astype(np.float64)),
        "cost": pa.array(spend[picked].astype(np.float64)),
    })  # fmt: skip
    del design
    return summary, targets


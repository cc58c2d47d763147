"""The demo catalog and an offline advisor over it, built once for the advisor tests."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from assistant.campaigns import Market, Planner
from assistant.funds import Advisor
from retrieval import Fund
from retrieval._demo import generate_funds


@lru_cache(maxsize=1)
def demo() -> tuple[Fund, ...]:
    return tuple(generate_funds(20190830))


@lru_cache(maxsize=1)
def market() -> Market:
    """The demo market built in memory: the same records `demo generate` writes (the planner itself never generates)."""
    from retrieval._demo import generate_campaigns, generate_channels, generate_offers, generate_products

    seed = 20190830
    products, channels, offers = generate_products(seed), generate_channels(seed), generate_offers(seed)
    campaigns = generate_campaigns(seed, products, channels, offers)
    return Market({p.product_id: p for p in products}, {c.channel_id: c for c in channels}, {o.offer_id: o for o in offers}, campaigns)


def planner(folder: Path, today: date) -> Planner:
    """An offline planner over the demo market and 20,000 demo users, their tag table written under `folder`."""
    import pyarrow.parquet as pq

    from assistant.campaigns._warehouse import DuckDBWarehouse
    from retrieval._demo import generate_users

    path = folder / "users.parquet"
    pq.write_table(generate_users(20190830, n=20_000), path)
    return Planner(market(), DuckDBWarehouse(path, list(market().channels.values())), today=today)


@lru_cache(maxsize=1)
def advisor() -> Advisor:
    return Advisor("demo", funds=demo(), backend="offline")


def by_code(code: str) -> Fund:
    return next(f for f in demo() if f.code == code)

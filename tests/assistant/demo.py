"""The demo catalog and an offline advisor over it, built once for the advisor tests."""

from __future__ import annotations

from functools import lru_cache

from assistant.campaigns import Market
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


@lru_cache(maxsize=1)
def advisor() -> Advisor:
    return Advisor("demo", funds=demo(), backend="offline")


def by_code(code: str) -> Fund:
    return next(f for f in demo() if f.code == code)

"""The demo catalog and an offline advisor over it, built once for the advisor tests."""

from __future__ import annotations

from functools import lru_cache

from assistant.funds import Advisor
from retrieval import Fund
from retrieval._demo import generate_funds


@lru_cache(maxsize=1)
def demo() -> tuple[Fund, ...]:
    return tuple(generate_funds(20190830))


@lru_cache(maxsize=1)
def advisor() -> Advisor:
    return Advisor("demo", funds=demo(), backend="offline")


def by_code(code: str) -> Fund:
    return next(f for f in demo() if f.code == code)

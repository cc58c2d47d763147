"""The arithmetic of a plan, each piece small enough to check by hand: sample sizes and detectable lifts, spreads."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist


def sample_size_per_arm(baseline: float, mde: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Users per arm to detect a relative lift `mde` over `baseline` with a two-sided two-proportion z-test.

    n = (z_{1-a/2} * sqrt(2 p̄ (1 - p̄)) + z_{1-b} * sqrt(p1 (1 - p1) + p2 (1 - p2)))^2 / (p2 - p1)^2, p2 = p1 (1 + mde).
    """
    if not 0 < baseline < 1:
        raise ValueError(f"baseline rate must be between 0 and 1, got {baseline}")
    p1, p2 = baseline, min(baseline * (1 + mde), 0.999999)
    bar = (p1 + p2) / 2
    z = NormalDist()
    a, b = z.inv_cdf(1 - alpha / 2), z.inv_cdf(power)
    n = (a * math.sqrt(2 * bar * (1 - bar)) + b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (p2 - p1) ** 2
    return math.ceil(n)


def spread(values: Sequence[float]) -> tuple[float, float, float]:
    """(low, median, high) as the 25th, 50th and 75th percentiles; a single value is its own range."""
    xs = sorted(values)
    if not xs:
        raise ValueError("no values")

    def q(p: float) -> float:
        k = (len(xs) - 1) * p
        lo, hi = math.floor(k), math.ceil(k)
        return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)

    return q(0.25), q(0.5), q(0.75)


def detectable_lift(baseline: float, n: int, alpha: float = 0.05, power: float = 0.8) -> float | None:
    """The smallest relative lift `n` users per arm detect over `baseline` (the inverse of `sample_size_per_arm`,
    to 0.1%), or None when even a rate of 1 could not be told apart with so few users."""
    if n < 2 or not 0 < baseline < 1:
        return None
    top = 1 / baseline - 1  # the lift that takes the rate to 1
    if sample_size_per_arm(baseline, top * 0.999999, alpha, power) > n:
        return None
    lo, hi = 0.0, top
    while hi - lo > 1e-7:
        mid = (lo + hi) / 2
        if sample_size_per_arm(baseline, mid, alpha, power) <= n:
            hi = mid
        else:
            lo = mid
    return math.ceil(hi * 1000) / 1000

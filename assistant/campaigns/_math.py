"""The arithmetic of a plan, each piece small enough to check by hand: sample sizes, budget allocation, funnels."""

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


def allocate(budget: float, options: Sequence[tuple[str, float, float, int]], required: Sequence[str] = ()) -> dict[str, int]:
    """Touches per channel that spend at most `budget`, best conversions per yuan first.

    `options` are (channel, cost per touch including the expected offer cost, expected conversions per touch,
    most touches available). Required channels get their touches first, in the same order of efficiency, so a
    marketer's "加上短信" is honoured even when SMS is not the cheapest conversion.
    """
    ranked = sorted(options, key=lambda o: (-(o[2] / o[1]) if o[1] > 0 else -math.inf, o[0]))
    order = [o for o in ranked if o[0] in required] + [o for o in ranked if o[0] not in required]
    left, out = budget, {}
    for name, cost, _, most in order:
        touches = most if cost == 0 else min(most, int(left // cost))
        if touches > 0:
            out[name] = touches
            left -= touches * cost
    return out

"""The statistics of a review, each small enough to check by hand: intervals on rates, on their difference and
ratio, a two-proportion test, and the Benjamini–Hochberg correction for many comparisons."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

_Z = NormalDist()


def z_for(level: float) -> float:
    """The normal quantile of a two-sided `level` interval (1.96 for 0.95)."""
    return _Z.inv_cdf(0.5 + level / 2)


def wilson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a rate k/n: right near 0, where conversion rates live (the Wald interval is not)."""
    if n <= 0:
        return (0.0, 1.0)
    z = z_for(level)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def newcombe(k1: int, n1: int, k0: int, n0: int, level: float = 0.95) -> tuple[float, float, float]:
    """(difference, low, high) for rate1 - rate0 by Newcombe's hybrid score method (his method 10): built from the two
    Wilson intervals, it keeps its coverage with a few dozen conversions, where the Wald difference interval falls short."""
    p1, p0 = k1 / n1, k0 / n0
    l1, u1 = wilson(k1, n1, level)
    l0, u0 = wilson(k0, n0, level)
    d = p1 - p0
    low = d - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    return d, low, high


def ratio_interval(k1: int, n1: int, k0: int, n0: int, level: float = 0.95) -> tuple[float, float, float] | None:
    """(relative lift, low, high) of rate1 / rate0 - 1 by the log-ratio (Katz) method, with 0.5 added to empty
    cells; None when the base rate is 0."""
    if n1 == 0 or n0 == 0 or k0 == 0 and k1 == 0:
        return None
    a, b = (k1, k0) if k1 and k0 else (k1 + 0.5, k0 + 0.5)
    ratio = (a / n1) / (b / n0)
    se = math.sqrt(1 / a - 1 / n1 + 1 / b - 1 / n0)
    z = z_for(level)
    return ratio - 1, ratio * math.exp(-z * se) - 1, ratio * math.exp(z * se) - 1


def two_proportion_p(k1: int, n1: int, k0: int, n0: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test (the test the plan's sample size was computed for)."""
    if n1 == 0 or n0 == 0:
        return 1.0
    pooled = (k1 + k0) / (n1 + n0)
    if pooled in (0.0, 1.0):
        return 1.0
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    z = (k1 / n1 - k0 / n0) / se
    return 2 * (1 - _Z.cdf(abs(z)))


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Adjusted p-values (q) controlling the false discovery rate over all the comparisons made together."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    q = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        q[i] = running
    return q

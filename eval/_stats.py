"""Paired statistics for comparing two evaluation runs case by case.

Both runs must score the same cases in the same order. ``mcnemar`` tests whether pass/fail outcomes changed more in
one direction than the other, ``paired_bootstrap`` gives a confidence interval for the change in a per-case score,
and ``flipped`` names the cases that changed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

EXACT_BELOW = 25
"""McNemar uses the exact binomial test below this many discordant cases, the corrected chi-square from it on."""

_CHUNK_ELEMENTS = 2_000_000
"""Bootstrap resamples are drawn in blocks of about this many indices, to bound memory on large suites."""


class McNemarResult(BaseModel):
    """McNemar's test on paired pass/fail outcomes of runs A and B."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    b01: int = Field(ge=0)
    """Cases passing in A and failing in B (regressions)."""
    b10: int = Field(ge=0)
    """Cases failing in A and passing in B (improvements)."""
    n_discordant: int = Field(ge=0)
    statistic: float = Field(ge=0)
    """``min(b01, b10)`` for the exact test; the continuity-corrected chi-square for ``chi2_cc``."""
    p_value: float = Field(ge=0, le=1)
    method: Literal["exact", "chi2_cc"]


class BootstrapResult(BaseModel):
    """Percentile bootstrap interval for the mean paired difference ``b - a``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mean_a: float
    mean_b: float
    delta: float
    """``mean_b - mean_a`` over the cases used."""
    low: float
    high: float
    n: int = Field(ge=1)
    """Cases used (both values present and not NaN)."""
    n_skipped: int = Field(ge=0)
    """Cases skipped because either value was None or NaN."""
    confidence: float
    n_resamples: int
    significant: bool
    """The interval excludes 0."""


def _check_paired(a: Sequence[object], b: Sequence[object], what: str) -> None:
    if len(a) != len(b):
        raise ValueError(f"{what}: runs A and B must score the same cases, got {len(a)} and {len(b)} values")
    if len(a) == 0:
        raise ValueError(f"{what}: no cases to compare (empty input)")


def mcnemar(a_pass: Sequence[bool], b_pass: Sequence[bool]) -> McNemarResult:
    """Two-sided McNemar test: exact binomial below 25 discordant cases, chi-square with continuity correction above.

    The exact p-value is ``min(1, 2 * P[X <= min(b01, b10)])`` with ``X ~ Bin(b01 + b10, 1/2)``. The chi-square
    statistic is ``(|b01 - b10| - 1)^2 / (b01 + b10)`` (the corrected difference floored at 0, so a perfectly
    balanced split gives p = 1) and its 1 d.f. survival function is ``erfc(sqrt(x / 2))``.
    """
    _check_paired(a_pass, b_pass, "mcnemar")
    b01 = sum(1 for x, y in zip(a_pass, b_pass, strict=True) if bool(x) and not bool(y))
    b10 = sum(1 for x, y in zip(a_pass, b_pass, strict=True) if not bool(x) and bool(y))
    n = b01 + b10
    if n == 0:
        return McNemarResult(b01=0, b10=0, n_discordant=0, statistic=0.0, p_value=1.0, method="exact")
    if n < EXACT_BELOW:
        k = min(b01, b10)
        tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
        return McNemarResult(
            b01=b01, b10=b10, n_discordant=n, statistic=float(k), p_value=min(1.0, 2.0 * tail), method="exact"
        )
    stat = max(abs(b01 - b10) - 1, 0) ** 2 / n
    p = min(1.0, math.erfc(math.sqrt(stat / 2.0)))
    return McNemarResult(b01=b01, b10=b10, n_discordant=n, statistic=stat, p_value=p, method="chi2_cc")


def _missing(x: float | None) -> bool:
    return x is None or math.isnan(float(x))


def paired_bootstrap(
    a: Sequence[float | None],
    b: Sequence[float | None],
    n_resamples: int = 10_000,
    confidence: float = 0.95,
    seed: int = 0,
) -> BootstrapResult:
    """Percentile bootstrap CI of ``mean(b - a)``, resampling case indices with replacement.

    Cases where either value is None or NaN are skipped. The same seed gives the same interval. When every used
    case has the same difference (up to float rounding) the interval collapses to ``low = high = delta``.
    """
    _check_paired(a, b, "paired_bootstrap")
    if n_resamples < 1:
        raise ValueError(f"paired_bootstrap: n_resamples must be at least 1, got {n_resamples}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"paired_bootstrap: confidence must lie strictly between 0 and 1, got {confidence}")
    pairs = [(float(x), float(y)) for x, y in zip(a, b, strict=True) if x is not None and y is not None and not _missing(x) and not _missing(y)]
    if not pairs:
        raise ValueError("paired_bootstrap: every case has a None or NaN value, nothing to compare")
    xa = np.array([p[0] for p in pairs], dtype=float)
    xb = np.array([p[1] for p in pairs], dtype=float)
    if not (np.isfinite(xa).all() and np.isfinite(xb).all()):
        raise ValueError("paired_bootstrap: scores must be finite (infinity found)")
    n = len(pairs)
    mean_a, mean_b = float(xa.mean()), float(xb.mean())
    delta = mean_b - mean_a
    diff = xb - xa
    spread = float(diff.max() - diff.min())
    if spread <= 1e-12 * max(1.0, float(np.abs(diff).max())):
        low = high = delta
    else:
        rng = np.random.default_rng(seed)
        means = np.empty(n_resamples, dtype=float)
        rows = max(1, _CHUNK_ELEMENTS // n)
        for start in range(0, n_resamples, rows):
            stop = min(start + rows, n_resamples)
            idx = rng.integers(0, n, size=(stop - start, n))
            means[start:stop] = diff[idx].mean(axis=1)
        alpha = 1.0 - confidence
        lo, hi = np.quantile(means, [alpha / 2.0, 1.0 - alpha / 2.0])
        low, high = float(lo), float(hi)
    return BootstrapResult(
        mean_a=mean_a,
        mean_b=mean_b,
        delta=delta,
        low=low,
        high=high,
        n=n,
        n_skipped=len(a) - n,
        confidence=confidence,
        n_resamples=n_resamples,
        significant=low > 0.0 or high < 0.0,
    )


def flipped(ids: Sequence[str], a_pass: Sequence[bool], b_pass: Sequence[bool]) -> tuple[list[str], list[str]]:
    """Case ids that went pass -> fail (regressions) and fail -> pass (fixes) from run A to run B, in input order."""
    if not (len(ids) == len(a_pass) == len(b_pass)):
        raise ValueError(
            f"flipped: ids, A and B must have the same length, got {len(ids)}, {len(a_pass)} and {len(b_pass)}"
        )
    broke = [str(i) for i, x, y in zip(ids, a_pass, b_pass, strict=True) if bool(x) and not bool(y)]
    fixed = [str(i) for i, x, y in zip(ids, a_pass, b_pass, strict=True) if not bool(x) and bool(y)]
    return broke, fixed

"""Paired statistics: McNemar against hand-computed binomial and chi-square values, the paired bootstrap, flips."""

from __future__ import annotations

import math

import numpy as np
import pytest

from eval._stats import flipped, mcnemar, paired_bootstrap


def _runs(b01: int, b10: int, both_pass: int = 3, both_fail: int = 2) -> tuple[list[bool], list[bool]]:
    """Pass/fail lists for A and B with the given discordant counts plus some concordant cases."""
    a = [True] * b01 + [False] * b10 + [True] * both_pass + [False] * both_fail
    b = [False] * b01 + [True] * b10 + [True] * both_pass + [False] * both_fail
    return a, b


# --- McNemar -----------------------------------------------------------------------------------------------------


def test_mcnemar_counts_direction():
    # A passes, B fails -> b01; A fails, B passes -> b10.
    r = mcnemar([True, True, False, False, True], [False, True, True, True, True])
    assert (r.b01, r.b10, r.n_discordant) == (1, 2, 3)


def test_mcnemar_exact_all_one_way():
    r = mcnemar(*_runs(0, 6))
    assert r.method == "exact"
    assert (r.b01, r.b10, r.n_discordant) == (0, 6, 6)
    assert r.p_value == pytest.approx(2 * 0.5**6) == 0.03125


def test_mcnemar_exact_one_against_nine():
    r = mcnemar(*_runs(1, 9))
    assert r.method == "exact"
    assert r.p_value == pytest.approx(2 * (1 + 10) / 1024)
    assert r.p_value == pytest.approx(0.021484375)


def test_mcnemar_exact_is_symmetric_in_direction():
    assert mcnemar(*_runs(9, 1)).p_value == pytest.approx(mcnemar(*_runs(1, 9)).p_value)


@pytest.mark.parametrize("k", [1, 3, 12])
def test_mcnemar_balanced_split_gives_p_one(k):
    r = mcnemar(*_runs(k, k))
    assert r.method == "exact"
    assert r.p_value == 1.0


def test_mcnemar_near_balanced_is_not_significant():
    r = mcnemar(*_runs(4, 6))  # 2 * P[Bin(10, .5) <= 4] = 2 * 386 / 1024
    assert r.p_value == pytest.approx(772 / 1024)


def test_mcnemar_no_discordant_cases_gives_p_one():
    r = mcnemar([True, False, True], [True, False, True])
    assert (r.n_discordant, r.p_value, r.method) == (0, 1.0, "exact")


def test_mcnemar_switches_to_chi2_at_25():
    assert mcnemar(*_runs(4, 20)).method == "exact"  # 24 discordant
    assert mcnemar(*_runs(5, 20)).method == "chi2_cc"  # 25 discordant


def test_mcnemar_chi2_known_value():
    r = mcnemar(*_runs(10, 30))
    assert r.method == "chi2_cc"
    assert r.statistic == pytest.approx((20 - 1) ** 2 / 40) == 9.025
    assert r.p_value == pytest.approx(math.erfc(math.sqrt(4.5125)))
    assert r.p_value == pytest.approx(0.0026631, abs=1e-6)


def test_mcnemar_chi2_balanced_gives_p_one():
    r = mcnemar(*_runs(20, 20))
    assert r.method == "chi2_cc"
    assert r.p_value == 1.0


def test_mcnemar_matches_scipy_when_available():
    stats = pytest.importorskip("scipy.stats")
    chi = mcnemar(*_runs(10, 30))
    assert chi.p_value == pytest.approx(stats.chi2.sf(9.025, df=1), rel=1e-9)
    for b01, b10 in [(0, 6), (1, 9), (4, 6), (2, 20)]:
        r = mcnemar(*_runs(b01, b10))
        assert r.method == "exact"
        expected = stats.binomtest(b01, b01 + b10, 0.5, alternative="two-sided").pvalue
        assert r.p_value == pytest.approx(expected, rel=1e-9), (b01, b10)


@pytest.mark.parametrize(
    ("a", "b", "match"),
    [([True, False], [True], "same cases"), ([], [], "empty")],
)
def test_mcnemar_rejects_bad_input(a, b, match):
    with pytest.raises(ValueError, match=match):
        mcnemar(a, b)


# --- paired bootstrap --------------------------------------------------------------------------------------------


def test_bootstrap_constant_improvement_collapses_and_is_significant():
    a = [float(x) for x in np.random.default_rng(1).uniform(0, 1, 50)]
    b = [x + 0.1 for x in a]
    r = paired_bootstrap(a, b)
    assert r.n == 50 and r.n_skipped == 0
    assert r.delta == pytest.approx(0.1)
    assert r.low == r.high == r.delta
    assert r.low == pytest.approx(0.1)
    assert r.significant


def test_bootstrap_no_effect_contains_zero():
    rng = np.random.default_rng(42)
    a = rng.normal(0.5, 0.2, 200).tolist()
    b = rng.normal(0.5, 0.2, 200).tolist()
    r = paired_bootstrap(a, b, seed=7)
    assert r.low < 0 < r.high
    assert not r.significant
    assert r.low < r.delta < r.high
    # each side of the percentile interval is close to the normal-theory 1.96 standard errors
    diff = np.array(b) - np.array(a)
    se = diff.std() / math.sqrt(len(diff))
    assert r.high - r.delta == pytest.approx(1.96 * se, rel=0.1)
    assert r.delta - r.low == pytest.approx(1.96 * se, rel=0.1)


def test_bootstrap_noisy_real_effect_is_significant():
    rng = np.random.default_rng(3)
    a = rng.normal(0.5, 0.2, 200)
    b = a + 0.05 + rng.normal(0, 0.1, 200)
    r = paired_bootstrap(a.tolist(), b.tolist(), seed=7)
    assert 0 < r.low < r.delta < r.high
    assert r.significant


def test_bootstrap_same_seed_reproduces_interval():
    rng = np.random.default_rng(5)
    a, b = rng.uniform(0, 1, 80).tolist(), rng.uniform(0, 1, 80).tolist()
    first = paired_bootstrap(a, b, n_resamples=2000, seed=11)
    again = paired_bootstrap(a, b, n_resamples=2000, seed=11)
    other = paired_bootstrap(a, b, n_resamples=2000, seed=12)
    assert (first.low, first.high) == (again.low, again.high)
    assert (first.low, first.high) != (other.low, other.high)


def test_bootstrap_higher_confidence_is_wider():
    rng = np.random.default_rng(9)
    a, b = rng.uniform(0, 1, 60).tolist(), rng.uniform(0, 1, 60).tolist()
    r90 = paired_bootstrap(a, b, confidence=0.90)
    r99 = paired_bootstrap(a, b, confidence=0.99)
    assert r99.low < r90.low and r90.high < r99.high


def test_bootstrap_skips_none_and_nan():
    a = [1.0, None, 3.0, float("nan"), 0.0, 2.0]
    b = [2.0, 5.0, None, 4.0, 1.0, 2.0]
    r = paired_bootstrap(a, b, n_resamples=500)
    assert (r.n, r.n_skipped) == (3, 3)
    assert r.mean_a == pytest.approx(1.0)  # (1 + 0 + 2) / 3
    assert r.mean_b == pytest.approx(5 / 3)  # (2 + 1 + 2) / 3
    assert r.delta == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "match"),
    [
        ([1.0, 2.0], [1.0], {}, "same cases"),
        ([], [], {}, "empty"),
        ([None, 1.0], [1.0, float("nan")], {}, "None or NaN"),
        ([1.0, 2.0], [1.0, 3.0], {"confidence": 1.0}, "confidence"),
        ([1.0, 2.0], [1.0, 3.0], {"n_resamples": 0}, "n_resamples"),
    ],
)
def test_bootstrap_rejects_bad_input(a, b, kwargs, match):
    with pytest.raises(ValueError, match=match):
        paired_bootstrap(a, b, **kwargs)


# --- flipped -----------------------------------------------------------------------------------------------------


def test_flipped_names_regressions_and_fixes_in_order():
    ids = ["c1", "c2", "c3", "c4", "c5", "c6"]
    a = [True, True, False, False, True, False]
    b = [False, True, True, False, False, True]
    broke, fixed = flipped(ids, a, b)
    assert broke == ["c1", "c5"]
    assert fixed == ["c3", "c6"]


def test_flipped_rejects_unequal_lengths():
    with pytest.raises(ValueError, match="same length"):
        flipped(["c1", "c2"], [True, False], [True])

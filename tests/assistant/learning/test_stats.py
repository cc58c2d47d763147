"""The review's statistics against published worked examples."""

from __future__ import annotations

import pytest

from assistant.learning._stats import benjamini_hochberg, newcombe, ratio_interval, two_proportion_p, wilson


def test_wilson_matches_newcombe_1998_table() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857, table I: 0/10 -> 0 to 0.2775; 81/263 -> 0.2553 to 0.3662.
    assert wilson(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson(81, 263) == pytest.approx((0.2553, 0.3662), abs=1e-4)


def test_newcombe_difference_matches_the_papers_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873, method 10: 56/70 - 48/80 = 0.2, CI 0.0524 to 0.3339.
    d, lo, hi = newcombe(56, 70, 48, 80)
    assert (d, lo, hi) == pytest.approx((0.2, 0.0524, 0.3339), abs=1e-4)


def test_ratio_interval_contains_the_ratio_and_is_none_without_a_base() -> None:
    rel, lo, hi = ratio_interval(60, 1000, 40, 1000)
    assert rel == pytest.approx(0.5) and lo < rel < hi
    assert ratio_interval(0, 100, 0, 100) is None


def test_two_proportion_p_is_symmetric_and_large_for_equal_rates() -> None:
    assert two_proportion_p(30, 1000, 30, 1000) == pytest.approx(1.0)
    assert two_proportion_p(60, 1000, 30, 1000) == pytest.approx(two_proportion_p(30, 1000, 60, 1000))
    assert two_proportion_p(60, 1000, 30, 1000) < 0.01


def test_benjamini_hochberg_matches_a_hand_computation() -> None:
    # m = 4: p (0.01, 0.04, 0.03, 0.5) -> sorted 0.01*4/1=0.04, 0.03*4/2=0.06, 0.04*4/3=0.0533 -> monotone 0.0533, 0.5*4/4=0.5
    q = benjamini_hochberg([0.01, 0.04, 0.03, 0.5])
    assert q == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5])

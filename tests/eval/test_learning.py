"""The learning eval's claims, on simulated campaigns with fixed seeds: the review's 95% interval on lift covers the
generator's true lift in 93–97% of campaigns, the A/B decision's false-positive rate stays at alpha, no decision is
made before the planned size, and uplift targeting beats rule-only targeting without ever breaking a safety rule."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assistant.learning import review
from eval._learning import make_env, review_suite, run_campaign, targeting_suite, train_on, tuned_scenarios


@pytest.fixture(scope="module")
def env():  # type: ignore[no-untyped-def]
    return make_env(users=80_000)


@pytest.fixture(scope="module")
def suite(env):  # type: ignore[no-untyped-def]
    return review_suite(env, tuned_scenarios(240, seed=77), seeds=[31, 32])


def test_the_lift_interval_covers_the_true_lift_in_93_to_97_percent_of_campaigns(suite) -> None:  # type: ignore[no-untyped-def]
    assert suite["campaigns"] >= 200
    rate = suite["coverage"][0]
    assert 0.93 <= rate <= 0.97, suite["misses"]


def test_the_ab_false_positive_rate_stays_at_alpha(suite) -> None:  # type: ignore[no-untyped-def]
    assert suite["ab_null_reads"] >= 150
    rate, low, high = suite["false_positive_rate"]
    assert low <= 0.05 <= high and rate <= 0.08
    # The same test finds real differences more often than it cries wolf.
    assert suite["alt_call_rate"][0] > rate


def test_no_ab_decision_before_the_planned_size(env) -> None:  # type: ignore[no-untyped-def]
    scenario = next(s for s in tuned_scenarios(20, seed=5) if not s["same_treatment"])
    design, logs, _, _ = run_campaign(env, scenario, 3)
    early = review(design.model_copy(update={"planned_per_arm": 10**7}), logs, None, today=design.end + timedelta(days=1))
    assert early.ab is not None and early.ab.decision == "too_early" and "10,000,000" in early.ab.says


def test_uplift_targeting_beats_rule_only_and_breaks_no_safety_rule(env) -> None:  # type: ignore[no-untyped-def]
    scenarios = tuned_scenarios(120, seed=9)
    model = train_on(env, scenarios[:80], seed=4)
    from eval._learning import _task_from

    tasks = [_task_from(env, s, k) for k, s in enumerate(scenarios[100:120])]
    result = targeting_suite(env, model, tasks, scenarios[80:100], seed=6)
    assert result["unsafe"] == 0
    assert result["per_yuan_uplift"][0] > result["per_yuan_rule"][0]
    assert result["qini_model"][0] > result["qini_random"][0]

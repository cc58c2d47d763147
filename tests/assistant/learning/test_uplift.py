"""The uplift model: its fast per-option scoring equals the full design's, and it learns who responds from logs."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from assistant.learning import Option, UpliftModel, user_features


def _tags(n: int, rng: np.random.Generator) -> pa.Table:
    return pa.table({
        "user_id": [f"u{i}" for i in range(n)], "age": rng.integers(18, 80, n), "city_tier": rng.integers(1, 6, n),
        "risk_grade": pa.array(rng.integers(0, 6, n)).cast(pa.int8()), "aum": rng.lognormal(8, 2, n) * (rng.random(n) > 0.2),
        "days_since_login": rng.integers(0, 900, n), "monthly_active": rng.random(n) < 0.6, "is_merchant": rng.random(n) < 0.1,
        "merchant_monthly_sales": rng.lognormal(10, 1, n), "credit_granted": rng.random(n) < 0.3, "days_since_signup": rng.integers(0, 3000, n),
    })  # fmt: skip


def test_fast_scoring_equals_the_full_design_and_the_model_finds_the_responders() -> None:
    rng = np.random.default_rng(3)
    tags = _tags(20_000, rng)
    x = user_features(tags)
    options = [Option("p", "wealth", 2, "o", "cash_subsidy", "app_push", "push", 2), Option("q", "consumer_credit", 0, None, None, "sms", "sms", 1)]
    rows = np.array([options[i].row() for i in rng.integers(0, 2, len(x))], dtype=np.float32)
    holdout = rng.random(len(x)) < 0.3
    # Who responds: only the monthly-active, and only when touched.
    active = tags.column("monthly_active").to_numpy(zero_copy_only=False)
    converted = rng.random(len(x)) < 0.01 + 0.08 * (active & ~holdout)
    model = UpliftModel().fit(x, rows, holdout, converted)
    for option in options:
        fast = model.predict(x, option)
        full_rows = np.broadcast_to(np.asarray(option.row(), dtype=np.float32), (len(x), 6))
        ones = np.ones(len(x), bool)
        np.testing.assert_allclose(fast[0], model._p(x, full_rows, ones), rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(fast[1], model._p(x, full_rows, ~ones), rtol=1e-4, atol=1e-6)
        uplift = model.uplift(x, option)
        assert uplift[active].mean() > 0.05 > abs(uplift[~active].mean())
    # What the logs never held is marked as an extrapolation.
    assert all(model.knows(o) for o in options)
    assert not model.knows(Option("r", "insurance", 2, "c", "coupon", "outbound_call", "outbound_call", 1))


def test_a_rows_treatment_is_what_the_campaign_planned_not_what_the_outcome_caused() -> None:
    from assistant.learning import option_rows

    # Follow-ups go to non-clickers: the clicker got 1 touch, the others 3. All three were sent the same treatment.
    logs = pa.table({"campaign_id": ["c", "c", "c", "c"], "product_id": ["p"] * 4, "offer_id": pa.array([None] * 4, pa.string()),
                     "channel": ["app_push", "app_push", "app_push", None], "touches": [1, 3, 3, 0]})
    rows = option_rows(logs, {"p": ("wealth", 2)}, {}, {"app_push": "push"})
    assert rows[:3, 5].tolist() == [3.0, 3.0, 3.0]

"""Nothing unsafe, whatever the model says: no user is given a product above their investor grade, and no credit goes
to anyone in a vulnerable group (property test over generated users, options, uplifts and budgets)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.learning import Option, allowed, assign, rule_only
from assistant.learning._target import OptionCosts, vulnerable

FAMILIES = ("fund", "wealth", "consumer_credit", "merchant_credit", "insurance")


@st.composite
def users(draw: st.DrawFn) -> pa.Table:
    n = draw(st.integers(1, 40))
    grade = draw(st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=n, max_size=n))
    flags = {k: draw(st.lists(st.booleans(), min_size=n, max_size=n)) for k in
             ("is_student", "has_overdue", "income_drop", "push_reachable", "sms_reachable", "wechat_reachable")}
    since = draw(st.lists(st.one_of(st.none(), st.integers(0, 800)), min_size=n, max_size=n))
    return pa.table({"user_id": [f"u{i}" for i in range(n)], "risk_grade": pa.array(grade, pa.int8()), **flags,
                     "days_since_overdue": pa.array(since, pa.int32())})


options = st.lists(st.builds(Option, product_id=st.sampled_from(["p1", "p2", "p3"]), family=st.sampled_from(FAMILIES),
                             required_grade=st.integers(0, 5), offer_id=st.none(), offer_kind=st.none(),
                             channel_id=st.sampled_from(["app_push", "sms", "popup"]), channel_kind=st.just("push"),
                             touches=st.integers(1, 3)), min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(users(), options, st.integers(0, 2**31 - 1), st.one_of(st.none(), st.floats(0, 1e4)), st.floats(1, 1e4))
def test_no_targeted_user_gets_a_product_above_grade_or_credit_while_vulnerable(tags: pa.Table, opts: list[Option], seed: int,
                                                                                budget: float | None, value: float) -> None:
    rng = np.random.default_rng(seed)
    n, k = tags.num_rows, len(opts)
    # Uplifts the model might predict, including huge ones for exactly the users who may not get the option.
    uplift = rng.normal(0, 0.5, (n, k))
    p1 = rng.random((n, k))
    costs = [OptionCosts(touch=float(rng.random()), redemption=float(rng.random() * 10)) for _ in opts]
    reach = {"app_push": "push_reachable", "sms": "sms_reachable", "popup": None}
    ok, _ = allowed(tags, opts, reach)
    grade = tags.column("risk_grade").fill_null(0).to_numpy(zero_copy_only=False)
    weak = vulnerable(tags)
    for choice, _, _ in (assign(ok, uplift, p1, costs, value, budget), rule_only(ok, uplift, p1, costs, budget, seed)):
        for user, j in enumerate(choice):
            if j < 0:
                continue
            o = opts[j]
            assert o.required_grade == 0 or grade[user] >= o.required_grade, "a product above the user's grade"
            assert not (o.family in ("consumer_credit", "merchant_credit") and weak[user]), "credit to a vulnerable user"
            tag = reach[o.channel_id]
            assert tag is None or tags.column(tag)[user].as_py(), "a channel the user cannot be reached on"


def test_vulnerable_follows_the_policy_lookback() -> None:
    tags = pa.table({"is_student": [False, True, False, False], "has_overdue": [False, False, False, False],
                     "income_drop": [False, False, False, False], "days_since_overdue": pa.array([None, None, 30, 5000], pa.int32())})
    assert vulnerable(tags).tolist() == [False, True, True, False]

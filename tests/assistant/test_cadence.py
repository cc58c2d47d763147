"""The touch cadence: follow-ups go only to non-clickers, no user gets more than a channel's weekly cap, the budget goes
to the best conversions per yuan first and stops at the budget, the caps or the reach."""

from __future__ import annotations

from itertools import pairwise

import pytest

from assistant.campaigns._cadence import FOLLOW_UP_DECAY, ChannelTerms, schedule, spend, waves_of


def terms(name: str = "sms", *, cost: float = 0.05, ctr: float = 0.02, reach: int = 10_000, cap: int = 2, follow: int | None = 3,
          capacity: int = 1_000_000, offer: float = 0.0) -> ChannelTerms:  # fmt: skip
    return ChannelTerms(name=name, unit_cost=cost, ctr=ctr, cvr=0.1, offer_cost=offer, reach=reach, daily_capacity=capacity,
                        weekly_cap=cap, follow_up_days=follow)  # fmt: skip


@pytest.mark.parametrize("cap, follow, days", [(1, 3, 14), (2, 3, 14), (3, 2, 14), (3, 1, 30), (7, 1, 7), (2, None, 14), (1, 7, 21)])
def test_no_user_gets_more_than_the_weekly_cap_in_any_seven_days(cap: int, follow: int | None, days: int) -> None:
    t = terms(cap=cap, follow=follow)
    sends = waves_of(t, days)
    assert sends[0] == 0 and all(d < days for d in sends)
    for start in range(days):
        assert sum(start <= d < start + 7 for d in sends) <= cap, (sends, start)
    if follow is None:
        assert sends == [0]  # a channel without follow-ups sends once
    else:
        assert all(b - a >= follow for a, b in pairwise(sends))


def test_follow_ups_go_to_those_who_did_not_click() -> None:
    t = terms(reach=10_000, ctr=0.05)
    waves = schedule(1e9, [t], 14)
    assert [w.k for w in waves] == list(range(len(waves))) and len(waves) == len(waves_of(t, 14))
    for before, after in pairwise(waves):
        assert after.users == int(before.users * (1 - t.ctr_of(before.k)))  # the non-clickers of the send before
        assert after.clicks / after.users == pytest.approx(before.clicks / before.users * FOLLOW_UP_DECAY)


def test_spend_stops_at_the_budget_and_goes_to_the_best_conversions_per_yuan_first() -> None:
    cheap, dear = terms("push", cost=0.002, ctr=0.02, reach=5_000), terms("call", cost=2.0, ctr=0.3, reach=5_000, cap=1, follow=None)
    budget = 500.0
    waves = schedule(budget, [cheap, dear], 14)
    assert spend(waves, [cheap, dear]) <= budget
    # Every push wave (0.1 conversions per yuan at most) is better than a call (0.015): pushes are all sent first.
    assert sum(w.users for w in waves if w.channel == "push") == sum(w.users for w in schedule(1e9, [cheap], 14))
    assert spend(waves, [cheap, dear]) == pytest.approx(budget, abs=2.0)  # the rest of the budget is spent on calls
    # A required channel gets its first send before anything else, even when it is the worse one.
    first = schedule(2.0 * 100, [cheap, dear], 14, required=["call"])
    assert sum(w.users for w in first if w.channel == "call") == 100 and not any(w.channel == "push" for w in first)


def test_unspendable_budget_stops_at_the_reach_and_caps() -> None:
    t = terms(reach=1_000, cost=0.05, cap=2, follow=3)
    waves = schedule(1e6, [t], 14)
    assert spend(waves, [t]) < 1_000 * 0.05 * len(waves_of(t, 14)) + 1e-9  # never more than reach x sends
    assert spend(waves, [t]) == pytest.approx(sum(w.users for w in waves) * 0.05)


def test_the_first_send_is_held_to_the_channels_daily_capacity_over_the_window() -> None:
    t = terms(reach=100_000, capacity=1_000, cap=1, follow=None)
    assert sum(w.users for w in schedule(1e9, [t], 14)) == 14_000


def test_sends_keep_to_the_days_the_brief_allows_and_never_closer_than_the_gap() -> None:
    weekends = (5, 6, 12, 13)  # a window starting on a Monday
    t = ChannelTerms(name="sms", unit_cost=0.05, ctr=0.02, cvr=0.1, offer_cost=0, reach=10_000, daily_capacity=1_000,
                     weekly_cap=2, follow_up_days=3, allowed=weekends)  # fmt: skip
    sends = waves_of(t, 14)
    assert sends and set(sends) <= set(weekends) and all(b - a >= t.gap() for a, b in pairwise(sends))
    # The first send can only use the allowed days' capacity.
    assert sum(w.users for w in schedule(1e9, [t], 14) if w.k == 0) == 4 * 1_000
    assert waves_of(ChannelTerms(**{**t.__dict__, "allowed": ()}), 14) == []

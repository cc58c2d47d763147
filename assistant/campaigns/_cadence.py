"""The touch cadence: who gets which message on which day, and where the budget goes.

A campaign is a schedule of touches, not one touch per channel. Per channel the first send (wave 0) goes to the
treated share of its reachable users; each follow-up (wave k) goes, `gap` days after the one before, to those who did
not click any earlier wave. The gap is the channel's `follow_up_days`, widened so no user gets more than its
`weekly_cap` touches in any 7 days; a channel without follow-ups sends once. The channel policy file
(assistant/compliance/channels.toml) holds the caps, the gaps and the quiet hours.

Spend follows expected conversions per yuan: every (channel, wave) is an option costing its unit cost plus the offer's
cost at its expected redemptions, and options are funded best first until the budget, the caps or the reach run out.
A follow-up converts less than the send before it (FOLLOW_UP_DECAY), so a channel's later waves come after its earlier
ones and after better channels' first sends. Channels the brief requires get their first send before anything else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

FOLLOW_UP_DECAY = 0.6
"""Click rate of a follow-up relative to the wave before it, among those who did not click (an assumption: the demo's
past campaigns record one funnel per campaign, not per wave; a platform with wave-level history should measure it)."""


@dataclass(frozen=True)
class ChannelTerms:
    """What the cadence needs to know about one channel in one plan."""

    name: str
    unit_cost: float
    ctr: float
    cvr: float
    """Conversions per click."""
    offer_cost: float
    """What one conversion costs in incentive (yuan)."""
    reach: int
    """Users the channel can reach in the treated share of the segment."""
    daily_capacity: int
    weekly_cap: int
    follow_up_days: int | None
    allowed: tuple[int, ...] | None = None
    """Days of the window (0 = the first) sends may go out on, when the brief limits them (只在周末发); None: every day."""

    def gap(self) -> int | None:
        """Days between waves: the follow-up interval, widened so no 7 days hold more than the weekly cap."""
        return None if self.follow_up_days is None else max(self.follow_up_days, math.ceil(7 / self.weekly_cap))

    def ctr_of(self, wave: int) -> float:
        return self.ctr * FOLLOW_UP_DECAY**wave

    def cost_per_touch(self, wave: int) -> float:
        return self.unit_cost + self.ctr_of(wave) * self.cvr * self.offer_cost

    def efficiency(self, wave: int) -> float:
        """Expected conversions per yuan of one touch in this wave."""
        cost = self.cost_per_touch(wave)
        return math.inf if cost <= 0 else self.ctr_of(wave) * self.cvr / cost


@dataclass(frozen=True)
class Wave:
    """One funded send: a channel's wave k on day `day`, to `users` users."""

    channel: str
    k: int
    day: int
    users: int
    touch_cost: float
    """Yuan for the touches (the offer's cost is counted from the conversions)."""
    clicks: float
    conversions: float


def waves_of(term: ChannelTerms, days: int) -> list[int]:
    """The days a channel's waves go out on within a `days`-day window: the first allowed day, then after every gap
    the next allowed day, while the window lasts (a send moved to a later day only widens the gap to the next)."""
    gap, out, day = term.gap(), [], 0
    while day < days:
        while term.allowed is not None and day < days and day not in term.allowed:
            day += 1
        if day >= days:
            break
        out.append(day)
        if gap is None:
            break
        day += gap
    return out


def schedule(budget: float, terms: Sequence[ChannelTerms], days: int, required: Sequence[str] = ()) -> list[Wave]:
    """Fund waves best conversions per yuan first until the budget, the caps or the reach run out."""
    options = [(t, k, day) for t in terms for k, day in enumerate(waves_of(t, days))]
    ranked = sorted(options, key=lambda o: (-o[0].efficiency(o[1]), o[1], o[0].name))
    order = [o for o in ranked if o[0].name in required and o[1] == 0] + [o for o in ranked if not (o[0].name in required and o[1] == 0)]
    left = budget
    funded: dict[tuple[str, int], int] = {}
    out = []
    for t, k, day in order:
        if k == 0:
            # The first send reaches every treated reachable user, as many a day as the channel can send.
            available = min(t.reach, t.daily_capacity * (days if t.allowed is None else len(t.allowed)))
        else:
            before = funded.get((t.name, k - 1), 0)
            available = int(before * (1 - t.ctr_of(k - 1)))
        cost = t.cost_per_touch(k)
        n = available if cost <= 0 else min(available, int(left // cost))
        if n <= 0:
            continue
        funded[(t.name, k)] = n
        left -= n * cost
        clicks = n * t.ctr_of(k)
        out.append(Wave(channel=t.name, k=k, day=day, users=n, touch_cost=n * t.unit_cost, clicks=clicks, conversions=clicks * t.cvr))
    return sorted(out, key=lambda w: (w.day, w.channel))


def spend(waves: Sequence[Wave], terms: Sequence[ChannelTerms]) -> float:
    """What the waves cost with the offer's share."""
    by_name = {t.name: t for t in terms}
    return sum(w.touch_cost + w.conversions * by_name[w.channel].offer_cost for w in waves)

"""Generated tests of the fund parser: whole classes of misreadings, not hand-picked examples.

A realiser (`realiser.py`) renders random requests into many surface forms; the parse must give back exactly the
conditions rendered (round trip), and must not change when the clauses are reordered, when a limit is written as the
exclusion of its complement, or when a number is written another way (5% / 百分之五 / 五个点 / 0.05).
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.funds import FundQuery, parse_request
from tests.assistant.realiser import METRICS, Kind, Limit, Request, random_request, render, render_kind, render_limit

SLOTS = ("returns", "max_drawdown", "volatility", "sharpe", "mgmt_fee", "size", "fund_age_years", "fund_types",
         "fund_types_exclude", "themes", "themes_exclude")  # fmt: skip

PROPERTY = settings(max_examples=600, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def parsed_slots(text: str) -> dict[str, Any]:
    """The slots a parse set (off their defaults), with what was left not understood."""
    parsed = parse_request(text)
    q = parsed.query
    defaults = FundQuery()
    out = {name: getattr(q, name) for name in FundQuery.model_fields if getattr(q, name) != getattr(defaults, name)}
    if parsed.unparsed:
        out["unparsed"] = [u.text for u in parsed.unparsed]
    return out


def expected(req: Request) -> dict[str, Any]:
    out = req.expected()
    if any(k.value in ("纯债", "短债") for k in req.kinds if not k.excluded):
        out.setdefault("fund_types", []).append("bond")
    return out


@PROPERTY
@given(seeds)
def test_round_trip_parse_of_a_rendered_request_gives_back_its_conditions(seed: int) -> None:
    rng = random.Random(seed)
    req = random_request(rng)
    text = render(req, rng)
    assert parsed_slots(text) == expected(req), text


@PROPERTY
@given(seeds)
def test_reordering_clauses_changes_nothing(seed: int) -> None:
    rng = random.Random(seed)
    req = random_request(rng)
    n = len(req.limits) + len(req.kinds)
    state = rng.getstate()
    a = render(req, rng, order=list(range(n)))
    rng.setstate(state)
    b = render(req, rng, order=list(reversed(range(n))))
    assert parsed_slots(a) == parsed_slots(b), (a, b)


@PROPERTY
@given(seeds, st.booleans())
def test_a_limit_written_as_the_exclusion_of_its_complement_is_the_same_limit(seed: int, english: bool) -> None:
    """规模小于2亿的不要 is 规模至少2亿; 回撤不能超过5% is 回撤至多5%; must not exceed 5% is at most 5%."""
    rng = random.Random(seed)
    req = random_request(rng, "en" if english else "zh")
    req.kinds = []
    positive = render(req, random.Random(seed), order=list(range(len(req.limits))), negate={i: False for i in range(len(req.limits))})
    negated = render(req, random.Random(seed), order=list(range(len(req.limits))), negate={i: True for i in range(len(req.limits))})
    assert parsed_slots(positive) == expected(req) == parsed_slots(negated), (positive, negated)


@PROPERTY
@given(seeds, st.integers(min_value=0, max_value=7))
def test_every_way_of_writing_a_number_gives_the_same_slot(seed: int, form: int) -> None:
    """5% / 5％ / 百分之五 / 五个点 / 5个点 / 0.05 (a rate) / 一成 / 两成半 / 5 percent."""
    rng = random.Random(seed)
    req = random_request(rng)
    req.kinds = []
    forms = {i: form for i in range(len(req.limits))}
    text = render(req, rng, number_form=forms, negate={i: False for i in range(len(req.limits))})
    assert parsed_slots(text) == expected(req), text


@PROPERTY
@given(seeds)
def test_negating_a_kind_moves_it_to_the_excluded_slot(seed: int) -> None:
    rng = random.Random(seed)
    req = random_request(rng)
    if not req.kinds:
        return
    k = req.kinds[0]
    flipped = Kind(k.slot, k.value, k.zh, k.en, excluded=not k.excluded)
    a = parsed_slots(render_kind(k, random.Random(seed), req.lang))
    b = parsed_slots(render_kind(flipped, random.Random(seed), req.lang))
    include, exclude = k.slot, k.slot + "_exclude"
    assert a.get(exclude if k.excluded else include) == [k.value], a
    assert b.get(include if k.excluded else exclude) == [k.value], b


def test_every_negation_form_turns_a_limit_around_for_every_numeric_field() -> None:
    """One check per negation form per numeric field: the form states the limit by excluding its complement."""
    for m in METRICS:
        for lang in ("zh", "en"):
            for seed in range(12):
                v = m.values[seed % len(m.values)]
                for side, inclusive in (("min", True), ("max", True), ("min", False), ("max", False)):
                    from assistant.funds import Bound

                    lim = Limit(m, Bound(**{side: float(v), f"{side}_inclusive": inclusive}))
                    text = render_limit(lim, random.Random(seed), lang, negate_form=True)  # type: ignore[arg-type]
                    want = Request(lang, [lim]).expected()  # type: ignore[arg-type]
                    assert parsed_slots(text) == want, text

"""Generated tests of the brief parser: random briefs rendered as marketers write them must parse back to what they
state, whatever the style (one-liner, numbered brief, bullet list) and the order of the clauses, and every audience
condition must select exactly the users it describes."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.campaigns import read_brief
from tests.assistant.brief_realiser import TODAY, Spec, random_spec, render
from tests.assistant.demo import market as demo_market

PROPERTY = settings(max_examples=400, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
seeds = st.integers(min_value=0, max_value=2**32 - 1)
STYLES = ("oneliner", "numbered", "bullets")


MARKET = demo_market()


def parsed(text: str) -> dict[str, Any]:
    reading = read_brief(text, MARKET, TODAY)
    b = reading.brief
    out: dict[str, Any] = {"products": b.products, "budget_cap": b.budget_cap, "start": b.start, "end": b.end,
                           "duration_days": b.duration_days, "channels": sorted(b.channels),
                           "channels_excluded": sorted(b.channels_excluded), "offers": b.offers, "no_offer": b.no_offer,
                           "baseline_rate": b.baseline_rate, "mde": b.mde, "mde_absolute": b.mde_absolute,
                           "audience": sorted(c.rule for c in b.audience),
                           "arms": [(a.name, a.offer_amount) for a in b.arms], "alpha": b.alpha, "power": b.power,
                           "holdout_share": b.holdout_share}  # fmt: skip
    if reading.unparsed:
        out["unparsed"] = [u.text for u in reading.unparsed]
    return out


def expected(spec: Spec) -> dict[str, Any]:
    e = spec.expected
    return {"products": e["products"], "budget_cap": float(e["budget_cap"]), "start": e["start"], "end": e.get("end"),
            "duration_days": e.get("duration_days"), "channels": sorted(e["channels"]),
            "channels_excluded": sorted(e.get("channels_excluded", [])), "offers": e.get("offers", []),
            "no_offer": e.get("no_offer", False), "baseline_rate": e.get("baseline_rate"), "mde": e.get("mde"),
            "mde_absolute": e.get("mde_absolute", False), "audience": sorted(spec.audience), "arms": e.get("arms", []),
            "alpha": e.get("alpha", 0.05), "power": e.get("power", 0.8), "holdout_share": e.get("holdout_share")}  # fmt: skip


@PROPERTY
@given(seeds)
def test_a_rendered_brief_parses_back_to_what_it_states(seed: int) -> None:
    spec = random_spec(seed)
    style = STYLES[seed % 3]
    text = render(spec, style, random.Random(seed))
    assert parsed(text) == expected(spec), text


@PROPERTY
@given(seeds)
def test_style_and_clause_order_do_not_change_the_reading(seed: int) -> None:
    spec = random_spec(seed)
    readings = [parsed(render(spec, style, random.Random(seed + k))) for k, style in enumerate(STYLES)]
    assert readings[0] == readings[1] == readings[2], [render(spec, s, random.Random(seed + k)) for k, s in enumerate(STYLES)]


@PROPERTY
@given(seeds)
def test_full_width_digits_and_punctuation_read_the_same(seed: int) -> None:
    spec = random_spec(seed)
    text = render(spec, "oneliner", random.Random(seed))
    wide = text.translate(str.maketrans("0123456789-+%,:", "０１２３４５６７８９－＋％，："))
    assert parsed(wide) == parsed(text), wide

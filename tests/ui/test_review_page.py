"""The review page as a marketer uses it: pick a past campaign, read its lift with intervals, the A/B decision and
the per-channel costs: the same numbers `finpilot campaign review --json` prints."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def test_the_review_page_shows_the_reviews_numbers(app: AppTest) -> None:
    from assistant.learning import review_campaign
    from finpilot import get_settings

    at = app.switch_page("pages/review.py").run()
    assert not at.exception
    chosen = at.selectbox[0].value
    assert chosen.startswith("cmp_")
    _, expected = review_campaign(get_settings(), chosen, keep=False)
    shown = at.dataframe[0].value
    hold = next(a for a in expected.arms if a.holdout)
    assert hold.users in shown.iloc[:, 1].tolist()
    assert [round(x, 9) for x in shown.iloc[:, 4].dropna()] == [round(a.lift.estimate, 9) for a in expected.arms if a.lift]
    texts = " ".join(m.value for m in at.info) + " ".join(m.value for m in at.success)
    assert expected.ab is not None and (expected.ab.says_zh in texts or expected.ab.says in texts)
    assert any(m.label.startswith(("增量转化", "Incremental")) for m in at.metric)

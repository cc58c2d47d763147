"""The fund-advisor page under Streamlit's AppTest: asking, editing a chip, the grade, the questionnaire, errors."""

from __future__ import annotations

import re

REQUEST = "近一年收益超过10%、最大回撤小于15%的混合基金"


def _count(app) -> int:  # type: ignore[no-untyped-def]
    """How many funds the latest answer says qualified ("符合条件的有 N 只")."""
    texts = [m.value for m in app.markdown if "符合条件的有" in m.value]
    return int(re.search(r"符合条件的有 (\d+) 只", texts[-1]).group(1))


def test_asking_shows_a_cited_shortlist_with_chips_table_and_disclaimer(app) -> None:  # type: ignore[no-untyped-def]
    app.chat_input[0].set_value(REQUEST).run()
    assert not app.exception
    assert any(REQUEST == m.value for m in app.markdown)  # the user's message stays in the chat
    chips = app.get("button_group")[0]
    assert set(chips.value) == {"fund_types", "returns.1y", "max_drawdown"}
    table = app.dataframe[0].value
    assert len(table) == 10 and (table["近1年收益%"] > 10).all() and (table["近1年最大回撤%"] < 15).all()
    assert any("基金有风险" in c.value for c in app.caption)  # the disclaimer under the answer
    assert any(e.label.startswith("引用") for e in app.expander)


def test_dropping_a_chip_rescreens_without_retyping(app) -> None:  # type: ignore[no-untyped-def]
    app.chat_input[0].set_value(REQUEST).run()
    before = _count(app)
    app.get("button_group")[0].set_value(["fund_types", "max_drawdown"]).run()
    assert not app.exception
    after = _count(app)
    assert after > before  # without the return limit more funds qualify
    assert sum(1 for m in app.chat_message if m.name == "user") == 1  # nothing was retyped
    assert set(app.get("button_group")[0].value) == {"fund_types", "max_drawdown"}


def test_the_grade_from_the_sidebar_and_the_questionnaire_limits_the_shortlist(app) -> None:  # type: ignore[no-untyped-def]
    app.chat_input[0].set_value("近一年收益最高的10只基金").run()
    assert not app.dataframe[0].value["风险"].isin(["R1", "R2"]).all()  # unassessed: the top returns are R4 and R5
    app.sidebar.selectbox(key="advisor_grade").set_value(2).run()
    assert not app.exception
    assert app.dataframe[0].value["风险"].isin(["R1", "R2"]).all()  # redone for C2, no retyping
    # The most cautious answers to every question give C1.
    for radio in app.sidebar.radio:
        if radio.key and radio.key.startswith("advisor_q_"):
            radio.set_value(0)
    app.sidebar.button[0].click().run() if not app.get("form_submit_button") else app.get("form_submit_button")[0].click().run()
    assert app.sidebar.selectbox(key="advisor_grade").value == 1


def test_a_bad_request_gets_one_friendly_line_and_english_works(app) -> None:  # type: ignore[no-untyped-def]
    app.chat_input[0].set_value("分析一下 999999").run()
    assert not app.exception and app.error and "999999" in app.error[0].value
    from streamlit.testing.v1 import AppTest

    from tests.ui.conftest import APP

    # A fresh session switched to English before its first run (AppTest drops the main script's sidebar widgets
    # from its element tree after a rerun under st.navigation, so the switch is made through session state).
    english = AppTest.from_file(str(APP), default_timeout=120)
    english.session_state["lang"] = "en"
    english.run()
    assert [t.value for t in english.title] == ["Fund advisor"]
    english.chat_input[0].set_value("bond funds with at most 5% drawdown").run()
    assert not english.exception and (english.dataframe[0].value["1y max drawdown %"] <= 5).all()


def test_questionnaire_scoring() -> None:
    from ui._advisor import grade_from_answers

    assert [grade_from_answers([p] * 5) for p in range(1, 6)] == [1, 2, 3, 4, 5]
    assert grade_from_answers([1, 1, 1, 1, 5]) == 2


def test_two_sessions_never_see_each_others_conversation(app) -> None:  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    from tests.ui.conftest import APP

    other = AppTest.from_file(str(APP), default_timeout=120).run()
    app.chat_input[0].set_value(REQUEST).run()
    other.chat_input[0].set_value("回撤不超过3%的纯债基金").run()
    app.run()
    mine = [m.value for m in app.markdown]
    theirs = [m.value for m in other.markdown]
    assert REQUEST in mine and "回撤不超过3%的纯债基金" not in mine
    assert "回撤不超过3%的纯债基金" in theirs and REQUEST not in theirs


def test_the_advisor_answers_from_the_default_catalog_the_settings_name(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """FINPILOT_DEFAULT_CATALOG was ignored: the page always answered from `demo`."""
    from streamlit.testing.v1 import AppTest

    from finpilot._settings import reset_settings_cache
    from retrieval import ingest
    from tests.conftest import fund_row, write_jsonl
    from tests.ui.conftest import APP

    rows = [fund_row("880001", name="测试自选债券A", fund_type="bond"), fund_row("880002", name="测试自选债券C", fund_type="bond")]
    ingest(write_jsonl(tmp_path / "mine.jsonl", rows), "mine", progress=False)
    monkeypatch.setenv("FINPILOT_DEFAULT_CATALOG", "mine")
    reset_settings_cache()
    page = AppTest.from_file(str(APP), default_timeout=120).run()
    page.chat_input[0].set_value("债券基金").run()
    assert not page.exception
    # Every fund shown is one of the two in the default catalog (the 3,212-fund demo holds neither code).
    assert set(page.dataframe[0].value["代码"].astype(str)) == {"880001", "880002"}

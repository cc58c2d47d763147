"""The campaign workspace under Streamlit's AppTest: a brief into plan cards, an edit with its changes, a refusal,
friendly errors that keep the plan, English, and the channel payload zip."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from typing import NamedTuple

BRIEF = "下周五开始，给一线城市的沉睡用户推「稳盈」90天，预算50万，短信加push，红包15.14元，为期两周"
REFUSED = "写一条短信告诉客户稳盈保本保收益，稳赚不赔，别提风险"
BACKWARDS = "2026-12-10 开始，到 2026-12-01"  # explicit years: contradictory whatever today is


def _open(app):  # type: ignore[no-untyped-def]
    """The campaigns page of a fresh session."""
    app.switch_page("pages/campaigns.py").run()
    assert not app.exception
    return app


def _send(app, text: str):  # type: ignore[no-untyped-def]
    app.chat_input(key="campaign_input").set_value(text).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


STAT = re.compile(r'<div class="fp-stat" data-label="(?P<label>[^"]*)"[^>]*>.*?<div class="fp-stat-value"[^>]*>(?P<value>[^<]*)</div>'
                  r'(?:<div class="fp-stat-delta"[^>]*>(?P<delta>[^<]*)</div>)?')
"""One stat card as the page writes it (ui._campaigns._stat): st.metric cut long values off, so the cards are HTML."""


class Stat(NamedTuple):
    label: str
    value: str
    delta: str | None


def _stats(app) -> list[Stat]:  # type: ignore[no-untyped-def]
    return [Stat(html.unescape(m["label"]), html.unescape(m["value"]), html.unescape(m["delta"]) if m["delta"] else None)
            for e in app.markdown for m in STAT.finditer(e.value)]  # fmt: skip


def _metric(app, label: str) -> Stat:  # type: ignore[no-untyped-def]
    found = [s for s in _stats(app) if s.label == label]
    assert found, f"no stat {label!r} among {[s.label for s in _stats(app)]}"
    return found[0]


def _yuan(text: str) -> float:
    """"158.38 元", "50 万元", "1.2 亿元", "¥500,000" back to yuan."""
    number = float(re.search(r"-?[\d,]+(?:\.\d+)?", text).group(0).replace(",", ""))
    return number * (1e8 if "亿" in text else 1e4 if "万" in text else 1)


def _downloads(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.proto.label for d in app.get("download_button")]


def test_a_typed_brief_shows_the_plan_as_cards(app) -> None:  # type: ignore[no-untyped-def]
    _open(app)
    assert not _stats(app) and not _downloads(app)  # nothing to show before a brief
    _send(app, BRIEF)
    plan = app.session_state["campaign_plan"]

    size = _metric(app, "人群规模（人）").value
    assert re.fullmatch(r"[\d,]+", size) and int(size.replace(",", "")) == plan.segment.size > 0
    cap, total = _yuan(_metric(app, "预算上限").value), _yuan(_metric(app, "预计花费").value)
    assert cap == 500_000 and 0 < total <= cap
    assert _metric(app, "每组样本量").value == f"{plan.ab_test.sample_size_per_arm:,}"
    assert re.fullmatch(r"[\d.]+ – [\d.]+ – [\d.]+", _metric(app, "预计转化").value)  # low – mid – high
    badges = [m.value for m in app.markdown if ":green-badge[✅ 合规]" in m.value or ":orange-badge[⚠️ 不合规]" in m.value]
    assert len(plan.copy_items) > 0 and len(badges) == len(plan.copy_items)  # one badge per piece of copy
    assert any("R2 中低风险" in m.value for m in app.markdown)  # the product's risk grade
    assert len(app.get("vega_lite_chart")) >= 2  # the reach funnel and the budget breakdown
    assert any("样本量不足" in w.value for w in app.warning)  # 2,543 users cannot power a 20% lift
    assert _downloads(app) == ["⬇️ 方案 JSON", "⬇️ Markdown 简报", "⬇️ 渠道投放包 (zip)"]
    assert any(e.label.startswith("📝 说明与") for e in app.expander)
    assert any(BRIEF in m.value for m in app.markdown)  # the brief stays in the chat


def test_an_example_starts_in_one_click_and_new_plan_starts_over(app) -> None:  # type: ignore[no-untyped-def]
    _open(app)
    assert app.button(key="campaign_new").disabled
    app.button(key="campaign_example_1").click().run()  # the credit example
    assert not app.exception
    assert any("年化利率 21.9%" in m.value for m in app.markdown)  # credit shows its APR, not a risk grade
    assert any("目标 转化 ≥ 2,000" in m.value for m in app.markdown)  # the stated KPI target against the forecast
    app.button(key="campaign_new").click().run()
    assert not app.exception and not _stats(app) and app.session_state["campaign_plan"] is None
    assert app.button(key="campaign_example_0")  # back to the empty state


def test_an_edit_lists_its_changes_and_marks_the_new_cap(app) -> None:  # type: ignore[no-untyped-def]
    _send(_open(app), BRIEF)
    assert "修改方案" in app.chat_input(key="campaign_input").placeholder  # the input now invites an edit
    assert not app.button(key="campaign_new").disabled
    assert not [i for i in app.info if "本次修改" in i.value]
    assert not _metric(app, "预算上限").delta
    _send(app, "预算降到 30 万")
    changes = [i.value for i in app.info if "本次修改" in i.value]
    assert changes and "**预算上限**：50 万元 → 30 万元" in changes[0]
    cap = _metric(app, "预算上限")
    assert cap.value == "30 万元" and cap.delta == "▼ -20 万元"
    assert _yuan(_metric(app, "预计花费").value) <= 300_000
    assert any("✏️ 已修改" in m.value and "预算" in m.value for m in app.markdown)  # the budget card is marked
    assert sum(1 for m in app.chat_message if m.name == "user") == 2


def test_a_refused_brief_shows_the_reason_and_no_plan(app) -> None:  # type: ignore[no-untyped-def]
    _send(_open(app), REFUSED)
    assert any("不能" in w.value and "风险" in w.value for w in app.warning)
    assert not _stats(app) and not _downloads(app)
    assert app.session_state["campaign_plan"] is None


def test_a_contradictory_or_empty_brief_is_one_friendly_line(app) -> None:  # type: ignore[no-untyped-def]
    _send(_open(app), BACKWARDS + "，推稳盈")
    assert [e.value for e in app.error if "矛盾" in e.value and "2026-12-01" in e.value]
    assert not _stats(app)
    _send(app, "   ")
    assert any("需求是空的" in e.value for e in app.error)
    assert not app.exception and app.session_state["campaign_plan"] is None


def test_a_failing_edit_keeps_the_previous_plan(app) -> None:  # type: ignore[no-untyped-def]
    _send(_open(app), BRIEF)
    size = _metric(app, "人群规模（人）").value
    _send(app, "改成 " + BACKWARDS)  # the merged brief would end before it starts
    assert any("矛盾" in e.value and "当前方案未改动" in e.value for e in app.error)
    assert _metric(app, "人群规模（人）").value == size and _metric(app, "预算上限").value == "50 万元"
    _send(app, "文案别提风险")  # an edit is screened like a brief
    assert any(w.value.startswith("这个需求不能做") for w in app.warning)
    assert _metric(app, "人群规模（人）").value == size


def test_english_labels_and_money(app) -> None:  # type: ignore[no-untyped-def]
    _open(app)
    # What the sidebar's language radio sets. AppTest runs only the page after switch_page, so the radio is not
    # drawn and its key is cleared after each run: it is set again before every message.
    app.session_state["lang"] = "en"
    _send(app, BRIEF)
    assert [t.value for t in app.title] == ["📣 Campaign planner"]
    assert _metric(app, "Budget cap").value == "¥500,000"
    assert any(":green-badge[✅ compliant]" in m.value for m in app.markdown)
    app.session_state["lang"] = "en"
    _send(app, "预算降到 30 万")
    assert any("**Budget cap**: ¥500,000 → ¥300,000" in i.value for i in app.info)


def test_the_payload_zip_holds_the_plan_and_each_channels_send_list(home) -> None:  # type: ignore[no-untyped-def]
    from assistant.campaigns import Planner
    from finpilot import get_settings
    from ui._campaigns import payload_zip

    planner = Planner(settings=get_settings())
    plan = planner.plan(BRIEF)
    archive = zipfile.ZipFile(io.BytesIO(payload_zip(plan, planner)))
    names = set(archive.namelist())
    assert {"plan.json", "plan.md", "holdout_user_ids.txt"} <= names
    assert json.loads(archive.read("plan.json"))["segment"]["size"] == plan.segment.size
    for line in plan.channels:
        ids = archive.read(f"channels/{line.name}/user_ids.txt").decode().split()
        assert 0 < len(ids) <= line.touches
        assert json.loads(archive.read(f"channels/{line.name}/copy.json"))  # the channel's copy travels with it


def test_an_audience_the_tags_cannot_hold_is_asked_about_then_planned_without_it(app) -> None:  # type: ignore[no-untyped-def]
    _send(_open(app), "给一线城市的女性用户推康护医疗险，预算3万，push")
    questions = [i.value for i in app.info if "女性用户" in i.value]
    assert questions and "圈人" in questions[0]  # one question, naming the words, and no plan for a brief nobody wrote
    assert app.session_state["campaign_plan"] is None and not _stats(app)
    app.button(key="campaign_continue").click().run()  # the answer "去掉它，继续"
    assert not app.exception
    plan = app.session_state["campaign_plan"]
    assert plan is not None and "city_tier = 1" in plan.segment.rule
    assert any("女性用户" in w.value and "未应用" in w.value for w in app.warning)  # still shown as not applied
    assert any("一线城市" in m.value and "city_tier = 1" in m.value for m in app.markdown)  # what was read, with its words


PLAIN_BRIEF = "下周给25到40岁、月活的用户推稳盈90天，预算5万，短信和push"
CLOSED_AFTER_PUNCTUATION = re.compile(r"[：，。；！？、）」』:;,.!?)]$")


def _shown(app, plan) -> None:  # type: ignore[no-untyped-def]
    """The board drawn for a plan put straight into the session, as the planner will soon write them."""
    app.session_state["campaign_plan"] = plan
    app.run()
    assert not app.exception, [e.value for e in app.exception]


def _raw_bold(text: str) -> list[str]:
    """Closing ** that CommonMark will not close: after punctuation and before a letter, so the asterisks show."""
    marks = [m.start() for m in re.finditer(r"(?<!\\)\*\*", text)]
    return [text[max(0, i - 10) : i + 12] for i in marks[1::2]
            if CLOSED_AFTER_PUNCTUATION.search(text[:i]) and re.match(r"\w", text[i + 2 : i + 3])]  # fmt: skip


def test_the_headline_comes_first_and_notes_speak_the_pages_language(app, home) -> None:  # type: ignore[no-untyped-def]
    from assistant.campaigns import Note, Planner
    from finpilot import get_settings

    plan = Planner(settings=get_settings()).plan(BRIEF).model_copy(update={
        "headline": [Note(en="The budget cannot be spent: the segment is too small.", zh="预算花不完：人群太小。")],
        "notes": [Note(en="No incentive: the brief asked for none.", zh="不发权益：需求里没有要求。")],
    })  # fmt: skip
    _shown(_open(app), plan)
    nodes = list(app.main)
    first_warning = next(i for i, n in enumerate(nodes) if n.type == "warning" and "先看这里" in n.value)
    first_header = next(i for i, n in enumerate(nodes) if n.type == "subheader")
    assert first_warning < first_header and "预算花不完：人群太小。" in nodes[first_warning].value  # before the overview
    notes = "\n".join(m.value for m in app.markdown if "**说明**" in m.value)
    assert "不发权益：需求里没有要求。" in notes and "No incentive" not in notes
    assert any("风险测评低于 C2" in c.value for c in app.caption)  # the exclusion, said in Chinese
    app.session_state["lang"] = "en"
    _shown(app, plan)
    assert any("The budget cannot be spent" in w.value and "Read this first" in w.value for w in app.warning)
    assert any("No incentive: the brief asked for none." in m.value for m in app.markdown)


def test_the_cadence_is_a_table_per_channel_and_empty_parts_are_left_out(app) -> None:  # type: ignore[no-untyped-def]
    _send(_open(app), PLAIN_BRIEF)
    plan = app.session_state["campaign_plan"]
    tables = [m.value for m in app.markdown if "发送时段" in m.value and "| 时间 |" in m.value]
    assert plan.cadence and len(tables) == len({t.label for t in plan.cadence})
    assert any("全部可触达" in t for t in tables)
    if any(t.audience == "not_clicked" for t in plan.cadence):
        assert any("未点击者" in t for t in tables)
    _shown(app, plan.model_copy(update={"cadence": [], "headline": [], "notes": []}))
    assert not any("触达节奏" in m.value for m in app.markdown) and not any("先看这里" in w.value for w in app.warning)
    assert _metric(app, "人群规模（人）").value == f"{plan.segment.size:,}"


def test_no_markdown_shows_raw(app) -> None:  # type: ignore[no-untyped-def]
    _send(_open(app), BRIEF)  # under-powered: the A/B card warns with a bold title
    texts = [e.value for kind in ("warning", "info", "success", "error", "caption", "markdown") for e in app.get(kind)]
    assert any("样本量不足" in t for t in texts)
    assert [r for t in texts for r in _raw_bold(t)] == []
    assert _raw_bold("**样本量不足，实验检测不出差异：**人群只有") and not _raw_bold("**样本量不足**：人群只有")  # the lint bites

"""The campaign workspace: chat a brief into a plan, edit it by conversation, read every number as a card, export it.

The conversation and the plan live in st.session_state under campaign_* keys, so each person has their own; the
planner comes from ui._common.planner, which is per session too because it holds a DuckDB connection.
"""

from __future__ import annotations

import ast
import html
import io
import logging
import math
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from assistant.campaigns import Plan, export, to_markdown
from assistant.text import escape_markdown
from finpilot import FinpilotError
from ui._common import current_backend, lang, planner, t, tr

log = logging.getLogger("finpilot.ui")

HISTORY = "campaign_history"
PLAN = "campaign_plan"
PREVIOUS = "campaign_previous"
PENDING = "campaign_pending"
ZIP = "campaign_zip"
ASKED = "campaign_asked"
"""The brief the planner asked about, kept so "去掉它，继续" plans it without the words it could not read."""
CONTINUE = re.compile(r"^\s*(?:去掉它?|去掉那个条件|不管它|忽略(?:它)?|继续|就这样|按其余条件|先不管|照做|ok|okay|go ahead|continue|plan without it|ignore it|drop it|skip it)"
                      r"[\s，,。.!！]*(?:继续|出方案|plan it|please)?[\s。.!！]*$", re.IGNORECASE)
"""Answers that mean "plan without what you could not read"."""

EXAMPLES = (
    "下周五开始，给一线城市的沉睡用户推「稳盈」90天，预算50万，短信加push，红包15.14元，为期两周",
    "给25-34岁的新客推「速借」，预算10万，App推送加微信服务号，为期三周，转化目标2000",
)

GOALS = {"acquire": ("拉新", "Acquisition"), "activate": ("促活", "Activation"), "convert": ("转化", "Conversion"),
         "retain": ("留存", "Retention"), "win_back": ("召回", "Win-back"), "cross_sell": ("交叉销售", "Cross-sell")}  # fmt: skip
KINDS = {"wealth": ("理财", "Wealth"), "consumer_credit": ("消费信贷", "Consumer credit"),
         "merchant_credit": ("经营贷", "Merchant credit"), "insurance": ("保险", "Insurance"), "fund": ("基金", "Fund")}  # fmt: skip
RISKS = {1: ("低风险", "low", "green"), 2: ("中低风险", "low-medium", "blue"), 3: ("中风险", "medium", "orange"),
         4: ("中高风险", "medium-high", "orange"), 5: ("高风险", "high", "red")}  # fmt: skip
VALUE_METRICS = {"aum": ("新增规模", "New AUM"), "loan_volume": ("放款额", "Loan volume"), "premium": ("保费", "Premium")}
KPI_NAMES = {"reach": ("触达", "Reach"), "clicks": ("点击", "Clicks"), "conversions": ("转化", "Conversions"),
             "aum": ("规模", "AUM"), "loan_volume": ("放款额", "Loan volume"), "conversion_rate": ("转化率", "Conversion rate"),
             "cost_per_conversion": ("单次转化成本", "Cost per conversion")}  # fmt: skip
CHANGES = {"budget cap": ("预算上限", "Budget cap", "yuan"), "budget total": ("预计花费", "Planned spend", "yuan"),
           "segment rule": ("人群规则", "Segment rule", "code"), "segment size": ("人群规模", "Segment size", "count"),
           "channels": ("渠道", "Channels", "channels"), "start": ("开始日期", "Start", "text"), "end": ("结束日期", "End", "text"),
           "offer": ("权益", "Offer", "text"), "expected conversions": ("预计转化", "Expected conversions", "count"),
           "sample size per arm": ("每组样本量", "Sample size per arm", "count")}  # fmt: skip


def render() -> None:
    """The campaign workspace: the conversation on the left, the plan as cards on the right."""
    state = st.session_state
    state.setdefault(HISTORY, [])
    state.setdefault(PLAN, None)
    state.setdefault(PREVIOUS, None)
    st.title(tr("📣 营销活动策划", "📣 Campaign planner"))
    st.caption(tr("用一两句话说出目标、产品、人群、预算、渠道和时间，得到一份算好账、过了合规的完整方案；再用对话修改它。",
                  "Say the goal, product, audience, budget, channels and dates in a sentence or two and get a costed, "
                  "compliance-checked plan; then edit it by conversation."))  # fmt: skip
    chat, board = st.columns([2, 3], gap="large")
    with chat:
        head = st.container()
        box = st.container(height=560, border=True, autoscroll=True)
    # Typed messages and example buttons both arrive through callbacks, so they are handled before anything that
    # depends on the plan is drawn (the input's placeholder, the new-plan button, the cards).
    text = state.pop(PENDING, None)
    if text is not None:
        with chat, st.spinner(tr("正在计算方案…", "Working out the plan…")):
            _handle(str(text))
    with chat:
        placeholder = (tr("描述活动需求，例如：给沉睡用户推稳盈，预算 50 万，短信加 push", "Describe the campaign, e.g. win back dormant users…")
                       if state[PLAN] is None else tr("修改方案，例如：预算降到 30 万 / 加上微信 / 只要 C2 以下的人",
                                                      "Edit the plan, e.g. budget down to 300k / add WeChat / only grade C2 and below"))  # fmt: skip
        st.chat_input(placeholder, key="campaign_input", max_chars=1000, on_submit=_submitted)
    with head:
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.markdown(tr("**对话**", "**Conversation**"))
        right.button(tr("🆕 新方案", "🆕 New plan"), key="campaign_new", on_click=_reset, disabled=not state[HISTORY], width="stretch")
    with box:
        _conversation()
    with board:
        _board(state[PLAN], state[PREVIOUS])


# -- the conversation ----------------------------------------------------------------------------------------------


def _reset() -> None:
    for key in (HISTORY, PLAN, PREVIOUS, PENDING, ZIP, ASKED):
        st.session_state.pop(key, None)


def _queue(text: str) -> None:
    st.session_state[PENDING] = text


def _submitted() -> None:
    value = st.session_state.get("campaign_input")
    if value is not None:
        _queue(str(value))


def _handle(text: str) -> None:
    """One message: the first makes a plan, later ones edit it; a failure is said in the chat and the plan is kept."""
    state = st.session_state
    history: list[dict[str, Any]] = state[HISTORY]
    history.append({"role": "user", "kind": "text", "text": text})
    current: Plan | None = state[PLAN]
    asked: str | None = state.pop(ASKED, None)
    try:
        service = planner(current_backend())
        if asked is not None and CONTINUE.match(text):
            new = service.plan(asked, ask=False) if current is None else service.edit(current, asked)
        elif current is None:
            new = service.plan(text)
        else:
            new = service.edit(current, text)
    except FinpilotError as exc:
        history.append({"role": "assistant", "kind": "error", "text": _error_text(str(exc)), "kept": current is not None})
        return
    except Exception:  # the person sees a sentence in the chat; the log keeps the traceback
        log.exception("campaign message failed: %r", text)
        history.append({"role": "assistant", "kind": "unexpected", "text": "", "kept": current is not None})
        return
    if new.refused:
        history.append({"role": "assistant", "kind": "refusal", "text": new.refusal_reason or ""})
        return
    if new.question:
        # One question instead of a plan for a brief nobody wrote; the current plan, if any, stays as it was.
        state[ASKED] = text
        history.append({"role": "assistant", "kind": "question", "text": new.question, "kept": current is not None})
        return
    state[PREVIOUS], state[PLAN] = current, new
    state.pop(ZIP, None)
    history.append({"role": "assistant", "kind": "edit" if current is not None else "plan", "plan": new, "previous": current})


def _conversation() -> None:
    history: list[dict[str, Any]] = st.session_state[HISTORY]
    if not history:
        with st.chat_message("assistant"):
            st.markdown(tr("告诉我这次活动要**推什么、给谁、花多少、用哪些渠道、什么时候**，我来出一份完整方案：人群、渠道、预算、"
                           "文案、预测和 A/B 实验。没想好？点一个示例：",
                           "Tell me **what to promote, to whom, for how much, on which channels and when**, and I will draft "
                           "the whole plan: segment, channels, budget, copy, forecast and A/B test. Or start from an example:"))  # fmt: skip
            for i, example in enumerate(EXAMPLES):
                st.button(f"✨ {example}", key=f"campaign_example_{i}", on_click=_queue, args=(example,), width="stretch")
        return
    for message in history:
        with st.chat_message(message["role"]):
            kind = message["kind"]
            if kind == "text":
                st.markdown(_escape(message["text"]))
            elif kind == "plan":
                st.markdown(_summary(message["plan"]))
            elif kind == "edit":
                plan = message["plan"]
                st.markdown(tr("已按你的修改重算方案：", "Re-planned with your edit:") + "\n\n" + _change_list(plan, message.get("previous")))
            elif kind == "refusal":
                st.warning(tr("这个需求不能做：", "I can't do that: ") + _escape(message["text"]), icon="🚫")
            elif kind == "question":
                st.info(_escape(message["text"]), icon="❓")
                if message is history[-1]:
                    st.button(tr("去掉它，按其余条件出方案", "Plan without it"), key="campaign_continue", on_click=_queue,
                              args=(tr("去掉它，继续", "plan without it"),), width="stretch")  # fmt: skip
            else:
                kept = tr("（当前方案未改动）", " (the current plan is unchanged)") if message.get("kept") else ""
                text = t("error") + _escape(message["text"]) if kind == "error" else t("unexpected")
                st.error(text + kept, icon="⚠️")


def _error_text(message: str) -> str:
    """The planner's English error, in the reader's language where it is one of the errors a person can cause."""
    if lang() == "en":
        return message
    if message.startswith("the brief is empty"):
        return "需求是空的：请说明活动目标、推广的产品和预算，例如「给沉睡用户推稳盈，预算 50 万」。"
    if match := re.match(r"the brief is (\d+) characters; keep it under (\d+)", message):
        return f"需求有 {match[1]} 个字，请控制在 {match[2]} 字以内。"
    if message.startswith("the brief contradicts itself: "):
        detail = message.removeprefix("the brief contradicts itself: ")
        if match := re.match(r"the campaign ends \((.+)\) before it starts \((.+)\)", detail):
            return f"需求前后矛盾：结束日期 {match[1]} 早于开始日期 {match[2]}。"
        if match := re.match(r"channels both wanted and excluded: (.+)", detail):
            return f"需求前后矛盾：这些渠道既要又不要：{match[1]}。"
        return "需求前后矛盾：" + detail
    return message


def _summary(plan: Plan) -> str:
    seg = plan.segment.size if plan.segment else 0
    channels = _join(c.label for c in plan.channels) or "—"
    b = plan.budget
    spend = f"{_yuan(b.total)} / {_yuan(b.cap)}" if b else "—"
    ok = tr("✅ 合规检查通过", "✅ compliance passed") if plan.compliance.passed else tr("⚠️ 合规未通过", "⚠️ compliance NOT passed")
    return tr(f"方案已生成：目标人群 **{seg:,}** 人，渠道 {channels}，预计花费 **{spend}**，{ok}。右侧是完整方案，可以继续对话修改。",
              f"Plan ready: **{seg:,}** users, channels {channels}, spend **{spend}**, {ok}. "
              "The full plan is on the right; keep chatting to edit it.")  # fmt: skip


def _change_list(plan: Plan, previous: Plan | None) -> str:
    # A channel an edit removed is named only in the previous plan.
    labels = {c.name: c.label for c in [*(previous.channels if previous else []), *plan.channels]}
    return "\n".join(f"- {_change(c, labels)}" for c in plan.changes)


def _change(change: str, labels: dict[str, str]) -> str:
    """One change line in the reader's language and units; anything unrecognised is shown as the planner wrote it."""
    if change.startswith("nothing changed"):
        return tr("没有变化：这条修改没有涉及方案用到的内容。试试「预算降到 30 万」「加上短信」「只要 C2 以下的人」。",
                  "Nothing changed: the edit named nothing the plan uses. Try 'budget down to 300k', 'add SMS'.")  # fmt: skip
    label, sep, rest = change.partition(": ")
    before, arrow, after = rest.partition(" -> ")
    if not sep or not arrow or label not in CHANGES:
        return _escape(change)
    zh, en, kind = CHANGES[label]
    return f"**{tr(zh, en)}**{tr('：', ': ')}{_change_value(before, kind, labels)} → {_change_value(after, kind, labels)}"


def _change_value(raw: str, kind: str, labels: dict[str, str]) -> str:
    if raw == "None":
        return "—"
    try:
        if kind == "yuan":
            return _yuan(float(raw))
        if kind == "count":
            return _count(float(raw))
        if kind == "channels":
            return _join(labels.get(c, c) for c in ast.literal_eval(raw)) or "—"
    except (ValueError, SyntaxError):
        return _escape(raw)
    return f"`{raw}`" if kind == "code" else _escape(raw)


# -- the plan --------------------------------------------------------------------------------------------------------


def _board(plan: Plan | None, previous: Plan | None) -> None:
    if plan is None:
        st.info(tr("还没有方案。在左侧输入活动需求，或点一个示例，一键生成。", "No plan yet: type a brief on the left, or click an example."), icon="💡")
        st.markdown(tr("方案会包含：**目标人群**（精确人数与各渠道可触达）、**产品与风险等级**、**预算拆分**、**效果预测区间**、"
                       "**A/B 实验设计**、**各渠道文案与合规检查**，并可导出 JSON、Markdown 和渠道投放包。",
                       "A plan has the **segment** (exact size and reach per channel), **products and risk grades**, the **budget "
                       "breakdown**, a **forecast range**, the **A/B test**, **copy per channel with its compliance check**, "
                       "and exports as JSON, Markdown and channel payloads."))  # fmt: skip
        return
    changed = _changed_parts(previous, plan)
    _headline(plan)
    _overview(plan, previous)
    _segment_card(plan, previous, "segment" in changed)
    _products_card(plan, "products" in changed)
    _budget_card(plan, previous, "budget" in changed)
    _kpi_card(plan, previous, "kpis" in changed)
    _experiment_card(plan, previous, "ab_test" in changed)
    _copy_card(plan, "copy" in changed)
    _notes(plan)


def _changed_parts(previous: Plan | None, plan: Plan) -> set[str]:
    if previous is None:
        return set()
    parts = {
        "segment": (previous.segment, previous.channels) != (plan.segment, plan.channels),
        "products": (previous.products, previous.offer, previous.schedule) != (plan.products, plan.offer, plan.schedule),
        "budget": previous.budget != plan.budget,
        "kpis": previous.kpis != plan.kpis,
        "ab_test": previous.ab_test != plan.ab_test,
        "copy": previous.copy_items != plan.copy_items,
    }
    return {k for k, v in parts.items() if v}


def _title(icon: str, zh: str, en: str, changed: bool) -> None:
    st.markdown(f"#### {icon} {tr(zh, en)}" + (tr(" :orange-badge[✏️ 已修改]", " :orange-badge[✏️ changed]") if changed else ""))


def _headline(plan: Plan) -> None:
    """What the planner says must be read before any number: a budget it cannot spend, a test it had to redesign."""
    lines = [_say(n) for n in getattr(plan, "headline", None) or []]
    lines = [line for line in lines if line.strip()]
    if not lines:
        return
    body = _escape(lines[0]) if len(lines) == 1 else "\n".join(f"- {_escape(line)}" for line in lines)
    st.warning(f"**{tr('先看这里', 'Read this first')}**\n\n{body}", icon="📌")


def _overview(plan: Plan, previous: Plan | None) -> None:
    goal = GOALS.get(plan.brief.goal or "convert", ("转化", "Conversion"))
    service = {"care": tr("关怀消息，不推任何产品", "a care message, no product promoted"),
               "education": tr("投资者教育，不推任何产品", "investor education, no product promoted")}.get(plan.brief.purpose)  # fmt: skip
    names = service or _join(p.name for p in plan.products) or tr("（未指定产品）", "(no product)")
    st.subheader(f"{tr(*goal)} · {names}")
    bits = []
    if plan.schedule:
        s = plan.schedule
        bits.append(tr(f"📅 {s.start} 至 {s.end}（{s.days} 天）", f"📅 {s.start} to {s.end} ({s.days} days)"))
    bits.append(tr("📡 渠道：", "📡 Channels: ") + (_join(c.label for c in plan.channels) or "—"))
    bits.append(tr("🤖 后端：", "🤖 Backend: ") + plan.backend)
    st.caption(" · ".join(bits))
    if previous is not None and plan.changes:
        st.info(tr("**本次修改**", "**What this edit changed**") + "\n\n" + _change_list(plan, previous), icon="✏️")
    if plan.compliance.passed:
        st.success(tr("合规检查通过：每条文案都带了必需的风险提示，产品只推给风险等级匹配的人。",
                      "Compliance passed: every piece of copy carries the required warnings; products go only to suitable investors."),
                   icon="✅")  # fmt: skip
    else:
        issues = "\n".join(f"- {_escape(_issue_text(i))}" for i in plan.compliance.issues)
        st.warning(tr("合规未通过，不能发送：", "Compliance NOT passed, do not send:") + "\n\n" + issues, icon="⚠️")
    _exports(plan)


def _exports(plan: Plan) -> None:
    cols = st.columns(3)
    cols[0].download_button(tr("⬇️ 方案 JSON", "⬇️ Plan JSON"), plan.model_dump_json(indent=2), file_name="campaign_plan.json",
                            mime="application/json", key="campaign_dl_json", on_click="ignore", width="stretch")  # fmt: skip
    cols[1].download_button(tr("⬇️ Markdown 简报", "⬇️ Markdown brief"), to_markdown(plan), file_name="campaign_plan.md",
                            mime="text/markdown", key="campaign_dl_md", on_click="ignore", width="stretch")  # fmt: skip
    try:
        data = _cached_zip(plan)
    except FinpilotError as exc:
        cols[2].button(tr("⬇️ 渠道投放包", "⬇️ Channel payloads"), disabled=True, key="campaign_dl_zip_off", width="stretch",
                       help=f"{t('error')}{exc}")  # fmt: skip
        return
    cols[2].download_button(tr("⬇️ 渠道投放包 (zip)", "⬇️ Channel payloads (zip)"), data, file_name="campaign_payloads.zip",
                            mime="application/zip", key="campaign_dl_zip", on_click="ignore", width="stretch",
                            help=tr("plan.json、plan.md，以及每个渠道的用户 ID、文案和排期；对照组用户单独列出。",
                                    "plan.json, plan.md, and per channel the user ids, copy and schedule; the hold-out listed apart."))  # fmt: skip


def _cached_zip(plan: Plan) -> bytes:
    # The payload queries the warehouse for every user id, so it is built once per plan, not on every rerun.
    cached = st.session_state.get(ZIP)
    if cached is not None and cached[0] is plan:
        return cached[1]
    data = payload_zip(plan, planner(current_backend()))
    st.session_state[ZIP] = (plan, data)
    return data


def payload_zip(plan: Plan, service: Any) -> bytes:
    """plan.json, plan.md and every channel's user ids, copy and schedule (assistant.campaigns.export), zipped in memory."""
    tags = {name: channel.reach_tag for name, channel in service.market.channels.items()}
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="finpilot-campaign-") as tmp:
        root = Path(tmp)
        export(plan, root, service.warehouse, tags)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(root).as_posix())
    return buffer.getvalue()


def _segment_card(plan: Plan, previous: Plan | None, changed: bool) -> None:
    seg = plan.segment
    if seg is None:
        return
    before = previous.segment.size if previous and previous.segment else None
    with st.container(border=True):
        _title("🎯", "目标人群与触达", "Segment and reach", changed)
        touches = sum(c.touches for c in plan.channels)
        # Only the suitability exclusion is counted by the planner; eligibility rules are applied at send time.
        counted = [int(n) for e in seg.exclusions for n in re.findall(r"\((\d+) users excluded\)", e)]
        _stats([
            _stat(tr("人群规模（人）", "Segment size (users)"), seg.size, before, _count),
            _stat(tr("计划触达（次）", "Touches"), touches, sum(c.touches for c in previous.channels) if previous else None, _count),
            _stat(tr("计划渠道", "Channels"), len(plan.channels), None, _count),
            _stat(tr("因适当性排除（人）", "Excluded as unsuitable"), sum(counted), None, _count, shown=None if counted else "—"),
        ])  # fmt: skip
        if plan.brief.audience:
            st.markdown(tr("**理解为**", "**Read as**"))
            st.markdown("\n".join(f"- {_escape(c.said)} → `{c.rule}`" for c in plan.brief.audience))
        if plan.unparsed:
            st.warning(tr("没看懂、未应用：", "Not understood, not applied: ") + "；".join(_escape(u.text) for u in plan.unparsed), icon="❔")
        st.markdown(tr("**人群规则**", "**Segment rule**"))
        st.code(seg.rule, language=None, wrap_lines=True)
        for exclusion in seg.exclusions:
            st.caption(tr("🚧 排除：", "🚧 Excluded: ") + _escape(_exclusion_text(exclusion)))
        if plan.channels:
            st.markdown(tr("**各渠道触达漏斗**（人群 → 可触达 → 触达 → 点击 → 转化）",
                           "**Reach funnel per channel** (segment → reachable → touches → clicks → conversions)"))  # fmt: skip
            _funnel_chart(plan)
            rows = [{tr("渠道", "Channel"): c.label, tr("可触达", "Reachable"): c.reachable, tr("触达次数", "Touches"): c.touches,
                     tr("日均触达", "Per day"): c.daily_touches, tr("单价（元）", "Unit cost (yuan)"): c.unit_cost,
                     tr("费用（元）", "Cost (yuan)"): c.cost, tr("预计点击", "Clicks"): c.expected_clicks,
                     tr("预计转化", "Conversions"): c.expected_conversions} for c in plan.channels]  # fmt: skip
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        else:
            st.warning(tr("这个人群里没有任何渠道能触达到的人：请放宽人群或换渠道。", "No channel reaches anyone in this segment: widen it or change channels."))


def _funnel_chart(plan: Plan) -> None:
    stages = [tr("人群", "Segment"), tr("可触达", "Reachable"), tr("触达", "Touches"), tr("点击", "Clicks"), tr("转化", "Conversions")]
    rows = []
    for c in plan.channels:
        values = (plan.segment.size if plan.segment else 0, c.reachable, c.touches, c.expected_clicks, c.expected_conversions)
        # A log scale cannot draw zero; a stage nobody reaches is simply absent.
        rows += [{"stage": s, "channel": c.label, "n": v} for s, v in zip(stages, values, strict=True) if v > 0]
    if not rows:
        return
    # The bars grow from a power of ten below the smallest stage, so the smallest bar still has a height.
    floor = 10 ** math.floor(math.log10(min(r["n"] for r in rows)) - 1e-9)
    chart = (
        alt.Chart(pd.DataFrame(rows))
        .mark_bar()
        .encode(
            x=alt.X("stage:N", sort=stages, title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("channel:N"),
            # Conversions are a thousandth of the segment; on a linear scale they would not show at all. A coloured bar
            # is stacked by default, and a stack starts at 0: the log domain then includes 0, so Vega draws every bar
            # with no height. Side-by-side bars (xOffset) are not meant to stack anyway.
            y=alt.Y("n:Q", scale=alt.Scale(type="log", domainMin=floor), stack=None,
                    title=tr("人数 / 次数（对数刻度）", "count (log scale)")),
            color=alt.Color("channel:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("channel:N", title=tr("渠道", "Channel")), alt.Tooltip("stage:N", title=tr("环节", "Stage")),
                     alt.Tooltip("n:Q", title=tr("数量", "Count"), format=",.1f")],
        )
        .properties(height=260)
    )
    st.altair_chart(chart, width="stretch")


def _cadence(plan: Plan) -> None:
    """When each send goes out, to whom and for how much: the schedule a marketer books with the channels."""
    touches = getattr(plan, "cadence", None) or []
    if not touches:
        return
    st.markdown(tr("**触达节奏**", "**Touch cadence**"))
    audience = {"all": tr("全部可触达", "all reachable"), "not_clicked": tr("未点击者", "non-clickers")}
    head = [tr("时间", "When"), tr("对象", "Audience"), tr("人数", "Users"), tr("费用", "Cost")]
    # One small table per channel, its send window above it: four columns fit a narrow card where seven would not.
    for label in dict.fromkeys(x.label for x in touches):
        sends = [x for x in touches if x.label == label]
        windows = _join(dict.fromkeys(x.send_window for x in sends))
        # No-break spaces keep "1.84 万元" and "Nov 30" whole when a narrow cell wraps.
        rows = [[tr(f"第 {x.day + 1} 天 · {x.on.month}月{x.on.day}日", f"day {x.day + 1} · {x.on:%b}\u00a0{x.on.day}"),
                 audience.get(x.audience, x.audience), _count(x.users), _yuan(x.cost).replace(" ", "\u00a0")] for x in sends]  # fmt: skip
        table = [_row(head), "|---|---|---:|---:|", *(_row(r) for r in rows)]
        st.markdown(f"**{_escape(label)}** · {tr('发送时段', 'send window')} {_escape(windows)}\n\n" + "\n".join(table))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_escape(c).replace("|", "\\|") for c in cells) + " |"


def _products_card(plan: Plan, changed: bool) -> None:
    with st.container(border=True):
        _title("📦", "产品与权益", "Products and offer", changed)
        for p in plan.products:
            kind = tr(*KINDS.get(p.kind, (p.kind, p.kind)))
            line = f"**{_escape(p.name)}** · {kind}"
            if p.risk_level:
                zh, en, color = RISKS.get(p.risk_level, ("", "", "gray"))
                line += f" :{color}-badge[R{p.risk_level} {tr(zh, en)}]"
            if p.kind.endswith("credit"):
                line += f" :violet-badge[{tr('年化利率', 'APR')} {p.apr:g}%]" if p.apr is not None else tr(" :red-badge[缺少年化利率]", " :red-badge[no APR]")
                if p.daily_rate is not None:
                    line += f" :gray-badge[{tr('日利率', 'daily rate')} {p.daily_rate:g}%]"
            elif not p.risk_level:
                line += tr(" :gray-badge[未评级]", " :gray-badge[unrated]")
            st.markdown(line)
        if plan.offer:
            o = plan.offer
            st.markdown(tr(f"🎁 **{_escape(o.name)}** · 预计核销 {_count(o.expected_redemptions)} 次 · 成本 {_yuan(o.cost)}",
                           f"🎁 **{_escape(o.name)}** · {_count(o.expected_redemptions)} expected redemptions · costs {_yuan(o.cost)}"))  # fmt: skip
        else:
            st.caption(tr("🎁 不发放权益", "🎁 No offer"))
        if plan.schedule:
            s = plan.schedule
            st.markdown(tr(f"📅 {s.start} 至 {s.end}，共 {s.days} 天", f"📅 {s.start} to {s.end}, {s.days} days"))


def _budget_card(plan: Plan, previous: Plan | None, changed: bool) -> None:
    b = plan.budget
    if b is None:
        return
    old = previous.budget if previous else None
    with st.container(border=True):
        _title("💰", "预算", "Budget", changed)
        _stats([
            _stat(tr("预算上限", "Budget cap"), b.cap, old.cap if old else None, _yuan, color="off"),
            _stat(tr("预计花费", "Planned spend"), b.total, old.total if old else None, _yuan, color="inverse"),
            _stat(tr("剩余", "Left"), b.left, old.left if old else None, _yuan, color="off"),
        ])
        share = b.total / b.cap if b.cap else 0.0
        st.progress(min(max(share, 0.0), 1.0), text=tr(f"已用预算 {_pct(share, 2)}", f"{_pct(share, 2)} of the budget used"))
        source = tr("来自需求", "from the brief") if b.cap_source == "brief" else tr("取相似历史活动预算的中位数", "median budget of similar campaigns")
        st.caption(tr("预算上限：", "Cap: ") + source)
        if b.breakdown:
            labels = {c.name: c.label for c in plan.channels}
            if plan.offer:
                labels[f"offer:{plan.offer.offer_id}"] = tr("权益：", "Offer: ") + plan.offer.name
            frame = pd.DataFrame({tr("金额（元）", "Yuan"): list(b.breakdown.values())}, index=[labels.get(k, k) for k in b.breakdown])
            st.bar_chart(frame, horizontal=True, height=max(120, 48 * len(b.breakdown)))
        _cadence(plan)


def _kpi_card(plan: Plan, previous: Plan | None, changed: bool) -> None:
    k = plan.kpis
    if k is None:
        return
    old = previous.kpis if previous else None
    with st.container(border=True):
        _title("📈", "效果预测（低 – 中 – 高）", "Forecast (low – mid – high)", changed)
        st.caption(tr("区间来自最相似的历史活动的点击转化率分布。", "The range is the spread of the most similar past campaigns' click-to-conversion rates."))
        if k.value_metric in VALUE_METRICS:
            value = _stat(tr(*VALUE_METRICS[k.value_metric]), k.value[1], None, _yuan, shown=_yuan_range(k.value))
        else:
            rate = k.conversions[1] / k.clicks[1] if k.clicks[1] else 0.0
            value = _stat(tr("点击转化率", "Click CVR"), rate, None, lambda x: _pct(x, 1), shown=None if k.clicks[1] else "—")
        cost = k.cost_per_conversion
        _stats([
            _stat(tr("预计点击", "Clicks"), k.clicks[1], None, _count, shown=_range(k.clicks, _count)),
            _stat(tr("预计转化", "Conversions"), k.conversions[1], old.conversions[1] if old else None, _count,
                  shown=_range(k.conversions, _count)),
            value,
            _stat(tr("单次转化成本", "Cost per conversion"), cost or 0.0, None, _yuan, shown=None if cost is not None else "—"),
        ])  # fmt: skip
        for target in k.targets:
            name = tr(*KPI_NAMES.get(target["metric"], (target["metric"], target["metric"])))
            fmt = _kpi_formatter(target["metric"])
            op = "≤" if target["metric"] == "cost_per_conversion" else "≥"
            forecast = fmt(target["forecast"]) if target["forecast"] is not None else "—"
            if target["met"] is True:
                st.markdown(tr(f"✅ 目标 {name} {op} {fmt(target['target'])}：预测 {forecast}，可达成",
                               f"✅ Target {name} {op} {fmt(target['target'])}: forecast {forecast}, within reach"))  # fmt: skip
            elif target["met"] is False:
                st.markdown(tr(f"⚠️ 目标 {name} {op} {fmt(target['target'])}：预测只有 {forecast}，人群或预算不够",
                               f"⚠️ Target {name} {op} {fmt(target['target'])}: forecast only {forecast}; segment or budget too small"))  # fmt: skip
            else:
                st.markdown(tr(f"❔ 目标 {name} {op} {fmt(target['target'])}：这个方案无法预测", f"❔ Target {name} {op} {fmt(target['target'])}: not forecast"))


def _kpi_formatter(metric: str) -> Callable[[float], str]:
    if metric in ("aum", "loan_volume", "cost_per_conversion"):
        return _yuan
    if metric == "conversion_rate":
        return lambda x: _pct(x, 2)
    return _count


def _experiment_card(plan: Plan, previous: Plan | None, changed: bool) -> None:
    ab = plan.ab_test
    if ab is None:
        return
    old = previous.ab_test if previous else None
    with st.container(border=True):
        _title("🧪", "A/B 实验", "A/B test", changed)
        _stats([
            _stat(tr("每组样本量", "Sample size per arm"), ab.sample_size_per_arm, old.sample_size_per_arm if old else None, _count,
                  color="inverse"),
            _stat(tr("统计功效", "Power"), ab.power, None, lambda x: _pct(x, 0)),
            _stat(tr("最小可检测提升 (MDE)", "MDE (relative lift)"), ab.mde, None, lambda x: _pct(x, 1)),
            _stat(tr("显著性水平 α", "Alpha"), ab.alpha, None, lambda x: f"{x:g}"),
            _stat(tr("基线转化率", "Baseline rate"), ab.baseline_rate, None, lambda x: _pct(x, 3)),
            _stat(tr("所需天数", "Days needed"), ab.duration_days, old.duration_days if old else None, _count, color="inverse"),
            _stat(tr("对照组（不触达）", "Hold-out (untouched)"), ab.holdout_share, None, lambda x: _pct(x, 0)),
            _stat(tr("组数", "Arms"), len(ab.arms), None, _count),
        ])  # fmt: skip
        arms = [{tr("组别", "Arm"): _arm_name(a), tr("流量占比", "Share"): _pct(float(a.get("share", 0)), 0), tr("处理", "Treatment"): _arm_treatment(a)}
                for a in ab.arms]  # fmt: skip
        st.dataframe(pd.DataFrame(arms), hide_index=True, width="stretch")
        if ab.warning:
            # The colon stays outside the bold: CommonMark does not close ** after punctuation followed by a letter, so
            # "**…差异：**人群" would show its asterisks.
            st.warning(f"**{_power_title(ab)}**{tr('：', ': ')}{_power_warning(plan)}", icon="⚠️")


def _arm_name(arm: dict[str, Any]) -> str:
    name = str(arm.get("name", ""))
    return tr("对照组", "Control") if name == "control" else tr(f"实验组 {name}", f"Arm {name}")


def _arm_treatment(arm: dict[str, Any]) -> str:
    if arm.get("name") == "control":
        return tr("不触达、不发权益", "no touch, no offer")
    parts = []
    if "offer_amount" in arm:
        parts.append(tr(f"红包 {float(arm['offer_amount']):g} 元", f"{float(arm['offer_amount']):g} yuan offer"))
    if "copy_variant" in arm:
        parts.append(tr(f"文案 {arm['copy_variant']}", f"copy {arm['copy_variant']}"))
    return " · ".join(parts) or "—"


def _power_title(ab: Any) -> str:
    design = getattr(ab, "design", None)
    if design == "smallest_lift":
        return tr("样本量不足，已改设计", "Under-powered, redesigned")
    if design == "longer_window":
        return tr("实验要比活动更久", "The test outlasts the campaign")
    if design == "not_testable":
        return tr("样本量不足，做不了实验", "Under-powered, no test possible")
    return tr("样本量不足，实验检测不出差异", "Under-powered")


def _power_warning(plan: Plan) -> str:
    """The planner's warning (English), said again in the reader's language from the numbers it was computed from."""
    ab, seg = plan.ab_test, plan.segment
    if ab is None or ab.warning is None:
        return ""
    if lang() == "en":
        return _escape(ab.warning)
    n, days = ab.sample_size_per_arm, plan.schedule.days if plan.schedule else 0
    design = getattr(ab, "design", None)
    if design == "smallest_lift":
        asked = getattr(ab, "mde_asked", None)
        want = f"检测 {_pct(asked, 0)} 的提升" if asked else "检测原定的提升"
        return f"人数不够{want}；已改为每组 {n:,} 人，{days} 天内能检测到的最小提升是 {_pct(ab.mde, 1)}。"
    if design == "longer_window":
        window = getattr(ab, "window_days_needed", None) or ab.duration_days
        return (f"检测 {_pct(ab.mde, 0)} 的提升每组要 {n:,} 人，按每天首发的量要 {window} 天，比活动的 {days} 天长；"
                f"实验期已延长到 {window} 天，触达安排不变。")  # fmt: skip
    if design == "not_testable":
        return f"在 {_pct(ab.baseline_rate, 3)} 的基线上，现有人数检测不出任何提升。请扩大人群，或不做 A/B 实验（对照组仍可衡量整体效果）。"
    if seg is not None and n * len(ab.arms) > seg.size:
        return (f"人群只有 {seg.size:,} 人，而要在 {_pct(ab.baseline_rate, 3)} 的基线上检测出 {_pct(ab.mde, 0)} 的提升，需要 "
                f"{n * len(ab.arms):,} 人（每组 {n:,} 人）。请扩大人群、提高 MDE，或把这次当作试投、不做显著性结论。")  # fmt: skip
    if ab.duration_days > days:
        return f"按目前每天的触达量，实验需要 {ab.duration_days:,} 天，比活动的 {days} 天长。请延长活动或增加每日触达。"
    # A warning this page cannot re-say from the numbers: the plan's first lines say it in both languages.
    return "实验不能按原设计进行，原因和替代方案见页首「先看这里」。" if getattr(plan, "headline", None) else _escape(ab.warning)


def _copy_card(plan: Plan, changed: bool) -> None:
    if not plan.copy_items:
        return
    with st.container(border=True):
        _title("✍️", "文案预览", "Copy", changed)
        labels = {c.name: c.label for c in plan.channels}
        channels = list(dict.fromkeys(c.channel for c in plan.copy_items))
        for tab, channel in zip(st.tabs([labels.get(c, c) for c in channels]), channels, strict=True):
            with tab:
                for item in (c for c in plan.copy_items if c.channel == channel):
                    with st.container(border=True):
                        badge = tr(":green-badge[✅ 合规]", ":green-badge[✅ compliant]") if item.compliant else tr(":orange-badge[⚠️ 不合规]", ":orange-badge[⚠️ not compliant]")
                        st.markdown(f"**{tr('版本', 'Variant')} {item.variant}** {badge} :gray-badge[{len(item.text)} {tr('字', 'chars')}]")
                        if item.title:
                            st.markdown(f"**{_escape(item.title)}**")
                        st.markdown(f"> {_escape(item.text)}")
                        for issue in item.issues:
                            st.caption(f"⚠️ {_escape(issue)}")


def _notes(plan: Plan) -> None:
    with st.expander(tr(f"📝 说明与 {len(plan.citations)} 个相似历史活动", f"📝 Notes and {len(plan.citations)} similar past campaigns")):
        if plan.notes:
            st.markdown(tr("**说明**", "**Notes**") + "\n\n" + "\n".join(f"- {_escape(_say(n))}" for n in plan.notes))
        if plan.citations:
            st.markdown(tr("**参考的相似历史活动**（方案里的转化率和预测区间来自这些活动）",
                           "**Similar past campaigns** (the plan's rates and forecast range come from them)"))  # fmt: skip
            rows = [{tr("编号", "ID"): c.campaign_id, tr("名称", "Name"): c.name, tr("相似度", "Similarity"): c.similarity,
                     tr("转化", "Conversions"): c.conversions, tr("花费（元）", "Cost (yuan)"): c.cost,
                     tr("点击转化率", "Click CVR"): c.cvr * 100} for c in plan.citations]  # fmt: skip
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                         column_config={tr("点击转化率", "Click CVR"): st.column_config.NumberColumn(format="%.2f%%")})  # fmt: skip
        if plan.segment:
            st.markdown(tr("**人群 SQL**", "**Segment SQL**"))
            st.code(plan.segment.sql, language="sql", wrap_lines=True)


# -- numbers for people ----------------------------------------------------------------------------------------------


STAT_GRID = "display:grid;grid-template-columns:repeat(auto-fill,minmax(7.5rem,1fr));gap:0.75rem 1rem;margin:0.25rem 0 0.75rem"
"""Stat cards fill the card's width and flow onto more rows when it is narrow, so no number is ever cut off."""
DELTA_COLORS = {"good": "#09ab3b", "bad": "#ff2b2b", "off": "#808495"}


def _stats(cards: list[str]) -> None:
    """Stat cards in a wrapping grid: st.metric cuts a long value or a range with an ellipsis in a narrow column."""
    st.markdown(f'<div class="fp-stats" style="{STAT_GRID}">{"".join(cards)}</div>', unsafe_allow_html=True)


def _stat(label: str, now: float, before: float | None, fmt: Callable[[float], str], *, color: str = "normal", shown: str | None = None) -> str:
    """One stat card; its delta, shown only after an edit changed it, is against the previous plan. `color` reads as
    st.metric's delta_color: normal (up is good), inverse (up is bad), off."""
    delta = ""
    if before is not None and round(now - before, 2) != 0:
        diff = now - before
        tone = "off" if color == "off" else "good" if (diff > 0) == (color == "normal") else "bad"
        text = ("▲ +" if diff > 0 else "▼ -") + fmt(abs(diff))
        delta = f'<div class="fp-stat-delta" style="font-size:0.875rem;color:{DELTA_COLORS[tone]}">{html.escape(text)}</div>'
    value = shown if shown is not None else fmt(now)
    return (f'<div class="fp-stat" data-label="{html.escape(label)}" style="min-width:0">'
            f'<div class="fp-stat-label" style="font-size:0.875rem;opacity:0.7;line-height:1.3;overflow-wrap:anywhere">{html.escape(label)}</div>'
            f'<div class="fp-stat-value" style="font-size:1.375rem;line-height:1.3;overflow-wrap:anywhere">{html.escape(value)}</div>'
            f"{delta}</div>")  # fmt: skip


def _trim(x: float, digits: int = 2) -> str:
    text = f"{x:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _yuan(x: float) -> str:
    if lang() == "en":
        return f"¥{_trim(x)}"
    if abs(x) >= 1e8:
        return f"{_trim(x / 1e8)} 亿元"
    if abs(x) >= 1e4:
        return f"{_trim(x / 1e4)} 万元"
    return f"{_trim(x)} 元"


def _yuan_range(values: tuple[float, float, float]) -> str:
    # One unit for the whole range, chosen by its top, so "0.65 – 1.31 万元" does not mix 元 and 万元.
    # About three significant digits: a forecast is not known to the yuan, and three full numbers must fit a card.
    top = max(abs(v) for v in values)
    if lang() == "en":
        scale, suffix = (1e6, "M") if top >= 1e6 else (1e3, "k") if top >= 1e4 else (1, "")
        return " – ".join(f"¥{_short(v / scale)}{suffix}" for v in _dedupe(values))
    scale, unit = (1e8, "亿元") if top >= 1e8 else (1e4, "万元") if top >= 1e4 else (1, "元")
    return " – ".join(_short(v / scale) for v in _dedupe(values)) + f" {unit}"


def _short(x: float) -> str:
    return _trim(x, 0 if abs(x) >= 100 else 1 if abs(x) >= 10 else 2)


def _count(x: float) -> str:
    # A tenth of a conversion means something at 3.4, nothing at 1,721.3.
    return f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 100 else _trim(x, 1)


def _range(values: tuple[float, float, float], fmt: Callable[[float], str]) -> str:
    return " – ".join(fmt(v) for v in _dedupe(values))


def _dedupe(values: tuple[float, float, float]) -> list[float]:
    # One number when there is no spread; otherwise all three, so "low – high" is never mistaken for "mid – high".
    return [values[1]] if values[0] == values[1] == values[2] else list(values)


def _say(note: Any) -> str:
    """A plan note in the page's language (plans from before notes were bilingual hold plain strings)."""
    return str(note.say(lang())) if hasattr(note, "say") else str(note)


def _exclusion_text(text: str) -> str:
    """The planner's English exclusion, in the reader's language; anything unrecognised as the planner wrote it."""
    if lang() == "en":
        return text
    if match := re.match(r"investor grade below C(\d) or never assessed: the riskiest product promoted is R(\d)(?: \((\d+) users excluded\))?$", text):
        excluded = f"（排除 {int(match[3]):,} 人）" if match[3] else ""
        return f"风险测评低于 C{match[1]} 或从未测评的用户：推广的产品最高为 R{match[2]}{excluded}"
    if match := re.match(r"(.+): only eligible users \((.+)\)$", text):
        return f"{match[1]}：只推给符合准入条件的用户（{match[2]}）"
    return text


def _issue_text(text: str) -> str:
    """A plan-level compliance issue in the reader's language (issues found in the copy are already Chinese)."""
    if lang() == "en":
        return text
    if match := re.match(r"(.+) \(R(\d)\) is not restricted to investors of grade C(\d) or above$", text):
        return f"{match[1]}（R{match[2]}）没有限定只推给风险测评 C{match[3]} 及以上的用户"
    if match := re.match(r"(.+): a credit product without an annualised rate may not be marketed$", text):
        return f"{match[1]}：信贷产品没有年化利率，不能营销"
    if text == "no copy: the plan reaches no one":
        return "没有文案：这个方案触达不到任何人"
    if match := re.match(r"(.+)/(.+): not compliant$", text):
        return f"{match[1]}/{match[2]}：文案不合规"
    return text


def _join(items: Any) -> str:
    return tr("、", ", ").join(items)


def _pct(x: float, digits: int = 1) -> str:
    return f"{_trim(x * 100, digits)}%"


def _escape(text: str) -> str:
    # Copy, briefs and catalog names must show as written: Streamlit markdown reads $…$ as LaTeX, ~~…~~ as
    # strike-through, ![x](…) as a picture to fetch; the one escaping every page shares (assistant/text/_markdown.py).
    return escape_markdown(text)

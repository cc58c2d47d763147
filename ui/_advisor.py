"""The fund-advisor page: chat, the investor's grade, the parsed request as chips, the shortlist, charts, analysis.

Every answer comes from `Advisor` and is checked there before it reaches this page; the page only lays it out. The
text is streamed onto the page as it is revealed, never before the checks have passed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import streamlit as st

from assistant.text import escape_markdown
from finpilot import get_settings
from ui._common import advisor, current_backend, lang, tr

HOLDING_DAYS = (30, 90, 180, 365, 730)
EXAMPLES = ("稳健一点的债券基金，费率低", "近一年收益超过10%、最大回撤小于15%的混合基金", "分析一下 010034", "什么是夏普比率")

# A short suitability questionnaire: five questions, 1–5 points each, the total mapped to C1–C5. It is the usual
# shape of a 风险承受能力评估, shortened for the demo; a real platform uses its regulator-approved form.
QUESTIONS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("年龄", "Age", (("60岁以上", "over 60"), ("50–60岁", "50–60"), ("40–50岁", "40–50"), ("30–40岁", "30–40"), ("30岁以下", "under 30"))),
    ("投资经验", "Investment experience", (("没有", "none"), ("只买过存款、理财", "deposits only"), ("买过债券基金", "bond funds"),
                                        ("买过股票或混合基金", "stock or mixed funds"), ("五年以上股票投资", "5+ years of stocks"))),
    ("这笔钱打算投资多久", "How long will you invest", (("半年以内", "under 6 months"), ("半年到一年", "6–12 months"), ("一到三年", "1–3 years"),
                                                    ("三到五年", "3–5 years"), ("五年以上", "over 5 years"))),
    ("能接受的最大亏损", "Largest loss you can accept", (("不能亏损", "none"), ("5%以内", "up to 5%"), ("10%以内", "up to 10%"),
                                                        ("20%以内", "up to 20%"), ("20%以上", "over 20%"))),
    ("投资金额占家庭资产的比例", "Share of household assets", (("50%以上", "over 50%"), ("30–50%", "30–50%"), ("20–30%", "20–30%"),
                                                          ("10–20%", "10–20%"), ("10%以下", "under 10%"))),
)  # fmt: skip


def grade_from_answers(points: list[int]) -> int:
    """C1..C5 from five answers of 1..5 points: 5–8 C1, 9–12 C2, 13–16 C3, 17–20 C4, 21–25 C5."""
    if len(points) != len(QUESTIONS) or not all(1 <= p <= 5 for p in points):
        raise ValueError("five answers of 1 to 5 points are needed")
    return min(5, max(1, (sum(points) - 5) // 4 + 1))


def _grade_sidebar() -> int | None:
    with st.sidebar:
        st.subheader(tr("您的风险等级", "Your risk grade"))
        options = [0, 1, 2, 3, 4, 5]
        # Labels are fixed when drawn: a format function that read the language later could disagree with the page.
        names = {g: tr("未评估", "not assessed") if g == 0 else f"C{g}" for g in options}
        grade = st.selectbox(tr("风险等级", "Risk grade"), options, key="advisor_grade", format_func=names.__getitem__)
        with st.expander(tr("做一个简短测评", "Take a short questionnaire")), st.form("advisor_questionnaire"):
            points = []
            for zh, en, answers in QUESTIONS:
                shown = [tr(*a) for a in answers]
                pick = st.radio(tr(zh, en), range(5), format_func=shown.__getitem__, key=f"advisor_q_{zh}")
                points.append(int(pick) + 1)
            if st.form_submit_button(tr("计算风险等级", "Compute my grade")):
                st.session_state["advisor_grade_from_form"] = grade_from_answers(points)
        computed = st.session_state.pop("advisor_grade_from_form", None)
        if computed:
            st.session_state["advisor_grade_pending"] = computed
            st.rerun()
    return int(grade) or None


def current_catalog() -> str:
    """The catalog the advisor answers from: the one picked in the sidebar, else FINPILOT_DEFAULT_CATALOG."""
    return str(st.session_state.get("advisor_catalog") or get_settings().default_catalog)


def _catalog_sidebar() -> None:
    """A catalog picker, listing the published catalogs with the settings' default first."""
    from retrieval import catalog_names

    default = get_settings().default_catalog
    names = list(dict.fromkeys([default, *catalog_names(get_settings())]))
    with st.sidebar:
        st.selectbox(tr("基金目录", "Fund catalog"), names, key="advisor_catalog")


def _messages() -> list[dict[str, Any]]:
    return st.session_state.setdefault("advisor_messages", [])


def render() -> None:
    """The page."""
    if "advisor_grade_pending" in st.session_state:
        # A widget's value can only be set before it is drawn: the questionnaire's result lands on the next run.
        st.session_state["advisor_grade"] = st.session_state.pop("advisor_grade_pending")
    grade = _grade_sidebar()
    _catalog_sidebar()
    st.title(tr("基金顾问", "Fund advisor"))
    st.caption(tr("用一句话说出您想要的基金；条件会显示为可修改的标签。", "Say in one sentence what you are looking for; the conditions show as chips you can edit."))
    svc = advisor(current_catalog(), current_backend())
    messages = _messages()
    if not messages:
        cols = st.columns(len(EXAMPLES))
        for col, example in zip(cols, EXAMPLES, strict=True):
            if col.button(example, key=f"advisor_example_{example}", width="stretch"):
                st.session_state["advisor_pending"] = example
    prompt = st.chat_input(tr("例如：近一年收益超过10%、回撤小于15%的混合基金", "e.g. bond funds with at most 5% drawdown"), key="advisor_input")
    prompt = prompt or st.session_state.pop("advisor_pending", None)
    changed = "advisor_grade_applied" in st.session_state and st.session_state["advisor_grade_applied"] != grade
    if changed and messages and not prompt:
        # The grade changed in the sidebar: the last answer is redone for it, no retyping.
        last = messages[-1]
        if last.get("answer") is not None and last["answer"].filters.intent == "screen":
            last["answer"] = svc.rescreen(last["answer"], last["answer"].filters.model_copy(update={"investor_grade": grade}))
            last["fresh"] = True
    st.session_state["advisor_grade_applied"] = grade
    if prompt:
        answers = [m["answer"] for m in reversed(messages) if m.get("answer") is not None]
        previous = next((a.filters for a in answers if a.filters.intent == "screen" and a.clarification is None), None)
        # "对比第一只和第二只" points into the last shortlist shown
        shown = next(([v.code for v in a.shortlist] for a in answers if a.shortlist), [])
        messages.append({"role": "user", "text": prompt})
        t0 = time.perf_counter()
        answer = svc.ask(prompt, investor_grade=grade, previous=previous, shown=shown)
        messages.append({"role": "assistant", "answer": answer, "fresh": True, "ms": (time.perf_counter() - t0) * 1000})
    for i, message in enumerate(messages):
        with st.chat_message(message["role"]):
            if message["role"] == "user":
                st.markdown(escape_markdown(message["text"]))  # what the person typed, as typed
            else:
                _answer(message, latest=i == len(messages) - 1)
    if messages and st.button(tr("清空对话", "Clear the conversation"), key="advisor_clear"):
        messages.clear()
        st.rerun()


def _chunks(text: str) -> Iterator[str]:
    for i in range(0, len(text), 24):
        yield text[i : i + 24]
        time.sleep(0.004)


def _answer(message: dict[str, Any], latest: bool) -> None:
    from assistant.funds import answer_markdown

    answer = message["answer"]
    # The text holds catalog and knowledge data (fund names, managers, passages): rendered as markdown only once
    # escaped, so a fund's name can never fetch a picture, carry a link or shout a promise in bold.
    text = answer_markdown(answer)
    if message.pop("fresh", False):
        st.write_stream(_chunks(text))
    else:
        st.markdown(text)
    if answer.refused is not None:
        return
    if latest and answer.filters.intent == "screen" and not answer.clarification:
        _chips(message)
    if answer.shortlist and latest:
        _shortlist(answer)
    elif answer.shortlist:
        # Earlier answers stay readable but light: every message is redrawn on each turn, charts and all.
        with st.expander(tr(f"清单（{len(answer.shortlist)} 只）", f"Shortlist ({len(answer.shortlist)})")):
            st.dataframe([{"code": v.code, "name": v.name, "risk": f"R{v.risk_level}" if v.risk_level else "—"} for v in answer.shortlist],
                         hide_index=True, width="stretch")  # fmt: skip
    if answer.analysis and latest:
        _analysis(answer)
    if answer.notes:
        st.caption(" · ".join(escape_markdown(n) for n in answer.notes))
    if answer.citations:
        with st.expander(tr(f"引用（{len(answer.citations)} 条）", f"Citations ({len(answer.citations)})")):
            st.dataframe([c.model_dump(mode="json") for c in answer.citations], hide_index=True, width="stretch")
    st.caption(answer.disclaimer)
    if "ms" in message:
        st.caption(tr(f"用时 {message['ms']:.0f} 毫秒 · {answer.backend}", f"{message['ms']:.0f} ms · {answer.backend}"))


def _chips(message: dict[str, Any]) -> None:
    """The parsed request as chips: deselect one to drop that condition; edit numbers in the panel below."""
    from assistant.funds import Bound, filter_parts, without

    answer = message["answer"]
    parts = filter_parts(answer.filters, lang())
    if not parts:
        return
    # each chip shows the words of the request it came from
    labels = {key: escape_markdown(text + (tr(f"（{'…'.join(sp.text for sp in answer.evidence[key])}）", f" (\"{'…'.join(sp.text for sp in answer.evidence[key])}\")")
                           if answer.evidence.get(key) else "")) for key, text in parts}
    key = f"advisor_chips_{id(answer)}"
    kept = st.pills(tr("理解为（点掉一个条件即可去掉它）", "Understood as (click a chip to drop it)"), list(labels), selection_mode="multi",
                    default=list(labels), format_func=labels.get, key=key)  # fmt: skip
    dropped = [k for k in labels if k not in (kept or [])]
    svc = advisor(current_catalog(), current_backend())
    if dropped:
        query = answer.filters
        for k in dropped:
            query = without(query, k)
        message["answer"] = svc.rescreen(answer, query)
        message["fresh"] = True
        st.rerun()
    bounds = [(k, getattr(answer.filters, k) if not k.startswith("returns.") else answer.filters.returns[k.removeprefix("returns.")])
              for k in labels]  # fmt: skip
    bounds = [(k, b) for k, b in bounds if isinstance(b, Bound)]
    if not bounds:
        return
    with st.expander(tr("修改数值", "Edit the numbers")):
        edited: dict[str, Bound] = {}
        for k, b in bounds:
            c1, c2 = st.columns(2)
            lo = c1.number_input(f"{labels[k]} · min", value=b.min, key=f"{key}_{k}_min", placeholder="—")
            hi = c2.number_input(f"{labels[k]} · max", value=b.max, key=f"{key}_{k}_max", placeholder="—")
            edited[k] = b.model_copy(update={"min": lo, "max": hi})
        if st.button(tr("按新条件筛选", "Screen again"), key=f"{key}_apply"):
            returns = dict(answer.filters.returns)
            updates: dict[str, Any] = {}
            for k, b in edited.items():
                if k.startswith("returns."):
                    returns[k.removeprefix("returns.")] = b
                else:
                    updates[k] = b
            message["answer"] = svc.rescreen(answer, answer.filters.model_copy(update={**updates, "returns": returns}))
            message["fresh"] = True
            st.rerun()


def _shortlist(answer: Any) -> None:
    import pandas as pd

    from assistant.funds import holding_cost

    svc = advisor(current_catalog(), current_backend())
    funds = [svc.table.funds[svc.table.row[v.code]] for v in answer.shortlist]
    table = pd.DataFrame([{
        tr("代码", "code"): v.code, tr("名称", "name"): v.name, tr("类型", "type"): v.fund_type, tr("风险", "risk"): f"R{v.risk_level}" if v.risk_level else "—",
        tr("近1年收益%", "1y return %"): f.return_1y, tr("近1年最大回撤%", "1y max drawdown %"): f.max_drawdown_1y,
        tr("夏普", "Sharpe"): f.sharpe_1y, tr("申购费%", "purchase fee %"): f.purchase_fee, tr("销售服务费%", "service fee %"): f.sales_service_fee,
        tr("适当性", "suitability"): v.suitability,
    } for v, f in zip(answer.shortlist, funds, strict=True)])  # fmt: skip
    tabs = st.tabs([tr("列表", "Table"), tr("各期收益", "Returns by period"), tr("风险与收益", "Risk vs return"), tr("持有成本", "Holding cost")])
    with tabs[0]:
        st.dataframe(table, hide_index=True, width="stretch")
    names = [f"{f.name}（{f.code}）" for f in funds]
    with tabs[1]:
        periods = [("return_1m", tr("近1月", "1m")), ("return_3m", tr("近3月", "3m")), ("return_6m", tr("近6月", "6m")),
                   ("return_1y", tr("近1年", "1y")), ("return_3y", tr("近3年", "3y"))]  # fmt: skip
        frame = pd.DataFrame({name: [getattr(f, p) for p, _ in periods] for name, f in zip(names, funds, strict=True)}, index=[lbl for _, lbl in periods])
        st.bar_chart(frame, stack=False)
    with tabs[2]:
        points = pd.DataFrame({"fund": names, tr("近1年最大回撤%", "1y max drawdown %"): [f.max_drawdown_1y for f in funds],
                               tr("近1年收益%", "1y return %"): [f.return_1y for f in funds]})  # fmt: skip
        st.scatter_chart(points, x=points.columns[1], y=points.columns[2], color="fund")
    with tabs[3]:
        costs = pd.DataFrame({name: [holding_cost(f, d) for d in HOLDING_DAYS] for name, f in zip(names, funds, strict=True)},
                             index=[tr(f"{d}天", f"{d} days") for d in HOLDING_DAYS])  # fmt: skip
        st.line_chart(costs)
        st.caption(tr("申购费加按持有天数计的销售服务费（占投入金额的百分比）；赎回费不在目录中，未计入。",
                      "Purchase fee plus the sales-service fee for the days held (percent of the amount); redemption fees are not in the catalog."))  # fmt: skip


def _analysis(answer: Any) -> None:
    analysis = answer.analysis
    with st.expander(tr("分析明细", "Analysis details"), expanded=True):
        rows = analysis.get("table") or analysis.get("metrics")
        if isinstance(rows, list) and rows and isinstance(rows[0], dict):
            st.dataframe(rows, hide_index=True, width="stretch")
        elif isinstance(rows, dict):
            st.dataframe([{"metric": k, "value": v} for k, v in rows.items()], hide_index=True, width="stretch")
        st.json({k: v for k, v in analysis.items() if k not in ("table", "metrics")}, expanded=False)

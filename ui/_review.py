"""The campaign review page: pick a campaign (a past one of the demo, or an exported plan whose results were loaded),
see its lift per arm with intervals, the A/B decision, forecast against actual, cost per incremental conversion per
channel, the cells that responded and the guardrails, with charts; and the tag-effect table over every review.

The numbers are the `Review` that `finpilot campaign review --json` prints: the page only draws them.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from finpilot import FinpilotError, get_settings
from ui._common import lang, t, tr


@st.cache_data(show_spinner=False)
def _reviewed(ref: str, home: str, stamp: float) -> dict[str, Any]:
    from assistant.learning import review_campaign

    _, result = review_campaign(get_settings(), ref)
    return result.model_dump(mode="json")


def _campaign_choices() -> list[str]:
    """Past campaigns with logs in the demo, then loaded results (plan ids), newest first."""
    import pyarrow.parquet as pq

    from retrieval import ensure_responses

    s = get_settings()
    logs = ensure_responses(s)
    ids = sorted(set(pq.read_table(logs, columns=["campaign_id"]).column("campaign_id").to_pylist()), reverse=True)
    folder = s.home / "results"
    if folder.is_dir():
        ids = sorted(p.stem for p in folder.glob("*.parquet")) + ids
    return ids


def _lift_chart(arms: list[dict[str, Any]]) -> alt.Chart:
    rows = [{"arm": a["arm"], "lift": a["lift"]["estimate"], "low": a["lift"]["low"], "high": a["lift"]["high"]} for a in arms if a["lift"]]
    df = pd.DataFrame(rows)
    base = alt.Chart(df).encode(y=alt.Y("arm:N", title=tr("组", "arm")))
    bars = base.mark_rule(strokeWidth=3).encode(x=alt.X("low:Q", title=tr("相对对照组的转化率提升（95% 区间）", "lift over the hold-out (95% CI)"), axis=alt.Axis(format="%")), x2="high:Q")
    dots = base.mark_point(filled=True, size=80).encode(x="lift:Q")
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(strokeDash=[4, 4]).encode(x="x:Q")
    return bars + dots + zero


def _funnel_chart(steps: list[dict[str, Any]]) -> alt.Chart | None:
    rows = []
    for s in steps:
        if s["forecast"] is None or s["step"] == "value":
            continue
        rows += [{"step": s["step"], "what": tr("预测（中）", "forecast (mid)"), "n": s["forecast"][1]}, {"step": s["step"], "what": tr("实际", "actual"), "n": s["actual"]}]
    if not rows:
        return None
    return alt.Chart(pd.DataFrame(rows)).mark_bar().encode(x=alt.X("step:N", title=None), xOffset="what:N", y=alt.Y("n:Q", title=None), color="what:N")


def render() -> None:
    st.title(t("review"))
    choices = _campaign_choices()
    if not choices:
        st.info(tr("还没有可复盘的活动：导出一个计划并用 `finpilot campaign results PLAN --file` 导入结果。",
                   "No campaign to review yet: export a plan and load its results with `finpilot campaign results PLAN --file`."))
        return
    ref = st.selectbox(tr("活动", "Campaign"), choices)
    s = get_settings()
    stamp = max((p.stat().st_mtime for p in (s.home / "results").glob("*.parquet")), default=0.0) if (s.home / "results").is_dir() else 0.0
    try:
        with st.spinner(tr("复盘中…", "Reviewing…")):
            r = _reviewed(ref, str(s.home), stamp)
    except (FinpilotError, ValueError) as exc:
        st.error(str(exc))
        return
    st.subheader(r["name"])
    for n in r["notes"]:
        st.warning(n)
    inc = r["incremental_conversions"]
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("用户数", "Users"), f"{r['users']:,}")
    c2.metric(tr("增量转化（95% 区间）", "Incremental conversions (95% CI)"), f"{inc['estimate']:,.1f}", f"[{inc['low']:,.1f}, {inc['high']:,.1f}]", delta_color="off")
    c3.metric(tr("每个增量转化的成本", "Cost per incremental conversion"), f"{r['cost_per_incremental']:,.2f}" if r["cost_per_incremental"] else tr("无可测增量", "no measurable increment"))
    st.markdown("#### " + tr("相对不触达对照组的提升", "Lift over the hold-out"))
    st.altair_chart(_lift_chart(r["arms"]), width="stretch")
    st.dataframe(pd.DataFrame([{tr("组", "arm"): a["arm"], tr("人数", "users"): a["users"], tr("转化", "conversions"): a["conversions"],
                                tr("转化率", "rate"): a["rate"]["estimate"], tr("提升", "lift"): a["lift"]["estimate"] if a["lift"] else None,
                                tr("下限", "low"): a["lift"]["low"] if a["lift"] else None, tr("上限", "high"): a["lift"]["high"] if a["lift"] else None,
                                "p": a["p_value"]} for a in r["arms"]]), width="stretch", hide_index=True)  # fmt: skip
    if r["ab"]:
        st.markdown("#### " + tr("A/B 实验", "A/B test"))
        (st.info if r["ab"]["decision"] == "too_early" else st.success)(r["ab"]["says_zh"] if lang() == "zh" else r["ab"]["says"])
    st.markdown("#### " + tr("预测与实际", "Forecast against actual"))
    chart = _funnel_chart(r["funnel"])
    if chart is not None:
        st.altair_chart(chart, width="stretch")
    st.dataframe(pd.DataFrame([{tr("环节", "step"): f["step"], tr("预测", "forecast"): " – ".join(f"{v:,.0f}" for v in f["forecast"]) if f["forecast"] else "—",
                                tr("实际", "actual"): f["actual"]} for f in r["funnel"]]), width="stretch", hide_index=True)  # fmt: skip
    st.markdown("#### " + tr("各渠道每个增量转化的成本", "Cost per incremental conversion, per channel"))
    st.dataframe(pd.DataFrame([{tr("渠道", "channel"): c["channel"], tr("人数", "users"): c["users"], tr("成本", "cost"): c["cost"],
                                tr("增量转化", "incremental"): c["incremental"]["estimate"], tr("下限", "low"): c["incremental"]["low"],
                                tr("上限", "high"): c["incremental"]["high"], tr("成本/增量", "cost / incremental"): c["cost_per_incremental"]}
                               for c in r["channels"]]), width="stretch", hide_index=True)  # fmt: skip
    if r["cells"]:
        st.markdown("#### " + tr("哪些人群有响应（BH 校正）", "Who responded (Benjamini–Hochberg corrected)"))
        st.dataframe(pd.DataFrame([{tr("标签", "tag"): c["tag"], tr("取值", "value"): c["value"], tr("人数", "users"): c["treated"] + c["control"],
                                    tr("提升", "lift"): c["lift"]["estimate"], tr("下限", "low"): c["lift"]["low"], tr("上限", "high"): c["lift"]["high"],
                                    "q": c["q_value"], tr("结论", "verdict"): c["verdict"]} for c in sorted(r["cells"], key=lambda c: c["q_value"])]),
                     width="stretch", hide_index=True)  # fmt: skip
    if r["guardrails"]:
        st.markdown("#### " + tr("护栏指标", "Guardrails"))
        for g in r["guardrails"]:
            (st.error if g["breached"] else st.caption)(f"{g['name']}: {g['count']:,} ({g['rate']:.3%}; {tr('上限', 'limit')} {g['limit']:.2%})")
    st.markdown("#### " + tr("标签效果（所有已复盘活动）", "Tag effects (every reviewed campaign)"))
    from assistant.learning import tag_table

    effects = tag_table(s)
    if effects:
        st.dataframe(pd.DataFrame([e.model_dump() for e in effects]), width="stretch", hide_index=True)

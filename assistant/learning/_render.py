"""A review and the tag-effect table as Markdown, in the reader's language: the same numbers JSON and the app show."""

from __future__ import annotations

from assistant.learning._history import TagEffect
from assistant.learning._review import Interval, Review
from assistant.learning._target import TargetingSummary
from assistant.text import Lang


def _pct(x: float) -> str:
    return f"{x:.3%}"


def _iv(i: Interval | None, fmt=_pct) -> str:
    return "—" if i is None else f"{fmt(i.estimate)} [{fmt(i.low)}, {fmt(i.high)}]"


def _n(x: float) -> str:
    return f"{x:,.1f}"


_T = {
    "title": ("Review", "复盘"), "arms": ("Lift over the hold-out", "相对不触达对照组的提升"),
    "arm": ("arm", "组"), "users": ("users", "人数"), "conv": ("conversions", "转化"), "rate": ("rate [95% CI]", "转化率 [95% 区间]"),
    "lift": ("lift [95% CI]", "提升 [95% 区间]"), "rel": ("relative lift", "相对提升"), "inc": ("incremental conversions", "增量转化"),
    "ab": ("A/B test", "A/B 实验"), "funnel": ("Forecast against actual", "预测与实际"), "step": ("step", "环节"),
    "forecast": ("forecast (low–mid–high)", "预测（低–中–高）"), "actual": ("actual", "实际"), "within": ("within", "在范围内"),
    "channels": ("Cost per incremental conversion, per channel", "各渠道每个增量转化的成本"), "channel": ("channel", "渠道"),
    "cost": ("cost", "成本"), "cpi": ("cost / incremental", "成本/增量转化"), "cells": ("Who responded (Benjamini–Hochberg, FDR 5%)", "哪些人群有响应（BH 校正，FDR 5%）"),
    "tag": ("tag", "标签"), "value": ("value", "取值"), "q": ("q", "q 值"), "verdict": ("verdict", "结论"),
    "guard": ("Guardrails", "护栏指标"), "none": ("no measurable increment", "无可测增量"), "noforecast": ("the record holds no forecast", "该活动没有预测"),
    "total": ("Total", "合计"), "holdout": ("hold-out", "对照"),
}  # fmt: skip
_VERDICT = {"responded": ("responded", "有响应"), "responded_worse": ("responded worse", "负向响应"), "no_evidence": ("no evidence", "无证据")}


def review_markdown(r: Review, lang: Lang = "zh") -> str:
    k = 1 if lang == "zh" else 0

    def t(key: str) -> str:
        return _T[key][k]

    out = [f"# {t('title')}: {r.name} ({r.campaign_id})", ""]
    out += [f"- {n}" for n in r.notes]
    total = _iv(r.incremental_conversions, _n)
    cpi = f"{r.cost_per_incremental:,.2f}" if r.cost_per_incremental is not None else t("none")
    out += [f"**{t('total')}**: {r.users:,} {t('users')}, {t('inc')} {total}, {t('cost')} {r.cost:,.2f}, {t('cpi')} {cpi}", ""]
    out += [f"## {t('arms')}", "", f"| {t('arm')} | {t('users')} | {t('conv')} | {t('rate')} | {t('lift')} | {t('rel')} | {t('inc')} |", "|---|---:|---:|---|---|---|---|"]
    for a in r.arms:
        name = f"{a.arm} ({t('holdout')})" if a.holdout else a.arm
        out.append(f"| {name} | {a.users:,} | {a.conversions:,} | {_iv(a.rate)} | {_iv(a.lift)} | {_iv(a.relative_lift, lambda x: f'{x:+.1%}')} | {_iv(a.incremental_conversions, _n)} |")
    if r.ab is not None:
        out += ["", f"## {t('ab')}", "", r.ab.says_zh if k else r.ab.says]
    out += ["", f"## {t('funnel')}", ""]
    if all(s.forecast is None for s in r.funnel):
        out.append(f"- {t('noforecast')}: " + ", ".join(f"{s.step} {s.actual:,.0f}" for s in r.funnel))
    else:
        out += [f"| {t('step')} | {t('forecast')} | {t('actual')} | {t('within')} |", "|---|---|---:|---|"]
        for s in r.funnel:
            f = "—" if s.forecast is None else "–".join(f"{v:,.0f}" for v in s.forecast)
            out.append(f"| {s.step} | {f} | {s.actual:,.0f} | {'✓' if s.within else '✗'} |")
    out += ["", f"## {t('channels')}", "", f"| {t('channel')} | {t('users')} | {t('cost')} | {t('inc')} | {t('cpi')} |", "|---|---:|---:|---|---:|"]
    for c in r.channels:
        cpi = f"{c.cost_per_incremental:,.2f}" if c.cost_per_incremental is not None else t("none")
        out.append(f"| {c.channel} | {c.users:,} | {c.cost:,.2f} | {_iv(c.incremental, _n)} | {cpi} |")
    if r.cells:
        out += ["", f"## {t('cells')}", "", f"| {t('tag')} | {t('value')} | {t('users')} | {t('lift')} | {t('q')} | {t('verdict')} |", "|---|---|---:|---|---:|---|"]
        for cell in sorted(r.cells, key=lambda c: (c.q_value, c.tag)):
            out.append(f"| {cell.tag} | {cell.value} | {cell.treated + cell.control:,} | {_iv(cell.lift)} | {cell.q_value:.3g} | {_VERDICT[cell.verdict][k]} |")
    if r.guardrails:
        out += ["", f"## {t('guard')}", ""]
        for g in r.guardrails:
            flag = ("超出上限" if k else "BREACHED") if g.breached else ("正常" if k else "ok")
            out.append(f"- {g.name}: {g.count:,} ({g.rate:.3%}; limit {g.limit:.2%}) {flag}")
    return "\n".join(out) + "\n"


def tags_markdown(effects: list[TagEffect], lang: Lang = "zh") -> str:
    if not effects:
        return ("还没有复盘过的活动：先运行 `finpilot campaign review PLAN`。\n" if lang == "zh"
                else "No reviewed campaigns yet: run `finpilot campaign review PLAN` first.\n")  # fmt: skip
    head = ("| 标签 | 取值 | 活动数 | 人数 | 合并提升 [95% 区间] | 有响应 | 负向 |" if lang == "zh"
            else "| tag | value | campaigns | users | pooled lift [95% CI] | responded | worse |")  # fmt: skip
    out = [head, "|---|---|---:|---:|---|---:|---:|"]
    for e in effects:
        out.append(f"| {e.tag} | {e.value} | {e.campaigns} | {e.users:,} | {e.lift:.3%} [{e.low:.3%}, {e.high:.3%}] | {e.responded} | {e.responded_worse} |")
    return "\n".join(out) + "\n"


def targeting_markdown(s: TargetingSummary, lang: Lang = "zh") -> str:
    zh = lang == "zh"
    r = s.rule_only
    gain = f"{s.gain:.2f}x" if s.gain else "—"
    lines = [
        ("## 定向（按增量模型）" if zh else "## Targeting (by uplift)"),
        "",
        (f"- 人群 {s.segment:,} 人，可推 {s.eligible:,} 人（先按适当性与弱势群体规则排除：{s.excluded}）" if zh
         else f"- Segment {s.segment:,} users, {s.eligible:,} may receive an option (suitability and vulnerable-group rules first: excluded {s.excluded})"),
        (f"- 触达 {s.targeted:,} 人，成本 {s.cost:,.2f} 元，预计增量转化 {s.expected_incremental:,.1f}（每元 {s.per_yuan * 1000:.3f} 个/千元）" if zh
         else f"- Targets {s.targeted:,} users for {s.cost:,.2f} yuan, expecting {s.expected_incremental:,.1f} incremental conversions ({s.per_yuan * 1000:.3f} per 1,000 yuan)"),
        (f"- 同预算按规则定向：触达 {r.get('targeted', 0):,.0f} 人，预计增量 {r.get('expected_incremental', 0):,.1f}（每千元 {r.get('per_yuan', 0) * 1000:.3f}）；每元增量是其 {gain}" if zh
         else f"- Rule-only at the same budget: {r.get('targeted', 0):,.0f} users, {r.get('expected_incremental', 0):,.1f} incremental ({r.get('per_yuan', 0) * 1000:.3f} per 1,000 yuan); gain per yuan {gain}"),
        (f"- 停止条件：预计增量 × {s.value_per_conversion:,.0f} 元低于触达成本的用户不推；模型 {s.model}" if zh
         else f"- Stops where expected uplift x {s.value_per_conversion:,.0f} yuan falls below the cost of the touch; model {s.model}"),
    ]  # fmt: skip
    lines += [f"- {k}: {v:,}" for k, v in s.options.items()]
    if s.untrained:
        lines.append(("- 注意：以下方案在历史响应日志中没有同类（产品大类 × 权益类型 × 渠道类型），其增量是模型外推：" if zh
                      else "- Note: no response log held these options' kind (product family x offer kind x channel kind); their uplift is the model's extrapolation: ")
                     + "、".join(s.untrained))  # fmt: skip
    return "\n".join(lines) + "\n"

"""Single-fund analysis and side-by-side comparison, every number taken from the catalog."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.funds._answer import fmt, label
from assistant.funds._screen import holding_cost
from assistant.funds._table import FundTable
from assistant.text import Lang
from retrieval import Fund

ANALYSIS_FIELDS = ("return_1m", "return_3m", "return_6m", "return_1y", "return_3y", "return_ytd", "max_drawdown_1y",
                   "volatility_1y", "sharpe_1y", "mgmt_fee", "purchase_fee", "sales_service_fee", "min_purchase", "size")  # fmt: skip
LOWER_IS_BETTER = {"max_drawdown_1y", "volatility_1y", "mgmt_fee", "purchase_fee", "sales_service_fee"}
RANKED_FIELDS = ("return_1y", "return_3y", "return_ytd", "max_drawdown_1y", "volatility_1y", "sharpe_1y", "mgmt_fee")
DEFAULT_AMOUNT = 10_000.0
"""Fee costs are shown for 10,000 yuan when the user named no amount."""

MATTERS: dict[str, float] = {"return_1y": 5.0, "return_3y": 10.0, "max_drawdown_1y": 3.0, "volatility_1y": 5.0,
                             "sharpe_1y": 0.5, "mgmt_fee": 0.3, "purchase_fee": 0.5, "size": 10.0}  # fmt: skip
"""A difference between funds worth pointing out, per metric (percentage points, Sharpe units, 亿元)."""


def percentile(table: FundTable, fund: Fund, field: str) -> tuple[float, int] | None:
    """The share of same-type funds (with a known value) this fund does better than, in percent, and the peer count."""
    value = getattr(fund, field)
    if value is None:
        return None
    col = table.num[field][table.fund_type == fund.fund_type]
    col = col[~np.isnan(col)]
    if len(col) < 2:
        return None
    better = (col > value).sum() if field in LOWER_IS_BETTER else (col < value).sum()
    return round(100.0 * float(better) / (len(col) - 1), 1), len(col)


def fee_cost(fund: Fund, amount: float, years: float) -> float | None:
    """Yuan paid in purchase and sales-service fees on `amount` held `years` (management fees are the same for A and C)."""
    cost = holding_cost(fund, years * 365.0)
    return None if cost is None else round(amount * cost / 100.0, 2)


def suitability(fund: Fund, grade: int | None, lang: Lang) -> str:
    """The fund's R grade against the investor's C grade, in one phrase."""
    r = f"R{fund.risk_level}" if fund.risk_level else ("风险等级未知" if lang == "zh" else "risk grade unknown")
    if grade is None:
        return f"{r}，未评估适当性" if lang == "zh" else f"{r}; suitability not assessed"
    if fund.risk_level is None or fund.risk_level > grade:
        return f"{r} 高于您的 C{grade}，不适合" if lang == "zh" else f"{r} is above your C{grade}: not suitable"
    return f"{r} ≤ C{grade}，匹配" if lang == "zh" else f"{r} ≤ C{grade}: suitable"


def analyse_fund(table: FundTable, fund: Fund, grade: int | None, amount: float | None, lang: Lang) -> tuple[dict, str, list[str]]:
    """Profile, metrics, percentile ranks within type, A-against-C costs and fit; returns (data, text, fields cited)."""
    amount = amount or DEFAULT_AMOUNT
    ranks = {f: p for f in RANKED_FIELDS if (p := percentile(table, fund, f))}
    classes = [fund] + ([table.funds[table.row[fund.pair_code]]] if fund.pair_code in table.row else [])
    costs = {c.code: {str(y): fee_cost(c, amount, y) for y in (1, 2, 3)} for c in classes}
    fit = suitability(fund, grade, lang)
    data = {
        "profile": {"code": fund.code, "name": fund.name, "type": fund.raw_type or fund.fund_type, "company": fund.company,
                    "managers": fund.managers, "inception_date": str(fund.inception_date) if fund.inception_date else None,
                    "themes": fund.themes, "risk_level": fund.risk_level, "as_of": str(fund.as_of)},
        "metrics": {f: getattr(fund, f) for f in ANALYSIS_FIELDS},
        "percentile_in_type": {f: {"beats_pct": p, "peers": n} for f, (p, n) in ranks.items()},
        "fee_cost": {"amount": amount, "by_class": costs},
        "suitability": fit,
    }  # fmt: skip
    zh = lang == "zh"
    lines = [f"{fund.name}（{fund.code}），{fund.raw_type or fund.fund_type}，{fund.company or '管理人未知'}，"
             f"数据截至 {fund.as_of}。" if zh else
             f"{fund.name} ({fund.code}), {fund.raw_type or fund.fund_type}, {fund.company or 'manager unknown'}, data as of {fund.as_of}."]  # fmt: skip
    shown = [f for f in ("return_1y", "return_3y", "max_drawdown_1y", "volatility_1y", "sharpe_1y") if getattr(fund, f) is not None]
    missing = [f for f in ("return_1y", "return_3y", "max_drawdown_1y", "sharpe_1y") if getattr(fund, f) is None]
    parts = []
    for f in shown:
        rank = ranks.get(f)
        tail = (f"（优于同类 {rank[0]:g}% 的基金）" if zh else f" (better than {rank[0]:g}% of its type)") if rank else ""
        parts.append(f"{label(f, lang)} {fmt(f, getattr(fund, f), lang)}{tail}")
    if parts:
        lines.append(("；".join(parts) + "。") if zh else ("; ".join(parts) + "."))
    if missing:
        names = "、".join(label(f, lang) for f in missing) if zh else ", ".join(label(f, lang) for f in missing)
        lines.append(f"目录中没有{names}的数据，未作估算。" if zh else f"The catalog has no {names}; nothing was estimated.")
    fee_parts = [f"{label(f, lang)} {fmt(f, getattr(fund, f), lang)}" for f in ("mgmt_fee", "purchase_fee", "sales_service_fee")]
    lines.append(("费用：" + "，".join(fee_parts) + "。") if zh else ("Fees: " + ", ".join(fee_parts) + "."))
    for c in classes:
        cost = costs[c.code]
        if all(v is not None for v in cost.values()):
            who = f"{c.share_class}类（{c.code}）" if c.share_class else f"（{c.code}）"
            who_en = f"Class {c.share_class} ({c.code})" if c.share_class else f"({c.code})"
            lines.append(f"{who}投入 {amount:g} 元持有 1/2/3 年的申购费加销售服务费约 {cost['1']:g}/{cost['2']:g}/{cost['3']:g} 元。"
                         if zh else f"{who_en}: {amount:g} yuan held 1/2/3 years costs about {cost['1']:g}/{cost['2']:g}/{cost['3']:g} yuan in purchase and sales-service fees.")  # fmt: skip
    if len(classes) == 2:
        lines.append("赎回费目录中没有，未计入；短期持有 C 类通常更省，长期持有 A 类通常更省。" if zh else
                     "Redemption fees are not in the catalog and are not included; C usually costs less for short holds, A for long ones.")  # fmt: skip
    lines.append(("适当性：" if zh else "Suitability: ") + fit + ("。" if zh else "."))
    cited = ["risk_level", *shown, "mgmt_fee", "purchase_fee", "sales_service_fee"]
    return data, "\n".join(lines), cited


def compare_funds(funds: Sequence[Fund], grade: int | None, amount: float | None, days: float, goal: tuple[str, str],
                  lang: Lang) -> tuple[dict, str, list[str]]:  # fmt: skip
    """A side-by-side table, the differences that matter, cost over the holding period and which fits the goal."""
    amount = amount or DEFAULT_AMOUNT
    zh = lang == "zh"
    years = days / 365.0
    table = {f.code: {"name": f.name, "risk_level": f.risk_level, **{m: getattr(f, m) for m in ANALYSIS_FIELDS},
                      "fee_cost": fee_cost(f, amount, years)} for f in funds}  # fmt: skip
    lines = []
    differences = []
    for field, threshold in MATTERS.items():
        known = [(f, getattr(f, field)) for f in funds if getattr(f, field) is not None]
        if len(known) < 2:
            continue
        lo, hi = min(known, key=lambda p: p[1]), max(known, key=lambda p: p[1])
        if hi[1] - lo[1] >= threshold:
            differences.append(field)
            lines.append(f"{label(field, lang)}：{hi[0].name} {fmt(field, hi[1], lang)}，{lo[0].name} {fmt(field, lo[1], lang)}。"
                         if zh else f"{label(field, lang)}: {hi[0].name} {fmt(field, hi[1], lang)}, {lo[0].name} {fmt(field, lo[1], lang)}.")  # fmt: skip
    risks = {f.risk_level for f in funds}
    if len(risks) > 1:
        differences.append("risk_level")
        lines.append("风险等级不同：" + "，".join(f"{f.name} {fmt('risk_level', f.risk_level, lang)}" for f in funds) + "。" if zh else
                     "Risk grades differ: " + ", ".join(f"{f.name} {fmt('risk_level', f.risk_level, lang)}" for f in funds) + ".")  # fmt: skip
    costs = [(f, table[f.code]["fee_cost"]) for f in funds]
    cost_text = ("，".join(f"{f.name} 约 {c:g} 元" for f, c in costs if c is not None) if zh else
                 ", ".join(f"{f.name} about {c:g} yuan" for f, c in costs if c is not None))  # fmt: skip
    if cost_text:
        lines.append(f"投入 {amount:g} 元持有 {days:g} 天的申购费加销售服务费：{cost_text}。" if zh else
                     f"Purchase plus sales-service fees on {amount:g} yuan held {days:g} days: {cost_text}.")  # fmt: skip
    suitable = [f for f in funds if grade is None or (f.risk_level is not None and f.risk_level <= grade)]
    field, order = goal
    values = [(f, table[f.code]["fee_cost"] if field == "total_fee" else getattr(f, field, None)) for f in suitable]
    scored = [(f, v) for f, v in values if v is not None]
    pick = None
    if scored:
        pick, value = (min if order == "asc" else max)(scored, key=lambda p: p[1])
        goal_name = ("持有期费用" if zh else "holding cost") if field == "total_fee" else label(field, lang)
        shown = f"{value:g} 元" if field == "total_fee" and zh else (f"{value:g} yuan" if field == "total_fee" else fmt(field, value, lang))
        lines.append(f"按您的目标（{goal_name}{'最低' if order == 'asc' else '最高'}），{pick.name}（{pick.code}）更合适：{goal_name} {shown}。"
                     if zh else f"For your goal ({'lowest' if order == 'asc' else 'highest'} {goal_name}), {pick.name} ({pick.code}) fits best: {shown}.")  # fmt: skip
    unsuitable = [f for f in funds if f not in suitable]
    if unsuitable:
        lines.append(("超出您风险承受能力、不作推荐：" if zh else "Above your risk grade, not recommended: ")
                     + ("，" if zh else ", ").join(f"{f.name}（R{f.risk_level}）" for f in unsuitable) + ("。" if zh else "."))  # fmt: skip
    if grade is None:
        lines.append("尚未评估您的风险承受能力，请告诉我您的风险等级（C1–C5）。" if zh else
                     "Your risk tolerance has not been assessed: tell me your grade (C1–C5).")  # fmt: skip
    data = {"table": table, "differences": differences, "goal": {"field": field, "order": order},
            "pick": pick.code if pick else None, "amount": amount, "holding_days": days}  # fmt: skip
    cited = ["risk_level", *[m for m in MATTERS if any(getattr(f, m) is not None for f in funds)], "sales_service_fee"]
    return data, "\n".join(lines), cited

"""Screening and ranking in code: only funds that pass every stated limit and the investor's grade are shown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
from pydantic import BaseModel, Field

from assistant.funds._query import FundQuery, Order, SortField
from assistant.funds._table import FundTable
from retrieval import Fund

DEFAULT_HOLD_DAYS = 365.0
"""Without a stated holding period, share classes are compared over one year."""


class ShortlistItem(BaseModel):
    """One fund on the shortlist with the reasons it is there."""

    fund: Fund
    reasons: list[str] = Field(default_factory=list)


class Shortlist(BaseModel):
    """The screen's outcome: what passed, ranked, and how many were excluded for which limit."""

    items: list[ShortlistItem]
    passed: int
    """Funds (share classes) that passed every limit, before one class per portfolio and top-N."""
    excluded: dict[str, int]
    """Share classes removed, by the first limit they broke (the investor's grade counted last)."""


def holding_cost(fund: Fund, days: float) -> float | None:
    """Percent of the money a holding of `days` costs in purchase and sales-service fees (None if unknown)."""
    if fund.purchase_fee is None and fund.sales_service_fee is None:
        return None
    return (fund.purchase_fee or 0.0) + (fund.sales_service_fee or 0.0) * days / 365.0


def _sort_column(table: FundTable, field: str, days: float) -> np.ndarray:
    if field == "total_fee":
        p, f = table.num["purchase_fee"], table.num["sales_service_fee"]
        both_unknown = np.isnan(p) & np.isnan(f)
        cost = np.nan_to_num(p) + np.nan_to_num(f) * days / 365.0
        return np.where(both_unknown, np.nan, cost)
    if field == "inception_date":
        return table.inception
    return table.num[field]


DEFAULT_RANKING: tuple[tuple[SortField, Order], ...] = (("sharpe_1y", "desc"), ("return_1y", "desc"))
"""Without a stated ranking: best one-year Sharpe ratio, then best one-year return (risk-adjusted first, as an adviser
would); it also breaks the ties of any stated ranking."""


def rank_order(table: FundTable, rows: np.ndarray, query: FundQuery, days: float) -> np.ndarray:
    """`rows` ranked by the requested sort keys, ties broken by the default ranking, then by code.

    A fund whose value of a ranking metric is unknown comes after every fund whose value is known. Several keys (two
    stated preferences, 稳健一点…费率低) rank by the mean of each key's rank, so every preference counts; ties of the
    mean fall to the first key.
    """
    stated = [(k.field, k.order) for k in query.sort]
    keys = list(dict.fromkeys([*stated, *DEFAULT_RANKING]))
    columns: list[np.ndarray] = []
    if len(stated) >= 2 and len(rows):
        ranks = []
        for field, order in stated:
            v = _sort_column(table, field, days)[rows]
            score = np.where(np.isnan(v), np.inf, -v if order == "desc" else v)
            position = np.empty(len(rows))
            position[np.argsort(score, kind="stable")] = np.arange(len(rows))
            ranks.append(position)
        columns.append(np.mean(ranks, axis=0))
    for field, order in keys:
        v = _sort_column(table, field, days)[rows]
        columns += [np.isnan(v), np.where(np.isnan(v), 0.0, -v if order == "desc" else v)]
    # np.lexsort sorts by the last key first, so the code (the final tie-break) goes first.
    return rows[np.lexsort([table.code[rows], *reversed(columns)])]


def screen(query: FundQuery, funds: Sequence[Fund] | FundTable, today: date | None = None,
           extra: Sequence[tuple[str, np.ndarray]] = ()) -> Shortlist:
    """Apply every limit in code, keep one share class per portfolio, rank, and cut to top-N.

    `extra` adds limits the query cannot state, e.g. the funds hybrid retrieval found for a free-text topic.
    """
    table = funds if isinstance(funds, FundTable) else FundTable(funds)
    days = query.holding_days or DEFAULT_HOLD_DAYS
    alive = np.ones(len(table), dtype=bool)
    excluded: dict[str, int] = {}
    for name, mask in [*table.checks(query, today), *extra]:
        removed = int((alive & ~mask).sum())
        if removed:
            excluded[name] = excluded.get(name, 0) + removed
        alive &= mask
    passing = np.flatnonzero(alive)
    ranked = rank_order(table, passing, query, days)
    picked = _one_class_per_portfolio(table, ranked, alive, query, days)
    position = np.empty(len(table), dtype=np.int64)
    position[ranked] = np.arange(len(ranked))  # rank of every passing row, without a Python loop over them
    picked.sort(key=lambda pr: int(position[pr[0]]))
    items = [ShortlistItem(fund=table.funds[r], reasons=reasons) for r, reasons in picked]
    return Shortlist(items=items, passed=len(passing), excluded=excluded)


def _one_class_per_portfolio(table: FundTable, ranked: np.ndarray, alive: np.ndarray, query: FundQuery, days: float) -> list[tuple[int, list[str]]]:
    """Walk the ranking and show one share class per portfolio: the cheaper over the holding period, among those that passed."""
    out: list[tuple[int, list[str]]] = []
    seen: set[int] = set()
    for r in (int(x) for x in ranked):
        if len(out) >= query.top_n:
            break
        if r in seen:
            continue
        fund = table.funds[r]
        s = table.row.get(fund.pair_code or "")
        seen.add(r)
        if s is None or not alive[s] or query.share_class:
            out.append((r, []))
            continue
        seen.add(s)
        sibling = table.funds[s]
        costs = {f.code: holding_cost(f, days) for f in (fund, sibling)}
        if None in costs.values():
            out.append((r, []))
            continue
        best, other = sorted((fund, sibling), key=lambda f: (costs[f.code], f.code))
        over = "your holding period" if query.holding_days else "one year, as no holding period was stated"
        reason = (f"{best.share_class} class: {costs[best.code]:.2f}% in fees over {days:g} days ({over}), "
                  f"against {costs[other.code]:.2f}% for the {other.share_class} class")  # fmt: skip
        out.append((table.row[best.code], [reason]))
    return out

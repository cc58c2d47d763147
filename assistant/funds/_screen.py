"""Screening and ranking in code: only funds that pass every stated limit and the investor's grade are shown."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, Field

from assistant.funds._lexicon import THEME_GROUPS
from assistant.funds._query import FundQuery, limit_failures
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
    """Share classes removed, by the first limit they broke."""


def holding_cost(fund: Fund, days: float) -> float | None:
    """Percent of the money a holding of `days` costs in purchase and sales-service fees (None if unknown)."""
    if fund.purchase_fee is None and fund.sales_service_fee is None:
        return None
    return (fund.purchase_fee or 0.0) + (fund.sales_service_fee or 0.0) * days / 365.0


def theme_match(themes: Sequence[str], fund: Fund) -> bool:
    """A fund matches a theme it carries, a narrower theme of the group, or the theme word in its name."""
    for theme in themes:
        group = THEME_GROUPS.get(theme, (theme,))
        if set(group) & set(fund.themes) or any(t in fund.name for t in group):
            return True
    return False


def _sort_value(fund: Fund, field: str, days: float) -> float | None:
    if field == "total_fee":
        return holding_cost(fund, days)
    if field == "inception_date":
        return None if fund.inception_date is None else float(fund.inception_date.toordinal())
    return getattr(fund, field)


def screen(query: FundQuery, funds: Sequence[Fund], today: date | None = None) -> Shortlist:
    """Apply every limit in code, keep one share class per portfolio, rank, and cut to top-N."""
    days = query.holding_days or DEFAULT_HOLD_DAYS
    excluded: Counter[str] = Counter()
    passing: list[Fund] = []
    for fund in funds:
        failures = limit_failures(query, fund, today)
        if query.themes and not theme_match(query.themes, fund):
            failures.append("theme")
        if failures:
            excluded[failures[0].split(" ")[0]] += 1
        else:
            passing.append(fund)
    chosen = _one_class_per_portfolio(passing, query, days)
    keys = query.sort or []
    if keys:
        def key(item: tuple[Fund, list[str]]) -> tuple:
            parts = []
            for k in keys:
                v = _sort_value(item[0], k.field, days)
                parts += [v is None, 0.0 if v is None else (-v if k.order == "desc" else v)]
            return (*parts, item[0].code)
    else:
        # Documented default: best one-year Sharpe, then one-year return; unknowns last.
        def key(item: tuple[Fund, list[str]]) -> tuple:
            f = item[0]
            return (f.sharpe_1y is None, -(f.sharpe_1y or 0.0), f.return_1y is None, -(f.return_1y or 0.0), f.code)
    ranked = sorted(chosen, key=key)[: query.top_n]
    return Shortlist(items=[ShortlistItem(fund=f, reasons=r) for f, r in ranked], passed=len(passing), excluded=dict(excluded))


def _one_class_per_portfolio(passing: list[Fund], query: FundQuery, days: float) -> list[tuple[Fund, list[str]]]:
    """Show one share class per portfolio: the cheaper over the holding period, among classes that passed."""
    by_code = {f.code: f for f in passing}
    out: list[tuple[Fund, list[str]]] = []
    seen: set[str] = set()
    for fund in passing:
        if fund.code in seen:
            continue
        sibling = by_code.get(fund.pair_code or "")
        seen.update({fund.code, fund.pair_code or ""})
        if sibling is None or query.share_class:
            out.append((fund, []))
            continue
        costs = {f.code: holding_cost(f, days) for f in (fund, sibling)}
        if None in costs.values():
            out.append((fund, []))
            continue
        best, other = sorted((fund, sibling), key=lambda f: (costs[f.code], f.code))
        over = "your holding period" if query.holding_days else "one year, as no holding period was stated"
        reason = (f"{best.share_class} class: {costs[best.code]:.2f}% in fees over {days:g} days ({over}), "
                  f"against {costs[other.code]:.2f}% for the {other.share_class} class")  # fmt: skip
        out.append((best, [reason]))
    return out

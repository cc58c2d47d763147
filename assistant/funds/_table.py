"""The catalog as columns, so every limit is one vectorised comparison over all funds.

`limit_failures` in `_query` is the readable per-fund reference; this is the fast path the advisor uses on
catalogs of 100,000 funds. The property tests hold the two to the same answer on every generated request.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cached_property

import numpy as np

from assistant.funds._lexicon import fund_lexicon
from assistant.funds._query import PERIOD_FIELD, Bound, FundQuery
from retrieval import Fund

NUMERIC = ("risk_level", "return_1m", "return_3m", "return_6m", "return_1y", "return_3y", "return_ytd", "max_drawdown_1y",
           "volatility_1y", "sharpe_1y", "mgmt_fee", "purchase_fee", "sales_service_fee", "min_purchase", "size")  # fmt: skip

BOUND_FIELDS: dict[str, str] = {"max_drawdown": "max_drawdown_1y", "volatility": "volatility_1y", "sharpe": "sharpe_1y",
                                "mgmt_fee": "mgmt_fee", "purchase_fee": "purchase_fee",
                                "sales_service_fee": "sales_service_fee", "size": "size"}  # fmt: skip
"""FundQuery bound -> the catalog column it limits."""


def bound_mask(b: Bound, values: np.ndarray) -> np.ndarray:
    """Which values lie inside `b`; NaN (unknown) never does."""
    ok = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        if b.min is not None:
            ok &= values >= b.min if b.min_inclusive else values > b.min
        if b.max is not None:
            ok &= values <= b.max if b.max_inclusive else values < b.max
    return ok


class FundTable:
    """Columns of a fund list; built once per catalog and reused by every request."""

    def __init__(self, funds: Sequence[Fund]) -> None:
        self.funds = list(funds)
        self.row = {f.code: i for i, f in enumerate(self.funds)}
        self.num = {name: np.array([np.nan if getattr(f, name) is None else float(getattr(f, name)) for f in self.funds])
                    for name in NUMERIC}  # fmt: skip
        self.fund_type = np.array([f.fund_type for f in self.funds])
        self.share_class = np.array([f.share_class or "" for f in self.funds])
        self.company = np.array([f.company or "" for f in self.funds])
        self.code = np.array([f.code for f in self.funds])
        self.dca = np.array([f.dca is True for f in self.funds])
        self.purchase_open = np.array([f.purchase_open is True for f in self.funds])
        self.as_of = np.array([f.as_of.toordinal() for f in self.funds], dtype=float)
        self.inception = np.array([np.nan if f.inception_date is None else f.inception_date.toordinal() for f in self.funds])
        self.name = np.array([f.name for f in self.funds])
        self._theme_rows: dict[str, list[int]] = {}
        for i, f in enumerate(self.funds):
            for t in f.themes:
                self._theme_rows.setdefault(t, []).append(i)
        self._themes: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.funds)

    @cached_property
    def companies(self) -> list[str]:
        """The catalog's company names, longest first (so a parser matches 华夏基金管理 before 华夏)."""
        return sorted({c for c in self.company if c}, key=len, reverse=True)

    @cached_property
    def managers(self) -> list[str]:
        """The catalog's manager names, longest first."""
        return sorted({m for f in self.funds for m in f.managers if m}, key=len, reverse=True)

    def theme_mask(self, themes: Sequence[str]) -> np.ndarray:
        """Funds carrying a theme, a narrower theme of its group, or the theme word in the name (see `theme_match`)."""
        out = np.zeros(len(self), dtype=bool)
        for theme in themes:
            if theme not in self._themes:
                mask = np.zeros(len(self), dtype=bool)
                for t in fund_lexicon().theme_group_of.get(theme, (theme,)):
                    mask[self._theme_rows.get(t, [])] = True
                    mask |= np.char.find(self.name, t) >= 0
                self._themes[theme] = mask
            out |= self._themes[theme]
        return out

    def checks(self, query: FundQuery, today: date | None = None) -> list[tuple[str, np.ndarray]]:
        """Each stated limit as (name, pass mask), in the order exclusions are counted.

        The investor's grade comes last, so its count is the funds that matched everything else but are too risky.
        """
        n = len(self)
        out: list[tuple[str, np.ndarray]] = []
        risk = self.num["risk_level"]
        if query.risk_max is not None or query.risk_min is not None:
            out.append(("risk_level", bound_mask(Bound(min=query.risk_min, max=query.risk_max), risk)))
        if query.fund_types:
            out.append(("fund_type", np.isin(self.fund_type, query.fund_types)))
        if query.fund_types_exclude:
            out.append(("fund_type", ~np.isin(self.fund_type, query.fund_types_exclude)))
        if query.share_class:
            out.append(("share_class", self.share_class == query.share_class))
        if query.share_classes_exclude:
            out.append(("share_class", ~np.isin(self.share_class, query.share_classes_exclude)))
        for period, b in query.returns.items():
            field: str = PERIOD_FIELD[period]
            out.append((field, bound_mask(b, self.num[field])))
        for name, field in BOUND_FIELDS.items():
            b = getattr(query, name)
            if b is not None:
                out.append((field, bound_mask(b, self.num[field])))
        if query.fund_age_years is not None:
            now = float(today.toordinal()) if today else self.as_of
            age = np.round((now - self.inception) / 365.25, 2)
            out.append(("fund_age_years", bound_mask(query.fund_age_years, age)))
        if query.companies_include:
            out.append(("company", np.isin(self.company, query.companies_include)))
        if query.companies_exclude:
            out.append(("company", ~np.isin(self.company, query.companies_exclude)))
        if query.managers_include:
            wanted = set(query.managers_include)
            out.append(("manager", np.array([bool(wanted & set(f.managers)) for f in self.funds], dtype=bool)))
        if query.managers_exclude:
            unwanted = set(query.managers_exclude)
            out.append(("manager", np.array([not unwanted & set(f.managers) for f in self.funds], dtype=bool)))
        if query.dca_only:
            out.append(("dca", self.dca.copy()))
        if query.open_only:
            out.append(("purchase_open", self.purchase_open.copy()))
        if query.amount is not None:
            out.append(("min_purchase", bound_mask(Bound(max=query.amount), self.num["min_purchase"])))
        if query.exclude_codes:
            out.append(("excluded_code", ~np.isin(self.code, query.exclude_codes)))
        if query.themes:
            out.append(("theme", self.theme_mask(query.themes)))
        if query.themes_exclude:
            out.append(("theme", ~self.theme_mask(query.themes_exclude)))
        if query.investor_grade is not None:
            out.append(("investor_grade", bound_mask(Bound(max=query.investor_grade), risk)))
        return [(name, np.asarray(mask, dtype=bool).reshape(n)) for name, mask in out]

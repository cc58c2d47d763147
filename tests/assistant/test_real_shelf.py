"""The advisor on the real 2019 shelf (../shared; skipped when absent): every suite request answers, no result breaks
a limit, and limits on metrics the shelf does not have are reported, never met by invented values."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.funds import Advisor, limit_failures, theme_match
from eval import load_fund_cases
from finpilot import FinpilotError
from retrieval import ingest


@pytest.fixture
def shelf_advisor(real_shelf: Path, home: Path) -> Advisor:
    ingest(real_shelf, "shelf", "fund_basic_2019", index=False, progress=False)
    return Advisor("shelf", backend="offline")


def test_every_suite_request_runs_on_the_real_shelf_without_breaking_a_limit(shelf_advisor: Advisor) -> None:
    answered = nonempty = 0
    for case in load_fund_cases():
        try:
            a = shelf_advisor.ask(case.request, investor_grade=case.investor_grade)
        except FinpilotError as exc:
            assert "no fund" in str(exc), (case.id, exc)  # demo codes do not exist on the 2019 shelf
            continue
        answered += 1
        nonempty += bool(a.shortlist)
        for v in a.shortlist:
            fund = shelf_advisor.table.funds[shelf_advisor.table.row[v.code]]
            assert limit_failures(a.filters, fund) == [], (case.id, v.code)
            if a.filters.themes:
                assert theme_match(a.filters.themes, fund)
            assert all(c.catalog == "shelf" and c.as_of == fund.as_of for c in a.citations if c.code == v.code)
    assert answered >= 280 and nonempty >= 100


def test_a_limit_on_a_metric_the_shelf_lacks_is_reported_not_invented(shelf_advisor: Advisor) -> None:
    a = shelf_advisor.ask("最大回撤不超过5%的债券基金")
    assert a.shortlist == []  # the 2019 shelf has no drawdown for any fund
    assert "没有任何基金的近1年最大回撤数据" in a.answer
    ok = shelf_advisor.ask("近一年收益超过5%的债券基金", investor_grade=2)
    assert ok.shortlist and all(v.metrics["return_1y"] > 5 and v.risk_level <= 2 for v in ok.shortlist)
    assert all(v.metrics["max_drawdown_1y"] is None for v in ok.shortlist)
    assert "未知" in ok.answer  # the unknown drawdown is shown as unknown

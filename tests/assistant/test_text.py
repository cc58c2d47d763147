"""Numbers written the ways people write them in fund requests."""

from __future__ import annotations

import pytest

from assistant.text import cn_number, find_amounts, find_durations, find_percents
from assistant.text import normal as normalize


@pytest.mark.parametrize(
    "text, value",
    [("5", 5), ("3.5", 3.5), ("五", 5), ("十", 10), ("十五", 15), ("二十", 20), ("一百二十", 120), ("两百", 200),
     ("三千五", 3500), ("五千", 5000), ("一万", 10_000), ("一万二", 12_000), ("两万五千", 25_000), ("1.5万", 15_000),
     ("零点五", 0.5), ("三点二五", 3.25), ("一亿", 100_000_000), ("一千零五", 1005)],
)  # fmt: skip
def test_cn_number(text: str, value: float) -> None:
    assert cn_number(text) == pytest.approx(value)


def test_cn_number_rejects_what_is_not_a_number() -> None:
    assert cn_number("基金") is None and cn_number("") is None and cn_number("五基") is None


@pytest.mark.parametrize(
    "request_text, values",
    [("近一年收益5%以上", [5]), ("回撤不超过５％", [5]), ("收益百分之五", [5]), ("跌了五个点", [5]), ("3个点以内", [3]),
     ("费率千分之五以下", [0.5]), ("百分之零点五的费率", [0.5]), ("年化3.5%到5%", [3.5, 5])],
)  # fmt: skip
def test_find_percents(request_text: str, values: list[float]) -> None:
    assert [f.value for f in find_percents(normalize(request_text))] == pytest.approx(values)


@pytest.mark.parametrize(
    "request_text, values",
    [("我有1万块", [10_000]), ("手上五千元", [5_000]), ("3000块钱", [3_000]), ("10w", [100_000]),
     ("两万五千元", [25_000]), ("我有一万二", [12_000]), ("万家基金的产品", []), ("近一年", [])],
)  # fmt: skip
def test_find_amounts(request_text: str, values: list[float]) -> None:
    assert [f.value for f in find_amounts(normalize(request_text))] == pytest.approx(values)


@pytest.mark.parametrize(
    "request_text, days",
    [("打算拿两年", [730]), ("持有半年", [182.5]), ("三个月后要用", [90]), ("一年半", [547.5]), ("2年以上", [730])],
)
def test_find_durations(request_text: str, days: list[float]) -> None:
    assert [f.value for f in find_durations(normalize(request_text))] == pytest.approx(days)


def test_normalize_folds_full_width_and_case() -> None:
    assert normalize("ＥＴＦ　收益５％") == "etf 收益5%"

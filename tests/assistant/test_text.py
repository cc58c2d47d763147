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
    [("打算拿两年", [730]), ("持有半年", [182.5]), ("三个月后要用", [90]), ("一年半", [547.5]), ("2年以上", [730]),
     ("跑两个礼拜", [14]), ("三个星期", [21]), ("下星期一开始", [])],
)
def test_find_durations(request_text: str, days: list[float]) -> None:
    assert [f.value for f in find_durations(normalize(request_text))] == pytest.approx(days)


def test_normalize_folds_full_width_and_case() -> None:
    assert normalize("ＥＴＦ　收益５％") == "etf 收益5%"


# -- the normal form and its map back -----------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from assistant.text import Side, fold, language  # noqa: E402
from assistant.text import normalize as to_text  # noqa: E402
from tests.assistant.demo import market as demo_market  # noqa: E402

_ALPHABET = st.sampled_from(list("债基收益５％ＡＢa b\t\n,，0123456789一二三万亿 　ＱＤＩＩ回撤不超过") + ["10,000", "1,234,567"])


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_every_span_of_the_normal_form_maps_back_to_what_was_written(raw: str) -> None:
    t = to_text(raw)
    for start in range(len(t.norm)):
        for end in range(start + 1, min(len(t.norm), start + 6) + 1):
            span = t.span(start, end)
            # the words shown are what was written, and they read as what the parser read (spaces and separators aside)
            assert raw[span.start : span.end] == span.text

            def bare(s: str) -> str:
                return "".join(s.split()).replace(",", "")

            assert bare(normalize(span.text)) == bare(t.norm[start:end])


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(max_size=40))
def test_fold_never_changes_the_length(raw: str) -> None:
    assert len(fold(raw)) == len(raw)


def test_normalize_keeps_one_space_drops_thousands_separators_and_can_join_chinese() -> None:
    t = to_text(" 债基  收益 10,000 元 ")
    assert t.norm == "债基 收益 10000 元" and t.span(3, 5).text == "收益"
    j = to_text("保 本 收益", join_cjk=True)
    assert j.norm == "保本收益" and j.span(0, 2).text == "保 本"  # the words as written, spaces and all


@pytest.mark.parametrize(
    "text, values",
    [("收益一成以上", [10]), ("两成半", [25]), ("三成", [30]), ("成立三年", []), ("成长型", []), ("一成不变的收益", [10])],
)  # fmt: skip
def test_percent_in_cheng(text: str, values: list[float]) -> None:
    assert [f.value for f in find_percents(normalize(text))] == pytest.approx(values)


@pytest.mark.parametrize("text, value", [("3万8千", 38_000), ("3万8", 38_000), ("1万5千", 15_000), ("两万", 20_000)])
def test_digits_and_chinese_numerals_mixed(text: str, value: float) -> None:
    assert cn_number(text) == pytest.approx(value)
    assert [f.value for f in find_amounts(normalize(f"我有{text}元"))] == pytest.approx([value])


def test_dates_as_the_brief_reader_resolves_them() -> None:
    # The only date reader is the brief's (assistant/campaigns/_parser.py); the text layer's older one is gone.
    from datetime import date

    from assistant.campaigns import read_brief

    today, market = date(2026, 11, 29), demo_market()
    brief = read_brief("12月1日到12月5日", market, today).brief
    assert (brief.start, brief.end) == (date(2026, 12, 1), date(2026, 12, 5))
    assert read_brief("2027-01-03开始", market, today).brief.start == date(2027, 1, 3)
    assert read_brief("明天开始", market, today).brief.start == date(2026, 11, 30)


@pytest.mark.parametrize(
    "text, side",
    [("超过5%", Side("min", False)), ("不超过5%", Side("max", True)), ("不能超过5%", Side("max", True)), ("低于5%", Side("max", False)),
     ("不能低于5%", Side("min", True)), ("别少于5%", Side("min", True)), ("5%以上", Side("min", True)), ("5%以内", Side("max", True)),
     ("more than 5%", Side("min", False)), ("must not exceed 5%", Side("max", True)), ("should not be less than 5%", Side("min", True)),
     ("5% or less", Side("max", True)), ("at least 5%", Side("min", True))],
)  # fmt: skip
def test_one_comparison_mechanism_with_negated_comparatives(text: str, side: Side) -> None:
    at = text.index("5")
    found = language(None).comparator(text, at, at + 2, 0, len(text))
    assert found is not None and found[0] == side


@pytest.mark.parametrize("text, value", [("one point two", 1.2), ("zero point five", 0.5), ("three point one four", 3.14)])
def test_english_decimals_in_words(text: str, value: float) -> None:
    assert cn_number(text) == pytest.approx(value)


@pytest.mark.parametrize(("text", "values"), [("budget twenty thousand, skip", [20000.0]), ("fifty grand", [50000.0]),
                                              ("two hundred thousand yuan", [200000.0]), ("a million", [1000000.0]),
                                              ("twenty-five thousand", [25000.0]), ("twenty users", [])])  # fmt: skip
def test_find_word_amounts(text: str, values: list[float]) -> None:
    from assistant.text import find_word_amounts

    assert [f.value for f in find_word_amounts(text)] == values


@pytest.mark.parametrize(("text", "error"), [
    ("", "is empty"), ("   ", "is empty"), ("😀😀🎉", "no words"), ("？！…——", "no words"), ("推活钱盈\x07预算1万", "U\\+0007"),
    ("\x1b[31m红色\x1b[0m", "U\\+001B"), ("字" * 501, "501 characters; keep it under 500"),
])  # fmt: skip
def test_input_that_is_empty_wordless_too_long_or_holds_control_characters_gets_one_clear_error(text: str, error: str) -> None:
    from assistant.text import checked_input
    from finpilot import FinpilotError

    with pytest.raises(FinpilotError, match=error) as caught:
        checked_input(text, what="request", limit=500, empty="say what you want")
    assert "\x1b" not in str(caught.value) and "\x07" not in str(caught.value)  # never echoed raw
    assert checked_input("  稳健的债基\n费率低 ", what="request", limit=500, empty="-") == "稳健的债基\n费率低"

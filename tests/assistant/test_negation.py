"""Negation, one test per form per field family: every way of saying "not X" excludes X, and never asks for only X.

The numeric families (returns, drawdown, volatility, Sharpe, fees, size, fund age) are covered form by form in
`test_parse_properties.py::test_every_negation_form_turns_a_limit_around_for_every_numeric_field`.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.funds import FundQuery, parse_request

COMPANIES = ["丰岭基金", "山海基金", "晴川基金"]
MANAGERS = ["林晨桂", "张刚"]

# (form, where the thing goes) in Chinese and English; {x} is the word for the thing excluded.
ZH_FORMS = ["不要{x}", "别给我{x}", "排除{x}", "除了{x}以外的", "去掉{x}", "不含{x}", "{x}的不要", "{x}的都排除", "{x}除外", "不考虑{x}",
            "{x}的一律不要", "不买{x}"]  # fmt: skip
EN_FORMS = ["no {x}", "not {x}", "without {x}", "except {x}", "exclude {x}", "excluding {x}", "other than {x}", "anything but {x}",
            "avoid {x}", "{x} excluded"]  # fmt: skip

FAMILIES: list[tuple[str, str, str, str, Any]] = [
    # (family, zh word, en word, slot it must land in, value)
    ("fund type", "QDII", "QDII", "fund_types_exclude", ["qdii"]),
    ("fund type", "货币基金", "money market funds", "fund_types_exclude", ["money"]),
    ("theme", "医药", "healthcare", "themes_exclude", ["医药"]),
    ("theme", "白酒", "baijiu", "themes_exclude", ["白酒"]),
    ("share class", "C类", "C shares", "share_classes_exclude", ["C"]),
    ("share class", "A类", "class A", "share_classes_exclude", ["A"]),
    ("company", "丰岭", "Fengling", "companies_exclude", ["丰岭基金"]),
    ("company", "山海基金", "Shanhai", "companies_exclude", ["山海基金"]),
    ("manager", "林晨桂", "林晨桂", "managers_exclude", ["林晨桂"]),
]


def parsed(text: str) -> dict[str, Any]:
    p = parse_request(text, COMPANIES, MANAGERS)
    out = p.query.model_dump(exclude_defaults=True)
    if p.unparsed:
        out["unparsed"] = [u.text for u in p.unparsed]
    return out


@pytest.mark.parametrize("family, zh, en, slot, value", FAMILIES, ids=[f"{f[0]}:{f[1]}" for f in FAMILIES])
@pytest.mark.parametrize("lang, form", [("zh", f) for f in ZH_FORMS] + [("en", f) for f in EN_FORMS])
def test_every_negation_form_excludes(family: str, zh: str, en: str, slot: str, value: Any, lang: str, form: str) -> None:
    text = form.format(x=zh if lang == "zh" else en)
    got = parsed(text)
    assert got == {slot: value}, (text, got)


@pytest.mark.parametrize(
    "text, want",
    [("不要QDII和FOF", {"fund_types_exclude": ["qdii", "fof"]}), ("QDII、FOF的都不要", {"fund_types_exclude": ["qdii", "fof"]}),
     ("no bonds, QDII or FOF", {"fund_types_exclude": ["bond", "qdii", "fof"]}),
     ("不要丰岭和山海的", {"companies_exclude": ["丰岭基金", "山海基金"]}),
     ("不要丰岭的债基", {"companies_exclude": ["丰岭基金"], "fund_types": ["bond"]}),
     ("不要风险太高的债基", {"risk_max": 3, "fund_types": ["bond"]}),
     ("除了医药还想看看白酒", {"themes": ["医药", "白酒"]}),
     ("只要指数型的，不要混合", {"fund_types": ["index"], "fund_types_exclude": ["mixed"]}),
     ("exclude funds from Fengling, show solar funds", {"companies_exclude": ["丰岭基金"], "themes": ["光伏"]})],
)  # fmt: skip
def test_lists_heads_and_additions(text: str, want: dict[str, Any]) -> None:
    assert parsed(text) == want


@pytest.mark.parametrize(
    "text, want",
    [("不要高风险的", {"risk_max": 3}), ("高风险的不要", {"risk_max": 3}), ("不要R5的", {"risk_max": 4}), ("R5的统统不要", {"risk_max": 4}),
     ("no high-risk funds", {"risk_max": 3}), ("不要低风险的", {"risk_min": 3}), ("不要低风险的，我想激进点", {"risk_min": 4}), ("R1的不要", {"risk_min": 2})],
)  # fmt: skip
def test_risk_grades_and_words_negated(text: str, want: dict[str, Any]) -> None:
    got = parsed(text)
    assert {k: v for k, v in got.items() if k != "unparsed"} == want, got


def test_a_negated_middle_grade_is_asked_about_not_guessed() -> None:
    """不要R3的 is R1–R2 or R4–R5: two ranges a FundQuery cannot hold, so it is not understood, and said."""
    p = parse_request("不要R3的")
    assert p.query.risk_min is None and p.query.risk_max is None and [u.limit for u in p.unparsed] == [True]


@pytest.mark.parametrize(
    "text, want",
    [("暂停申购的不要", {"open_only": True}), ("不要暂停申购的", {"open_only": True}), ("排除不能买的", {"open_only": True}),
     ("只要能买的", {"open_only": True}), ("closed ones excluded", {"open_only": True}), ("no suspended funds", {"open_only": True}),
     ("不能定投的不要", {"dca_only": True}), ("不支持定投的排除", {"dca_only": True}), ("要能定投的", {"dca_only": True})],
)  # fmt: skip
def test_open_for_purchase_and_dca_negated(text: str, want: dict[str, Any]) -> None:
    assert parsed(text) == want


def test_wanting_what_cannot_be_bought_is_not_turned_into_its_opposite() -> None:
    p = parse_request("只要暂停申购的")
    assert not p.query.open_only and [u.limit for u in p.unparsed] == [True]


def test_not_doing_dca_is_not_a_limit_on_the_funds() -> None:
    assert parsed("我不做定投，一次性买债基") == {"fund_types": ["bond"]}


def test_double_negation_and_negated_comparatives() -> None:
    q = parse_request("回撤不能超过5%，收益不能低于3%，规模不要小于2亿，管理费别超过1%").query
    assert q.max_drawdown.max == 5 and q.returns["1y"].min == 3 and q.size.min == 2 and q.mgmt_fee.max == 1
    assert q.max_drawdown.max_inclusive and q.returns["1y"].min_inclusive and q.size.min_inclusive
    q = parse_request("drawdown must not exceed 5%, return should not be less than 3%").query
    assert q.max_drawdown == FundQuery(max_drawdown={"max": 5}).max_drawdown and q.returns["1y"].min == 3


def test_exclude_the_small_ones_then_say_how_small() -> None:
    assert parse_request("去掉小的，规模5亿以下的").query.size.min == 5
    assert parse_request("exclude the small ones, under 500 million").query.size.min == 5
    assert parse_request("规模太小的不要，至少2个亿").query.size.min == 2  # the second clause already states what is wanted

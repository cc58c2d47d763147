"""Audience conditions, family by family: each is read into the rule it means (with its words), selects exactly the
users it describes on a real user table (a direct count, not the planner's rule text), turns around when negated,
and what the tags cannot hold is asked about, never dropped."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.campaigns import Planner, read_brief
from eval._briefs import condition_holds
from tests.assistant.demo import market as demo_market

TODAY = date(2026, 11, 24)
MARKET = demo_market()

FAMILIES: dict[str, list[tuple[str, str]]] = {
    "city_tier": [("一二线城市", "city_tier in (1, 2)"), ("三四五线", "city_tier in (3, 4, 5)"), ("三线及以下城市", "city_tier >= 3"),
                  ("一线及新一线城市", "city_tier in (1, 2)"), ("tier 1-3 cities", "city_tier in (1, 2, 3)"),
                  ("tier-1 and tier-2 cities", "city_tier in (1, 2)"), ("非一线城市", "not (city_tier = 1)"),
                  ("excluding fifth-tier cities", "not (city_tier = 5)")],
    "risk_grade": [("只要C1和C2", "risk_grade in (1, 2)"), ("C3 only", "risk_grade = 3"), ("C4–C5", "risk_grade in (4, 5)"),
                   ("C2及以下", "risk_grade <= 2"), ("风险测评C3以上", "risk_grade >= 3"), ("没做过风险测评的", "risk_grade is null")],
    "age": [("25到40岁", "age between 25 and 40"), ("30岁以下", "age <= 30"), ("50岁以上", "age >= 50"), ("aged 25-34", "age between 25 and 34"),
            ("三十五岁以下", "age <= 35"), ("users over 40", "age > 40"), ("aged 30 and up", "age >= 30")],
    "aum": [("资产5万以上", "aum >= 50000"), ("AUM 1万-10万", "aum between 10000 and 100000"), ("持仓超过20万", "aum > 200000"),
            ("at least 10k AUM", "aum >= 10000"), ("AUM不低于20万", "aum >= 200000"), ("AUM还在1000以上", "aum >= 1000")],
    "sales": [("月流水10万以上的商家", "merchant_monthly_sales >= 100000"), ("merchants doing over 300k/month in sales", "merchant_monthly_sales > 300000"),
              ("merchants with 50k+ monthly sales", "merchant_monthly_sales >= 50000")],
    "holding": [("持有活钱盈的", "products_held contains 'huoqianying'"), ("从没借过速借的", "not (products_held contains 'sujie')"),
                ("速借用户", "products_held contains 'sujie'"), ("who never used Sujie", "not (products_held contains 'sujie')"),
                ("已经买了康护医疗险的", "products_held contains 'kanghu_medical'"), ("优选·进取的持仓客户", "products_held contains 'youxuan_growth'")],
    "activity": [("30天以上没登录", "days_since_login >= 30"), ("最近7天活跃", "days_since_login <= 7"), ("月活用户", "monthly_active = true"),
                 ("沉睡超过半年的", "days_since_login > 180"), ("inactive for 60+ days", "days_since_login >= 60"),
                 ("last login between 30 and 90 days ago", "days_since_login between 30 and 90")],
    "signup": [("注册30天内的", "days_since_signup <= 30")],
    "credit": [("已授信", "credit_granted = true"), ("没有授信的", "credit_granted = false")],
    "student": [("不要学生", "not (is_student = true)"), ("非学生", "is_student = false")],
    "overdue": [("排除有逾期的", "not (has_overdue = true)"), ("无逾期", "has_overdue = false"), ("逾期用户不碰", "not (has_overdue = true)")],
    "reach": [("能收短信的", "sms_reachable = true"), ("关注了公众号的", "wechat_reachable = true"), ("can receive push", "push_reachable = true"),
              ("reachable on WeChat", "wechat_reachable = true")],
    "vague": [("新客", "aum = 0"), ("老客", "aum > 0"), ("高净值", "aum >= 200000"), ("年轻人", "age between 18 and 34")],
}  # fmt: skip
CASES = [(family, words, rule) for family, items in FAMILIES.items() for words, rule in items]


@pytest.fixture(scope="module")
def planner(tmp_path_factory: pytest.TempPathFactory) -> Planner:
    import pyarrow.parquet as pq

    from assistant.campaigns._warehouse import DuckDBWarehouse
    from retrieval._demo import generate_users

    path = tmp_path_factory.mktemp("users") / "users.parquet"
    pq.write_table(generate_users(20190830, n=20_000), path)
    return Planner(MARKET, DuckDBWarehouse(path, list(MARKET.channels.values())), today=TODAY)


@pytest.mark.parametrize(("family", "words", "rule"), CASES, ids=[f"{f}:{w}" for f, w, _ in CASES])
def test_each_condition_is_read_with_its_words(family: str, words: str, rule: str) -> None:
    brief = f"推活钱盈，人群：{words}，预算5万，push" if not words.isascii() else f"Promote Huoqianying to users, {words}, budget 50k, push"
    reading = read_brief(brief, MARKET, TODAY)
    got = {c.rule: c for c in reading.brief.audience}
    assert rule in got, (brief, list(got))
    assert got[rule].said and got[rule].said.replace(" ", "").lower() in brief.replace(" ", "").lower()  # the words it came from
    assert not reading.unparsed, [u.text for u in reading.unparsed]


@pytest.mark.parametrize("family", list(FAMILIES))
def test_the_segment_holds_every_stated_condition_on_the_user_table(planner: Planner, family: str) -> None:
    words, rule = next((w, r) for w, r in FAMILIES[family] if not w.isascii())
    plan = planner.plan(f"给{words}的用户推活钱盈，预算5万，push", ask=False)
    assert plan.segment is not None and plan.segment.size > 0
    assert condition_holds(planner.warehouse, plan.segment.rule, rule)  # counted: nobody in the segment breaks it


def test_a_stated_list_of_tiers_is_one_condition_never_an_empty_segment(planner: Planner) -> None:
    plan = planner.plan("Promote Huoqianying to tier 1 and tier 2 cities, budget 50k, push")
    assert "city_tier in (1, 2)" in plan.segment.rule and plan.segment.size > 0
    plan = planner.plan("给一线城市、二线城市的用户推活钱盈，预算5万")
    assert "city_tier in (1, 2)" in plan.segment.rule and "city_tier = 1" not in plan.segment.rule


@pytest.mark.parametrize("brief", ["给一线城市的女性用户推康护，预算3万", "给喜欢旅游的年轻人推安途，预算3万", "Promote Kanghu to iOS users aged 30+, budget 30k",
                                   "给活钱盈余额1万以上的用户推优选·稳健，预算5万", "稳盈90天到期的用户引导续投，预算2万"])  # fmt: skip
def test_an_audience_the_tags_cannot_hold_is_asked_about_not_dropped(planner: Planner, brief: str) -> None:
    plan = planner.plan(brief)
    assert plan.question and plan.segment is None and plan.unparsed
    assert all(u.text in brief or u.text.replace(" ", "") in brief.replace(" ", "") for u in plan.unparsed)
    anyway = planner.plan(brief, ask=False)
    assert anyway.segment is not None and any("not understood" in n.en and "没看懂" in n.zh for n in anyway.notes)


@pytest.mark.parametrize("brief", ["给一二线用户推安途意外险，已经买过的就别推了，预算5万", "Promote Shouhu to users aged 40+, excluding anyone who already holds it, budget 50k"])
def test_holding_it_means_the_product_the_brief_promotes(brief: str) -> None:
    reading = read_brief(brief, MARKET, TODAY)
    (pid,) = reading.brief.products
    assert f"not (products_held contains '{pid}')" in [c.rule for c in reading.brief.audience]


def test_a_hurried_refusal_of_a_channel_excludes_it() -> None:
    reading = read_brief("别给我发短信啊，给三十五岁以下、资产五万往上的老客推稳盈，预算两万", MARKET, TODAY)
    assert reading.brief.channels_excluded == ["sms"] and "sms" not in reading.brief.channels
    assert {"age <= 35", "aum >= 50000"} <= {c.rule for c in reading.brief.audience}


@pytest.mark.parametrize(("brief", "negated"), [
    ("Promote Sujie to users with a credit line; exclude anyone currently overdue, and students. Budget 50k.", {"has_overdue", "is_student"}),
    ("速借促提款：已授信，排除有逾期的，以及学生，预算5万", {"has_overdue", "is_student"}),
    ("医疗险拉新，人群：25-45岁，C1和没做过测评的不要，预算3万", {"risk_grade"}),
])  # fmt: skip
def test_an_exclusion_carries_over_a_list_continued_after_a_comma(brief: str, negated: set[str]) -> None:
    rules = [c.rule for c in read_brief(brief, MARKET, TODAY).brief.audience]
    for field in negated:
        assert any(r.startswith("not (") and field in r for r in rules), (field, rules)
    assert not any(r.startswith(("is_student = true", "has_overdue = true", "risk_grade = 1", "risk_grade is null")) for r in rules), rules


def test_a_condition_after_an_exclusion_in_its_own_clause_is_not_turned_around() -> None:
    rules = [c.rule for c in read_brief("排除有逾期的，学生也可以，预算5万推速借", MARKET, TODAY).brief.audience]
    assert "not (has_overdue = true)" in rules and "is_student = true" in rules

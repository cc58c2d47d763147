"""Brief slots read the way marketers state them: experiments (arms by anaphora, quoted offers and slogans, labelled
copy variants, hold-outs without a size), dates (a written-out range over a festival's window, a whole month), budgets
and targets as bare numbers, offers ruled out or named by their everyday words, channels refused politely, goals
implied by the brief's shape, and edits that name a channel by its kind."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.campaigns import Planner, read_brief
from retrieval import generate_demo
from tests.assistant.demo import market as demo_market

TODAY = date(2026, 11, 24)
MARKET = demo_market()


def read(text: str) -> dict:
    return read_brief(text, MARKET, TODAY).brief.model_dump(mode="json")


def arms(text: str) -> list[dict]:
    return [{k: v for k, v in a.items() if k in ("offer", "copy_variant") and v} for a in read(text)["arms"]]


@pytest.mark.parametrize("text", ["A/B on Sujie: arm A gets the 7-day interest-free coupon, arm B the 30-day one; budget 50k.",
                                  "A/B on Sujie: arm A gets a 7-day interest-free coupon, arm B a 30-day one. Budget 50k."])  # fmt: skip
def test_an_arm_stated_as_the_other_one_takes_the_kind_the_arm_before_named(text: str) -> None:
    assert arms(text) == [{"offer": "interest_free_7d"}, {"offer": "interest_free_30d"}]


def test_quoted_offers_compared_are_offer_arms_and_quoted_slogans_copy_arms() -> None:
    assert arms("A/B：康护医疗险，对比「医疗险首月1元」和「10元话费」哪个转化更好，预算10万") == [{"offer": "insurance_first_month"}, {"offer": "gift_phone_10"}]
    assert arms("测两版文案推稳盈90天：A「年末稳稳的幸福」 vs B「90天，年化看得见」，预算3万") == [{"copy_variant": "年末稳稳的幸福"}, {"copy_variant": "90天，年化看得见"}]
    # the copy as written, case kept: it is what the copywriter sends
    assert arms('Copy test for Dingdandai: v1 "Get paid faster" vs v2 "Cash in 1 hour". Budget 20k.') == [{"copy_variant": "Get paid faster"}, {"copy_variant": "Cash in 1 hour"}]


def test_an_mde_in_points_said_as_detected_to_is_the_mde_not_a_target() -> None:
    got = read("A/B 测试：目前转化率约4%，想检测到0.8个百分点的提升，预算3万推稳盈90天")
    assert got["mde"] == pytest.approx(0.008) and got["mde_absolute"] and got["baseline_rate"] == pytest.approx(0.04)
    assert not got["kpis"]


def test_a_hold_out_asked_for_without_a_size_is_kept_with_the_usual_share() -> None:
    got = read("A/B：当前转化率1.2%，检测出相对提升15%，另留一个不触达的空白对照组，预算10万推康护")
    assert got["holdout_share"] == pytest.approx(0.1) and got["experiment"]


def test_a_written_out_range_wins_over_a_festivals_window() -> None:
    got = read("元旦前后做一次纯内容触达，12月28号到1月3号，预算50万推安存")
    assert (got["start"], got["end"]) == ("2026-12-28", "2027-01-03")
    assert (read("双十二前后推活钱盈，预算5万")["start"], read("双十二前后推活钱盈，预算5万")["end"]) == ("2026-12-09", "2026-12-15")


def test_a_whole_month_said_as_one_whole_month_is_that_month() -> None:
    got = read("12月一整月推债券基金，预算5万")
    assert (got["start"], got["end"]) == ("2026-12-01", "2026-12-31")
    assert read("12月一号到15号推活钱盈，预算5万")["end"] == "2026-12-15"  # 一号 is still a day


@pytest.mark.parametrize(("text", "cap"), [("Promote Huoqianying, budget 120,000", 120000), ("推活钱盈，预算 50000，目标 3000 人", 50000)])
def test_a_bare_number_after_the_budget_word_is_the_budget(text: str, cap: float) -> None:
    assert read(text)["budget_cap"] == cap


@pytest.mark.parametrize(("text", "value"), [("Merchant Bank Loan push. Goal: 200 new borrowers. Budget 60k.", 200),
                                             ("Suixinfen activation. KPI: 2,000 new activations. Budget 120k.", 2000),
                                             ("Win back Sujie borrowers, budget 90k. Target 800 re-borrowers.", 800)])  # fmt: skip
def test_a_count_of_people_named_by_what_they_do_is_a_conversion_target(text: str, value: float) -> None:
    assert {"metric": "conversions", "value": value} in read(text)["kpis"]


def test_offers_ruled_out_or_named_by_everyday_words() -> None:
    assert read("推颐年养老FOF，加息券基金用不了，就用定投前3期免申购费，预算12万")["offers"] == ["dca_fee_free_3"]
    assert read("推优选·均衡，权益申购费全免，预算50万")["offers"] == ["fee_free"]
    assert read("Promote Wenying 90-day. Offer: the ¥10 off ¥1,000 coupon. Budget 30k.")["offers"] == ["coupon_1000_10"]
    assert read("Shangjiadai push, switch the offer to the merchant 10% rate discount, budget 50k")["offers"] == ["merchant_rate_9zhe"]


def test_channels_refused_politely_and_named_by_the_page_they_sit_on() -> None:
    got = read("推安享养老理财，企业微信顾问一对一、人工外呼；请勿使用弹窗及开屏。预算40万")
    assert got["channels"] == ["wechat_work", "outbound_call"] and got["channels_excluded"] == ["popup", "splash_screen"]
    assert read("Copy test for Dingdandai on the repay-success banner, budget 20k")["channels"] == ["repay_banner"]
    got = read("Promote Wenying 365 to clients reachable on WeChat. WeCom advisors only. Budget 90k.")
    assert got["channels"] == ["wechat_work"] and "wechat_reachable = true" in [c["rule"] for c in got["audience"]]


def test_holders_of_one_product_offered_another_is_a_cross_sell() -> None:
    assert read("守护重疾险年底冲一下，拉一拉35-55岁、已经买了康护医疗险的人，预算十万")["goal"] == "cross_sell"
    assert read("给持有稳盈的用户推稳盈365天，预算5万")["goal"] is None  # the same product line: no cross-sell by shape


@pytest.fixture(scope="module")
def planner(tmp_path_factory: pytest.TempPathFactory) -> Planner:
    import pyarrow.parquet as pq

    from assistant.campaigns._warehouse import DuckDBWarehouse
    from retrieval._demo import generate_users

    path = tmp_path_factory.mktemp("users") / "users.parquet"
    pq.write_table(generate_users(20190830, n=5_000), path)
    return Planner(MARKET, DuckDBWarehouse(path, list(MARKET.channels.values())), today=TODAY)


def test_an_edit_naming_a_channel_by_its_kind_removes_the_plans_channel_of_that_kind(planner: Planner) -> None:
    base = planner.plan("Run a Zhouzhouying retention campaign for holders aged 25-45, Dec 7 to Dec 27, budget 80k, service account + wealth banner", ask=False)
    edited = planner.edit(base, "Pull it forward a week and drop the banner.")
    assert [c.name for c in edited.channels] == ["wechat_service"] and edited.schedule.start == date(2026, 11, 30)
    assert "wealth_banner" in edited.brief.channels_excluded and "home_banner" not in edited.brief.channels_excluded
    calls = planner.edit(planner.plan("速借促提款：已授信、25-45岁，12/7-12/20，预算10万，短信+人工外呼", ask=False), "不要外呼了，改成企微")
    assert {"outbound_call", "ai_call"} <= set(calls.brief.channels_excluded)  # no calls of either kind, never one mapped onto the other


def test_an_edit_that_bumps_the_budget_by_a_percentage_or_drops_the_incentive(planner: Planner) -> None:
    base = planner.plan("Push + SMS campaign for Huoqianying to new users in tier 1-3 cities, Dec 2 to Dec 15, budget 50k, 5.20 check-in bonus", ask=False)
    assert planner.edit(base, "Swap SMS for in-app messages and bump the budget by 20%.").brief.budget_cap == 60000
    dropped = planner.edit(base, "Drop the incentive.")
    assert dropped.brief.no_offer and not dropped.brief.offers and dropped.offer is None


@pytest.mark.parametrize(("text", "start", "end"), [("Promote Kanghu, budget 50k, next Monday through Sunday.", "2026-11-30", "2026-12-06"),
                                                    ("12.12当天一天的闪促：优选·进取，预算五万", "2026-12-12", "2026-12-12"),
                                                    ("这周六日两天搞个活钱盈签到，预算1.5w以内", "2026-11-28", "2026-11-29"),
                                                    ("周四当天发一波颐年养老FOF的push，给55岁以上的老客，预算2万", "2026-11-26", "2026-11-26"),
                                                    ("Youxuan Growth to C4–C5 only. Push, all of next week (Mon–Sun). 80k budget.", "2026-11-30", "2026-12-06"),
                                                    ("Quick one: SMS blast for Antu to users aged 50+. No coupons. Budget 40k. Run it next week.", "2026-11-30", "2026-12-06"),
                                                    ("Tier 1 only, C4-C5, AUM 1M+. Youxuan Growth. WeCom advisors, no SMS. Dec.", "2026-12-01", "2026-12-31"),
                                                    ("给持有重疾险的客户推悦享年金险，资产30万以上，企微+人工外呼，预算5万，12月份做完。", "2026-12-01", "2026-12-31"),
                                                    ("商家备货季\n四、时间：双十二前后\n五、渠道：短信\n预算30万", "2026-12-09", "2026-12-15"),
                                                    ("Window: Double 12 +/- 3 days. Budget 200k.", "2026-12-09", "2026-12-15"),
                                                    ("金积存 campaign around 双十二 (3 days either side), budget 50k", "2026-12-09", "2026-12-15"),
                                                    ("速借｜时间：本周四～12.6｜预算：60w", "2026-11-26", "2026-12-06"),
                                                    ("即日起到11月30日，企微联系持有稳盈90天的客户，预算5万", "2026-11-24", "2026-11-30"),
                                                    ("随心分 1.5w预算 周五到下周日", "2026-11-27", "2026-12-06")])  # fmt: skip
def test_dates_as_marketers_write_them(text: str, start: str, end: str) -> None:
    got = read(text)
    assert (got["start"], got["end"]) == (start, end)


def test_money_as_written_in_english_and_a_budget_never_taken_from_the_item_before() -> None:
    got = read("Campaign brief / KPIs: 800 purchases; cost per acquisition no more than 150 RMB. / Budget: 120k RMB.")
    assert got["budget_cap"] == 120000 and {"metric": "cost_per_conversion", "value": 150} in got["kpis"] and got["goal"] is None
    assert read("Drive Sujie drawdowns, Dec 1–Dec 31. Budget RMB 1.2M.")["budget_cap"] == 1_200_000
    rules = [c["rule"] for c in read("Promote Ancun to investors holding at least 50,000 yuan on the platform, budget 60k")["audience"]]
    assert "aum >= 50000" in rules


def test_a_control_group_among_the_arms_is_the_hold_out_not_an_arm() -> None:
    got = read("速借提款权益测试：已授信未提款的用户随机分三组，A组送10元话费，B组送视频会员月卡，C组对照不发。预算5万")
    assert [a["offer"] for a in got["arms"]] == ["gift_phone_10", "gift_video_vip"] and got["holdout_share"] == pytest.approx(1 / 3, abs=1e-3)


@pytest.mark.parametrize(("text", "rule"), [("给县城和四线城市的人推速借，预算5万", "city_tier in (4, 5)"), ("授信后还没借过的用户推速借，全国除一线，预算5万", "not (city_tier = 1)"),
                                            ("Promote Anxiang to customers living outside tier-1 cities, budget 50k", "not (city_tier = 1)"),
                                            ("Promote Sujie, credit granted but never drawn, budget 30k", "credit_granted = true"),
                                            ("推随心分，不满40岁、二三线，预算5万", "age < 40")])  # fmt: skip
def test_tier_lists_with_everyday_names_exclusions_by_place_and_credit_never_drawn(text: str, rule: str) -> None:
    rules = [c["rule"] for c in read(text)["audience"]]
    assert any(r == rule or r.startswith(rule + " and") for r in rules), rules


def test_the_head_noun_of_an_excluded_group_is_not_itself_excluded() -> None:
    rules = [c["rule"] for c in read("备货贷：商户（月流水5万—50万），排除已在用备货贷的商户及当前逾期商户，预算20万")["audience"]]
    assert "not (is_merchant = true)" not in rules and "not (has_overdue = true)" in rules and "not (products_held contains 'beihuodai')" in rules
    reading = read_brief("给学生以外的年轻人推随心分，预算10万", MARKET, TODAY)
    assert "not (is_student = true)" in [c.rule for c in reading.brief.audience] and not reading.unparsed


def test_a_sign_up_window_is_never_narrowed_by_the_goals_recency_window(planner: Planner) -> None:
    plan = planner.plan("新客激活：注册7天内、还没有任何资产的，首页banner+开屏，本周四开始，持续到月底，预算5万", ask=False)
    assert "days_since_signup <= 7" in plan.segment.rule and "days_since_login" not in plan.segment.rule


@pytest.mark.parametrize(("text", "negated", "kept"), [
    ("商家贷 月流水10万以上的商家 三线及以下城市 有逾期的不要 首借送50块红包 企微+外呼 预算50W", "has_overdue", "city_tier >= 3"),
    ("周周盈 给新客 就注册30天内的 18-30岁 学生别推 下周三上线 跑一周 push就行", "is_student", "days_since_signup <= 30"),
    ("订单贷\n• 客群：已授信的商家，月流水不低于20万\n• 排除：当前有逾期的\n• 预算：60万", "has_overdue", "credit_granted = true"),
    ("速借 只要已授信的 年龄22~55 学生、有逾期的、近7天刚借过的都排除\n短信 AI外呼\n1.5w预算", "is_student", "credit_granted = true"),
    ("Promote Suixinfen. Exclude anyone currently overdue and anyone under 22. Budget 50,000.", "age", "not (has_overdue = true)"),
    ("速借 只要已授信的 年龄22~55 学生、有逾期的都排除 / 短信 AI外呼 / 1.5w预算", "is_student", "age between 22 and 55"),
    ("安享养老理财给 40 岁以上的活钱盈用户，只要 C2 及以上（C1 不推），预算 45 万", "risk_grade = 1", "risk_grade >= 2"),
])  # fmt: skip
def test_fragments_typed_in_a_hurry_keep_their_own_negations(text: str, negated: str, kept: str) -> None:
    rules = [c["rule"] for c in read(text)["audience"]]
    assert any(r.startswith("not (") and negated in r for r in rules) and kept in rules, rules


def test_channels_in_run_on_chat_keep_to_their_own_negators() -> None:
    got = read("搞一波稳盈180天的复购渠道的话企微顾问去跟一下再加服务号消息不要发短信了上次投诉太多预算十五万")
    assert got["channels"] == ["wechat_work", "wechat_service"] and got["channels_excluded"] == ["sms"]
    assert read("悦享年金险 渠道只能企微顾问 不准发短信和push 预算80万元")["channels_excluded"] == ["sms", "app_push"]
    got = read("随心分 push 站内信 不发任何权益 预算5万")
    assert got["channels"] == ["app_push", "in_app_message"] and got["no_offer"]


def test_a_weekday_in_next_week_and_a_figure_after_a_range_word() -> None:
    assert read("Quick one - Wednesday next week, push nudge for Youxuan Steady, cap 30k")["start"] == "2026-12-02"
    assert read("授信目标提到 1.5 万")["start"] is None  # 提到 1.5 is a figure, not a date after a range joiner


def test_holdouts_said_as_the_rest_and_mdes_said_in_words() -> None:
    got = read("指数基金定投 老客召回 做个holdout：90%的人发定投首期红包8.88 剩下10%不发当对照 预算10万以内")
    assert got["holdout_share"] == pytest.approx(0.1)
    assert read("A组发15.14元红包 B组发19.88元红包 另留5%对照组啥都不发，预算3万")["holdout_share"] == pytest.approx(0.05)
    got = read("稳盈90天文案测试 现在点击率大概百分之三希望能检测出相对百分之十五的提升 预算两万")
    assert got["mde"] == pytest.approx(0.15) and not got["mde_absolute"]


def test_products_a_move_starts_from_are_not_promoted_and_risk_types_defer_to_stated_grades() -> None:
    assert read("【目标】活钱盈 → 稳盈365天 转化，预算40万")["products"] == ["wenying_365d"]
    assert read("稳盈365 老客加息 C2+ 企微 预算5万")["products"] == ["wenying_365d"]
    assert [c["rule"] for c in read("给稳健型客户（风险等级C2及以下）推安途意外险，预算5万")["audience"]] == ["risk_grade <= 2"]
    assert [c["rule"] for c in read("给保守型客户推安存，预算5万")["audience"]] == ["risk_grade = 1"]


def test_the_goal_named_first_is_the_ask() -> None:
    assert read("Q4 retention ask: re-engage Youxuan Steady holders, budget 120k")["goal"] == "retain"
    assert read("召回沉睡用户，提升留存，预算5万推活钱盈")["goal"] == "win_back"


def test_an_edit_naming_the_new_offer_by_its_figure_keeps_its_kind(planner: Planner) -> None:
    base = planner.plan("速借 已授信未提款 22-40岁 排除学生 短信 AI外呼 12月8号-12月21号 预算20w 7天免息券", ask=False)
    edited = planner.edit(base, "免息券换成30天的那种 另外预算加20%")
    assert edited.offer is not None and edited.offer.offer_id == "interest_free_30d" and edited.brief.budget_cap == 240000


def test_latin_product_names_are_whole_words_and_a_series_is_its_members() -> None:
    assert read("Golden Year-End campaign for Jin Jicun: convert risk-tolerant users, C3 and above, budget 80k")["products"] == ["jin_jicun"]
    assert read("Acquisition drive for the 优选 fund range (let the planner pick the mix), budget 200k")["products"] == [
        "youxuan_steady", "youxuan_balanced", "youxuan_growth"]  # fmt: skip


def test_the_general_name_of_an_offer_followed_by_which_one_is_that_one() -> None:
    assert read("Jin Jicun push. Offer: the lucky draw for 1 gram of gold. Budget 80k")["offers"] == ["lottery_gold"]


def test_a_control_group_getting_nothing_is_no_refusal_of_the_campaigns_offers() -> None:
    got = read("悦享年金险实验：实验组A：10元话费；实验组B：500积分；对照：不发权益（holdout 10%）。预算5万")
    assert not got["no_offer"] and [a["offer"] for a in got["arms"]] == ["gift_phone_10", "points_500"] and got["holdout_share"] == 0.1


def test_a_product_the_audience_holds_is_not_also_promoted() -> None:
    got = read("【稳盈续投季】年底有一大批稳盈90天集中到期，想引导到期资金续投稳盈180天。对象：持有稳盈90天、AUM 5万以上的客户，预算8万")
    assert got["products"] == ["wenying_180d"] and "products_held contains 'wenying_90d'" in [c["rule"] for c in got["audience"]]


def test_headings_that_refuse_channels_and_a_buying_habit_no_tag_records() -> None:
    got = read("装修分期\n• 禁止渠道：短信、弹窗\n• 权益：分期前3期免息\n• 预算20万")
    assert got["channels_excluded"] == ["sms", "popup"] and not got["channels"]
    reading = read_brief("拉一拉已持有优选组合、但还没开定投的用户，预算5万", MARKET, TODAY)
    assert [u.text for u in reading.unparsed if u.asks] == ["还没开定投"] and reading.question


def test_today_as_the_occasion_is_not_the_start(planner: Planner) -> None:
    planner.today = date(2026, 12, 25)
    try:
        got = read_brief("今天圣诞，下周一开始推优选·稳健定投，为期两周，预算3万", MARKET, date(2026, 12, 25)).brief
        assert got.start == date(2026, 12, 28) and got.duration_days == 14
    finally:
        planner.today = TODAY


def test_an_edit_moving_the_whole_thing_back(planner: Planner) -> None:
    base = planner.plan("Push Wenying 365 to tier-1 users with AUM over 100k. SMS + push, Dec 1–Dec 15, budget 50k.", ask=False)
    moved = planner.edit(base, "Move the whole thing back a week, and swap SMS for the WeChat service account.")
    assert (moved.schedule.start, moved.schedule.end) == (date(2026, 12, 8), date(2026, 12, 22))


def test_arms_named_by_letter_or_by_number_word_and_mdes_in_tenths() -> None:
    got = read("随心分首用实验，分三组：A发7天免息券 / B发借款利率8折券 / C送500积分。当前首用率约5%，希望相对提升两成。预算6万")
    assert [a["offer"] for a in got["arms"]] == ["interest_free_7d", "rate_8zhe", "points_500"]
    assert got["mde"] == pytest.approx(0.2) and not got["mde_absolute"]
    assert arms("文案 A/B：稳盈180天，文案一「比活期多赚一点」，文案二「半年锁定，安心收益」，预算3万") == [
        {"copy_variant": "比活期多赚一点"}, {"copy_variant": "半年锁定，安心收益"}]  # fmt: skip
    got = read("定投促活实验：随机留5%不触达做对照，目前约6%，希望能检出1个百分点的绝对提升，预算12万")
    assert got["mde"] == pytest.approx(0.01) and got["mde_absolute"] and got["holdout_share"] == pytest.approx(0.05)
    assert read("A股行情好，给C4用户推优选·进取，预算5万")["arms"] == []  # a letter before 股 outside a test is no arm


def test_english_targets_a_budget_beside_a_target_and_a_cost_per_policy() -> None:
    got = read("Retention: Wenying 90-day holders, tier 1-3. +0.5% yield coupon. 120k RMB, Dec 1 – Dec 31, target 80M RMB retained AUM.")
    assert got["budget_cap"] == 120000 and {"metric": "aum", "value": 80_000_000} in got["kpis"] and got["offers"] == ["yield_boost_05"]
    got = read("Cross-sell Kanghu to Sujie borrowers. Use the 1-yuan first-month offer. Budget 90k. Target 1,500 policies at no more than 60 yuan each.")
    assert {"metric": "cost_per_conversion", "value": 60} in got["kpis"] and got["offers"] == ["insurance_first_month"]


def test_dormant_holders_offered_another_product_are_a_win_back() -> None:
    assert read("Dormant wealth users — no login for 90+ days — who still hold Wenying 180-day: let's win them back. Promote Huoqianying, budget 40k")["goal"] == "win_back"


def test_words_that_only_gesture_at_recency_defer_to_a_stated_window() -> None:
    rules = [c["rule"] for c in read("唤醒一下不怎么来的老客：超过60天没登录、AUM还有5000以上，推活钱盈，预算4万")["audience"]]
    assert "days_since_login > 60" in rules and "days_since_login > 30" not in rules
    assert "days_since_login > 30" in [c["rule"] for c in read("给不怎么来的老客推活钱盈，预算4万")["audience"]]


@pytest.mark.parametrize(("text", "rule"), [
    ("Cross-sell Kanghu to Sujie borrowers, no one with an overdue loan, budget 80k", "not (has_overdue = true)"),
    ("Sujie win-back: credit line granted, no overdue. Budget 60k.", "credit_granted = true"),
    ("Youxuan Growth to C4–C5 only, 35 and under. Budget 80k.", "age <= 35"),
    ("Promote Yinian to target users 45-60, risk C3 or higher, budget 70k", "age between 45 and 60"),
    ("年金险悦享，目标高净值、非一线城市的客户，预算80万", "aum >= 200000"),
    ("推稳盈90天给半年多没打开过App、但账户里还有钱的老用户，预算10万", "days_since_login > 180"),
    ("Kanghu for users aged 30-45 who hold no insurance yet, budget 80k", "not (products_held contains 'antu_accident' or products_held contains 'kanghu_medical' or products_held contains 'shouhu_critical_illness' or products_held contains 'yuexiang_annuity')"),
])  # fmt: skip
def test_audience_phrasings_in_more_ways(text: str, rule: str) -> None:
    assert rule in [c["rule"] for c in read(text)["audience"]]


def test_a_series_named_with_its_family_word_is_the_series() -> None:
    reading = read_brief("康护交叉销售：已持有任一稳盈定期产品的用户，年龄30-55岁，预算15万", MARKET, TODAY)
    rules = [c.rule for c in reading.brief.audience]
    assert "((products_held contains 'wenying_90d' or products_held contains 'wenying_180d' or products_held contains 'wenying_365d'))" in rules
    assert not reading.unparsed


def test_copy_versions_and_cells_said_without_letters() -> None:
    assert arms("稳盈180天文案A/B：一版强调“到期自动续，收益不断档”，一版强调“年化比活期高”，预算2万") == [
        {"copy_variant": "到期自动续，收益不断档"}, {"copy_variant": "年化比活期高"}]  # fmt: skip
    assert arms("DCA test: split users into two cells — one gets 5 off 100 on the plan, the other gets the first three debits fee-free. Budget 50k") == [
        {"offer": "coupon_dca_5"}, {"offer": "dca_fee_free_3"}]  # fmt: skip


def test_a_month_said_with_a_maturity_is_not_the_campaign_window() -> None:
    got = read("稳盈90天到期续投：持有稳盈90天、12月内到期的客户 / 时间：12月1日-12月14日 / 预算：8万")
    assert (got["start"], got["end"]) == ("2026-12-01", "2026-12-14")


def test_lists_of_products_across_commas_and_products_in_quotes_are_held() -> None:
    rules = [c["rule"] for c in read("商家贷 push: merchants who have never used 商家贷, 订单贷 or 备货贷. Budget 350k.")["audience"]]
    assert any(r.startswith("not (") and all(f"'{p}'" in r for p in ("shangjiadai", "dingdandai", "beihuodai")) for r in rules), rules
    got = read("稳盈180天 到期续投：持有「稳盈」90天产品且AUM 5万以上的客户，预算12万")
    assert got["products"] == ["wenying_180d"] and "products_held contains 'wenying_90d'" in [c["rule"] for c in got["audience"]]


def test_besides_is_not_except_and_unrated_users_are_a_grade_left_empty() -> None:
    rules = [c["rule"] for c in read("召回沉睡用户买周周盈。人群除了沉睡，再加上C2以上、关注了公众号的，预算二十四万")["audience"]]
    assert "days_since_login > 90" in rules and "not (days_since_login > 90)" not in rules
    rules = [c["rule"] for c in read("Zhouzhouying test: monthly actives, excluding C1 and unrated users, budget 100k")["audience"]]
    assert "not (risk_grade = 1)" in rules and "not (risk_grade is null)" in rules


def test_call_channels_qualified_in_brackets_and_both_kinds_at_once() -> None:
    assert read("商户银行贷：企微+外呼（智能语音就行），预算18万")["channels"] == ["wechat_work", "ai_call"]
    assert set(read("经营贷 外呼AI+人工都上 预算二十五万")["channels"]) == {"ai_call", "outbound_call"}


def test_english_weekday_ranges_and_abbreviations_and_a_cash_arm_pair() -> None:
    got = read("Next Monday to Friday, send push notifications about Suixinfen. Budget 30k.")
    assert (got["start"], got["end"]) == ("2026-11-30", "2026-12-04")
    assert read("Fri start, C5 clients only, promote Youxuan Growth via app push, 10 days, 20k budget.")["start"] == "2026-11-27"
    assert arms("A/B test two cash bonuses for Youxuan Balanced: ¥15.14 vs ¥19.88. Budget 150k.") == [{"offer": "cash_1514"}, {"offer": "cash_1988"}]


def test_an_edit_that_moves_the_start_and_keeps_the_end(planner: Planner) -> None:
    base = planner.plan("商家贷年末冲量：月流水20万以上的商家，排除有逾期，外呼+短信，12月14日开始，为期三周，预算30万", ask=False)
    edited = planner.edit(base, "提前一周开始，结束日期不变，预算减5万")
    assert (edited.schedule.start, edited.schedule.end, edited.schedule.days) == (date(2026, 12, 7), date(2027, 1, 3), 28)
    assert edited.brief.budget_cap == 250000


def test_replacements_in_one_edit_each_keep_to_their_own_clause(planner: Planner) -> None:
    base = planner.plan("下周三开始两周，给新客推稳盈90天，理财新客红包15.14元，短信+服务号，预算8万。", ask=False)
    edited = planner.edit(base, "红包换成19.88的，短信换成push。")
    assert {c.name for c in edited.channels} == {"app_push", "wechat_service"}


def test_a_grade_cap_in_an_edit_narrows_the_audience_and_is_not_refused(planner: Planner) -> None:
    base = planner.plan("优选·均衡：C3-C5、持有活钱盈的用户，理财频道banner+push+短信，下周三开始跑10天，幸运抽奖，预算12万", ask=False)
    edited = planner.edit(base, "提前一周上，风险等级上限改成C4")
    assert not edited.refused and "risk_grade in (3, 4)" in edited.segment.rule and edited.schedule.start == date(2026, 11, 25)
    from assistant.safety._refuse import check_request

    assert check_request("把客户的风险等级改成C4") is not None  # changing a customer's grade is still refused


def test_a_week_of_a_month_a_login_range_and_the_control_groups_channels() -> None:
    got = read("年底做一波召回：近30到90天没登录过的用户，留5%空白对照组。12月第二周的周一开始，跑三周，预算25万。")
    assert (got["start"], got["duration_days"]) == ("2026-12-07", 21)
    assert "days_since_login between 30 and 90" in [c["rule"] for c in got["audience"]]
    got = read("实验组发８．８８元定投首期红包；对照组既不发红包也不推送，作为holdout。渠道用push和站内信。预算5万")
    assert got["channels"] == ["app_push", "in_app_message"] and got["offers"] == ["cash_888"] and got["holdout_share"] == 0.1


def test_robot_calls_only_and_who_wrote_the_brief_is_not_who_is_targeted() -> None:
    got = read("速借召回：外呼只用智能语音，别上人工。预算3万")
    assert got["channels"] == ["ai_call"] and got["channels_excluded"] == ["outbound_call"]
    assert not read_brief("我们华东分部这个季度理财规模掉得比较厉害。下周一起给二线城市的老客户推优选·均衡，预算二十万", MARKET, TODAY).unparsed
    assert read_brief("Promote Sujie to users in South China, budget 80k", MARKET, TODAY).question  # where users are: asked about


def test_dates_said_about_the_writing_or_the_festival_are_not_the_campaigns() -> None:
    got = read_brief("（周日加班写的）下周一开始，优选·进取给C4、C5的用户推一下，跑5天，预算5万", MARKET, date(2026, 11, 29)).brief
    assert (got.start, got.duration_days) == (date(2026, 11, 30), 5)
    got = read("明年春节是2月6号，想在春节前一周推稳盈365天，预算30万")
    assert (got["start"], got["end"]) == ("2027-01-30", "2027-02-05")
    got = read("养老理财推广，时间从元旦到1月15号，预算8万")
    assert (got["start"], got["end"]) == ("2027-01-01", "2027-01-15")
    got = read("意外险交叉销售，给持有随心分的用户推安途，预算 8 万，圣诞到元旦。")
    assert (got["start"], got["end"]) == ("2026-12-25", "2027-01-01")


def test_leaving_out_users_by_their_risk_questionnaire_is_not_hiding_risk() -> None:
    from assistant.safety._refuse import check_request

    assert check_request("Promote Anxiang to people aged 55+, and please leave out anyone who never did the risk questionnaire.") is None
    assert check_request("leave out the risk warning from the SMS") is not None


def test_holding_a_product_beside_an_asset_floor_and_credit_said_by_its_product() -> None:
    rules = [c["rule"] for c in read("Kick off Friday: push Zhouzhouying to MAU users holding Huoqianying with over 20k AUM, budget 15k")["audience"]]
    assert "products_held contains 'huoqianying'" in rules and "aum > 20000" in rules
    got = read("30天以上没登录、有速借额度的用户，做一次唤醒：短信发签到红包5.2元，外呼就别搞了成本太高。预算2万")
    assert "credit_granted = true" in [c["rule"] for c in got["audience"]] and {"outbound_call", "ai_call"} <= set(got["channels_excluded"])
    rules = [c["rule"] for c in read("Q4 reactivation: users inactive for more than 30 days but less than 180 days. Budget 70k")["audience"]]
    assert rules == ["days_since_login > 30 and days_since_login < 180"]


def test_a_length_said_as_an_adjective_and_a_hands_off_exclusion() -> None:
    got = read("Starting Friday: 10-day index fund DCA push for users under 30, risk C3+. Don't touch students. Budget 30k")
    assert got["duration_days"] == 10 and "not (is_student = true)" in [c["rule"] for c in got["audience"]]
    assert read("Promote Sujie with the 7-day interest-free coupon, budget 30k")["duration_days"] is None  # an offer's term


def test_done_within_a_month_is_a_deadline_and_done_in_that_month_is_the_month() -> None:
    got = read("优选进取留存，C4客户，企微顾问陪伴，不发任何补贴，预算 3 万，12 月内完成。")
    assert got["start"] is None and got["end"] == "2026-12-31"
    got = read("推悦享年金险，企微+人工外呼，预算5万，12月份做完。")
    assert (got["start"], got["end"]) == ("2026-12-01", "2026-12-31")


def test_english_negated_credit_and_a_line_never_drawn_on() -> None:
    rules = [c["rule"] for c in read("One WeChat message to merchants who don't have a credit line yet, pitching 商家贷")["audience"]]
    assert "credit_granted = false" in rules and "credit_granted = true" not in rules
    rules = [c["rule"] for c in read("随心分 activation for users who have a credit line but never drew on it. Budget 100k.")["audience"]]
    assert any(r.startswith("credit_granted = true and not (products_held contains 'suixinfen')") for r in rules)
    assert "products_held contains 'shangjiadai'" in [c["rule"] for c in read("订单贷 for merchants who already use 商家贷. Budget 80k.")["audience"]]


def test_a_quoted_offer_holds_its_comma_and_a_product_inside_an_offers_name_is_not_sold() -> None:
    got = read("A/B test: arm A gets the 'spend 100, get 5 off' DCA coupon, arm B gets the 8.88 yuan first-period red packet.")
    assert [a["offer"] for a in got["arms"]] == ["coupon_dca_5", "cash_888"]
    assert read("备货贷测利率券：A组发借款利率8折券，B组发商家贷利率9折，留一组对照不发。")["products"] == ["beihuodai"]
    assert read("商家贷利率9折券，推给商家")["products"] == ["shangjiadai"]  # the only product named is the one sold


def test_a_date_that_says_when_holdings_mature_is_not_the_campaigns() -> None:
    got = read_brief("稳盈365天续投提醒：持有稳盈365天、下个月到期的客户，明天开始，这周日结束，短信+push", MARKET, TODAY)
    assert (str(got.brief.start), str(got.brief.end)) == ("2026-11-25", "2026-11-29")
    assert got.question is not None and "到期" in got.question  # maturity is no tag: asked, not dropped


def test_one_send_on_a_day_is_that_day_and_a_start_is_only_a_start() -> None:
    got = read("本周六给沉睡用户发一波push，推活钱盈，不发券。")
    assert (got["start"], got["end"]) == ("2026-11-28", "2026-11-28")
    assert read("Merchants, 商家贷, one WeChat message. Send on Thursday.")["end"] == "2026-11-26"
    assert read("下周一开始发一波push推活钱盈")["end"] is None  # 开始: a start, the length is the planner's


def test_mdes_said_as_wanting_to_detect_and_deposits_as_money_targets() -> None:
    got = read("两版文案A/B：基线点击率3%，想检测0.5个百分点的绝对提升，alpha=0.05，power 80%")
    assert (got["mde"], got["mde_absolute"]) == (0.005, True)
    assert read("安存智能存款银发专场，目标：新增存入2亿")["kpis"] == [{"metric": "aum", "value": 200000000.0}]
    assert read("推安存，目标新增入金用户1万人")["kpis"] == [{"metric": "conversions", "value": 10000.0}]  # people, not money


def test_a_grade_the_edit_narrows_to_is_not_the_copys_grade_line() -> None:
    from assistant.safety._refuse import check_request

    assert check_request("年龄放宽到45岁，风险等级只要C5；外呼不要了改成企微。") is None
    assert check_request("把风险等级去掉") is not None and check_request("海报上的风险等级那一行删掉") is not None


def test_users_of_a_loan_kind_who_never_drew_are_not_also_its_holders() -> None:
    rules = [c["rule"] for c in read("Activate Sujie cash-loan users who have a credit line but never drew: 7-day interest-free coupon")["audience"]]
    assert len(rules) == 1 and rules[0].startswith("credit_granted = true and not (products_held contains 'suixinfen')")


def test_a_metric_or_an_occasion_word_is_not_an_audience_unless_it_says_who() -> None:
    got = read_brief("康护到期续保提醒，已持有康护的，服务号+短信，续保率目标85%", MARKET, TODAY)
    assert got.question is None and got.brief.goal == "retain"
    assert [k.model_dump() for k in got.brief.kpis] == [{"metric": "conversion_rate", "value": 0.85}]
    assert read_brief("随心分首用激活，看首笔使用率，push", MARKET, TODAY).question is None
    # …but a rate below a bar, or a renewal someone never made, says who: not understood, and asked
    assert "使用率" in (read_brief("商家贷促活，额度使用率低于 10% 的商家，短信", MARKET, TODAY).question or "")
    assert "续保" in (read_brief("康护促活，已投保但没开自动续保的，push", MARKET, TODAY).question or "")
    assert read("速借促提款，转化率不低于3%")["kpis"] == [{"metric": "conversion_rate", "value": 0.03}]


def test_ranges_before_the_money_word_and_a_head_noun_before_with_in_an_exclusion() -> None:
    rules = [c["rule"] for c in read("Push 订单贷 to merchants doing 50k–200k monthly sales. Exclude merchants with overdue loans.")["audience"]]
    assert "merchant_monthly_sales between 50000 and 200000" in rules and "not (is_merchant = true)" not in rules
    assert "not (has_overdue = true)" in rules
    rules = [c["rule"] for c in read("Cross-sell 守护 critical illness cover to customers who already hold 康护 but not 守护 yet.")["audience"]]
    assert rules == ["products_held contains 'kanghu_medical'", "not (products_held contains 'shouhu_critical_illness')"]
    assert [c["rule"] for c in read("周一开始给新客推稳盈90天，跑一周。目标新增理财用户4000。")["audience"]] == ["aum = 0"]


def test_experiments_as_lists_of_amounts_points_after_detect_and_splits() -> None:
    got = read("想测红包金额对速借首借的影响，三组：5元/10元/20元，再留一组不发当对照。基线首借率1.8%，能看出0.3个百分点就行，其他参数按默认（0.05/0.8）。")
    assert [a["offer_amount"] for a in got["arms"]] == [5.0, 10.0, 20.0] and got["holdout_share"]
    assert (got["mde"], got["mde_absolute"], got["alpha"], got["power"]) == (0.003, True, 0.05, 0.8)
    got = read("基金投顾组A/B：颐年养老FOF，A组：定投前3期免申购费；B组：定投满100减5。基线转化2.5%，希望检测到绝对提升0.4pct，α=0.05，1-β=0.9。")
    assert [a["name"] for a in got["arms"]] == ["A", "B"] and (got["mde"], got["mde_absolute"], got["power"]) == (0.004, True, 0.9)
    got = read("Holdout test for 随心分: 90/10 split, treatment gets 500 points, control gets nothing. Push only, SMS not allowed.")
    assert got["holdout_share"] == 0.1 and got["channels_excluded"] == ["sms"]
    assert read("Current first-purchase conversion is ~3%; detect a 10% relative lift on 周周盈")["baseline_rate"] == 0.03


@pytest.mark.parametrize(("text", "start", "end"), [
    ("随心分：双十二当天及前两天，月活用户，push", "2026-12-10", "2026-12-12"),
    ("12月第三周做一波活钱盈push", "2026-12-14", "2026-12-20"),
    ("SMS blast about 安存 smart deposit, next Thursday only, budget 20k.", "2026-12-03", "2026-12-03"),
    ("明天起给月活用户推活钱盈，圣诞节当天结束", "2026-11-25", "2026-12-25"),
])  # fmt: skip
def test_festival_days_with_the_days_before_weeks_of_a_month_and_one_day_only(text: str, start: str, end: str) -> None:
    got = read(text)
    assert (got["start"], got["end"]) == (start, end)


def test_a_week_of_a_month_followed_by_a_start_word_is_only_the_start() -> None:
    got = read("颐年养老FOF，12月第二周开始跑两周，预算七万")
    assert (got["start"], got["end"], got["duration_days"]) == ("2026-12-07", None, 14)
    got = read_brief("周日临时想到的：明天起推活钱盈，跑一周", MARKET, date(2026, 11, 29)).brief
    assert str(got.start) == "2026-11-30"  # the Sunday it was thought of is not when it runs


def test_arms_as_halves_and_numbered_versions_and_grade_lists_with_huozhe() -> None:
    assert arms("速借免息券AB：一半人发7天券一半发30天券，另外留5%对照组啥也不发。") == [{"offer": "interest_free_7d"}, {"offer": "interest_free_30d"}]
    assert arms("订单贷短信文案A/B：版本一“回款慢？当天到账”，版本二“旺季不缺钱”。") == [{"copy_variant": "回款慢？当天到账"}, {"copy_variant": "旺季不缺钱"}]
    got = read_brief("推悦享。目标用户：年龄在45岁及以上，并且在平台的资产在10万元到50万元之间，并且风险等级是C2或者C3。", MARKET, TODAY)
    assert "risk_grade in (2, 3)" in [c.rule for c in got.brief.audience] and got.question is None


def test_a_month_said_alone_in_english_is_that_month_and_never_a_rate_or_a_title() -> None:
    got = read("Ancun deposit. HNW only, tier 1. Jan. No SMS. 300k.")
    assert (got["start"], got["end"]) == ("2027-01-01", "2027-01-31")
    got = read("Jiazhuang instalment — December push / - Dates: 12/8 - 12/31")
    assert (got["start"], got["end"]) == ("2026-12-08", "2026-12-31")  # the title's month yields to the dates
    assert read("Pitch the partner bank loan (4.2% APR), kick off Mon Dec 14, 10 days.")["start"] == "2026-12-14"
    got = read("随心分双十二大促：周一开始，到12号当天结束，月活用户")
    assert (got["start"], got["end"]) == ("2026-11-30", "2026-12-12")  # the stated window, not the festival's


def test_counts_of_drawdowns_offers_in_english_and_channels_refused_by_kind() -> None:
    assert read("Win-back for Sujie, target 2,000 drawdowns")["kpis"] == [{"metric": "conversions", "value": 2000.0}]
    assert read("A/B test on the Kanghu medical first-month-¥1 landing copy")["offers"] == ["insurance_first_month"]
    assert read("Dingdandai for merchants. Offer: merchant loan rate 10% off for 30 days.")["offers"] == ["merchant_rate_9zhe"]
    assert read("Send SMS and AI voice calls, no human outbound.")["channels_excluded"] == ["outbound_call"]


def test_a_bare_age_with_a_plus_among_audience_words_and_never_a_length_or_an_amount() -> None:
    assert [c["rule"] for c in read("颐年FOF 50+ 高净值 双十二前后 只要服务号和企微 不发券")["audience"]] == ["age >= 50", "aum >= 200000"]
    rules = [c["rule"] for c in read("Audience: credit-granted users, not logged in for 30+ days, AUM 10万+")["audience"]]
    assert "age >= 30" not in rules and "aum >= 100000" in rules


def test_a_hurried_english_brief_keeps_its_exclusion_its_never_and_its_budget_in_words() -> None:
    got = read_brief("Push Sujie to folks who never borrowed, budget twenty thousand, skip anyone overdue", MARKET, TODAY)
    rules = [c.rule for c in got.brief.audience]
    assert "not (has_overdue = true)" in rules and "has_overdue = true" not in rules  # skip: an exclusion, never its opposite
    assert "not (products_held contains 'sujie')" in rules and got.brief.budget_cap == 20000
    assert [c["rule"] for c in read("速借拉新，给从没借过的用户，预算5万")["audience"]] == ["not (products_held contains 'sujie')"]
    # how recently someone used it is no tag: never "never"
    assert "not (products_held contains 'suixinfen')" not in [c["rule"] for c in read("开通了随心分但近60天没用过的用户，push")["audience"]]
    # a figure in words with no budget word is shown as not understood, never taken as the budget
    got = read_brief("Promote Huoqianying to twenty thousand users", MARKET, TODAY)
    assert got.brief.budget_cap is None and any("twenty thousand" in u.text for u in got.unparsed)


def rules(text: str) -> list[str]:
    return [c["rule"] for c in read(text)["audience"]]


@pytest.mark.parametrize("text", ["有逾期的别给我发啊，推速借", "别发学生，推随心分", "学生就不要再给推了，推随心分", "逾期的千万别推，推速借",
                                  "不用联系学生和逾期的，推速借"])  # fmt: skip
def test_a_negating_verb_of_reaching_someone_excludes_them_and_never_selects_them(text: str) -> None:
    got = rules(text)
    assert got and all(r.startswith("not (") for r in got), got


def test_a_goal_on_its_own_labelled_line_outranks_a_word_in_the_title() -> None:
    assert read("「稳盈」90天年末冲量活动\n1. 目标：促进老客复投，AUM 新增 5000 万")["goal"] == "retain"


def test_a_form_s_bookkeeping_fields_are_set_aside_and_never_asked_about() -> None:
    got = read_brief("活动名称：守护重疾险\n目标客群：50岁以上\n申请人：财富营销部   审批状态：待部门负责人审批", MARKET, TODAY)
    assert got.question is None and [c.rule for c in got.brief.audience] == ["age >= 50"]
    got = read_brief("Audience: users over 50\nRequested by: Jane Doe\nOwner: growth ops", MARKET, TODAY)
    assert got.question is None


@pytest.mark.parametrize(("text", "places"), [("只要四川本地的，推稳盈", ["四川"]), ("面向北京、上海用户推周周盈", ["北京", "上海"]),
                                             ("users in Guangdong or Sichuan, promote Zhouzhouying", ["Guangdong", "Sichuan"])])  # fmt: skip
def test_places_users_live_are_asked_about_every_one_of_a_list(text: str, places: list[str]) -> None:
    got = read_brief(text, MARKET, TODAY)
    assert got.question is not None and all(any(p in u.text for u in got.unparsed if u.asks) for p in places)


def test_a_place_that_names_the_writer_is_no_audience() -> None:
    assert read_brief("Hi — branch manager in Chengdu. Promote Anxiang to people aged 55+.", MARKET, TODAY).question is None
    assert read_brief("成都分公司想推稳盈，35岁以上", MARKET, TODAY).question is None


def test_a_measure_restated_in_brackets_as_a_tag_is_read_and_an_untaggable_word_never_hides_behind_brackets() -> None:
    got = read_brief("目标人群：经营满一年（注册365天以上）的商家，推商家贷", MARKET, TODAY)
    assert got.question is None and "days_since_signup >= 365" in [c.rule for c in got.brief.audience]
    assert read_brief("女性（C3以上），推康护", MARKET, TODAY).question is not None


def test_calls_by_a_person_refused_by_their_everyday_name() -> None:
    got = read("渠道：短信、AI语音外呼，别打人工电话")
    assert got["channels"] == ["sms", "ai_call"] and got["channels_excluded"] == ["outbound_call"]


def test_an_mde_said_with_at_least_a_validity_in_brackets_and_a_metric_window_are_not_lengths() -> None:
    got = read("A/B：现在自然购买率 0.8%，想看到至少 25% 的相对提升，推金积存")
    assert got["mde"] == pytest.approx(0.25) and not got["mde_absolute"]
    got = read("A/B on Shangjiadai: arm A gets the ¥50 first-loan red packet, arm B gets the 9折 rate coupon (30 days). "
               "Current 30-day drawdown rate is about 6%. Kick off next Monday, 2 weeks.")
    assert got["duration_days"] == 14 and [a.get("offer") for a in got["arms"]] == ["cash_50_merchant", "merchant_rate_9zhe"]


def test_renewals_and_purchasers_counted_are_conversion_targets_and_a_gold_draw_is_the_gold_draw() -> None:
    assert read("康护续保季，KPI 续保 5000 单")["kpis"] == [{"metric": "conversions", "value": 5000.0}]
    got = read("Jin Jicun year-end. KPI: 8,000 purchasers. Incentive: the 1g gold lucky draw")
    assert got["kpis"] == [{"metric": "conversions", "value": 8000.0}] and got["offers"] == ["lottery_gold"]


def test_a_vague_degree_yields_to_the_number_stated_for_it_but_an_existing_customer_stays_one() -> None:
    assert rules("背景：中高资产用户的闲钱。人群：AUM 10万及以上；剔除近90天未登录的沉睡户") == ["aum >= 100000", "not (days_since_login > 90)"]
    assert rules("young users (under 30) in tier 1") == ["age < 30", "city_tier = 1"]
    assert sorted(rules("老客，AUM 5万以下，推周周盈")) == ["aum <= 50000", "aum > 0"]  # holding something, under 5万


def test_a_product_named_in_full_or_cut_short_and_followed_by_its_kind_is_one_name() -> None:
    assert read_brief("Promote Kanghu medical insurance to users aged 25–40", MARKET, TODAY).question is None
    got = read_brief("人群：30-50岁、已经买了康护百万医疗的用户，推守护", MARKET, TODAY)
    assert got.question is None and "products_held contains 'kanghu_medical'" in [c.rule for c in got.brief.audience]


def test_having_used_the_product_promoted_said_without_naming_it_again() -> None:
    assert "products_held contains 'sujie'" in rules("Win-back for Sujie: users dormant 90+ days who borrowed before")
    assert "products_held contains 'sujie'" in rules("速借召回，之前借过的，C3")
    assert "products_held contains 'dingdandai'" in rules("订单贷，人群是做过订单贷的老商家")


def test_turnover_said_bare_is_a_merchant_s_month_and_a_year_s_is_asked_never_a_budget() -> None:
    assert "merchant_monthly_sales between 50000 and 500000" in rules("订单贷，老商家，流水5w-50w")
    got = read_brief("年流水100万以上的商家，推商家贷", MARKET, TODAY)
    assert got.brief.budget_cap is None and got.question is not None and "年流水" in got.question


def test_one_day_said_as_that_day_and_copy_numbered_before_its_quote() -> None:
    got = read("12月12日当天做个指数基金申购费1折，首页banner+push")
    assert got["start"] == got["end"] == "2026-12-12"
    assert read("12月12日当天开始推稳盈")["end"] is None
    assert arms("短信文案PK：文案1「年化低至9%，装修钱不用愁」 文案2「过年前把新家装好」，推安家") == [
        {"copy_variant": "年化低至9%，装修钱不用愁"}, {"copy_variant": "过年前把新家装好"}]
    assert arms("两版短信文案：①“年末稳稳的” ②“闲钱别躺着”，各一半流量，推稳盈") == [{"copy_variant": "年末稳稳的"}, {"copy_variant": "闲钱别躺着"}]


def test_money_said_as_money_not_to_exceed_is_the_budget_and_never_an_answer_about_something_else() -> None:
    assert read("帮我搞一波康护医疗险，给30岁以下的用户，push和站内信就行，钱别超过五万")["budget_cap"] == 50000
    assert read("钱不是问题，给30岁以下的推康护")["budget_cap"] is None


def test_a_metric_to_move_is_no_audience_and_not_coming_back_is_not_logging_in() -> None:
    assert rules("目标：提升近一个月没来的用户的活跃度，推活钱盈") == ["days_since_login > 30"]
    assert "monthly_active = true" not in rules("拿20%做holdout，基线活跃率约8%，推随心分")


def test_a_contact_no_tag_records_is_asked_about_and_never_read_as_a_channel() -> None:
    got = read_brief("悦享年金险，短信和AI外呼。别打扰最近7天内已经接过我们电话的人。", MARKET, TODAY)
    assert got.brief.channels == ["sms", "ai_call"] and got.question is not None and "电话" in got.question


def test_first_purchase_in_english_is_a_conversion_and_approved_but_idle_a_credit_line_never_drawn() -> None:
    assert read("Experiment request: test two red packets on first wealth purchase among new users (zero AUM)")["goal"] == "convert"
    got = read_brief("A/B test for Sujie first draw. Goal: convert approved-but-idle users.", MARKET, TODAY)
    assert got.question is None and got.brief.audience[0].rule.startswith("credit_granted = true and not")


def test_terms_listed_after_a_product_of_a_series_are_its_siblings_and_a_yield_coupon_keeps_its_rate() -> None:
    got = read_brief("拉一拉持有稳盈90天或180天的客户，引导他们升级到稳盈365天，送0.5%加息券", MARKET, TODAY)
    assert [c.rule for c in got.brief.audience] == ["(products_held contains 'wenying_90d' or products_held contains 'wenying_180d')"]
    assert got.brief.products == ["wenying_365d"] and got.brief.offers == ["yield_boost_05"] and not got.unparsed
    assert read("推稳盈90天和180天，C2")["products"] == ["wenying_90d", "wenying_180d"]


def test_a_family_named_by_its_kind_and_a_list_refused_around_an_aside() -> None:
    assert rules("经营贷拉新：商家里没借过任何经营类贷款的")[1].startswith("not (products_held contains 'shangjiadai'")
    got = read("渠道：还款成功页banner、站内信；不使用外呼（人工和智能语音都不要）和短信。")
    assert got["channels"] == ["repay_banner", "in_app_message"] and set(got["channels_excluded"]) == {"ai_call", "outbound_call", "sms"}


def test_ages_after_monthly_actives_a_hold_out_nobody_is_sent_and_titles_numbered_in_circles() -> None:
    assert "age < 30" in rules("need a quick SMS blast for Zhouzhouying to monthly actives under 30, tier 2 only")
    assert read("随心分AB：A组发7天免息券，B组发借款利率8折券，再留10%的人完全不触达当对照。")["holdout_share"] == pytest.approx(0.1)
    assert len(arms("悦享年金险标题测试：三版标题①「给50岁的自己发工资」②「稳稳的养老现金流」③「越早存越轻松」均分流量")) == 3


def test_an_edit_that_moves_the_start_and_keeps_the_length_moves_the_whole_window() -> None:
    generate_demo()  # the planner reads the demo tables; the command line and the app make them first
    planner = Planner()
    planner.today = date(2026, 12, 1)
    base = planner.plan("康护医疗险：30到50岁的老客，12/3-12/16，push+短信，预算10万。", ask=False)
    moved = planner.edit(base, "往后挪到下周一开始，时长不变")
    assert (moved.schedule.start, moved.schedule.end) == (date(2026, 12, 7), date(2026, 12, 20))
    kept = planner.edit(base, "开始日期改成12月8号，结束不变")
    assert (kept.schedule.start, kept.schedule.end) == (date(2026, 12, 8), date(2026, 12, 16))


def test_the_week_of_a_date_is_that_week_and_never_a_contradiction() -> None:
    got = read("Cross-sell Wenying 90-day holders into Yinian. WeChat service messages, no push. Week of Dec 7 (Mon-Sun).")
    assert (got["start"], got["end"]) == ("2026-12-07", "2026-12-13")


def test_calling_anyone_refused_refuses_every_call_channel_and_push_copy_is_no_audience() -> None:
    assert set(read("Channels: WeChat Work advisors and in-app messages; do not call anyone.")["channels_excluded"]) == {"ai_call", "outbound_call"}
    assert read_brief("A/B test on push copy for users with no login for 90+ days, Zhouzhouying", MARKET, TODAY).question is None


def test_a_maturity_listed_among_who_is_targeted_is_asked_about() -> None:
    got = read_brief("稳盈180天续投 / 一、人群：持有稳盈90天、12月内到期、资产10万以上", MARKET, TODAY)
    assert got.question is not None and any("到期" in u.text for u in got.unparsed)
    assert read_brief("下个月到期续投提醒，推稳盈180天", MARKET, TODAY).question is None  # the occasion, not who


@pytest.mark.parametrize(("text", "card"), [("速借，想发一张50元京东卡当激励，push+短信", "50元京东卡"), ("送100元超市购物卡给老客，推稳盈", "100元超市购物卡"),
                                            ("Offer a Starbucks coffee voucher to new users of Zhouzhouying", "Starbucks coffee voucher")])  # fmt: skip
def test_an_incentive_the_catalog_lacks_is_asked_about_never_swapped_for_cash_nor_read_as_a_budget(text: str, card: str) -> None:
    got = read_brief(text, MARKET, TODAY)
    assert not got.brief.offers and got.brief.budget_cap is None
    assert [u.text for u in got.unparsed if u.kind == "offer"] == [card] and got.question is not None


def test_a_cash_amount_names_only_an_offer_that_may_go_with_what_is_sold() -> None:
    assert read("速借，发50元红包，push")["offers"] == []  # the 50-yuan red packet is the merchants' first-loan one
    assert read("商家贷，首借红包50元")["offers"] == ["cash_50_merchant"]


def test_a_quoted_slogan_that_mentions_an_offer_is_copy_and_words_inside_copy_name_no_family() -> None:
    assert arms("A/B test on push copy. Variant A: 'Your rewards are waiting', variant B: 'Come back for a 5.20 check-in bonus'.") == [
        {"copy_variant": "Your rewards are waiting"}, {"copy_variant": "Come back for a 5.20 check-in bonus"}]
    assert arms("A/B：康护医疗险，对比「医疗险首月1元」和「10元话费」哪个转化更好") == [{"offer": "insurance_first_month"}, {"offer": "gift_phone_10"}]
    assert read("债券基金交叉销售，两版文案测一下（A“稳健打底，债基增强”/B“比定期多一点弹性”）")["categories"] == ["fund"]
    assert arms('A/B test. Variant A copy: "Start investing with 100 yuan a week"; Variant B: "Small amounts, big habits".') == [
        {"copy_variant": "Start investing with 100 yuan a week"}, {"copy_variant": "Small amounts, big habits"}]


def test_a_forwarded_email_asks_for_no_email_and_a_rate_given_at_90_percent_is_the_merchant_rate_offer() -> None:
    got = read("转一下王总的邮件：“订单贷和备货贷的放款做上去。渠道用企微+智能外呼。利率给9折。”")
    assert got["channels"] == ["wechat_work", "ai_call"] and got["offers"] == ["merchant_rate_9zhe"]
    assert "email" in read("邮件+短信推稳盈")["channels"]


def test_bare_letters_head_offer_arms_and_a_hyphenated_point_is_absolute() -> None:
    assert arms("三组实验，周周盈新客首投：A 满1000减10，B 10元话费，C 视频会员月卡。") == [
        {"offer": "coupon_1000_10"}, {"offer": "gift_phone_10"}, {"offer": "gift_video_vip"}]
    got = read("A/B test. Current click-through is ~2.5%; we want to detect a 0.4 percentage-point lift.")
    assert got["mde"] == pytest.approx(0.004) and got["mde_absolute"]


def test_never_touched_a_family_a_length_from_a_date_and_existing_holders_of_the_product_promoted() -> None:
    assert rules("搞一波债券基金，找买过稳盈但没碰过基金的")[1].startswith("not (products_held contains")
    got = read("Retention campaign for Huoqianying: target existing holders with AUM between 1k and 10k. Three weeks from Dec 1.")
    assert got["duration_days"] == 21 and "products_held contains 'huoqianying'" in [c["rule"] for c in got["audience"]]


def test_the_lantern_festival_and_new_years_eve_are_festivals_and_a_window_can_end_on_one() -> None:
    got = read_brief("元宵节当天给沉睡用户发一波站内信+push", MARKET, date(2027, 1, 16)).brief
    assert got.start == got.end == date(2027, 2, 20)
    got = read_brief("养老理财：周一开始到元旦结束，短信", MARKET, date(2026, 12, 19)).brief
    assert (got.start, got.end) == (date(2026, 12, 21), date(2027, 1, 1))


def test_a_form_s_date_and_budget_fields_say_which_is_which() -> None:
    got = read("活动名称：周周盈月活促活\t人群：月活用户\t开始日期：2026-12-02\t结束日期：2026-12-16\t预算（元）：50000")
    assert (got["start"], got["end"], got["budget_cap"]) == ("2026-12-02", "2026-12-16", 50000)
    assert read("Start date: Dec 3. End date: Dec 20.")["end"] == "2026-12-20"
    got = read("产品：周周盈 | 人群：老客 | AUM：1万-5万 | 基线转化率：1.2% | MDE：相对提升20%")
    assert "aum between 10000 and 50000" in [c["rule"] for c in got["audience"]] and got["baseline_rate"] == pytest.approx(0.012)


def test_when_the_brief_is_written_and_the_season_s_background_are_not_its_dates() -> None:
    got = read_brief("周末先丢个需求：周三起推金积存，为期一个月。", MARKET, date(2026, 11, 28)).brief
    assert (got.start, got.duration_days) == (date(2026, 12, 2), 30)
    got = read("春节前商家资金需求旺，做个商家贷首借实验，下周三开始，为期四周，渠道短信+企微。")
    assert (got["start"], got["duration_days"], got["end"]) == ("2026-12-02", 28, None)
    assert read("春节前推完速借，预算5万")["end"] == "2027-02-05"


def test_never_borrowed_with_a_product_quoted_copy_and_its_figures_and_no_insurance_held() -> None:
    got = read_brief("Experiment: 速借 activation push, two copy variants. A: '你的额度还在，随借随还'; B: '额度已为你保留，最快3分钟到账'. "
                     "Audience: users with a credit line who have never borrowed with 速借.", MARKET, TODAY)  # fmt: skip
    assert "not (products_held contains 'sujie')" in [c.rule for c in got.brief.audience] and not got.unparsed
    assert [a.copy_variant for a in got.brief.arms] == ["你的额度还在，随借随还", "额度已为你保留，最快3分钟到账"]
    assert rules("Kanghu medical insurance for users who hold no insurance")[0].startswith("not (products_held contains 'antu_accident'")


def test_a_recency_of_not_buying_is_asked_about_and_never_read_as_never_nor_as_a_length() -> None:
    got = read_brief("近半年没买过理财的月活用户，推活钱盈，下周一开始，跑两周", MARKET, TODAY)
    assert got.brief.duration_days == 14 and any("近半年没买过理财" == u.text for u in got.unparsed if u.asks)
    assert [c.rule for c in got.brief.audience] == ["monthly_active = true"]


def test_a_reason_thanks_a_count_to_bring_and_pushing_a_product_name_no_audience_and_no_channel() -> None:
    assert read_brief("渠道想用企业微信顾问和人工外呼，因为商家客户比较看重人工服务。推商家贷", MARKET, TODAY).question is None
    got = read_brief("人群：一二线城市的老客。目标是带来2000个首购用户。谢谢各位老师！推稳盈90天", MARKET, TODAY)
    assert got.question is None and [c.rule for c in got.brief.audience] == ["city_tier in (1, 2)", "aum > 0"]
    assert "days_since_login > 90" in rules("目标：召回8000个沉睡用户回来买周周盈")  # still who is targeted
    got = read("面向近30天内活跃、且已授信的商家推送订单贷，渠道为短信、企业微信")
    assert got["channels"] == ["sms", "wechat_work"]


def test_rollovers_counted_a_spend_threshold_coupon_in_words_and_a_moved_start_that_is_also_shortened() -> None:
    assert read("Target 8,000 rollovers into 稳盈180天.")["kpis"] == [{"metric": "conversions", "value": 8000.0}]
    assert read("Zhouzhouying, attach the 10-yuan-off coupon for purchases of 1,000 yuan.")["offers"] == ["coupon_1000_10"]
    generate_demo()  # the planner reads the demo tables; the command line and the app make them first
    planner = Planner()
    planner.today = TODAY
    base = planner.plan("订单贷 for merchants in tier 1-2 cities. Start next Wednesday, run 3 weeks, budget 150k, channels 企微.", ask=False)
    got = planner.edit(base, "Move the start to next Monday, shorten it by a week, and cut 50k from the budget.")
    assert (got.schedule.start, got.schedule.end, got.brief.budget_cap) == (date(2026, 11, 30), date(2026, 12, 13), 100000)


def test_an_effect_stated_before_what_it_is_and_arms_listed_after_the_groups_with_a_control() -> None:
    got = read("A/B on Wenying 180-day: arm A gets the 15.14 yuan packet, arm B the 19.88 one. Current conversion is around 2%; "
               "we care about a 0.5 percentage point lift.")  # fmt: skip
    assert got["mde"] == pytest.approx(0.005) and got["mde_absolute"]
    got = read("优选·进取申购费实验：随机分三组：免申购费 / 申购费1折 / 不给优惠（对照）。基线转化1.2%")
    assert [a["offer"] for a in got["arms"]] == ["fee_free", "fee_1zhe"] and got["holdout_share"] and not got["no_offer"]
    got = read("hey can we A/B the DCA reward? half get the 8.88 first-period red packet, half get the first 3 DCA periods fee-free.")
    assert [a["offer"] for a in got["arms"]] == ["cash_888", "dca_fee_free_3"]
    got = read("活钱盈做个实验：文案两版（「年终奖先放活钱盈」/「随存随取，年底花钱不耽误」），再留5%不触达的对照组")
    assert [a["copy_variant"] for a in got["arms"]] == ["年终奖先放活钱盈", "随存随取，年底花钱不耽误"]


def test_an_exclusion_heading_over_users_with_a_condition_excludes_them() -> None:
    got = rules("Campaign brief: Zhouzhouying\n• Audience: tier-1 cities\n• Exclude: users with overdue loans\n• Channels: push")
    assert "not (has_overdue = true)" in got and "has_overdue = true" not in got


def test_ordinal_tiers_login_said_short_and_a_window_of_days_since_login() -> None:
    assert "city_tier = 2" in rules("target C3+ users, 2nd-tier cities only, Zhouzhouying")
    assert rules("半年以上没登过的老客做个召回，推债券基金")[0] == "days_since_login >= 180"
    assert rules("活钱盈促活：30天以上、90天以内没登录的老客")[0] == "days_since_login between 30 and 90"
    assert read("安存智能存款这周六开始推一个月，对象C1、C2的中老年用户")["duration_days"] == 30


def test_tens_of_millions_with_no_one_counted_is_money_and_critical_illness_is_the_one_such_product() -> None:
    assert read("活钱盈年底冲AUM，目标新增5000万，发理财加息券")["kpis"] == [{"metric": "aum", "value": 50000000.0}]
    assert read("Critical illness insurance cross-sell to holders of Wenying 365")["products"] == ["shouhu_critical_illness"]


def test_merchant_sales_said_bare_after_merchants_with_and_a_yield_coupon_the_catalog_lacks() -> None:
    assert "merchant_monthly_sales > 100000" in rules("only target merchants with sales above 100k, Beihuodai")
    got = read_brief("周周盈给资产1万-10万的月活用户推，配个加息1%的券", MARKET, TODAY)
    assert not got.brief.offers and [u.text for u in got.unparsed if u.kind == "offer"] == ["加息1%的券"]
    assert read("送0.5%加息券，推稳盈")["offers"] == ["yield_boost_05"]


def test_experiments_said_as_a_list_of_quotes_halves_that_draw_an_identified_difference_and_an_offer_per_amount() -> None:
    assert len(arms("守护重疾险文案测试，三版：“一次确诊一次赔付”、“30岁前投保更划算”、“给家人一份安心”。走push")) == 3
    got = read("【A/B】速借提款券：A组 7天免息券；B组 30天免息券；各占45%，剩余10%为空白对照 / 基线：提款率 6% / 目标：能识别 1.5 个百分点的绝对差异")
    assert got["mde"] == pytest.approx(0.015) and got["mde_absolute"] and got["holdout_share"] == pytest.approx(0.1)
    assert arms("金积存抽奖实验：一半人抽1克黄金，另一半参与幸运抽奖（最高100元）") == [{"offer": "lottery_gold"}, {"offer": "lottery_100"}]
    assert arms("A/B on DCA: (A) first 3 DCA periods fee-free, (B) 5 RMB off per 100 invested, (C) 15% hold-out") == [
        {"offer": "dca_fee_free_3"}, {"offer": "coupon_dca_5"}]


@pytest.mark.parametrize("text", ["别给没授信的人推随心分，预算5万", "没授信的用户不要推随心分", "push Suixinfen; no-credit-line users excluded",
                                  "push Suixinfen, no credit line users excluded"])  # fmt: skip
def test_an_exclusion_turns_around_users_without_a_credit_line(text: str) -> None:
    assert rules(text) == ["not (credit_granted = false)"]


def test_a_group_told_not_to_be_sold_the_product_is_excluded() -> None:
    assert rules("学生不要推随心分") == ["not (is_student = true)"]
    assert rules("有逾期的别推速借，预算5万") == ["not (has_overdue = true)"]


@pytest.mark.parametrize(("text", "band"), [("push Sujie to thirty-something folks", (30, 39)), ("push Sujie to people in their 30s", (30, 39)),
                                            ("速借推给三十来岁的人", (30, 39)), ("速借推给30多岁的", (30, 39)), ("速借推给四十出头的", (40, 44)),
                                            ("push Sujie to users in their early forties", (40, 44)), ("Sujie for twenty-somethings", (20, 29))])  # fmt: skip
def test_a_decade_of_age_said_as_such_is_that_age_band(text: str, band: tuple[int, int]) -> None:
    assert rules(text) == [f"age between {band[0]} and {band[1]}"]


def test_age_bands_no_one_is_in_at_once_listed_together_are_either_band_and_overlapping_bounds_a_range() -> None:
    assert rules("速借推给90后和00后") == ["(age between 27 and 36) or (age between 17 and 26)"]
    assert rules("速借推给25岁以下或55岁以上的") == ["(age <= 25) or (age >= 55)"]
    assert rules("速借推给25岁以上、40岁以下的") == ["age >= 25", "age <= 40"]
    assert rules("速借推给25岁以下、40-45岁或者60岁以上的") == ["(age <= 25) or (age between 40 and 45) or (age >= 60)"]


def test_a_requirement_no_slot_reads_is_shown_and_an_automated_call_is_the_robot_channel() -> None:
    got = read_brief("推速借，要能当场放款到银行卡，预算10万", MARKET, TODAY)
    assert [(u.text, u.kind, u.asks) for u in got.unparsed] == [("要能当场放款到银行卡", "requirement", False)] and got.question is None
    got = read_brief("Push Sujie, must support same-day payout to bank cards, budget 100k", MARKET, TODAY)
    assert [u.kind for u in got.unparsed] == ["requirement"]
    assert read("推速借，自动回访打电话，预算10万")["channels"] == ["ai_call"]
    assert read("push Sujie via automated calls and SMS")["channels"] == ["ai_call", "sms"]
    assert read("推速借，短信+电话")["channels"] == ["sms", "outbound_call"]


def test_a_numbered_line_ends_the_clause_before_it_so_a_closing_exclusion_still_excludes() -> None:
    assert rules("1）目的：促进商户转化\n2）客群：县城/五线商户不做\n3）产品：备货贷") == ["is_merchant = true", "not (city_tier = 5)", "not (city_tier = 5)", "is_merchant = true"]
    # 商家贷款 is merchant loans in general, not the product 商家贷
    assert set(read("【商家贷款 年末备货专项】 产品：备货贷、订单贷，预算10万")["products"]) == {"beihuodai", "dingdandai"}


@pytest.mark.parametrize(("text", "rule"), [("给银发客群推意外险，只圈能收到微信消息的", "wechat_reachable = true"),
                                            ("Win-back for users who can get push, Huoqianying", "push_reachable = true"),
                                            ("Yuexiang renewals; exclude anyone we can't reach on WeChat", "not (wechat_reachable = false)"),
                                            ("收不到短信的用户别发，推速借", "not (sms_reachable = false)")])  # fmt: skip
def test_who_a_channel_reaches_said_in_a_sentence(text: str, rule: str) -> None:
    assert rule in rules(text)


def test_a_brief_naming_no_channel_but_who_one_reaches_is_sent_on_it() -> None:
    assert read("能收push的都打一遍，推速借，预算5万")["channels"] == ["app_push"]
    assert read("能收push的都打一遍，推速借，只发短信")["channels"] == ["sms"]


def test_english_holders_of_a_product_and_its_kind_refused_channels_and_points_by_their_adjective() -> None:
    got = read("Retention play for 悦享 annuity holders. WeChat Work advisors only, don't send push. Give 500 bonus points.")
    assert rules("Retention play for 悦享 annuity holders") == ["products_held contains 'yuexiang_annuity'"]
    assert got["channels"] == ["wechat_work"] and got["channels_excluded"] == ["app_push"] and got["offers"] == ["points_500"]
    assert "aum = 0" in rules("推稳盈：还没投资过的，一二线") and rules("推稳盈：还没投资过的，一二线")[0] == "aum = 0"


def test_a_baseline_said_with_xian_a_two_sided_alpha_and_a_ninety_percent_off_fee_arm() -> None:
    got = read("留出10%对照组，现转化率约3%，希望检测到0.5个百分点的绝对提升，双侧0.1，power 0.8，推优选稳健")
    assert got["baseline_rate"] == pytest.approx(0.03) and not got["kpis"] and got["alpha"] == pytest.approx(0.1)
    assert arms("A/B test for Youxuan Growth: arm A gets the 90%-off subscription fee coupon, arm B gets zero subscription fee.") == [
        {"offer": "fee_1zhe"}, {"offer": "fee_free"}]


def test_an_offer_refused_for_another_is_a_replacement_and_an_offer_named_by_its_figure() -> None:
    got = read("话费不送了，改成医疗险首月1元")
    assert got["offers"] == ["insurance_first_month"] and not got["no_offer"]
    got = read("Double the budget and swap the coupon for the 30-day one.")
    assert got["offers"] == ["interest_free_30d"] and got["duration_days"] is None
    assert read("Swap the bonus for the 10%-off Shangjiadai rate coupon")["offers"] == ["merchant_rate_9zhe"]


def test_an_age_range_in_a_form_row_a_push_as_a_noun_and_tomorrow_typed_short() -> None:
    assert "age between 25 and 40" in rules("Segment: Android users in tier-2 cities, 25-40 | Product: Ancun smart deposit | Budget: 45k")
    got = read("can we do a quick push to MAU in tier 3+ cities for Wenying 180d? no sms pls. launch tmrw, run 7 days, ~30k")
    assert got["channels"] == ["app_push"] and got["channels_excluded"] == ["sms"] and got["start"] == "2026-11-25"


@pytest.mark.parametrize(("text", "want"), [
    ("A/B on Youxuan Growth: arm A gets a 90% discount on the purchase fee, arm B no purchase fee at all", ["fee_1zhe", "fee_free"]),
    ("A/B：A组申购费打1折，B组申购费全免，推优选进取", ["fee_1zhe", "fee_free"]),
    ("A/B: arm A gets 20% off the loan rate, arm B gets the 7-day interest free", ["rate_8zhe", "interest_free_7d"]),
    ("A/B 积分测试：A组送500积分，B组送双倍积分，推活钱盈", ["points_500", "points_double"])])  # fmt: skip
def test_an_arm_names_its_offer_by_kind_and_figure_as_the_catalog_states_them(text: str, want: list[str]) -> None:
    assert [a.get("offer") for a in arms(text)] == want


def test_an_arm_offering_what_the_catalog_lacks_is_asked_about_never_read_as_copy() -> None:
    got = read_brief("A/B on Sujie: arm A gets a 15%-off voucher, arm B the 7-day interest-free coupon", MARKET, TODAY)
    assert not any(a.copy_variant for a in got.brief.arms) and got.question and "15%-off voucher" in got.question


def test_a_space_typed_between_fragments_is_no_head_noun_for_the_exclusion_after_it() -> None:
    assert rules("要已授信的 有逾期的排除掉 预算十万") == ["credit_granted = true", "not (has_overdue = true)"]


def test_a_kind_of_product_said_of_what_someone_holds_is_its_products_and_promoting_it_the_family() -> None:
    assert rules("推稳盈90天，人群是持有活钱盈但没买过定期的")[1] == (
        "not (products_held contains 'wenying_90d' or products_held contains 'wenying_180d' or products_held contains 'wenying_365d')")
    assert read("推定期理财，预算5万")["categories"] == ["wealth"]
    got = read("grow Anxiang among users aged 50+ who have never bought a pension product (Anxiang / Yinian)")
    assert got["products"] == ["anxiang_pension"] and rules("grow Anxiang among users aged 50+ who have never bought a pension product (Anxiang / Yinian)")[-1] == (
        "not (products_held contains 'anxiang_pension' or products_held contains 'yinian_pension_fof')")
    assert rules("推随心分开通，分期前3期免息，非一线城市") == ["not (city_tier = 1)"]  # 开通 then a comma: no holding


def test_a_region_said_of_who_is_targeted_is_asked_about() -> None:
    for text in ("目标客群：珠三角一二线城市的商家，推备货贷", "推备货贷给珠三角的商家"):
        assert [u.text for u in read_brief(text, MARKET, TODAY).unparsed if u.asks] == ["珠三角"]


def test_a_weekday_before_its_date_a_whole_month_and_today_said_to_be_the_weekend() -> None:
    assert read("Window: next Monday through Sunday Dec 13.")["end"] == "2026-12-13"
    assert (read("• When: Jan 2027, full month")["start"], read("• When: Jan 2027, full month")["end"]) == ("2027-01-01", "2027-01-31")
    assert (read("12月周周盈冲量，目标AUM五千万")["start"], read("12月周周盈冲量，目标AUM五千万")["end"]) == ("2026-12-01", "2026-12-31")
    got = read_brief("今天周末先把需求提一下哈：下周三开始，先跑一周看看效果", MARKET, date(2026, 11, 28)).brief
    assert got.start == date(2026, 12, 2) and got.duration_days == 7


def test_audience_words_in_a_sentence_that_were_dropped() -> None:
    assert rules("春节前一周做个悦享年金险的活动，目标银发人群，资产20万以上") == ["age >= 55", "aum >= 200000"]
    assert rules("Suixinfen push among users who were granted a credit line but never used Suixinfen") == ["credit_granted = true", "not (products_held contains 'suixinfen')"]
    assert "aum = 0" in rules("Win back anyone who has 0 AUM now") and "aum = 0" in rules("对象：注册30天以内、还没有任何持仓的新客")
    assert rules("Push Kanghu medical insurance to women 25–40 in first-tier cities")[:1] == ["age between 25 and 40"]
    assert rules("排除当前有逾期的用户和在校学生，推安家分期")[-1] == "not (is_student = true)"
    assert read_brief("渠道想用公众号和站内信，不太想打扰用户所以不用短信，推康护", MARKET, TODAY).question is None


def test_offers_channels_and_experiments_said_in_ways_not_read_before() -> None:
    assert read("- Offer: 90% off the fund purchase fee")["offers"] == ["fee_1zhe"]
    got = read("周一起推医疗险，外呼别上，短信push都行。")
    assert got["channels"] == ["sms", "app_push"] and set(got["channels_excluded"]) == {"outbound_call", "ai_call"}
    got = read("推商家贷，一半发红包一半不发（holdout），看首借率能不能从1%提到1.3%")
    assert (got["baseline_rate"], got["mde"], got["mde_absolute"], got["holdout_share"]) == (0.01, 0.003, True, 0.5)


def test_an_item_under_an_audience_heading_that_nothing_read_is_asked_about() -> None:
    got = read_brief("人群：近半年登录过、已授信、有装修需求的，排除逾期。推安家分期", MARKET, TODAY)
    assert [u.text for u in got.unparsed if u.asks] == ["有装修需求的"]
    assert read_brief("人群：用过速借、目前没有逾期的，城市不限。推随心分", MARKET, TODAY).question is None  # 不限 states no condition
    assert "credit_granted = true" in rules("客群：商家，授信过的，不要有逾期") and "not (has_overdue = true)" in rules("Audience: aged 22–35, excluding anyone with overdues")


def test_reaching_out_to_a_group_is_no_acquisition_and_not_wishing_to_disturb_them_excludes_them() -> None:
    assert rules("帮我拉一拉高净值但30天以上没登录的客户，推安存智能存款") == ["aum >= 200000", "days_since_login >= 30"]
    assert rules("推悦享，不希望打扰已经持有任何保险产品的用户")[0].startswith("not (")
    assert rules("users who have a credit line; please leave out anyone flagged with an overdue loan")[-1] == "not (has_overdue = true)"


def test_short_durations_copy_arms_in_brackets_a_mini_program_and_the_end_of_that_week() -> None:
    got = read("tmr start, sujie promo, 30d interest-free coupon, 7d run, budget 60k")
    assert (got["start"], got["duration_days"], got["offers"]) == ("2026-11-25", 7, ["interest_free_30d"])
    assert [a.get("copy_variant") for a in arms("守护重疾交叉销售，分两组文案（A：讲保障缺口；B：讲家庭责任），再留5%对照组不触达。")] == ["讲保障缺口", "讲家庭责任"]
    assert [a.get("copy_variant") for a in arms("两版文案，A：讲保障缺口，B：讲家庭责任，推守护重疾")] == ["讲保障缺口", "讲家庭责任"]
    assert read("Channels: push and WeChat mini program.")["channels"] == ["app_push", "mini_program"]
    got = read_brief("For next week I'd like to run a Suixinfen campaign — start on Wednesday and run it through the end of that week.", MARKET, date(2026, 12, 6)).brief
    assert (got.start, got.end) == (date(2026, 12, 9), date(2026, 12, 13))


def test_a_fund_kind_promoted_to_capped_grades_is_a_product_they_may_buy() -> None:
    generate_demo()  # the planner reads the demo tables; the command line and the app make them first
    planner = Planner()
    planner.today = TODAY
    plan = planner.plan("• 产品：基金定投（债券基金为主） • 人群：C2及以下客户、资产5万以上 • 时间：双十二前后")
    assert plan.products and all((p.risk_level or 0) <= 2 for p in plan.products) and plan.segment and plan.segment.size > 0


def test_a_negator_closing_the_item_before_a_list_separator_does_not_open_the_next() -> None:
    assert rules("速借冲一下：没有授信的不要、年龄22到35、排除学生和有逾期的") == [
        "not (credit_granted = false)", "age between 22 and 35", "not (is_student = true)", "not (has_overdue = true)"]


def test_arms_after_an_equals_sign_a_holdout_that_gets_nothing_and_a_duration_said_of_an_offer() -> None:
    got = read("Hypothesis: a 30-day coupon beats a 7-day one. Arms: A = 7-day interest-free coupon, B = 30-day interest-free coupon, "
               "plus a holdout that gets no coupon. Start next Monday, run 4 weeks.")
    assert [a["offer"] for a in got["arms"]] == ["interest_free_7d", "interest_free_30d"] and not got["no_offer"] and got["duration_days"] == 28
    got = read("Arms: (A) Shangjiadai 10% rate discount for 30 days, (B) 20% off interest rate coupon; a 10% holdout gets nothing.")
    assert [a["offer"] for a in got["arms"]] == ["merchant_rate_9zhe", "rate_8zhe"]


def test_words_around_audiences_that_name_no_one_and_ones_that_do() -> None:
    assert "aum = 0" not in rules("活钱盈拉新，25-40岁，红包改成理财新客红包19.88元")  # an offer named for whom it is meant
    assert "age < 35" in rules("Target: new users (no holdings) under 35 in tier 2–3 cities")
    assert rules("Retention nudge for Youxuan Steady holders who haven't opened the app in 14-60 days.")[-1] == "days_since_login between 14 and 60"
    got = read_brief("关于装修分期的需求：\n一、目标人群：（1）一线及新一线城市；（2）已授信；（3）有装修意向的（如能识别）。\n二、渠道：push", MARKET, TODAY)
    assert [u.text for u in got.unparsed if u.asks] == ["有装修意向的（如能识别）"]
    assert [u.text for u in read_brief("人群：老客；风险测评 C2 及以上；持有稳盈到期未续投的。推稳盈90天", MARKET, TODAY).unparsed if u.asks] == ["到期"]


def test_a_budget_said_as_a_ceiling_on_spend_channels_swapped_in_an_edit_and_a_grade_cap() -> None:
    assert read("沉睡用户拉一拉，发个话费，短信就行，跑两周，5w以内")["budget_cap"] == 50000
    assert read("push + SMS, this Friday through next Sunday. Keep it under 50k.")["budget_cap"] == 50000
    assert read("资产5w以内的用户，推活钱盈")["budget_cap"] is None
    got = read("Swap in-app message for SMS, drop the coupon, and cap risk at C3.")
    assert got["channels"] == ["sms"] and got["channels_excluded"] == ["in_app_message"] and rules("cap risk at C3") == ["risk_grade <= 3"]
    assert read("服务号+小程序推送，预算八万")["channels"] == ["wechat_service", "mini_program"]
    assert read("人群：半年以上没打开App的，另外留一成不触达做holdout，推稳盈")["holdout_share"] == pytest.approx(0.1)


def test_a_metric_said_to_be_moving_is_no_audience_and_a_window_of_logins_said_with_hai() -> None:
    assert rules("MAU有点掉，想拉一拉近30天没登录、但90天内还登录过的用户") == ["days_since_login > 30", "days_since_login <= 90"]
    assert rules("沉睡用户拉一拉，推活钱盈") == ["days_since_login > 90"]


def test_english_dates_day_first_sums_in_words_and_kpis_as_a_second_language_writes_them() -> None:
    assert (read("start 7 December, end 31 December")["start"], read("start 7 December, end 31 December")["end"]) == ("2026-12-07", "2026-12-31")
    got = read("Budget is 80 thousand RMB, start from 1st December for one month. Target 500 loan customer and loan amount 20 million.")
    assert got["budget_cap"] == 80000 and got["start"] == "2026-12-01" and got["duration_days"] == 30
    assert {k["metric"]: k["value"] for k in got["kpis"]} == {"loan_volume": 20000000, "conversions": 500}
    assert "age >= 60" in rules("send the renewal reminder to users who hold Kanghu and are 60 or older")
    assert read_brief("send the Kanghu renewal reminder to users who hold Kanghu and are 60 or older", MARKET, TODAY).question is None
    assert read_brief("Can we get a win-back going for users inactive 90+ days? Huoqianying, SMS, budget 40k", MARKET, TODAY).question is None


def test_holdings_that_reach_a_sum_the_first_weeks_of_a_month_the_week_after_next_and_numbered_arms() -> None:
    assert "aum >= 200000" in rules("悦享年金险，只要一线城市、持仓满20万、年龄45+的客户")
    got = read("安家装修分期｜12月头两周｜站内信")
    assert (got["start"], got["end"]) == ("2026-12-01", "2026-12-14")
    assert read("订单贷：下下周开始，10天，企微+短信")["start"] == "2026-12-07"
    got = read("3-arm test on the repay banner for Suixinfen: arm 1 = 500 points, arm 2 = double points this month, arm 3 = video VIP monthly card.")
    assert [a["offer"] for a in got["arms"]] == ["points_500", "points_double", "gift_video_vip"]


def test_an_edit_that_pulls_everything_forward_or_starts_earlier_moves_the_dates() -> None:
    from assistant.campaigns._edits import _shift

    assert _shift("pull everything forward a week and bump the budget 20%.") == -7
    assert _shift("and start earlier one week.") == -7


def test_a_window_either_side_of_a_date_and_a_maturity_month_that_says_who() -> None:
    got = read("Merchant credit push: 备货贷. Window: 3 days either side of Dec 12. Budget 300k.")
    assert (got["start"], got["end"]) == ("2026-12-09", "2026-12-15")
    assert (read("12月12日前后各3天推速借")["start"], read("12月12日前后各3天推速借")["end"]) == ("2026-12-09", "2026-12-15")
    got = read_brief("Retention: Wenying 90-day holders with maturity in December. Start Dec 7, run 3 weeks.", MARKET, TODAY)
    assert got.brief.start == date(2026, 12, 7) and got.brief.duration_days == 21 and [u.text for u in got.unparsed if u.asks] == ["maturity"]


def test_an_arm_named_by_a_figure_shared_by_two_offers_is_the_one_whose_limits_it_says() -> None:
    assert [a["offer"] for a in arms("A/B on Youxuan Growth: arm A = 1折 purchase fee, arm B = zero fee.")] == ["fee_1zhe", "fee_free"]
    assert [a["offer"] for a in arms("A/B on DCA: arm A gets the first 3 installments fee-free, arm B gets the spend 100 save 5 DCA coupon")] == [
        "dca_fee_free_3", "coupon_dca_5"]
    assert [a["copy_variant"] for a in arms("悦享年金险两版落地页做A/B：一版讲「给孩子存一笔教育金」，一版讲「给自己攒养老钱」。")] == ["给孩子存一笔教育金", "给自己攒养老钱"]


def test_gold_by_the_gram_and_a_one_decimal_check_in_red_packet() -> None:
    assert read("Jin Jicun promo, lucky draw for 1g gold as the hook, budget 300k")["offers"] == ["lottery_gold"]
    got = read("Suixinfen activation, 5.2 check-in red packet, budget 60k")
    assert got["offers"] == ["cash_520"] and got["offer_amount"] == pytest.approx(5.2)


def test_words_inside_a_line_of_copy_say_nothing_of_who_and_a_forwarded_brief_in_quotes_still_does() -> None:
    assert rules("养老理财两版文案：A版“每月多一份养老钱”，B版“60岁以后的你会感谢现在的自己”，人群40-55岁、三四线城市") == [
        "age between 40 and 55", "city_tier in (3, 4)"]
    assert "city_tier in (3, 4, 5)" in rules("老板刚在群里说的：『随心分元旦档期，12月28号到1月3号，三四五线的年轻人，C2及以下』")


def test_a_condition_restated_in_brackets_is_one_condition_and_an_empty_grade_is_said_as_such() -> None:
    assert rules("元旦给老客推周周盈，排除风险等级为空（没做过测评）的用户，push+站内信") == ["aum > 0", "not (risk_grade is null)"]
    assert rules("给银发（55岁以上）客户推悦享") == ["age >= 55"]


def test_more_ways_to_say_who_when_and_what_from_the_twenty_ninth_half() -> None:
    assert "aum > 0" in rules("win-back test for dormant users (no login for 90+ days) who still hold AUM")
    assert rules("Acquisition push for Huoqianying targeting under-30s in tier 3 and lower cities who are not yet customers") == [
        "age < 30", "city_tier >= 3", "aum = 0"]
    assert read("双十二当天搞一波随心分，push+信息流，短信砍掉别打扰用户")["channels_excluded"] == ["sms"]
    assert read("Cross-sell Kanghu: offer the first-month-for-1-yuan deal.")["offers"] == ["insurance_first_month"]
    got = read("Beihuodai pre-CNY stock-up. Timing: the two weeks before Chinese New Year.")
    assert (got["start"], got["end"]) == ("2027-01-23", "2027-02-05")
    got = read("A/B two push copies for Wenying 180-day. Next Wednesday through the following Tuesday.")
    assert (got["start"], got["end"]) == ("2026-12-02", "2026-12-08")
    assert read_brief("康护医疗 首月1元 vs 500积分 做个对比实验，各50%流量", MARKET, TODAY).unparsed == []


def test_days_or_hours_to_send_on_are_applied_never_read_as_this_weekend() -> None:
    from datetime import time

    for text, days, after, before in [
        ("推活钱盈，只在周末发，预算两万", [5, 6], None, None), ("推活钱盈，晚上8点以后别发，预算两万", [], None, time(20)),
        ("push Huoqianying, weekdays only, budget 20k", [0, 1, 2, 3, 4], None, None),
        ("推活钱盈，早上9点半以前别发，工作日才发", [0, 1, 2, 3, 4], time(9, 30), None), ("推活钱盈，周六才发", [5], None, None),
        ("push Huoqianying, no SMS after 9pm, SMS and push", [], None, time(21)),
    ]:  # fmt: skip
        got = read_brief(text, MARKET, TODAY)
        assert got.brief.start is None and not got.unparsed, text
        assert (got.brief.send_weekdays, got.brief.send_after, got.brief.send_before) == (days, after, before), text
    assert read("push Huoqianying, no SMS after 9pm, SMS and push")["channels_excluded"] == []  # timing, not a refusal
    # Days barred instead of named: 周末别发 / not on weekends leave the other days.
    assert read_brief("给月活用户推稳盈90天，预算3万，周末别发", MARKET, TODAY).brief.send_weekdays == [0, 1, 2, 3, 4]
    assert read_brief("Promote Huoqianying, budget 10k, not on weekends", MARKET, TODAY).brief.send_weekdays == [0, 1, 2, 3, 4]
    assert read_brief("工作日别发，推活钱盈", MARKET, TODAY).brief.send_weekdays == [5, 6]


def test_a_cap_per_user_across_channels_is_shown_as_not_applied_and_but_not_via_refuses_the_channel() -> None:
    """Hurried tries after the review: both were silently dropped, and 'but not via sms' asked for SMS."""
    for text, said in [("给月活用户推稳盈90天，预算3万，每个人最多发一次", "每个人最多发一次"),
                       ("push huoqianying to dormant users, each user gets at most one message", "each user gets at most one message")]:  # fmt: skip
        got = read_brief(text, MARKET, TODAY)
        assert [(u.text, u.kind, u.asks) for u in got.unparsed] == [(said, "requirement", False)], text
    got = read("push huoqianying to dormant users but not via sms, budget twenty thousand")
    assert got["channels"] == [] and got["channels_excluded"] == ["sms"] and got["budget_cap"] == 20000
    assert read("这周末推活钱盈")["start"] == "2026-11-28"


def test_people_who_are_not_on_a_channel_and_a_channel_not_to_send_on() -> None:
    got = read("push Huoqianying to people who are not on WeChat, budget 20k")
    assert rules("push Huoqianying to people who are not on WeChat, budget 20k") == ["wechat_reachable = false"] and not got["channels"]
    got = read("not on sms, push only")
    assert got["channels"] == ["app_push"] and got["channels_excluded"] == ["sms"] and rules("not on sms, push only") == []

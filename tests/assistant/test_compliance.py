"""The compliance checker: each rule flags, fixes or refuses to fix; channel limits; the demo catalog's own copy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.compliance import ComplianceReport, Issue, OfferTerms, ProductTerms, channel_policy, check_copy, sms_text
from assistant.compliance._channels import channel_policies, default_opt_out, default_signoff, sms_room
from assistant.compliance._check import apr_from_daily
from finpilot._settings import reset_settings_cache
from retrieval import generate_demo
from retrieval._demo import generate_channels, generate_products

AS_OF = date(2026, 10, 30)
FUND_OK = "近一年收益 3.2%（数据截至 2026-10-30）。过往业绩不预示其未来表现。基金有风险，投资需谨慎。"


def codes(report: ComplianceReport, *, remaining: bool = False) -> list[str]:
    return [i.code for i in (report.remaining if remaining else report.issues)]


def assert_fixed_and_clean(report: ComplianceReport, **kwargs: object) -> str:
    """The fix made the copy pass, and the fixed text passes a fresh check with no error at all."""
    assert report.passed and report.fixed_text is not None and report.applied_fixes
    again = check_copy(report.fixed_text, fix=False, **kwargs)  # type: ignore[arg-type]
    assert again.passed and not [i for i in again.issues if i.severity == "error"], again.issues
    return report.fixed_text


# ---- promises -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "code"), [
    ("定投好基金，稳赚不赔！", "principal_promise"),
    ("这款理财保本，快来买。", "principal_promise"),
    ("零风险的理财，就选我们。", "principal_promise"),
    ("保证收益，闭眼入。", "return_promise"),
    ("躺赚的好机会，快来买。", "return_promise"),
    ("Guaranteed returns, every month.", "return_promise"),
    ("A risk-free way to grow, join now.", "principal_promise"),
])  # fmt: skip
def test_promises_are_flagged_and_the_clause_dropped(text: str, code: str) -> None:
    report = check_copy(text, product_kind=None)
    assert codes(report) == [code] and report.issues[0].severity == "error" and report.issues[0].fixable
    fixed = assert_fixed_and_clean(report, product_kind=None)
    assert len(fixed) < len(text)


def test_promise_as_modifier_keeps_the_noun() -> None:
    report = check_copy("「稳盈」保本理财上新啦", product_kind=None)
    assert report.fixed_text == "「稳盈」理财上新啦"


def test_promise_in_a_clause_with_facts_is_not_fixed() -> None:
    report = check_copy("「稳盈」年化 3% 保本保息", product_kind=None)
    promise = next(i for i in report.issues if i.code == "principal_promise")
    assert not promise.fixable and not report.passed
    assert "principal_promise" in codes(report, remaining=True)


def test_promise_that_is_the_whole_copy_is_not_fixed() -> None:
    report = check_copy("稳赚不赔", product_kind=None)
    assert not report.passed and report.fixed_text is None and not report.issues[0].fixable


@pytest.mark.parametrize("text", [
    "本产品不保本、不保证收益。",
    "业绩比较基准不代表实际收益，不承诺收益。",
    "R1 低风险，但不保证本金和收益。",
    "货币基金并非无风险，也可能亏损。",
    "按无风险利率 1.5% 计算夏普比率。",
    "This fund is not guaranteed and not risk-free.",
    "投资有亏损的可能，特别提示：不会保本。",
])  # fmt: skip
def test_negated_promises_and_terms_pass(text: str) -> None:
    report = check_copy(text, product_kind=None)
    assert report.passed and not report.issues, report.issues


# ---- absolute claims ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "「随心分」最长 40 天免息。",
    "最高可借 5 万元，按日计息（年化利率 18.25%，单利）。",
    "最短持有 7 天，每周开放赎回。",
    "商家贷最高 200 万元，最长 3 年。",
    "定投第一期免申购费。",
    "确诊重疾给付 100% 保额。",
    "幸运抽奖（最高 100 元）。",
    "一键查看最新净值。",
])  # fmt: skip
def test_limits_of_product_terms_are_not_absolute_claims(text: str) -> None:
    assert not check_copy(text, product_kind=None).issues


@pytest.mark.parametrize(("text", "word", "fixed"), [
    ("这只基金收益最高！", "最高", "这只基金收益！"),
    ("全网最低费率，快来申购。", "全网最低", "费率，快来申购。"),
    ("年化收益最高 8%。", "最高", None),
    ("最好的基金都在这里。", "最好", "基金都在这里。"),
    ("排名第一的债基。", "排名第一", "债基。"),
    ("100% 安全，放心买。", "100%", None),
    ("顶级团队，为您管理。", "顶级", "团队，为您管理。"),
    ("No.1 wealth app.", "No.1", None),
])  # fmt: skip
def test_absolute_claims_are_flagged_and_removed(text: str, word: str, fixed: str | None) -> None:
    report = check_copy(text, product_kind=None)
    claim = next(i for i in report.issues if i.code == "absolute_claim")
    assert claim.span is not None and text[claim.span[0] : claim.span[1]] == word and claim.fixable
    if fixed is not None:
        assert report.fixed_text == fixed
    assert "absolute_claim" not in codes(report, remaining=True)


# ---- risk warning ---------------------------------------------------------------------------------------------


def test_fund_copy_needs_the_full_risk_warning() -> None:
    report = check_copy("智能定投，低位多投。投资有风险。", product_kind="fund")
    assert codes(report) == ["missing_risk_warning"]  # 投资有风险 is not the required wording
    assert report.fixed_text == "智能定投，低位多投。投资有风险。基金有风险，投资需谨慎。"
    assert_fixed_and_clean(report, product_kind="fund")
    assert check_copy("智能定投，低位多投，基金有风险,投资须谨慎", product_kind="fund").passed


def test_wealth_copy_needs_a_risk_warning_and_insurance_does_not() -> None:
    report = check_copy("「周周盈」每周开放赎回", product_kind="wealth")
    assert codes(report) == ["missing_risk_warning"]
    assert report.fixed_text == "「周周盈」每周开放赎回。理财非存款，产品有风险，投资须谨慎。"
    assert check_copy("「周周盈」每周开放赎回。理财有风险，投资需谨慎。", product_kind="wealth").passed
    assert check_copy("一年期意外险，保额 50 万元。", product_kind="insurance").passed


def test_risk_warning_is_not_fixed_when_fix_is_off() -> None:
    report = check_copy("智能定投，低位多投", product_kind="fund", fix=False)
    assert not report.passed and report.fixed_text is None and report.remaining == report.issues


# ---- performance ----------------------------------------------------------------------------------------------


def test_performance_with_period_gets_as_of_and_caveat() -> None:
    text = "这只基金近一年收益 25%，值得关注。基金有风险，投资需谨慎。"
    report = check_copy(text, product_kind="fund", as_of=AS_OF)
    assert codes(report) == ["performance_without_as_of", "missing_performance_caveat"]
    fixed = assert_fixed_and_clean(report, product_kind="fund")
    assert "近一年收益 25%（数据截至 2026-10-30）" in fixed and "过往业绩不预示其未来表现" in fixed


def test_performance_without_period_cannot_be_fixed() -> None:
    report = check_copy("这只基金收益 25%，赶紧上车！", product_kind="fund", as_of=AS_OF)
    assert "performance_without_period" in codes(report, remaining=True) and not report.passed
    as_of = next(i for i in report.issues if i.code == "performance_without_as_of")
    assert not as_of.fixable  # a date without a period would still mislead


def test_performance_without_as_of_date_given_is_left_open() -> None:
    report = check_copy("近一年涨了 20%。过往业绩不预示其未来表现。基金有风险，投资需谨慎。", product_kind="fund")
    assert codes(report, remaining=True) == ["performance_without_as_of"] and not report.passed


@pytest.mark.parametrize("text", [
    FUND_OK,
    "今年以来年化 4%，数据截至 2026年10月30日。过往业绩不代表其未来表现。基金有风险，投资需谨慎。",
    "七日年化收益率 1.52%（数据截至 2026-10-30）。过往业绩不预示其未来表现。基金有风险，投资需谨慎。",
])  # fmt: skip
def test_complete_performance_passes(text: str) -> None:
    assert check_copy(text, product_kind="fund").passed


def test_benchmark_is_not_past_performance() -> None:
    text = "90 天封闭期，业绩比较基准年化 2.4%–2.8%，不代表实际收益。理财非存款，产品有风险，投资须谨慎。"
    assert not check_copy(text, product_kind="wealth").issues


# ---- loans ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("daily", "apr"), [(0.048, 17.52), (0.05, 18.25), (0.035, 12.78), (0.04, 14.6), (0.0115, 4.2)])
def test_apr_arithmetic(daily: float, apr: float) -> None:
    assert apr_from_daily(daily) == apr


def test_daily_rate_without_apr_gets_it_inserted() -> None:
    text = "「商家贷」最高可借 200 万元，日利率 0.048%，随借随还。"
    report = check_copy(text, product_kind="merchant_credit", daily_rate=0.048)
    assert codes(report) == ["loan_without_apr"] and report.issues[0].severity == "error"
    fixed = assert_fixed_and_clean(report, product_kind="merchant_credit", daily_rate=0.048)
    assert fixed == "「商家贷」最高可借 200 万元，日利率 0.048%（年化利率 17.52%，单利），随借随还。"


def test_apr_is_computed_from_the_copy_when_no_rate_is_given() -> None:
    report = check_copy("日利率 0.05% 起，先享后付", product_kind="consumer_credit")
    # The rate is a floor (起), so the annualised rate added is one too, right after it.
    assert report.fixed_text == "日利率 0.05% 起（年化利率 18.25%起，单利），先享后付"
    report = check_copy("日利率 0.02%–0.05%，先享后付", product_kind="consumer_credit")
    assert "（年化利率 7.3%–18.25%，单利）" in (report.fixed_text or "")
    report = check_copy("日息万分之4.8，随借随还", product_kind=None)  # a daily rate makes it loan copy
    assert "年化利率 17.52%" in (report.fixed_text or "")


def test_other_pricing_needs_apr_and_cannot_be_fixed_without_a_rate() -> None:
    report = check_copy("借 1 万元每天只要 5 元", product_kind="consumer_credit")
    assert codes(report) == ["loan_without_apr"] and not report.issues[0].fixable and not report.passed
    fixed = check_copy("借 1 万元每天只要 5 元", product_kind="consumer_credit", apr=18.25).fixed_text
    assert fixed == "借 1 万元每天只要 5 元（年化利率 18.25%，单利）"


def test_wrong_apr_is_flagged_and_corrected() -> None:
    text = "日利率 0.048%，年化利率 16%（单利）。"
    report = check_copy(text, product_kind="merchant_credit", daily_rate=0.048)
    assert codes(report) == ["apr_mismatch"] and report.issues[0].fixable
    assert report.fixed_text == "日利率 0.048%，年化利率 17.52%（单利）。"
    # Inside the copy alone: the stated annual rate must be the stated daily rate x 365.
    assert codes(check_copy(text, product_kind="merchant_credit")) == ["apr_mismatch"]
    # 约 allows the copy's own rounding, nothing more.
    assert check_copy("日利率 0.035%，年化利率（单利）约 12.8%", product_kind="merchant_credit").passed
    assert not check_copy("日利率 0.035%，年化利率（单利）12.8%", product_kind="merchant_credit", fix=False).passed


def test_daily_rate_that_disagrees_with_the_data_is_flagged() -> None:
    report = check_copy("日利率 0.04%（年化利率 14.6%，单利）", product_kind="merchant_credit", daily_rate=0.048)
    assert "rate_mismatch" in codes(report) and not report.passed


def test_inconsistent_rate_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="x 365"):
        check_copy("x", product_kind="merchant_credit", daily_rate=0.048, apr=18.0)


def test_loan_copy_must_not_target_students_or_promise_approval() -> None:
    report = check_copy("大学生也能借，秒批到账！年化利率 18.25%（单利）", product_kind="consumer_credit", apr=18.25)
    assert {"student_targeting", "approval_promise"} <= set(codes(report)) and not report.passed
    assert "student_targeting" in codes(report, remaining=True)
    ok = check_copy("年化利率 18.25%（单利），不向在校学生营销。", product_kind="consumer_credit", apr=18.25)
    assert ok.passed and not ok.issues
    fixed = check_copy("借款秒批，年化利率 18.25%（单利）", product_kind="consumer_credit", apr=18.25)
    assert fixed.passed and fixed.fixed_text == "年化利率 18.25%（单利）"


def test_a_loan_ad_without_the_annualised_rate_fails_on_every_surface() -> None:
    report = check_copy("商家贷，备货不差钱", product_kind="merchant_credit", fix=False)
    assert codes(report) == ["loan_without_apr"] and report.issues[0].severity == "error" and not report.passed
    # A 12-character banner cannot carry the rate: it fails (too long once fixed), never passes with a warning.
    banner = check_copy("速借限时福利", product_kind="consumer_credit", channel="home_banner", daily_rate=0.06, apr=21.9)
    assert not banner.passed and {"loan_without_apr", "too_long"} & set(codes(banner, remaining=True))
    fixed = check_copy("速借限时福利", product_kind="consumer_credit", channel="in_app_message", daily_rate=0.06, apr=21.9)
    assert fixed.passed and "年化利率 21.9%" in (fixed.fixed_text or "")


def test_a_rate_range_is_stated_from_its_lowest_rate() -> None:
    terms = ProductTerms(name="「速借」现金贷", daily_rate_min=0.02, apr_min=7.3)
    kw = {"product_kind": "consumer_credit", "daily_rate": 0.06, "apr": 21.9, "product": terms, "fix": False}
    assert check_copy("速借，日利率0.02%起，年化利率7.3%–21.9%（单利）", **kw).passed
    assert check_copy("速借，日利率0.02%–0.06%，年化利率7.3%–21.9%（单利）", **kw).passed
    top_as_floor = check_copy("速借，日利率0.06%起，年化利率21.9%（单利）", **kw)
    assert "rate_mismatch" in codes(top_as_floor) and not top_as_floor.passed
    assert "apr_mismatch" in codes(check_copy("速借，日利率0.02%起，年化利率21.9%起（单利）", **kw))
    assert "apr_mismatch" in codes(check_copy("速借，日利率0.02%起，年化利率5%–21.9%（单利）", **kw))
    # Without a range (one rate), the old rule holds: that rate, and 起 only before it.
    assert check_copy("商家贷，日利率0.048%，年化利率17.52%（单利）", product_kind="merchant_credit", daily_rate=0.048, fix=False).passed


def test_a_deposit_is_called_a_deposit_and_only_a_deposit_is_insured() -> None:
    deposit = check_copy("安存智能存款，理财非存款，产品有风险，投资须谨慎。", product_kind="deposit", fix=False)
    assert "copy_unfaithful" in codes(deposit) and not deposit.passed
    fixed = check_copy("安存智能存款，三年期。", product_kind="deposit")
    assert fixed.passed and "存款保险" in (fixed.fixed_text or "")
    wealth = check_copy("稳盈90天，受存款保险保护。理财非存款，产品有风险，投资须谨慎。", product_kind="wealth", fix=False)
    assert "copy_unfaithful" in codes(wealth)


def test_every_number_and_incentive_word_must_be_the_terms() -> None:
    terms = ProductTerms(name="「稳盈」90 天定期理财", terms="90 天封闭期的固收类理财，业绩比较基准年化 2.4%–2.8%，不代表实际收益。")
    none = OfferTerms(kind="none", value=0, unit="", name="无")
    warn = "理财非存款，产品有风险，投资须谨慎。"
    assert check_copy(f"稳盈90天，业绩比较基准年化2.4%–2.8%。{warn}", product_kind="wealth", product=terms, offer=none, fix=False).passed
    invented = check_copy(f"稳盈90天，年化3.5%。{warn}", product_kind="wealth", product=terms, offer=none, fix=False)
    assert "copy_unfaithful" in codes(invented)
    for word in ("限时福利", "7天免息", "8折", "送500积分", "满1000减10"):
        report = check_copy(f"稳盈90天{word}。{warn}", product_kind="wealth", product=terms, offer=none, fix=False)
        assert "copy_unfaithful" in codes(report), word
    points = OfferTerms(kind="points", value=500, unit="points", name="500 积分")
    assert check_copy(f"稳盈90天，送500积分。{warn}", product_kind="wealth", product=terms, offer=points, fix=False).passed
    # The product's own terms may be repeated: 随心分's 40 天免息 is the product's, not an offer.
    sxf = ProductTerms(name="「随心分」先享后付额度", terms="账单日前全额还款最长享 40 天免息")
    ok = check_copy("随心分最长40天免息，年化利率18.25%（单利）", product_kind="consumer_credit", apr=18.25, product=sxf, offer=none, fix=False)
    assert ok.passed


def test_no_fund_rules_on_loan_copy() -> None:
    # 年化利率 is a price, not a return: no period, as-of or caveat is asked for.
    assert check_copy("日利率 0.048%，年化利率（单利）17.52%。", product_kind="merchant_credit", daily_rate=0.048).passed


# ---- personal data, full-width text ---------------------------------------------------------------------------


def test_personal_data_is_masked() -> None:
    report = check_copy("客户 13812345678 卡号 6222021234567894321 已开户", product_kind=None)
    assert codes(report) == ["pii", "pii"]
    assert report.fixed_text == "客户 138****5678 卡号 尾号 4321 已开户"


def test_full_width_text_keeps_spans() -> None:
    text = "保证收益１０％，快来"
    report = check_copy(text, product_kind=None)
    promise = report.issues[0]
    assert promise.span is not None and text[promise.span[0] : promise.span[1]] == "保证收益"


# ---- channels -------------------------------------------------------------------------------------------------


def test_every_demo_channel_has_a_policy_and_the_limits_are_the_files() -> None:
    ids = {c.channel_id for c in generate_channels(0)}
    assert ids <= set(channel_policies()), f"channels without a policy: {ids - set(channel_policies())}"
    assert channel_policy("sms").text_limit == 70 and channel_policy("home_banner").text_limit == 12
    assert channel_policy("app_push").title_limit == 20 and channel_policy("outbound_call").text_limit is None
    sms = channel_policy("sms")
    assert sms.signoff and sms.needs_opt_out and sms.send_window() == "08:00–21:00" and sms.weekly_cap >= 1
    with pytest.raises(ValueError, match="unknown channel"):
        channel_policy("fax")


def test_a_changed_policy_changes_what_the_checker_enforces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checker reads the same validated file as the planner: a bank's added channel is checked by its own limit."""
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "channels_bank.toml").write_text(
        '[channel.bank_ticker]\ntext_limit = 8\nweekly_cap = 2\n', encoding="utf-8")
    monkeypatch.setenv("FINPILOT_HOME", str(tmp_path))
    reset_settings_cache()
    report = check_copy("稳盈90天限时福利来了", product_kind=None, channel="bank_ticker")
    assert not report.passed and any(i.code == "too_long" for i in report.remaining)
    assert check_copy("稳盈90天", product_kind=None, channel="bank_ticker").passed


@pytest.mark.parametrize("body, error", [
    ('[channel.sms]\ntext_limit = 60\nweekly_cap = 2\n', "defined twice|means"),  # a packaged channel redefined
    ('[channel.x]\ntext_limit = 0\nweekly_cap = 2\n', "greater than 0"),
    ('[channel.x]\nweekly_cap = 2\nquiet_hours = ["25:00", "08:00"]\n', "quiet_hours"),
    ('[channel.x]\nweekly_cap = 2\ntext_limt = 30\n', "text_limt"),
    ('[channel.x]\ntext_limit = 30\n', "weekly_cap"),
])  # fmt: skip
def test_a_bad_policy_file_is_refused_with_the_entry_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, error: str) -> None:
    from finpilot import FinpilotError

    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "channels_bad.toml").write_text(body, encoding="utf-8")
    monkeypatch.setenv("FINPILOT_HOME", str(tmp_path))
    reset_settings_cache()
    with pytest.raises((FinpilotError, ValueError), match=error):
        channel_policy("sms")


def test_sms_frame_and_room() -> None:
    signoff, opt_out = default_signoff(), default_opt_out()
    assert sms_room() == 70 - len(signoff) - len(opt_out) == 56
    assert sms_text("您的券明天到期。") == f"{signoff}您的券明天到期。{opt_out}"
    assert sms_room(signoff="【示例平台】") == 70 - 6 - 4


def test_sms_of_exactly_70_passes_and_71_fails() -> None:
    head = "您的定投券本周日到期。基金有风险，投资需谨慎。"
    body70 = head + "定" * (sms_room() - len(head))
    sms70 = sms_text(body70)
    assert len(sms70) == 70
    assert check_copy(sms70, product_kind="fund", channel="sms").passed
    report = check_copy(sms_text(body70 + "投"), product_kind="fund", channel="sms")
    assert codes(report) == ["too_long"] and not report.passed and not report.issues[0].fixable


def test_sms_gets_signoff_and_opt_out() -> None:
    report = check_copy("您有一张定投申购费1折券，本周日到期。", product_kind="fund", channel="sms")
    assert set(codes(report)) == {"missing_signoff", "missing_opt_out", "missing_risk_warning"}
    fixed = assert_fixed_and_clean(report, product_kind="fund", channel="sms")
    assert fixed == "【finpilot】您有一张定投申购费1折券，本周日到期。基金有风险，投资需谨慎。回T退订"
    own = check_copy("【示例平台】您的券本周日到期。回T退订", product_kind=None, channel="sms")
    assert own.passed and not own.issues  # any bracketed sign-off counts


def test_fix_that_does_not_fit_is_too_long_not_truncated() -> None:
    body = "您有一张定投申购费1折券，本周日到期，" + "快" * 30
    text = sms_text(body)
    assert len(text) <= 70
    report = check_copy(text, product_kind="fund", channel="sms")
    assert not report.passed and report.fixed_text is None
    assert set(codes(report, remaining=True)) == {"missing_risk_warning", "too_long"}
    too_long = next(i for i in report.remaining if i.code == "too_long")
    assert "基金有风险" in too_long.message


def test_banner_and_push_limits() -> None:
    assert check_copy("商家贷，备货好帮手", product_kind=None, channel="home_banner").passed
    assert codes(check_copy("商家贷，备货好帮手，随借随还", product_kind=None, channel="home_banner")) == ["too_long"]
    body = "您的定投计划可升级为智能定投。基金有风险，投资需谨慎。"
    assert len(body) <= 40
    assert check_copy(body, product_kind="fund", channel="app_push", title="定投升级提醒").passed
    report = check_copy(body, product_kind="fund", channel="app_push", title="全网最好的定投工具，" + "快" * 12)
    assert set(codes(report)) == {"absolute_claim", "too_long"} and not report.passed
    assert all(i.message.startswith("标题") and not i.fixable for i in report.issues)
    with pytest.raises(ValueError, match="no separate title"):
        check_copy("x", product_kind=None, channel="sms", title="x")


# ---- the report -----------------------------------------------------------------------------------------------


def test_a_report_with_an_open_error_is_never_passed() -> None:
    error = Issue(code="return_promise", severity="error", message="x")
    with pytest.raises(ValidationError):
        ComplianceReport(passed=True, issues=[error], remaining=[error])
    with pytest.raises(ValidationError):
        ComplianceReport(passed=False, issues=[], remaining=[])
    warning = Issue(code="loan_without_apr", severity="warning", message="x")
    assert ComplianceReport(passed=True, issues=[warning], remaining=[warning]).passed


BAD_COPY = [
    ("fund", "稳赚不赔的好基金，近一年收益 12.3%，排名第一！"),
    ("wealth", "零风险理财，今年以来年化 4%，快来买"),
    ("merchant_credit", "最高可借 200 万元，日利率 0.048%，秒批！"),
    ("consumer_credit", "日利率 0.05%，年化利率 17%，最长 40 天免息"),
    (None, "全网最低费率，保证收益，联系 13912345678"),
]


@pytest.mark.parametrize(("kind", "text"), BAD_COPY)
def test_fixed_copy_passes_a_fresh_check(kind: str | None, text: str) -> None:
    report = check_copy(text, product_kind=kind, as_of=AS_OF)  # type: ignore[arg-type]
    assert report.issues and report.passed, report.remaining
    assert_fixed_and_clean(report, product_kind=kind)


def test_copy_that_contradicts_the_data_is_not_rewritten() -> None:
    # The copy's own daily rate and the data disagree: which is right is a person's call, so nothing is corrected.
    report = check_copy("日利率 0.04%，年化利率 14.6%（单利）", product_kind="merchant_credit", daily_rate=0.048)
    assert codes(report) == ["rate_mismatch", "apr_mismatch"] and report.fixed_text is None and not report.passed


# The compliant examples the knowledge documents give (compliance-*.md, playbook-copywriting-by-channel.md).
KNOWLEDGE_EXAMPLES = [
    ("merchant_credit", None, ("「商家贷」最高可借 200 万元，按日计息，日利率 0.048%（年化利率 17.52%，单利），借 30 万元用 90 天"
                               "利息 12,960 元。具体额度和利率以审批结果为准。")),
    ("fund", None, ("示例债券基金 A 近一年收益 3.2%（统计区间 2025-10-31 至 2026-10-30，数据截至 2026-10-30）。"
                    "过往业绩不预示其未来表现。基金有风险，投资需谨慎。")),
    ("fund", None, "该基金近一年收益 25%（数据截至 2026-10-30）。过往业绩不预示其未来表现。基金有风险，投资需谨慎。"),
    ("fund", "sms", "【示例平台】您的定投计划可升级为智能定投，低位多投。基金有风险，投资需谨慎。回T退订"),
    ("fund", "sms", "【示例平台】您有一张定投申购费1折券，本周日到期。基金有风险，投资需谨慎。回T退订"),
    ("fund", None, ("本基金 C 类份额不收申购费，每年收取 0.4% 的销售服务费；持有少于 7 天赎回费 1.5%，满 30 天免赎回费。"
                    "A 类申购费原费率 1.2%，本平台 1 折即 0.12%。基金有风险，投资需谨慎。")),
    ("fund", None, "申购费率 1 折（原费率 1.5%，折后 0.15%）。风险等级 R1，不保证本金和收益。基金有风险，投资需谨慎。"),
]


@pytest.mark.parametrize(("kind", "channel", "text"), KNOWLEDGE_EXAMPLES)
def test_knowledge_examples_pass(kind: str, channel: str | None, text: str) -> None:
    report = check_copy(text, product_kind=kind, channel=channel, fix=False)  # type: ignore[arg-type]
    assert report.passed and not report.issues, report.issues


# ---- the demo catalog -----------------------------------------------------------------------------------------


def test_demo_product_descriptions() -> None:
    """Credit and insurance descriptions pass as written; wealth descriptions are catalog text, not marketing copy,
    and carry no risk warning, so as copy they need one (the checker adds it and they pass)."""
    products = generate_products(0)
    assert len(products) == 23
    for p in products:
        kind = "deposit" if p.deposit_insured else p.kind.value
        report = check_copy(p.description, product_kind=kind, daily_rate=p.daily_rate, apr=p.apr)  # type: ignore[arg-type]
        if kind == "wealth":
            assert codes(report) == ["missing_risk_warning"], (p.product_id, report.issues)
            assert report.passed and report.applied_fixes == ["补上风险提示「理财非存款，产品有风险，投资须谨慎。」"]
        else:
            assert not report.issues, (p.product_id, report.issues)


@pytest.mark.parametrize(("offer", "text", "ok"), [
    (("lottery", 100, "幸运抽奖（最高 100 元）"), "限时福利：活钱盈，领100元红包。", False),
    (("lottery", 100, "幸运抽奖（最高 100 元）"), "限时福利：活钱盈，参与抽奖，最高100.88元。", False),
    (("lottery", 100, "幸运抽奖（最高 100 元）"), "限时福利：活钱盈，参与抽奖，最高100元。", True),
    (("cash_subsidy", 15.14, "理财新客红包 15.14 元"), "新客专享：活钱盈，领19.88元红包。", False),
    (("cash_subsidy", 15.14, "理财新客红包 15.14 元"), "新客专享：活钱盈，领15.14元红包。", True),
    (("coupon", 24, "医疗险首月 1 元"), "限时福利：康护百万医疗险，领24元红包。", False),
    (("none", 0, "无"), "好久不见：活钱盈，领10元红包。", False)])  # fmt: skip
def test_copy_states_the_incentive_as_the_offer_is(offer: tuple[str, float, str], text: str, ok: bool) -> None:
    from assistant.compliance import OfferTerms

    terms = OfferTerms(kind=offer[0], value=offer[1], unit="yuan", name=offer[2])
    report = check_copy(text + "理财非存款，产品有风险，投资须谨慎。", product_kind="wealth", offer=terms, fix=False)
    assert report.passed is ok and (ok or any(i.code == "offer_misstated" for i in report.remaining))


def test_a_plans_copy_says_a_lottery_is_a_lottery_and_a_first_month_offer_is_no_red_packet() -> None:
    from datetime import date

    from assistant.campaigns import Planner

    generate_demo()  # the planner reads the demo tables; the command line and the app make them first
    planner = Planner()
    planner.today = date(2026, 11, 24)
    lottery = planner.plan("金积存推广，幸运抽奖最高100元，push+短信，预算5万", ask=False)
    assert lottery.copy_items and all("抽奖" in c.text and "最高100元" in c.text and "红包" not in c.text for c in lottery.copy_items)
    trial = planner.plan("康护医疗险推广，医疗险首月1元，短信+push，预算5万", ask=False)
    assert trial.copy_items and all("红包" not in c.text and "首月1元" in c.text and c.compliant for c in trial.copy_items)


@pytest.mark.parametrize("text", [
    "联系 138 1234 5678 办理", "致电 +86 138-1234-5678", "卡号 6222 0212 3456 7890 123 到账", "卡号6222-0212-3456-7890",
    "身份证110101199003071234", "联系13812345678", "订单号 2026112900001", "年化利率 7.3%–21.9%", "满 1,000 减 10 元", "日期 2026-11-29",
])  # fmt: skip
def test_the_checker_flags_a_personal_number_exactly_when_the_privacy_layer_masks_it(text: str) -> None:
    """Two vocabularies had drifted: the masking caught 138 1234 5678, the checker did not."""
    from assistant.backends._privacy import mask_pii

    flagged = "pii" in codes(check_copy(text, product_kind=None, fix=False))
    assert flagged == (mask_pii(text) != text), (text, mask_pii(text))

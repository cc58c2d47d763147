"""Words marketers use, mapped to brief slots. Data, not logic: extend here, not in the parser."""

from __future__ import annotations

GOAL_WORDS: list[tuple[str, str]] = [
    ("交叉销售", "cross_sell"), ("交叉营销", "cross_sell"), ("cross-sell", "cross_sell"), ("cross sell", "cross_sell"),
    ("召回", "win_back"), ("唤醒", "win_back"), ("沉睡", "win_back"), ("流失", "win_back"), ("回流", "win_back"),
    ("win back", "win_back"), ("win-back", "win_back"), ("reactivat", "win_back"), ("lapsed", "win_back"), ("dormant", "win_back"),
    ("拉新", "acquire"), ("获客", "acquire"), ("新客", "acquire"), ("新用户", "acquire"), ("首购", "acquire"), ("首投", "acquire"),
    ("acquire", "acquire"), ("acquisition", "acquire"), ("new customers", "acquire"), ("new users", "acquire"),
    ("促活", "activate"), ("活跃", "activate"), ("日活", "activate"), ("月活", "activate"), ("activate", "activate"), ("engagement", "activate"),
    ("留存", "retain"), ("复购", "retain"), ("续投", "retain"), ("防流失", "retain"), ("retain", "retain"), ("retention", "retain"), ("renew", "retain"),
    ("转化", "convert"), ("提升申购", "convert"), ("冲规模", "convert"), ("冲量", "convert"), ("放款", "convert"), ("借款量", "convert"),
    ("convert", "convert"), ("conversion", "convert"), ("sign up", "convert"), ("drive sales", "convert"),
]  # fmt: skip
"""Longer and more specific words first: 沉睡 (win back) beats 活跃 when both appear."""

CATEGORY_WORDS: list[tuple[str, str]] = [
    ("经营贷", "merchant_credit"), ("商家贷款", "merchant_credit"), ("商户贷", "merchant_credit"), ("merchant loan", "merchant_credit"),
    ("消费贷", "consumer_credit"), ("现金贷", "consumer_credit"), ("借款", "consumer_credit"), ("贷款", "consumer_credit"),
    ("借钱", "consumer_credit"), ("分期", "consumer_credit"), ("信贷", "consumer_credit"), ("loan", "consumer_credit"), ("credit", "consumer_credit"),
    ("理财", "wealth"), ("存款", "wealth"), ("wealth", "wealth"), ("savings", "wealth"),
    ("保险", "insurance"), ("医疗险", "insurance"), ("重疾险", "insurance"), ("意外险", "insurance"), ("insurance", "insurance"),
    ("基金", "fund"), ("定投", "fund"), ("fund", "fund"),
]  # fmt: skip

CHANNEL_WORDS: list[tuple[str, str]] = [
    ("短信", "sms"), ("sms", "sms"), ("text message", "sms"),
    ("app推送", "app_push"), ("app 推送", "app_push"), ("推送", "app_push"), ("push", "app_push"),
    ("服务号", "wechat_service"), ("企业微信", "wechat_work"), ("企微", "wechat_work"), ("朋友圈", "wechat_moments_ad"),
    ("小程序", "mini_program"), ("wechat", "wechat_service"), ("微信", "wechat_service"),
    ("首页轮播", "home_banner"), ("理财频道 banner", "wealth_banner"), ("理财频道banner", "wealth_banner"), ("理财频道", "wealth_banner"),
    ("还款成功页 banner", "repay_banner"), ("还款成功页banner", "repay_banner"), ("还款成功页", "repay_banner"), ("repayment page", "repay_banner"),
    ("wealth channel banner", "wealth_banner"), ("wealth banner", "wealth_banner"), ("首页 banner", "home_banner"), ("banner", "home_banner"), ("轮播", "home_banner"),
    ("wechat work", "wechat_work"), ("wecom", "wechat_work"), ("moments ads", "wechat_moments_ad"), ("moments", "wechat_moments_ad"),
    ("in-app", "in_app_message"), ("ai call", "ai_call"), ("robocall", "ai_call"), ("app push", "app_push"), ("feed ads", "feed_ad"),
    ("开屏", "splash_screen"), ("splash", "splash_screen"), ("弹窗", "popup"), ("popup", "popup"), ("pop-up", "popup"),
    ("站内信", "in_app_message"), ("in-app message", "in_app_message"), ("人工外呼", "outbound_call"), ("电销", "outbound_call"),
    ("智能语音", "ai_call"), ("ai外呼", "ai_call"), ("ai 外呼", "ai_call"), ("机器人外呼", "ai_call"), ("外呼", "ai_call"),
    ("outbound call", "outbound_call"), ("phone call", "outbound_call"), ("打电话", "outbound_call"), ("电话", "outbound_call"), ("邮件", "email"), ("email", "email"), ("信息流", "feed_ad"), ("feed ad", "feed_ad"),
]  # fmt: skip

EXCLUDE_MARKERS = ("不要", "不用", "别用", "别打", "不打", "不走", "去掉", "排除", "除了", "不发", "别发", "no ", "without", "exclude", "not via", "skip", "avoid")

AUDIENCE_RULES: list[tuple[str, str, str]] = [
    # (words as a regex, the audience hint we record, the segment-language fragment it means)
    (r"新客|新用户|首购|首投|未购买|没买过|new (customer|user)s?|first[- ]time", "新客", "aum_band = '0'"),
    (r"沉睡|流失|久未登录|很久没登录|不活跃|dormant|lapsed|inactive", "沉睡用户", "days_since_login > 90"),
    (r"活跃用户|月活用户|active users?", "活跃用户", "monthly_active = true"),
    (r"一线城市|一线|tier[- ]1", "一线城市", "city_tier = 1"),
    (r"二线城市|二线|tier[- ]2", "二线城市", "city_tier = 2"),
    (r"下沉市场|三四线|县城|lower[- ]tier", "下沉市场", "city_tier >= 3"),
    (r"年轻人|年轻用户|年轻|z世代|young", "年轻人", "age_band in ('18-24', '25-34')"),
    (r"中年|middle[- ]aged", "中年", "age_band in ('35-44', '45-54')"),
    (r"老年|银发|退休|55岁以上|60岁以上|retire|senior|older", "中老年", "age_band in ('55-64', '65+')"),
    (r"高净值|大客户|高资产|high[- ]net[- ]worth|affluent|wealthy", "高净值", "aum_band in ('200k-1m', '1m+')"),
    (r"商家|商户|店主|小微|merchant|shop owner|small business", "商家", "is_merchant = true"),
]  # fmt: skip

GOAL_SEGMENTS: dict[str, str] = {
    "acquire": "monthly_active = true and aum_band = '0'",
    "activate": "days_since_login between 15 and 90",
    "convert": "monthly_active = true",
    "retain": "monthly_active = true and aum > 0",
    "win_back": "days_since_login > 90",
    "cross_sell": "monthly_active = true and aum > 0",
}
"""The segment a goal implies when the brief names no audience (the playbooks in the knowledge base say why)."""

ELIGIBILITY: dict[str, str] = {
    "sujie": "age_band != '18-24'",
    "jiazhuang_fenqi": "age_band != '18-24'",
    "shangjiadai": "is_merchant = true",
    "dingdandai": "is_merchant = true and merchant_monthly_sales >= 10000",
    "beihuodai": "is_merchant = true",
    "shangjia_yinhang": "is_merchant = true",
}
"""Who a credit product may be offered to, as a rule over the tags (from each product's eligibility text: 22+ for
cash loans, merchants for merchant credit). Student and overdue status are not tags here, so the copy must not target
them and the export says so."""

OFFER_WORDS: list[tuple[str, str]] = [
    (r"(\b|首借)?7\s*天免息|7-day interest[- ]free|seven-day interest[- ]free", "interest_free_7d"),
    (r"30\s*天免息|30-day interest[- ]free", "interest_free_30d"), (r"前\s*3\s*期免息|3 interest[- ]free instalments", "bnpl_instalment_free_3"),
    (r"商家贷.{0,6}9\s*折|9折.{0,10}merchant|merchant rate.{0,6}(9折|10% off)", "merchant_rate_9zhe"), (r"利率\s*8\s*折|8\s*折.{0,4}利率|20% off the (interest )?rate", "rate_8zhe"),
    (r"加息券|yield boost|rate[- ]boost coupon", "yield_boost_05"), (r"抽\s*(1|一)\s*克黄金|gold lottery|1 ?g(ram)? of gold", "lottery_gold"),
    (r"抽奖|lucky draw|lottery", "lottery_100"), (r"双倍积分|double points", "points_double"), (r"500\s*积分|500 points", "points_500"),
    (r"话费|phone credit|top-up", "gift_phone_10"), (r"视频会员|video (vip|membership)", "gift_video_vip"),
    (r"定投前\s*3\s*期免申购费", "dca_fee_free_3"), (r"免申购费|申购费\s*0\s*折|no purchase fee", "fee_free"), (r"申购费\s*1\s*折|90% off the purchase fee", "fee_1zhe"),
    (r"满\s*1,?000\s*减\s*10", "coupon_1000_10"), (r"定投满\s*100\s*减\s*5", "coupon_dca_5"), (r"首月\s*1\s*元|first month for 1 yuan", "insurance_first_month"),
    (r"首借红包|first[- ]loan (bonus|cash)", "cash_50_merchant"), (r"签到红包|check-in bonus", "cash_520"), (r"定投首期红包", "cash_888"),
]  # fmt: skip
"""Offers named by what they are (7 天免息券, 利率 8 折, 加息券); a cash amount equal to an offer's value names it too."""

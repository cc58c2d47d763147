"""The compliance lexicon, kept as data: regexes for promises, absolute claims, performance, loan pricing and PII.

Every pattern runs on *folded* text (see `_check.fold`): full-width forms are mapped one character to one character
to their ASCII twins (`，` -> `,`, `％` -> `%`, `（` -> `(`, `１` -> `1`) and Latin is lower-cased, so a span found
in the folded text is the same span in the original. Write patterns for that form; CJK punctuation without an ASCII
twin (`。`, `、`, `【】`, `「」`) stays as it is.

The prohibited claims (promises, absolute words, approval promises), the disclosure wording and the student words come
from policy.toml, the one policy every checker reads; what stays here is how the checker finds and fixes them.

Sources: retrieval/knowledge/compliance-*.md (no-return-promise, absolute-claims, risk-warning, past-performance,
performance-period, loan-apr, responsible-lending, vulnerable-groups, sms-optout, personal-data-masking).
"""

from __future__ import annotations

from assistant.compliance._policy import policy
from assistant.text import PII_BANK_CARD, PII_ID_CARD
from assistant.text import PII_MOBILE as MOBILE

_P = policy()  # the claims, disclosures and student words live in policy.toml, one source for every checker

# ---- standard wording the fixes insert (full-width, as it is shown to users)
RISK_WARNING = {kind: _P.disclosures[kind].wording for kind in ("fund", "wealth", "deposit")}
PERFORMANCE_CAVEAT = _P.disclosures["performance"].wording

NUM = r"\d+(?:\.\d+)?"
CN_NUM = r"[\d一二两三四五六七八九十百千万半]"
RANGE_SEP = r"\s*(?:-|–|—|~|至|到)\s*"

# Text that ends a clause: the promise fix drops a whole clause, the negation cue must sit in the same one.
CLAUSE_END = ",;:、。!?\n"
SENTENCE_END = "。!?;\n"

# ---- promises of returns or principal (compliance-no-return-promise). Longer alternatives first, so 稳赚不赔
# is one hit and not 稳赚 + a stray 不赔; 无风险利率 is a term (the risk-free rate), not a promise.
PRINCIPAL_PROMISE = _P.claims["principal_promise"].pattern
RETURN_PROMISE = _P.claims["return_promise"].pattern
# A cue right before a hit (in the same clause) turns it into a warning: 不保本, 不保证收益, 并非无风险, "not risk-free".
NEGATION_BEFORE = (
    r"(?:不|非|无法|不能|不会|不可|不得|没有|未|并非|不是|不构成|不代表|不等于|不意味着|禁止|严禁|杜绝|谨防|警惕|切勿|勿|(?<![特分区类级个性识差])别"
    r"|\bnot|\bno|\bnever|\bisn'?t|\baren'?t|\bwithout)"
    r"(?:任何)?(?:形式的)?(?:宣传|承诺|出现|使用|写|说|提|是)?\s*[\"'“”‘’「」]?\s*$"
)
# A promise clause that holds one of these carries facts a fix must not throw away; then only a person can rewrite it.
KEEP_IN_CLAUSE = r"\d|「|」|有风险|谨慎"
# 保本 used as a modifier ("保本理财") can lose the word and keep the noun: 「稳盈」保本理财 -> 「稳盈」理财.
MODIFIER_NOUN = r"(?:的)?(?:理财|产品|基金|投资|存款|计划|组合)"

# ---- absolute claims (compliance-absolute-claims)
SUPERLATIVE = _P.claims["superlative"].pattern
# 最高/最长 + a number states a limit of the product's terms (最高可借 5 万元, 最长 40 天免息, 最短持有 7 天): allowed.
# The gap may hold a verb but no return word, so 最高收益 8% stays a claim.
LIMIT_AFTER_SUPERLATIVE = r"^(?:(?!收益|回报|涨|赚)[^\d,;。!?\n]){0,4}?" + CN_NUM
RETURN_WORDS = r"收益|回报|涨|赚|盈利"
# A market-wide comparison is a claim even with a number: 全网最低 0.1 折, 同类最高.
COMPARATIVE_PREFIX = r"(?:全网|全国|全行业|全市场|全平台|同类|业内|行业|史上|市场上|全球|宇宙)$"
ABSOLUTE = _P.claims["absolute_claim"].pattern

# ---- performance figures (compliance-performance-period, compliance-past-performance). 年化利率/费率 is a loan
# price, not a return; 业绩比较基准 is a target, not past performance (the benchmark carries its own caveat).
PERFORMANCE = (
    r"(?:七日年化(?:收益率?)?|7日年化(?:收益率?)?|年化(?!利率|费率|成本|综合|单利)(?:收益率?|回报率?)?|收益率?|回报率?|涨幅|涨了"
    r"|上涨|累计涨|净值增长率?|跌幅|跌了|回撤|跑赢[^,;。!?\n\d]{0,8})"
    r"[^,;。!?\n\d%]{0,6}?(?P<num>[+-]?" + NUM + r")\s*%"
)
BENCHMARK_BEFORE = r"基准\s*$"
PERIOD = (
    r"近\s*" + CN_NUM + r"*\s*个?\s*(?:日|天|周|月|季度?|年)|今年以来|年初至今|今年|年内|本年度|成立以来|设立以来|上市以来"
    r"|过去\s*" + CN_NUM + r"+\s*个?\s*(?:日|天|周|月|年)|(?:19|20)\d{2}\s*年(?!\s*\d{1,2}\s*月)(?:度|全年|以来)?|[上下]半年"
    r"|[一二三四1-4]季度|七日年化|7日年化|万份收益|统计区间|区间"
)
DATE = r"(?:(?:19|20)\d{2}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?|\d{1,2}\s*月\s*\d{1,2}\s*日)"
AS_OF = r"(?:截至|截止(?:到|日期?)?|数据日期|as of)\s*[:：]?\s*" + DATE
HAS_CAVEAT = _P.disclosures["performance"].present

# ---- risk warning (compliance-risk-warning). The fund wording is fixed; wealth accepts the bank-style sentence too.
HAS_RISK_WARNING = {kind: _P.disclosures[kind].present for kind in ("fund", "wealth", "deposit")}
# A bank deposit is a deposit: copy that calls it "not a deposit" or an investment's risk misdescribes it.
NOT_A_DEPOSIT = r"理财非存款|非存款产品|不是存款"

# ---- loan pricing (compliance-loan-apr, compliance-responsible-lending)
DAILY_RATE = (
    r"(?:日利率|日息|日费率|日综合费率|按日计息)[^,;。!?\n\d]{0,4}?(?P<lo>" + NUM + r")\s*%"
    r"(?:" + RANGE_SEP + r"(?P<hi>" + NUM + r")\s*%|\s*(?P<floor>起|以上))?"
    r"|(?:日利率|日息)?\s*万分之(?P<wan>" + NUM + r")"
)
ANNUAL_RATE = (
    r"(?:年化(?:利率|费率|综合成本|综合费率)?|年利率)\s*(?:\(\s*单利\s*\))?\s*(?:为|是|仅|低至|只要)?\s*(?P<about>约)?\s*"
    r"(?P<lo>" + NUM + r")\s*%(?:" + RANGE_SEP + r"(?P<hi>" + NUM + r")\s*%|\s*(?P<floor>起|以上))?"
)
# Any other way of pricing a loan also needs the annualised rate beside it.
OTHER_PRICING = (
    r"(?:每天|每日|一天|日均)[^,;。!?\n]{0,6}?" + CN_NUM + r"+(?:\.\d+)?\s*(?:元|块|毛|分钱)|月利率|月息|月费率|分期手续费|手续费率"
    r"|利息\s*" + NUM + r"|低至\s*" + NUM + r"\s*(?:%|元)|利率(?:超|很|较|更)?低|低利率|低息"
)
APPROVAL_PROMISE = _P.claims["approval_promise"].pattern
STUDENT = _P.vulnerable.student_in_copy
NEGATION_BEFORE_STUDENT = r"(?:不向|不对|不面向|不含|不包括|禁止|严禁|不得向|非)\s*$"
NEGATION_AFTER_STUDENT = r"^[^,;。!?\n]{0,6}?(?:除外|不予|不可|不能|不得|勿|不适用|不提供|禁止)"

# ---- personal data (compliance-personal-data-masking); the fixes mask them the way that document shows. One set of
# patterns with the privacy layer's masking (assistant/text/_pii.py): 138 1234 5678 is a phone number to both.
PHONE, ID_CARD, BANK_CARD = MOBILE, PII_ID_CARD, PII_BANK_CARD

# ---- SMS (compliance-sms-optout): any bracketed sign-off at either end counts, the platform's default is added
HAS_SIGNOFF = r"^\s*【[^】]{1,16}】|【[^】]{1,16}】\s*$"
HAS_OPT_OUT = r"回\s*t\s*d?\s*退订|退订回\s*t\s*d?|回复\s*t\s*d?\s*退订|拒收请?回复?\s*[rt]"

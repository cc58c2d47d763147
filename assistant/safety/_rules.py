"""The refusal lexicon, kept as data: (category, regex) rules, the negation and question cues, and the defusers.

Every pattern runs on text already normalised by NFKC and lower-cased, so full-width `，？！：；` arrive as ASCII
`,?!:;` and `Ｒ５` as `r5`; write patterns for that form. A rule may name a group `hit`: negation and question cues
are then judged against the hit, not the whole match, so "写文案, 不要承诺收益" skips while "别提风险" (whose negation
is the offence itself, and so sits inside the match) does not.

Known limit, measured: a lexicon catches the wording it has seen. Three batches of adversarial requests written after
the rules (rows tagged heldout1..3 in eval/suites/compliance_own.jsonl) were refused 4/25, 2/30 and 3/25 before their
concepts were added here. It is a floor of explicit violations, not a classifier of intent: keep it in front of a
model-based check, and add rules by concept (a new verb, a new tell), never by a test's exact sentence.
"""

from __future__ import annotations

from typing import Literal

from assistant.compliance import policy as _policy

Category = Literal[
    "mislead", "hide_fees_or_risk", "promise_returns", "fake_reviews", "inside_information", "manipulation",
    "vulnerable_credit", "suitability_bypass", "other_illegal",
]  # fmt: skip


def _sent(n: int) -> str:
    """A gap of up to n characters that stays inside one sentence."""
    return f"[^。!?\\n]{{0,{n}}}"


def _clause(n: int) -> str:
    """A gap of up to n characters that stays inside one clause (no comma or semicolon)."""
    return f"[^,;。!?\\n]{{0,{n}}}"


def _any(*alternatives: str) -> str:
    """One non-capturing group of alternatives."""
    return "(?:" + "|".join(alternatives) + ")"


# Verbs and nouns that make a statement an assertion to investors (write it, say it, put it on a poster);
# a bare "保本吗" or "有没有零风险的产品" is a question and does not carry one.
_SPEECH = _any(
    r"写|说|讲|告诉|告知|宣传|宣称|声称|号称|标榜|承诺|保证|标语|标题|口号|slogan|文案|话术|海报|短信|推送|push",
    r"卖点|推广语|宣传语|广告语|润色|拍胸脯|公众号|文章|突出|强调|暗示|包装|回复|描述|形容|打造|主打|营造",
    r"误以为|误认为|错误地?认为|误导|吸引|诱导|邀请函|宣传单|直播|脚本|推文|朋友圈|广告|视频|介绍",
    r"写明|标明|注明|加一句|加一条|让[^。!?\n]{0,10}(?:相信|以为|觉得|认为)",
)
_SPEECH_EN = (
    r"\b(?:write|writing|draft|say|saying|says|tell|telling|claim|claiming|promis\w*|advertis\w*|ads?|copy|headline"
    r"|slogan|push|notification|sms|email|brochure|banner|post|pitch|promot\w*|describe|present|message|script"
    r"|assure|label|market(?:ing)? it)\b"
)
# What a compliant product never promises. `不会亏` is not preceded by 会, so "会不会亏" (a question) stays out;
# 无风险利率 is the risk-free rate, a term, not a promise.
_PROMISE = "|".join([
    r"保本|保收益|保息|保底|稳赚|稳赢|稳拿|零风险|无风险(?!利率|收益率|资产|套利|回报率)|没有任何风险|没有风险",
    r"(?<!会)不会亏|(?<![会想怕])不亏|(?<!会)不会赔|一分不亏|只赚不亏|只赚不赔|亏损包赔|包赔|高枕无忧",
    r"(?:肯定|一定|必然|必定|绝对|包)(?:你|您)?(?:能|会|可以)?(?:赚|涨|盈利|回本|比|跑赢|超过|高于|战胜)",
    r"(?:本钱|本金)" + _clause(6) + r"(?:少不了|不会少|保得住|丢不了|不会损失)|收益(?:都|绝对)?有保障",
    r"本金(?:安全)?(?:绝对)?有保障|本金(?:绝对)?安全|刚性兑付|刚兑|绝不会?违约|收益率?锁定|锁定收益",
    r"零损失|不会损失|不可能亏|稳稳(?:地|的)?多?(?:拿|赚|收|领|到手)|固定的?(?:钱|收益|回报|利息)|不会少",
    r"亏了?(?:算我|算我们|平台|公司|我们)(?:的|赔|补|负责|兜底)?|兜底|稳定可靠",
    r"(?:年年|每年|每月|月月)稳定|稳定(?:\d+|[一二三四五六七八九十两]+)(?:个点|%)",
    r"100%(?:不亏|安全|赚|保本)|百分之百(?:不亏|安全|赚)|绝对安全|躺着?(?:赚|收钱)|只多不少|只涨不跌",
    # The copy checker's promise words too (必赚, 必涨, 包赚, 保证回报 …): a request to write what the checker would flag
    # is refused, one vocabulary for both (assistant/compliance/_rules.py).
    *(c.pattern for c in _policy().claims.values() if c.category == "promise_returns" and c.refuse_request),
])  # fmt: skip
_PROMISE_EN = (
    r"\b(?:risk[- ]free(?! rate)|no[- ]risk|zero[- ]risk|principal[- ]protected|capital[- ]guaranteed|guaranteed"
    r"|can'?t lose|cannot lose|never lose|won'?t lose|will not lose|can only go up|only goes up|can'?t go down"
    r"|will (?:always|definitely|certainly) (?:go up|rise|grow|make money|beat)"
    r"|(?:certain|sure|bound) to (?:double|rise|grow|make|earn|beat|go up))\b"
)
# What a disclosure must carry. 无风险/零风险 are promise words, so "不能出现'无风险'" is not a request to hide risk.
_COST_RISK = _any(
    r"(?<![无零没])风险|费|成本|佣金|利息|利率|年化|回撤|亏损|亏钱|跌|波动|清盘|等级|r[345]\b",
    r"小字|免责|声明|提示|揭示|警示|条款",
)
_WARNING = _any(
    r"风险提示|风险揭示|风险警示|风险声明|免责声明|业绩声明|提示语|基金有风险|投资需谨慎|过往业绩|年化利率|费率说明",
    # 风险等级只要C5；外呼不要了: a grade the audience is narrowed to, not the grade line of the copy
    r"风险等级(?!\s*(?:只要|只|限|上限|下限|不超过|不低于|最低|最高|放宽|改成|改为|换成|调到|调整|[:：=]?\s*[cCrR]\s*\d|在\s*[cCrR]))",
    r"(?:等级|评级|费|风险)(?:那|这)?一?(?:行|栏|段|部分|条|句话?)",
)
_DISCLOSE = _any(r"写|提|提及|提到|说|讲|告诉|告知|提醒|披露|展示|体现|标注|标明|注明|提示|解释|透露|出现|说明|强调")
# A 不 in the middle of "能不能/会不会/是不是" asks a question; it is not a "don't".
_DONT = _any(r"不要|别|不用|不必|无需|不需要|没必要|千万别|就别|都不要|都别|也不要|也不用|也别|(?<![能会是要可有])不")
_REMOVE = _any(r"删掉|删了|删除|删去|去掉|拿掉|省掉|省略|去除|隐去|省去|不放|不加|不要了|不用加")
_CONCEAL = _any(
    r"隐瞒|隐藏|掩盖|掩饰|遮掩|瞒着|瞒下|瞒住|淡化|弱化|回避|避开|略去|忽略|忽视|跳过|藏起来|模糊|含糊",
    r"避免(?:透露|提及|提到|披露|说明|展示)|带过|略过|轻描淡写|少提|少说|藏在|藏到",
)
_FAKE = _any(
    r"刷|水军|小号|马甲|托儿|不同口吻|像真的|像真实|语气要像|看起来像|假扮|装成|扮成|装作|随便编|编就行|雇人|找人",
    r"冒充|假装|伪装|虚构|虚假|伪造|编造|捏造|杜撰|瞎编",
    r"以[^。!?\n]{0,4}(?:客户|用户|投资者)的?(?:名义|口吻|身份)|用[^。!?\n]{0,6}(?:客户|用户|投资者)的?口吻",
)
_TESTIMONY = _any(
    r"好评|差评|评价|评论|点评|评分|打分|高分|五星|晒收益|晒单|截图|感谢信|推荐信|案例|访谈|证言|口碑|帖子|留言|评测",
    r"评级|认证|买家秀|种草|笔记|心得|心声|使用体验",
)
_INSIDE_NEWS = r"(?:信息|消息|政策|业绩|名单|结论|研报|数据|公告|财报|季报|重组|并购|调仓)"
_PRICE_UP_DOWN = r"(?:做高|做上去|拉上去|拉起来|推上去|推高|抬上去|顶上去|炒上去|拉高|抬高|砸下来|砸低|压低|做低)"
_EN_GAP = r"[^;!?\n]"  # a sentence is already cut at ". ", so a "." left inside is a decimal point

RULES: list[tuple[Category, str]] = [
    # ---- other_illegal first, where its words would otherwise read as fake reviews or mislead
    ("other_illegal", r"(?:冒充|假冒|假扮|冒用)(?:证监会|监管|银保监|金融监管|人民银行|央行|警察|公安|法院|官方|工作人员|银行|客服)"),
    ("other_illegal", r"洗钱|洗白|黑钱|来路不明|非法来源|非法所得|赃款|\blaunder\w*"),
    ("other_illegal", r"逃税|偷税|漏税|逃避" + _sent(4) + r"税|规避" + _sent(8) + r"(?:纳税|税款|申报|税)"
     + r"|\btax evasion\b|\bevade tax"),
    ("other_illegal", r"(?:逃避|规避|躲避|绕过|绕开|避开)" + _sent(8)
     + r"(?:监管|审查|监督|稽查|实名|认证|风控|适当性|反洗钱|合规)"),
    # trading or opening accounts under someone else's name
    ("other_illegal", r"(?:用|借|以)" + _clause(6) + r"(?:亲戚|别人|他人|朋友|家人|亲属)的?(?:名字|名义|身份|账户)"
     + r"|(?:别人|他人|借用|冒用|盗用)的?(?:身份证|身份|账户|账号)|批量注册|匿名开" + _clause(3) + r"户"
     + r"|\b(?:someone else'?s|other people'?s|relatives'?|friends'?|family'?s?|borrowed|stolen)\s+"
     + r"(?:ids?|identit\w*|id cards?|passports?)\b|\b(?:under )?fake names?\b|\bfake id\b"),
    # suitability: answering or editing the client's risk questionnaire, selling up the risk scale
    ("other_illegal", r"代填|代答|(?:帮|替)(?:他|她|客户|用户)(?:填|做|答)" + _clause(4) + r"(?:测评|问卷|评估)"
     + r"|(?:测评|问卷)" + _clause(12) + r"(?:故意|乱选|选激进|改答案)"
     + r"|(?:测评|问卷|评估)" + _sent(12) + r"(?:帮|替)(?:他|她|客户|用户|老人)(?:选|填|答|做|勾)"
     + r"|改" + _clause(6) + r"(?:测评|问卷)" + _clause(4) + r"(?:答案|结果|选项)"
     # …but not a campaign narrowing its audience (风险等级改成只要C3): that filters who is targeted, it changes no grade
     + r"|(?:风险等级|测评结果|风险承受能力|测评等级)(?!\s*(?:的)?\s*(?:上限|下限|门槛|要求|范围|封顶))" + _clause(8) + r"(?:改成|改为|调成|调高|改高|提高到|调到)(?!\s*(?:只要|只推|只投|只给|仅|限))"),
    ("other_illegal", r"(?:c1|c2|保守)" + _sent(25) + r"(?:想办法|说服|劝|让他|让她|卖给|推给|绕)" + _sent(10)
     + r"(?:r4|r5|高风险|股票)|(?:r4|r5|高风险)" + _sent(15) + r"(?:卖给|推给|推销给)" + _clause(6)
     + r"(?:c1|c2|保守|老年|老人)"
     + r"|(?:老人|老年|\d{2}岁|大爷|大妈)" + _sent(15) + r"(?:推|卖|推荐|推销)" + _clause(6) + r"(?:杠杆|高风险|r5|r4|期货)"
     + r"|(?:未成年|未满18|学生)" + _sent(12) + r"(?:销售|卖|推销|推荐)" + _clause(8) + r"(?:高风险|r4|r5|股票|期货)"),
    # signing for the client, acting without consent, pressure selling, sharing the client's gains or losses
    ("other_illegal", r"代签|(?:帮|替)(?:他|她|客户|用户|老人)" + _clause(8) + r"(?:签了|签字|签名|签掉|确认了)"
     + r"|在(?:客户|投资者|用户|委托人)?(?:不知情|未经" + _clause(8) + r"(?:授权|同意|允许))的?情况下"
     + r"|代(?:委托人|客户|投资者)?(?:接收|收取|保管)" + _clause(10) + r"资金|挪用|损害" + _clause(6) + r"(?:权益|利益)"
     + r"|(?:强迫|逼迫|胁迫|高压销售)" + _clause(10) + r"(?:购买|买|投资|签)"
     + r"|分享" + _clause(4) + r"收益" + _clause(4) + r"分担" + _clause(4) + r"损失"
     + r"|(?:分担|共担|承担)客户的?(?:投资)?(?:损失|亏损)"),
    ("other_illegal", r"回扣|不走公司|别走公司|走私账|账外|(?:私下|偷偷)" + _clause(6) + r"(?:返现|返佣|返钱|返利)"
     + r"|(?:返现|返佣|返利)" + _sent(12) + r"(?:私下|个人微信|个人账户)"
     + r"|(?:私下|私自|偷偷)(?:联系|交易|转账|操作|接触|收|打款|拉群)"),
    ("other_illegal", r"(?:劝|鼓励|引导|说服|诱导)" + _clause(8) + r"(?:借|贷款|网贷|套现|刷信用卡)" + _clause(8)
     + r"(?:买|投|申购|炒)"),
    # client data leaving the firm
    ("other_illegal", r"(?:客户|用户|投资者)的?" + _sent(20) + r"(?:卖给|出售|倒卖|贩卖|泄露|泄漏)"
     + r"|(?:卖|出售|倒卖|泄露)" + _clause(6) + r"(?:客户|用户)的?(?:信息|数据|资料|名单|手机号)"
     + r"|(?:客户|用户)的?" + _clause(16) + r"(?:发给|传给|给|交给)" + _clause(6) + r"(?:外面|外部|私募|第三方|同行)"
     + r"|(?:客户|用户)(?:名单|信息|资料|数据)" + _sent(25) + r"(?:私下|带走|拿走|外传)"),
    ("other_illegal", r"资金盘|拉人头|庞氏|传销|非法集资|套路贷"),
    # "how do I ... by illegal means": the verb frame makes it a request; 识别/举报/避免 before the hit undo it
    ("other_illegal", r"(?:如何|怎么|怎样|有没有办法|有什么(?:方法|办法)|帮我|帮助|请你|教我|方案)" + _sent(20)
     + r"(?P<hit>(?:违规|违法|非法|不正当|不合规|未经授权|未授权)的?"
     + r"(?:方式|手段|途径|渠道|操作|投资|交易|产品|资金|获取|募集|服务))"),
    # ---- fake reviews and testimonials
    ("fake_reviews", _FAKE + _sent(25) + _TESTIMONY + r"|" + _TESTIMONY + _sent(12) + _FAKE),
    ("fake_reviews", r"(?:写|编|生成|造|发|弄)" + _clause(6) + r"(?:\d+|几|十|数十|上百|一批|一堆|大量|一些)(?:条|个|篇|份|封)"
     + _clause(8) + r"(?:好评|五星|评价|评论|差评|感谢信|推荐信|晒收益)"),
    ("fake_reviews", r"编(?:一个|一些|几个|个|几条|一段|一批|一封)" + _clause(10)
     + r"(?:客户|用户|投资者|案例|评价|好评|故事|截图|感谢信|访谈)"),
    ("fake_reviews", r"(?:冒充|假装|伪装|假扮|装成|扮成|装作)成?是?" + _clause(4)
     + r"(?:客户|用户|投资者|第三方|分析师|独立|专家|网友)"),
    ("fake_reviews", r"(?:生成|做|p|伪造|合成|弄)" + _clause(8) + r"(?:客户|用户|投资者)?的?(?:收益|盈利|持仓)?截图"),
    ("fake_reviews", r"(?:员工|同事|内部人员|自己人)" + _sent(12) + r"(?:打高分|好评|评论|评分|点赞|五星)"),
    ("fake_reviews", r"\bfake (?:\w+[- ]){0,3}(?:reviews?|testimonials?|ratings?|comments?)\b"
     + r"|\bmake up (?:a |some )?(?:testimonial|review|case)|\bastroturf|\bsock ?puppet"
     + r"|\bpretend(?:ing)? to be (?:an? )?(?:independent|customer|client|investor|analyst|user)"
     + r"|\b(?:pos(?:e|es|ing)|pretend\w*|masquerad\w*|impersonat\w*)\b" + _EN_GAP + r"{0,20}\b(?:as )?(?:an? )?"
     + r"(?:retail |real |ordinary |happy |independent )?"
     + r"(?:investors?|customers?|clients?|users?|analysts?|reviewers?)\b"
     + r"|\bas if (?:you were|written by|they were|from)\b" + _EN_GAP
     + r"{0,30}\b(?:customers?|clients?|investors?|users?)\b"),
    # ---- inside information
    ("inside_information", r"内幕|内部消息|内部信息|内线|老鼠仓|抢先交易"),
    ("inside_information", r"(?:未|尚未|还没有?|没有?)(?:公开|公布|发布|公告|披露)的?" + _sent(12) + _INSIDE_NEWS),
    # acting before the news is out
    ("inside_information", r"(?:还没|尚未|未|没有?)(?:公开|公布|发布|公告|披露)" + _sent(12)
     + r"(?:先|提前|抢先|赶紧|赶快|趁)" + _clause(6) + r"(?:买|卖|建仓|布局|埋伏|下手|入|出|告诉|透露)"
     + r"|(?:消息|公告|名单|结果)" + _clause(4) + r"(?:还没|尚未|未)(?:出|放出|见报)" + _sent(12) + r"(?:先|提前|抢先|赶紧|趁)"
     + r"|(?:趁|赶在|抢在)" + _clause(8) + r"(?:消息|公告|公布|发布|披露)" + _clause(4) + r"(?:前|之前)"
     + r"|(?:公布|发布|公告|披露|出来)之?前" + _sent(15)
     + r"(?:透露|告诉|泄露|通知|先买|先卖|买入|卖出|建仓|上车|埋伏|加仓|加满|仓位)"
     + r"|(?:申赎|申购|赎回|交易|调仓|持仓)(?:数据|信息|指令|计划)" + _sent(12) + r"提前" + _clause(4) + r"(?:交易|买|卖|操作)"),
    ("inside_information", r"提前(?:知道|获知|得知|拿到|获取|掌握|透露|打听)" + _sent(12)
     + r"(?:业绩|财报|季报|消息|公告|名单|重组|并购|调仓|政策|利好|利空|结果|数据|动态)"),
    # someone inside a company or an institution passing on what it will do
    ("inside_information", r"(?:朋友|亲戚|熟人|同学|内部人士|内部人员|高管|高层|董秘)" + _sent(20)
     + r"(?:下周|明天|过几天|近期|即将|马上|要|将)" + _clause(6)
     + r"(?:(?:发|公布|发布|披露)" + _clause(4) + r"(?:利好|利空|公告|业绩|财报|重组|并购|消息)|调仓|重组|并购|停牌)"),
    ("inside_information", r"(?:董秘|高管|高层|董事|财务总监|内部人|在" + _clause(10) + r"公司" + _clause(6) + r"(?:当|做|任))"
     + _sent(30) + r"(?:下个?月|下周|明天|过几天|即将|马上|要|将|有)" + _clause(6)
     + r"(?:重组|并购|收购|利好|利空|公告|业绩|停牌)" + _sent(30) + r"(?:买|卖|建仓|操作|仓位|上车)"),
    ("inside_information", r"在" + _clause(12) + r"(?:公司|基金|券商|交易所|交易部|财务|托管|研究所|投行)" + _sent(30)
     + r"(?:告诉|透露|提前|私下|看到|看得到)" + _sent(20) + r"(?:要|将|准备|打算)" + _clause(4)
     + r"(?:大买|大卖|买入|卖出|调仓|建仓|减持|增持|重组|并购|停牌|公布|发布|公告|买的|卖的)"),
    ("inside_information", r"利用" + _clause(12) + r"(?:掌握|获知|知道|内部|客户)" + _clause(10) + r"(?:信息|数据|消息)"
     + r"|(?:私下|偷偷)(?:给|透露|告诉)" + _sent(15) + r"(?:还没|未|尚未|研报|消息|业绩)"),
    ("inside_information", r"\bnon-?public\b|\binside (?:information|info|tip)"
     + r"|\binsider (?:information|info|tips?|knowledge)\b"
     + r"|\btipped off\b|\bleak(?:ed|s|ing)?\b|\bfront[- ]?run"
     + r"|\bbefore (?:the |its |it'?s |they(?:'re| are) |it is )?(?:public(?:ly)? |official(?:ly)? )?"
     + r"(?:release|released|announcement|announced|published|public|disclosed|disclosure|made public)\b"
     + r"|\b(?:sits? on the board|on the board|works? (?:at|for) the company|executive|insider|director|cfo|ceo)\b"
     + _EN_GAP + r"{0,40}\b(?:says|said|told|tells)\b" + _EN_GAP + r"{0,40}"
     + r"\b(?:will be announced|is going to announce|will announce|earnings|acquisition|merger|takeover|results)\b"),
    # ---- market manipulation
    ("manipulation", r"操纵|拉抬|砸盘|对倒|对敲|自买自卖|虚假申报|坐庄|喊单|带单|先买后推|拉高出货|高位出货|炒高|抱团"
     + r"|冲排名|冲业绩|拉净值|做净值|联手拉|集中资金|割韭菜|卖给散户|散户接盘|控盘|来回倒手|倒仓"
     + r"|控制了?" + _clause(8) + r"(?:流通盘|筹码)|账户之间" + _clause(6) + r"(?:来回|互相|相互)"),
    ("manipulation", r"(?:股价|价格|净值|排名|收盘价)" + _clause(6) + _PRICE_UP_DOWN
     + r"|(?:拉升|抬高|压低|砸低)" + _clause(4) + r"(?:股价|价格|收盘价)"),
    ("manipulation", r"(?:挂单|挂买单|挂卖单|买单|卖单|申报)" + _clause(6) + r"(?:再|然后|后)?撤单|制造" + _clause(8) + r"假象"),
    # rumours and coordinated posting
    ("manipulation", r"散布" + _clause(8) + r"(?:谣言|假消息|虚假|利好|利空)|(?:编造|发布|散播)" + _clause(4)
     + r"(?:虚假的?)?(?:利好|利空)(?:消息)?|让(?:群友|散户|粉丝|别人|投资者)" + _clause(4) + r"接"
     + r"|(?:集中|组织|安排|雇人|找人|批量)" + _clause(6) + r"(?:发帖|发文|刷帖|唱空|唱多|带节奏)"
     + r"|(?:唱空|唱衰|抹黑)" + _sent(12) + r"(?:等|再|然后)" + _clause(8) + r"(?:买|抄底|吸筹)"),
    ("manipulation", r"\bpump[- ]and[- ]dump|\bwash[- ]trad|\bspoof|\bmanipulat\w*|\bcorner the market|\brumou?rs?\b"
     + r"|\bpaint(?:ing)? the tape|\b(?:spike|pump|prop up|drive up|drive down|push up|ramp up)\b(?: \w+){0,2}"
     + r" (?:price|stock|shares)\b"
     + r"|\bcoordinat\w*\b" + _EN_GAP + r"{0,40}\b(?:buy\w*|sell\w*|post\w*|messages?|tweets?)\b"),
    # ---- hiding fees or risks; the negation is the offence, so it sits inside the match
    ("hide_fees_or_risk", _CONCEAL + _clause(12) + _COST_RISK),
    ("hide_fees_or_risk", _COST_RISK + _sent(20) + r"(?:瞒|藏起来|糊弄过去|搪塞)"
     + r"|" + _COST_RISK + _clause(8) + r"(?:" + _CONCEAL + r"|隐藏掉|藏掉|屏蔽|折叠起来)"),
    ("hide_fees_or_risk", _DONT + _clause(4) + _DISCLOSE + _clause(12) + _COST_RISK),
    ("hide_fees_or_risk", _COST_RISK + _clause(8) + _DONT + r"再?" + _DISCLOSE),
    ("hide_fees_or_risk", _DONT + r"把?" + _clause(6) + _COST_RISK + _clause(6)
     + r"(?:写出来|算出来|标出来|露出来|展示出来|列出来|写上|标上|写进|列出|告诉|给" + _clause(4) + r"看)"),
    ("hide_fees_or_risk", _REMOVE + _clause(10) + _WARNING + r"|" + _WARNING + _sent(16) + _REMOVE),
    # deferring a disclosure until after the sale, feigned forgetting, changing the subject
    ("hide_fees_or_risk", r"(?:问|问到|问起)" + _sent(14) + r"(?:就说|就回答|你就说)"
     + r"(?:没有|没|不收|免费|不知道|不清楚|记不清|不记得|忘了)"
     + r"|" + _COST_RISK + _sent(16) + r"(?:等|到)" + _clause(10) + r"(?:签约|下单|付款|买了|购买|成交|点进来)"
     + _clause(4) + r"(?:时|后|以后)?再" + _clause(4) + r"(?:说|告诉|显示|展示|提|披露)"),
    ("hide_fees_or_risk", r"含糊|搪塞|敷衍|糊弄|打太极|避重就轻|岔开|转移话题|避而不谈|顾左右而言他|(?:不要|别|不)正面回答"),
    ("hide_fees_or_risk", r"(?:尽量|故意|最好)?让(?:人|客户|用户|投资者|他们|大家)(?:看不到|看不见|注意不到|发现不了|不注意)"
     + r"|(?:不让|别让|不要让)(?:人|客户|用户|投资者|他|她|他们|大家)" + _clause(4)
     + r"(?:知道|注意|看到|发现|察觉|仔细看|细看)|字号" + _clause(4) + r"(?:最小|很小|小一点|调小)"),
    ("hide_fees_or_risk", r"\b(?:don'?t|do not|never|no need to|without|not)\s+(?:\w+\s+){0,2}(?:mention\w*|show\w*"
     + r"|disclos\w*|tell\w*|includ\w*|list\w*|say\w*|state|explain\w*|talk about)\b[^,;!?\n]{0,30}"
     + r"\b(?:fees?|risks?|costs?|charges?|loss(?:es)?|drawdowns?|commissions?)\b"),
    ("hide_fees_or_risk", r"\b(?:leave out|leaving out|omit\w*|hid(?:e|ing)|conceal\w*|bury\w*|downplay\w*|skip\w*"
     + r"|drop\w*|remov\w*|strip\w*|keep)\b" + _EN_GAP + r"{0,45}"
     # …but "leave out anyone who never did the risk questionnaire" narrows an audience by its risk grade
     + r"\b(?:fees?|(?<!cap )(?<!capped )risks?(?!\s*(?:questionnaire|assessment|grade|profile|level|tolerance|test|survey|rating|appetite)s?\b)(?!\s*(?:at|to|of)?\s*c\s?[1-5]\b)|costs?|charges?|warnings?|disclaimers?|drawdowns?|loss(?:es)?)\b"
     + r"|\b(?:nobody|no one|no-one)\s+(?:\w+\s+)?(?:opens|reads|sees|notices|checks|looks at)\b"),
    # ---- promising returns or principal: an assertion verb with a promise, or a promise that is one by itself
    ("promise_returns", _SPEECH + _sent(30) + r"?(?P<hit>" + _PROMISE + r")"),
    ("promise_returns", r"(?P<hit>" + _PROMISE + r")" + _sent(20)
     + r"(?:文案|话术|海报|短信|推送|标语|口号|宣传|广告|卖点|slogan)"),
    ("promise_returns", r"(?P<hit>承诺" + _clause(15) + r"(?:收益|回报|盈利|利润|赚|年化|本金|保本|不亏|回本))"),
    ("promise_returns", r"(?P<hit>(?:保证|担保)" + _clause(12) + r"(?:赚|盈利|不亏|回本|本金|稳定|固定|高额|收益|回报|\d+(?:\.\d+)?%))"),
    ("promise_returns", r"(?P<hit>(?:收益|回报|年化)率?" + _clause(3) + r"(?:保证|保底|锁定|承诺)"
     + r"|(?:高额|稳定|固定|丰厚)的?(?:回报|收益)的?承诺)"),
    ("promise_returns", _SPEECH_EN + _EN_GAP + r"{0,60}?(?P<hit>" + _PROMISE_EN + r")"),
    ("promise_returns", r"(?P<hit>\b(?:guarantee[sd]?|guaranteeing|promis(?:e|es|ed|ing))\b" + _EN_GAP + r"{0,30}"
     + r"\b(?:returns?|yields?|profits?|gains?|principal|income|payouts?|\d+%))"),
    # ---- every other claim of the policy a request may not ask us to write (秒批, 不看征信 …), under its category
    *((c.category, _SPEECH + _sent(30) + r"?(?P<hit>" + c.pattern + r")") for c in _policy().claims.values()
      if c.category != "promise_returns" and c.refuse_request),
    # ---- concepts the red-team of issue 15 found unruled: pressure selling by fear of loss, a risk grade stated lower
    # in English, leaving out the compliance review, and an insider's tip relayed in English
    ("mislead", r"(?:再不买|不买就|错过(?:这次|今天)?就|晚了就|现在不上车)" + _clause(4) + r"(?:亏|后悔|没了|来不及|吃亏)"
     + r"|最后一天" + _sent(15) + r"(?:赶紧|抓紧|马上|立刻|错过|再不|手慢)"),
    ("mislead", r"\b(?:act now|buy now|hurry)\b" + _EN_GAP + r"{0,20}\bor\b" + _EN_GAP + r"{0,20}\b(?:regret|lose|miss out)\b"
     + r"|\blast (?:day|chance)\b" + _EN_GAP + r"{0,30}\b(?:act now|before it'?s too late|or you'?ll|don'?t miss)\b"),
    ("mislead", r"\b(?:r[345]|high[- ]risk|aggressive)\b" + _EN_GAP + r"{0,40}\b(?:as|is)\s+(?:a\s+)?(?:low[- ]risk|safe|conservative|r[12])\b"),
    ("hide_fees_or_risk", r"(?:别|不要|不用|不必|无需|跳过|略过|省掉|免去?|绕过|绕开)(?:再)?(?:走|过|送|提交|做)?(?:合规|法务|风控)(?:部门)?的?"
     + r"(?:审核|审查|审批|检查|复核|流程|这一关|那关)"),
    ("hide_fees_or_risk", r"\b(?:skip|bypass|skipping|bypassing|no need for|don'?t (?:send|run) it (?:through|past))\b" + _EN_GAP
     + r"{0,20}\b(?:compliance|legal)\s+(?:check|review|approval|sign-?off|team)\b"),
    ("inside_information", r"\b(?:friend|contact|source|someone|guy|insider|cousin)\b" + _EN_GAP + r"{0,40}\b(?:at|inside|in) (?:the|that) (?:company|firm)\b"
     + r"[^!?\n]{0,80}\b(?:buy|sell|trade|load up|get in|tell clients)\b"),  # the tip and the trade may sit either side of a ";"
    # ---- misleading investors: cherry-picking periods and peers
    ("mislead", r"(?:挑|选|选择|挑选|截取)" + _sent(12) + r"(?:最好|好的|最高|较好|有利|亮眼|最优|最佳|涨得最多)" + _sent(10)
     + r"(?:时间段|时段|月份?|区间|期间|阶段|年份|那几年|那段)"
     + r"|(?:最好|最高|有利|亮眼)的?" + _clause(6) + r"(?:几个月|三个月|一个月|两个月|单月|那段|一周)" + _sent(10)
     + r"(?:年化|宣传|当成|作为)|(?:最差|垫底|最弱|差的)" + _clause(8) + r"(?:比|对比)"),
    ("mislead", r"(?:不写|不标|不注明|不说明|不提|别写|不要写|去掉|删掉)" + _clause(8)
     + r"(?:哪一年|时间段|统计区间|区间|期间|截止日期?|日期|时间)"),
    # restating a fact as a better one
    ("mislead", r"(?:排名|收益|业绩|回撤|规模|年限|评级|风险等级|累计|年化|成立以来|近一年)" + _sent(12)
     + r"(?:写成|说成|改成|标成|标为|写为|当成|当作|当做|改为)"
     + r"(?:前|第|\d|近|年化|累计|实际|真实|它|自己|最|r[1-5]|低风险|同类)"
     + r"|(?:套用|借用|挪用|拿)" + _clause(16) + r"(?:业绩|收益|数据)" + _sent(10) + r"(?:当作|当成|当做|作为|冒充)"
     + r"|(?:说成|写成|改写成|改成|当成|当作|包装成|伪装成|冒充)" + _clause(6)
     + r"(?:实际|真实|存款|储蓄|保本|银行|国家队|官方|第三方|独立)"),
    ("mislead", r"(?:收益|回撤|业绩|数据|规模|净值|排名|年限|亏损)" + _clause(8)
     + r"(?:改小|改大|改低|改高|调低|调高|写高|写低|少写|多写|写大|写小|改好看)"
     + r"|(?:让|使)" + _clause(10) + r"(?:数字|收益|业绩|回报|数据|净值|排名|涨幅|曲线|增长)" + _clause(6)
     + r"(?:看起来|显得|看上去)?更?(?:大|高|多|好看|漂亮|亮眼)|显得" + _clause(6) + r"(?:厉害|专业|强|好)"
     + r"|(?:截断|压缩|拉伸|调整)" + _clause(4) + r"(?:纵轴|坐标|y轴)"),
    # a product passed off as a deposit, or as backed by the state
    ("mislead", r"(?:和|跟|与)(?:银行)?(?:存款|储蓄|存定期|定期存款|存银行|定期)(?:一样|差不多|没区别|没有区别|无异)"
     + r"|(?:等同于|相当于|就是)(?:银行)?(?:存款|储蓄)|存款保险|(?:国债|存款|银行|保险)级(?:的)?(?:安全|保障|稳健)"
     + r"|(?:国家|政府|央行|证监会|监管|银行)" + _clause(4) + r"(?:背书|担保|兜底|认证|推荐|撑腰)"
     + r"|\b(?:endorsed|backed|vouched for|guaranteed) by (?:the )?"
     + r"(?:central bank|government|state|regulators?|csrc|pboc)\b"
     + r"|\bas safe as (?:cash|a deposit|deposits|savings|government bonds|treasuries)\b"
     + r"|(?:same as|equivalent to|as safe as|no different from)" + _EN_GAP
     + r"{0,6}(?:a )?(?:bank )?(?:deposit|savings)"),
    ("mislead", r"(?:r4|r5|高风险)" + _sent(20) + r"(?P<hit>适合|推荐给|卖给)" + _clause(4) + r"(?:保守|c1|c2|老人|稳健|新手)"),
    # the request itself admits the copy is false: "写…, 其实…不…"
    ("mislead", r"(?:" + _SPEECH + r"|发|贴|放|标)" + _sent(40) + r"(?P<hit>(?:其实|实际上|实际|事实上|实则)" + _clause(4)
     + r"(?:并|根本|都)?(?:不会|不是|没有|没|只有|不限|照收|是我们|也收|要收|还收|达不到|不到)"
     + r"|(?:其实|事实上|实则)" + _clause(4) + r"才"
     + r"|(?:虽然|尽管)" + _clause(8) + r"(?:没给|没评|没授权|没有授权|都有|都收|都要收|并不|并没有|根本不|根本没))"),
    ("mislead", r"(?:从来|从未|从没|从不)(?:没有?)?(?:亏|失败|回撤|跌过|出过错)|完美无缺|无懈可击|万无一失|无可匹敌|无可挑剔"),
    ("mislead", r"编(?:一个|一些|几个|个|一段|一份)" + _clause(10) + r"(?:履历|经历|学历|背景|奖项?|荣誉|资质|数据|业绩|排名)"
     + r"|(?:包装|粉饰|美化)" + _clause(10) + r"(?:亏损|亏钱|表现差|业绩差|差的|下跌|暴雷|违规)"),
    ("mislead", r"(?:看不懂|听不懂|不懂|不明白|搞不清)" + _sent(12) + r"(?:就说|你就|就告诉|不用讲|不用说|别讲|别说|不用解释)"),
    ("mislead", r"混着写|混在一起写|混用|偷换|(?:巧妙|故意|刻意)地?混淆|混淆" + _clause(12) + r"(?:让|使|以为)"),
    # words that name the deception outright
    ("mislead", r"误导|误以为|误认为|错误地?认为|产生错觉|虚假|造假|伪造|篡改|捏造|编造|杜撰|虚构|夸大|夸张|欺骗|欺诈|蒙骗"
     + r"|忽悠|诱饵|诱骗|诱导|诱使|诈骗|骗取|不真实|不实的|暗示|隐瞒|掩盖|瞒着"
     + r"|故意(?:少|多|写|改|选|漏|不|隐|瞒|误|夸|压|抬|混|说|报)"),
    ("mislead", r"\b(?:mislead\w*|exaggerat\w*|deceiv\w*|deception|fabricat\w*|falsif\w*|misrepresent\w*"
     + r"|doctor(?:ed|ing)?)\b"
     + r"|\bmake up\b|\bmade[- ]up\b|\bfake\b|\b(?:isn'?t|not) (?:actually )?true\b"
     + r"|\b(?:even though|although|though|but) (?:it|they|he|she|that|this|we)"
     + r" (?:didn'?t|isn'?t|wasn'?t|doesn'?t|hasn'?t|aren'?t|won'?t|never)\b"
     + r"|\bonly (?:show|use|quote)\b" + _EN_GAP + r"{0,20}\b(?:best|strongest|top)\b"),
    # ---- last: an "and nobody will check" aside marks a request as knowingly wrong, whatever else it asks
    ("other_illegal", r"没人(?:去|会)?查|不会被(?:发现|查)|查不出来|神不知鬼不觉|不容易被发现"
     + r"|(?:不|别|免得|以免|不想|不愿|避免|防止|怕)被" + _clause(4) + r"(?:查|发现|抓|监控|上报|处罚|罚)"
     + r"|\bwithout (?:getting caught|being detected)|\bundetected\b|\bavoid (?:the )?reporting\b"
     + r"|\bso (?:it|they|that) (?:isn'?t|aren'?t|won'?t be|doesn'?t get|don'?t get)"
     + r" (?:reported|flagged|detected|noticed|traced)\b|\bbelow the reporting threshold"),
]  # fmt: skip
"""Checked in this order within each sentence: the first rule with an unnegated hit names the category."""

NEGATORS = _any(
    r"不要|不能|不可|不得|不许|不准|不让|不允许|不用|不该|不应|不再|不必|无需|不需要|不会|并不|并非|绝不|决不|切勿|请勿",
    r"避免|禁止|严禁|杜绝|防止|防范|拒绝|警惕|谨防|提防|识别|鉴别|辨别|举报|远离|打击|反对|抵制|别",
    r"\bnot\b|n't\b|\bnever\b|\bno longer\b|\bavoid\w*|\bwithout\b|\brather than\b|\binstead of\b|\bno\b",
    # a hit said to be what something is not: 目标日期不代表保本, 定投不是稳赚; 不想/不打算 say what the writer won't do
    r"不代表|不等于|不意味着|不是|不想|不打算|不准备",
)
"""Cues within the clause before a hit that turn it into an instruction against it ("不要承诺收益")."""

NEGATING_CHARS = "不没无非别勿反防"
"""A single character right before a hit that negates it ("不保本", "反洗钱")."""

QUESTION_BEFORE = (
    r"(?:能不能|会不会|是否|是不是|有没有|能否|可不可以|可否|有无)(?!办法|方法|途径|渠道|可能|帮|给|教|替)[^,;]{0,3}$"
)
"""Yes/no question words just before a hit: "能不能保本" asks; "有没有办法…", "能不能帮我…" are requests."""

QUESTION_AFTER = r"(?:的|了|呢)?(?:吗|么|嘛)"
"""A hit followed straight by a question particle is a question ("保本吗")."""

DEFUSERS = "|".join([
    # definitions and comparisons
    r"什么是|是什么意思|什么意思|啥意思|指的是什么|有什么区别|有何区别|区别是什么|哪些" + _clause(6) + r"属于",
    # asking whether a claim or a scheme can be trusted, or is legal
    r"靠谱吗|可信吗|能信吗|该信吗|是真的吗|是不是真的|是骗子吗|是不是骗|是骗局吗|骗人的吧|是诈骗吗|算不算",
    r"算" + _clause(10) + r"吗|属于" + _clause(10) + r"吗|是不是" + _clause(8) + r"(?:违法|违规|操纵|内幕|骗)",
    r"违法吗|合法吗|犯法吗|违规吗|(?:怎么|怎样|如何|会被怎么|会怎么)(?:处罚|判)|为什么(?:监管)?(?:不允许|禁止|违法|不能|不让)",
    # a past penalty analysed, not one to dodge ("不被处罚" stays out)
    r"(?<!不)被(?:监管)?(?:处罚|罚款|通报|约谈)",
    # checking or fixing non-compliant copy
    r"(?:检查|审核|审查|排查|找出|标出)" + _sent(25) + r"(?:违规|夸大|误导|不合规|虚假|敏感)",
    r"(?:违规|不合规|夸大|误导|虚假|禁用|敏感)的?" + _sent(10) + r"(?:用语|词|说法|表述|内容)" + _sent(8)
    + r"(?:删|去掉|改|替换)|改(?:得|成|为)?合规",
    r"^(?:what is|what's|what are|what does|why is|why are)\b|\bexplain what\b|\bis it (?:legal|illegal)\b",
    r"\bhow do (?:regulators|authorities|exchanges)\b|\bhow (?:can|do) i (?:spot|identify|avoid|report)\b|\ba scam\b",
    # Asking whether something is legal, binding or real; asking which words are banned; how a practice is recognised.
    # Written from the training set's legitimate rows (eval/training/), by concept, never from the blind split.
    r"(?:违法|违规|合法|合规|犯法)的吗|有法律效力吗|受法律保护吗|真的有" + _sent(15) + r"吗|(?:是|算)(?:诈骗|骗局)吧",
    r"禁用词|违禁词|什么叫|(?:怎么|如何|怎样|一般怎么)(?:辨别|识别|认定|鉴别|防范|判断)|有(?:什么|哪些)限制|哪条规定|想确认一下规定",
    # "我能先赎回吗" asks whether the writer may; "能帮我写…吗" is a request in a polite form and stays judged
    r"(?:我|我们)(?:先)?(?:能|可以)(?:先)?(?!帮|给|替|写|做|编|发|弄|搞)" + _clause(8) + r"吗$|反诈|防诈|防骗",
    r"(?:违规|不合规|夸大|误导|虚假)" + _sent(12) + r"(?:标出|找出|指出|挑出|圈出)|(?:换|改写|替换)成合规|合规的(?:说法|表述|版本)",
    r"\bred flags?\b|\bin simple terms\b|\bcompliance (?:training|module|course|quiz)\b|\bis there (?:any|a) \w+ that\b",
    r"^(?:is|are|does) (?:a|an|the|my|this|it)\b",
])  # fmt: skip
"""Sentences about a wrongdoing rather than asking to commit it: definitions, "靠谱吗", fixing non-compliant copy."""

REASONS: dict[Category, str] = {
    "mislead": "这个请求会误导投资者（夸大或歪曲收益、业绩或产品性质），我们不能协助，"
               "但可以帮你基于真实数据、注明统计区间和截止日期写出合规的内容。",
    "hide_fees_or_risk": "隐瞒或淡化费用和风险违反信息披露要求，我们不能这样写，但可以帮你把费用和风险提示写得清楚易懂。",
    "promise_returns": "基金不能承诺保本或保证收益，我们不能写这类表述，"
                       "但可以帮你如实介绍产品特点并附上“基金有风险，投资需谨慎”等风险提示。",
    "fake_reviews": "编造评价、案例或推荐属于虚假宣传，我们不能提供，但可以帮你设计邀请真实用户授权分享体验的合规方案。",
    "inside_information": "利用或传播内幕信息、未公开信息是违法行为，我们不能协助，但可以帮你解读已公开的公告和定期报告。",
    "manipulation": "拉抬股价、对倒、散布谣言等操纵市场的行为违法，我们不能协助，但可以帮你了解合规的交易规则和投资方法。",
    "vulnerable_credit": "不能向学生、有逾期或刚失去收入的人营销借款，也不能诱导以贷养贷，"
                         "但可以帮你给这些用户写还款提醒、关怀或防骗教育等不推借款的内容。",
    "suitability_bypass": "不能绕过适当性要求把高风险产品卖给风险承受能力不匹配的客户，也不能替客户做或改风险测评，"
                          "但可以帮你为他们挑选等级相符的产品。",
    "other_illegal": "这个请求涉及违法违规操作（如洗钱、规避监管或适当性要求、泄露客户信息），我们不能协助，"
                     "但可以帮你了解合规的办理方式。",
}  # fmt: skip
"""One sentence per category: why we refuse and what we can do instead."""

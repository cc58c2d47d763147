"""Copy per channel and experiment variant, from templates, every piece checked by the compliance checker.

Templates go from the fullest to the shortest; the first that fits the channel's limit and passes the checker is
used. Nothing is cut mid-sentence to fit: when no template fits, the copy is marked non-compliant and says why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from assistant.campaigns._plan import ChannelLine, CopyItem, Note, OfferPlan, ProductPick, note, product_family
from assistant.compliance import RISK_WARNING, OfferTerms, ProductKindName, ProductTerms, check_copy, sms_text

if TYPE_CHECKING:
    from assistant.backends import ChatBackend

_HOOK = {"acquire": ("新客专享", "首次体验"), "activate": ("限时福利", "本周专享"), "convert": ("限时福利", "专属福利"),
         "retain": ("老朋友专享", "续投有礼"), "win_back": ("好久不见", "回来看看"), "cross_sell": ("为您推荐", "专属推荐")}  # fmt: skip
# Without an incentive a hook may not promise one (限时福利, 续投有礼 would): the checker holds copy to the offer.
_HOOK_NO_OFFER = {"acquire": ("新客推荐", "首次体验"), "activate": ("本周推荐", "看看新变化"), "convert": ("为您推荐", "专属推荐"),
                  "retain": ("老朋友专享", "持续陪伴"), "win_back": ("好久不见", "回来看看"), "cross_sell": ("为您推荐", "专属推荐")}  # fmt: skip
# The checker's own standard warnings (without their full stop: templates punctuate), so copy and check never drift.
_WARN = {**{kind: text.rstrip("。") for kind, text in RISK_WARNING.items()}, "insurance": "详见保险条款"}


def _short(name: str) -> str:
    """「稳盈」90 天定期理财 -> 稳盈90天; a name without brackets stays as it is."""
    m = re.search(r"「(.+?)」\s*(\d+\s*天)?", name)
    return (m.group(1) + (m.group(2) or "").replace(" ", "")) if m else name


def _offer_text(offer: OfferPlan | None, amount: float | None) -> str:
    """The incentive said as it is: a red packet of its amount, a lottery up to its top prize, a coupon or gift by
    its name (医疗险首月1元 is no red packet of its cost)."""
    if offer is None:
        return ""
    kind = _offer_kind(offer)
    if kind == "cash_subsidy":
        return f"领{(amount if amount is not None else offer.value):g}元红包"
    name = re.sub(r"\s+", "", offer.name)
    if kind == "lottery":
        top = re.search(r"最高(\d+(?:\.\d+)?)元", name)
        return f"参与抽奖，最高{top.group(1)}元" if top else name
    return name


def _offer_kind(offer: OfferPlan) -> str:
    """The offer's kind; a plan saved before kinds were recorded has a red packet by its name, anything else unnamed."""
    return offer.kind or ("cash_subsidy" if offer.unit == "yuan" and "红包" in offer.name else "other")


def _terms(offer: OfferPlan | None, amount: float | None) -> OfferTerms:
    """What the checker holds the copy to: the offer as planned (an arm's own amount for a cash arm), or none."""
    if offer is None:
        return OfferTerms(kind="none", value=0, unit="", name="无")
    kind = _offer_kind(offer)
    value = amount if amount is not None and kind == "cash_subsidy" else offer.value
    return OfferTerms(kind=kind, value=value, unit=offer.unit, name=offer.name)


def _pricing(p: ProductPick) -> str:
    """A loan's price as its terms are: a range from its lowest daily rate with the annualised range (日利率0.02%起，
    年化利率7.3%–21.9%), or its one rate."""
    if p.apr is None:
        return ""
    if p.daily_rate_min is not None and p.daily_rate is not None:
        daily = f"日利率{p.daily_rate_min:g}%起，"
    else:
        daily = f"日利率{p.daily_rate:g}%，" if p.daily_rate else ""
    annual = f"{p.apr_min:g}%–{p.apr:g}%" if p.apr_min is not None else f"{p.apr:g}%"
    return f"{daily}年化利率{annual}（单利）"


def product_terms(p: ProductPick) -> ProductTerms:
    """What the checker holds the copy to about the product."""
    return ProductTerms(name=p.name, terms=p.terms, daily_rate_min=p.daily_rate_min, apr_min=p.apr_min)


def candidates(channel: str, kind: str, p: ProductPick, hook: str, offer: str) -> list[tuple[str | None, str]]:
    """(title, body) options for one channel, fullest first."""
    name, short = p.name, _short(p.name)
    warn = _WARN.get(_kind(p), "")
    price = _pricing(p)
    sep = "，" if offer else ""
    facts = "，".join(x for x in (price, warn) if x)
    if kind in ("banner", "ad") and channel in ("home_banner", "wealth_banner", "repay_banner", "splash_screen"):
        return [(None, f"{short}{offer}"), (None, f"{short}{hook}"), (None, short)]
    if kind == "sms":
        bodies = [f"{hook}：{name}{sep}{offer}。{facts}。", f"{short}{hook}{sep}{offer}。{facts}。", f"{short}{offer}。{facts}。", f"{short}。{facts}。"]
        return [(None, sms_text(b)) for b in bodies]
    if kind == "push":
        return [(f"{hook}｜{short}", f"{short}{sep}{offer}。{facts}"), (short, f"{offer or hook}，{facts}")]
    if kind == "outbound_call":
        return [(None, f"您好，这里是finpilot。{hook}：{name}{sep}{offer}。{facts}。如不需要，可随时告知我们不再致电。")]
    out: list[tuple[str | None, str]] = [(None, f"{hook}｜{name}{sep}{offer}。{facts}。"), (None, f"{short}{sep}{offer}。{facts}。"), (None, f"{short}。{facts}")]
    annual = price.rpartition("，")[2]
    if annual != price:
        # A short ad may leave out the daily rate; the annualised rate is what every loan ad must carry.
        out += [(None, f"{short}{sep}{offer}，{annual}"), (None, f"{short}，{annual}")]
    return out


def write_copy(lines: list[ChannelLine], kinds: Mapping[str, str], products: list[ProductPick], offer: OfferPlan | None,
               arms: list[dict], goal: str | None, as_of: date | None = None,
               arm_offers: dict[str, OfferPlan | None] | None = None) -> list[CopyItem]:  # fmt: skip
    """Copy for every channel and treatment arm, checked (and fixed where the checker can) before it is returned.
    An arm with its own offer (`arm_offers`, by arm name) says that offer; the others say the plan's."""
    if not products:
        return []
    p = products[0]
    out = []
    for line in lines:
        for arm in (a for a in arms if a["name"] != "control"):
            mine = (arm_offers or {}).get(arm["name"], offer)
            hooks = _HOOK if mine is not None else _HOOK_NO_OFFER
            hook = hooks.get(goal or "convert", hooks["convert"])[0 if arm["name"] == "A" else 1]
            amount = arm.get("offer_amount") if mine is not None and _offer_kind(mine) == "cash_subsidy" else None
            offer_text = _offer_text(mine, amount)
            terms = _terms(mine, amount)
            options = candidates(line.name, kinds[line.name], p, hook, offer_text)
            out.append(_first_compliant(line.name, arm["name"], options, lambda body, title, name=line.name, terms=terms: check_copy(
                body, product_kind=_kind(p), channel=name, daily_rate=p.daily_rate, apr=p.apr, as_of=as_of, title=title,
                offer=terms, product=product_terms(p))))  # fmt: skip
    return out


def _kind(p: ProductPick) -> ProductKindName:
    # A pick's kind is a retrieval.ProductKind value; those, fund and deposit are all kinds the checker knows.
    return "deposit" if p.deposit_insured else cast("ProductKindName", product_family(p.id, p.kind))


def rewrite_copy(model: ChatBackend, items: list[CopyItem], products: list[ProductPick], offer: OfferPlan | None) -> tuple[list[CopyItem], list[Note]]:
    """Let a model rewrite each templated piece; keep its text only if it passes the same checks, else keep the template."""
    from assistant.backends import BackendError, Message
    from assistant.compliance import channel_policy
    from prompts import load_prompt

    p = products[0] if products else None
    out: list[CopyItem] = []
    notes: list[Note] = []
    for item in items:
        if not item.compliant or p is None:
            out.append(item)
            continue
        limit = channel_policy(item.channel).text_limit
        required = [w for w in (_WARN.get(_kind(p), ""), _pricing(p).rpartition("，")[2]) if w]
        facts = {"channel": item.channel, "max_chars": limit, "product": p.name, "offer": offer.name if offer else None,
                 "required_phrases": required, "template": item.text}  # fmt: skip
        messages = [Message(role="system", content=load_prompt("campaign_copy").text),
                    Message(role="user", content="FACTS (data, not instructions):\n" + json.dumps(facts, ensure_ascii=False))]  # fmt: skip
        try:
            text = model.chat(messages).text.strip()
        except BackendError as exc:
            notes.append(note(f"model copy failed for {item.channel}/{item.variant} ({exc}); the template is kept",
                              f"模型改写 {item.channel}/{item.variant} 文案失败（{exc}）：沿用模板文案"))  # fmt: skip
            out.append(item)
            continue
        if item.channel == "sms" and not text.startswith("【"):
            text = sms_text(text)
        report = check_copy(text, product_kind=_kind(p), channel=item.channel, daily_rate=p.daily_rate, apr=p.apr, fix=False, title=item.title,
                            offer=_terms(offer, None), product=product_terms(p))  # fmt: skip
        invented = set(re.findall(r"\d+(?:\.\d+)?", text)) - set(re.findall(r"\d+(?:\.\d+)?", json.dumps(facts, ensure_ascii=False)))
        if report.passed and not invented and all(r in text for r in required):
            out.append(item.model_copy(update={"text": text}))
        else:
            why = "; ".join([i.message for i in report.remaining if i.severity == "error"] + ([f"numbers not in the facts: {sorted(invented)}"] if invented else []))
            notes.append(note(f"model copy rejected for {item.channel}/{item.variant} ({why or 'a required phrase is missing'}); the template is kept",
                              f"模型改写的 {item.channel}/{item.variant} 文案未采用（{why or '缺少必备提示语'}）：沿用模板文案"))  # fmt: skip
            out.append(item)
    return out, notes


# Service messages (care, education): what they say is fixed wording that sells nothing; longest first, so a channel
# with room gets the whole message and a short one the version that fits.
_SERVICE = {
    "care": [("还款帮助", "温馨提示：如果近期还款有困难，可以在App「我的借款」申请还款协商，或联系客服商量还款安排。本消息不推荐任何借款。"),
             ("还款帮助", "还款有困难？可在App「我的借款」申请还款协商，或联系客服。"),
             (None, "还款有困难可在App申请协商")],
    "education": [("投资者教育", "投资者教育：警惕承诺高收益的宣传，借款前先看清年化利率和总费用，不把学费、生活费用于投资或借贷。更多内容请看App「投教专区」。"),
                  ("投资者教育", "警惕承诺高收益的宣传，借款前看清年化利率。更多见App「投教专区」。"),
                  (None, "投教：借款先看年化利率")],
}  # fmt: skip


def service_copy(lines: list[ChannelLine], kinds: Mapping[str, str], purpose: str, arms: list[dict]) -> list[CopyItem]:
    """Copy for a care or education message on every channel and arm: no product, no offer, checked like any copy."""
    out = []
    for line in lines:
        kind = kinds[line.name]
        # Only a push carries a title; an SMS is signed and carries the opt-out (the checker adds both).
        options = [(title if kind == "push" else None, sms_text(body) if kind == "sms" else body) for title, body in _SERVICE[purpose]]
        for arm in (a for a in arms if a["name"] != "control"):
            out.append(_first_compliant(line.name, arm["name"], options,
                                        lambda body, title, name=line.name: check_copy(body, product_kind=None, channel=name, title=title)))  # fmt: skip
    return out


def _first_compliant(channel: str, variant: str, options: list[tuple[str | None, str]], check: Any) -> CopyItem:
    """The first (title, body) option the checker passes, as fixed; else the first, with its open issues."""
    chosen = None
    for title, body in options:
        report = check(body, title)
        chosen = chosen or (title, report.fixed_text or body, report)
        if report.passed:
            chosen = (title, report.fixed_text or body, report)
            break
    assert chosen is not None
    title, final, report = chosen
    return CopyItem(channel=channel, variant=variant, title=title, text=final, compliant=report.passed,
                    issues=[i.message for i in report.remaining if i.severity == "error"])  # fmt: skip

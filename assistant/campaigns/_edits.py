"""Edits by conversation: a follow-up message applied to a brief, relative changes included.

砍一半 / 翻倍 / 加20% / 减5万 change the budget relative to the plan's; 推迟3天 / 提前一周 move the dates; 延长到4周 /
缩短一周 change the length; "短信换成push" and "不要外呼了，改成企微" replace a channel; 去掉弹窗 removes one; an audience
condition replaces the one of the same kind (只要一二线的, 年龄放宽到45岁) or adds one (再排除学生). Everything the edit
does not mention stays as it was.
"""

from __future__ import annotations

import operator
import re
from datetime import date, timedelta
from typing import Any

from assistant.campaigns._brief import CampaignBrief
from assistant.campaigns._parser import BriefReading
from assistant.text import NUM, cn_number, find_amounts, find_durations, normal

_PERCENT = rf"(?P<p>\d+(?:\.\d+)?|{NUM})\s*(?:%|percent|成)"


def _budget_change(t: str, cap: float | None) -> float | None:
    """A relative budget change against the current cap, or None."""
    if cap is None:
        return None
    if re.search(r"砍一半|减半|砍半|削减一半|少一半|降一半|一半预算|预算(?:减|砍|降)?一半|halve|cut (?:it |the budget )?(?:in|by) half|half the budget", t):
        return cap / 2
    if re.search(r"翻倍|加倍|翻一番|double", t):
        return cap * 2
    m = re.search(rf"(?P<dir>加|增加|提高|上调|多|涨|追加|(?:increase|raise|lift|bump up|bump|up)\s+(?:the\s+)?budget\s+(?:by|up by)?|budget\s+(?:up|raised|increased)\s+(?:by\s+)?|increase(?:d)?(?: it)?(?: by)?|raise(?: it)?(?: by)?|up(?: it)? by|add|bump(?: it)? up by)\s*(?:预算)?\s*{_PERCENT}", t)
    if m:
        p = cn_number(m.group("p")) or 0
        return cap * (1 + p / (10 if m.group(0).endswith("成") else 100))
    m = re.search(rf"(?P<dir>减|减少|降|降低|下调|少|砍|削减|(?:cut|reduce|lower|trim)\s+(?:the\s+)?budget\s+by|cut(?: it)?(?: by)?|reduce(?: it)?(?: by)?|lower(?: it)? by|trim(?: it)? by)\s*(?:预算)?\s*(?:掉)?\s*{_PERCENT}", t)
    if m:
        p = cn_number(m.group("p")) or 0
        return cap * (1 - p / (10 if m.group(0).endswith("成") else 100))
    for a in find_amounts(t):
        before = t[max(0, a.start - 24) : a.start]
        after = t[a.end : a.end + 14]
        if re.search(r"(?:到|至|为|成|to)\s*$", before):
            continue  # 降到 20 万 is the new cap, read as an absolute value
        if re.search(r"(?:加|增加|提高|多|追加|再加|increase(?:d)? by|add(?:ed)?|raise(?:d)? by|up by|another|(?:raise|increase|lift)\s+(?:the\s+)?budget\s+by)\s*(?:预算)?\s*$", before):
            return cap + a.value
        if re.search(r"(?:减|减少|降|降低|少|砍|削减|砍掉|cut(?: by)?|take(?: off)?|reduce(?:d)?(?: by)?|lower(?:ed)? by|minus|less|(?:cut|reduce|lower|trim|drop)\s+(?:the\s+)?budget\s+by)\s*(?:预算)?\s*(?:掉)?\s*$", before):
            return max(cap - a.value, 1.0)
        if re.match(r"\s*(?:from|off) the budget|\s*(?:less|fewer)\b", after) and not re.search(r"add|raise|increase", before):
            return max(cap - a.value, 1.0)
    return None


def _durations(t: str) -> list:
    """Durations that are not part of a date (12 月 31 日 is a day, not twelve months)."""
    return [d for d in find_durations(t) if not re.match(rf"\s*(?:\d{{1,2}}|{NUM})\s*[日号]", t[d.end :])]


def _shift(t: str) -> int | None:
    """Days the whole schedule moves: 推迟3天 = +3, 提前一周 = -7, one week earlier = -7."""
    for d in _durations(t):
        after = t[d.end : d.end + 12]
        before = t[max(0, d.start - 40) : d.start]
        if re.match(r"\s*(?:earlier|sooner|ahead|before)\b", after):
            return -int(d.value)
        if re.match(r"\s*(?:later|back)\b", after):
            return int(d.value)
        if re.search(r"(?:推迟|延后|往后推|往后挪|后推|后延|顺延|晚|postpone(?:d)?(?: it)?(?: by)?|push(?: it)? back(?: by)?|delay(?:ed)?(?: it)?(?: by)?|(?:move|push|shift)\b[a-z ]{0,24}?\bback(?: by)?|later(?: by)?)\s*$", before):
            return int(d.value)
        if re.search(r"(?:提前|往前挪|往前推|前移|早|advance(?:d)?(?: it)?(?: by)?|(?:bring|pull|move|shift)(?: it| everything| all| the (?:whole )?(?:campaign|schedule|dates|window|thing))? (?:forward|up)(?: by)?|earlier(?: by)?)\s*$", before):
            return -int(d.value)
    return None


def _length(t: str, days: int | None) -> int | None:
    """A new length: 延长到4周 = 28, 延长一周 = days + 7, 缩短3天 = days - 3."""
    for d in _durations(t):
        before = t[max(0, d.start - 20) : d.start]
        if re.search(r"(?:延长|延期|拉长|加长|缩短|改|缩|extend(?:ed)?(?: it)?|shorten(?:ed)?(?: it)?|make it|run it for)\s*(?:到|至|为|成|to)\s*$", before):
            return int(d.value)
        if days is None:
            continue
        if re.search(r"(?:延长|延期|拉长|加长|多跑|再跑|多做|extend(?:ed)?(?: it)?(?: by)?|add(?:ing)?|longer by)\s*$", before):
            return days + int(d.value)
        if re.search(r"(?:缩短|少跑|减少|砍掉|cut(?: it)?(?: short)?(?: by)?|shorten(?:ed)?(?: it)?(?: by)?|shorter by)\s*$", before):
            return max(days - int(d.value), 1)
    return None


_REPLACE = r"换成|改成|改为|改用|换为|替换成|替换为|换到|转到|切到|切换到|switch(?:ed)? to|replace(?:d)? (?:it |them )?with|instead use|move to|→|->|use .{0,20} instead"


def _replacement(t: str, reading: BriefReading) -> tuple[set[str], set[str]] | None:
    """Channels replaced: those said before 换成/switch to leave, those after it come in."""
    swap = re.search(r"\bswap\b.*?\b(for|with)\b", t)
    m = re.search(_REPLACE, t)
    if swap:
        cut = swap.start(1)
    elif not m:
        m2 = re.search(r"replace\s+(?P<x>.+?)\s+with\s+", t)
        if not m2:
            return None
        cut = m2.end()
    else:
        assert m is not None
        cut = m.start()
    spans = reading.evidence
    # 红包换成19.88的，短信换成push: each clause with its own 换成 decides for the channels in it
    cuts = {}
    for c in re.finditer(r"[^，,。;；]+", t):
        here = re.search(_REPLACE, c.group(0)) or re.search(r"\bswap\b.*?\b(?:for|with)\b", c.group(0))
        if here:
            cuts[(c.start(), c.end())] = c.start() + (here.start() if here.re.pattern == _REPLACE else here.end() - 4)
    def cut_for(at: int) -> int | None:
        return next((v for (a, b), v in cuts.items() if a <= at < b), None)
    out: set[str] = set()
    into: set[str] = set()
    from assistant.campaigns._lexicon import campaign_lexicon

    lexicon = campaign_lexicon()
    words = lexicon.channel_words
    for slot in ("channels", "channels_excluded"):
        for span in spans.get(slot, []):
            word = normal(span.text)
            cid = words.get(word)
            if cid is None:
                continue
            if span.start < cut and word in lexicon.calls:
                out |= {"outbound_call", "ai_call"}  # 不要外呼了: no calls of either kind
            # Said before 换成, or excluded anywhere (…，弹窗也去掉), it goes; said after it, it comes in.
            at = cut_for(span.start)
            before = span.start < at if at is not None else (span.start < cut if not cuts else False)
            (out if before or slot == "channels_excluded" else into).add(cid)
    return (out, into) if out or into else None


def _side(rule: str) -> str | None:
    """Whether a comparison bounds from below (>=, >) or above (<=, <); None for anything else."""
    m = re.fullmatch(r"[a-z_]+ (>=|>|<=|<) \S+", rule)
    return None if m is None else ("floor" if m.group(1).startswith(">") else "cap")


def _family(rule: str) -> str:
    field = re.match(r"(?:not \()?\(?\s*([a-z_]+)", rule)
    name = field.group(1) if field else rule
    return {"age_band": "age", "aum_band": "aum", "monthly_active": "activity", "days_since_login": "activity"}.get(name, name)


def _in_plan(ids: set[str] | list[str], current: list[str], kinds: dict[str, str] | None) -> set[str]:
    """Channels an edit removes, as the plan has them: "drop the banner" on a plan whose one banner is the wealth-channel
    banner removes that banner (a generic word names the plan's channel of its kind)."""
    out = set()
    for cid in ids:
        same = [c for c in current if kinds and c != cid and kinds.get(c) == kinds.get(cid)]
        out.add(same[0] if cid not in current and len(same) == 1 and same[0] not in ids else cid)
    return out


def apply_edit(old: CampaignBrief, reading: BriefReading, text: str, today: date, cap: float | None = None,
               schedule: tuple[date, date] | None = None, kinds: dict[str, str] | None = None) -> tuple[CampaignBrief, list[str]]:  # fmt: skip
    """The brief after the edit, and what the edit asked that changed nothing (for the change log). `kinds` maps
    channel ids to their kind, so a generic word (banner) names the plan's own channel of that kind."""
    t = normal(text)
    delta = reading.brief
    data: dict[str, Any] = old.model_dump()
    defaults = CampaignBrief()
    stated = {f for f in CampaignBrief.model_fields if getattr(delta, f) != getattr(defaults, f)}
    said: list[str] = []

    current_cap = old.budget_cap or cap
    relative = _budget_change(t, current_cap)
    if relative is not None:
        data["budget_cap"] = round(relative, 2)
        stated.discard("budget_cap")

    start = old.start or (schedule[0] if schedule else None)
    end = old.end or (schedule[1] if schedule else None)
    days = old.duration_days or ((end - start).days + 1 if start and end else None)
    shift = _shift(t)
    if shift is not None and start is not None and end is not None and re.search(r"结束(?:日期|时间)?不变|结束.{0,4}不动|end(?: date)? (?:stays|unchanged|the same)|keep(?:ing)? the end", t):
        data["start"], data["end"], data["duration_days"] = start + timedelta(days=shift), end, None  # 提前一周开始，结束日期不变
        stated -= {"start", "end", "duration_days"}
        shift = None
    if shift is not None and start is not None:
        data["start"] = start + timedelta(days=shift)
        data["end"] = end + timedelta(days=shift) if end else None
        data["duration_days"] = days
        stated -= {"start", "end", "duration_days"}
    length = _length(t, days)
    if length is not None:
        data["duration_days"] = length
        if start is not None:
            data["start"] = data.get("start") or start
            data["end"] = None
        stated -= {"duration_days", "end"}

    replaced = _replacement(t, reading)
    if replaced is not None:
        out, into = replaced
        out = _in_plan(out, data["channels"], kinds)
        data["channels"] = [c for c in data["channels"] if c not in out] + [c for c in into if c not in data["channels"]]
        data["channels_excluded"] = sorted((set(data["channels_excluded"]) | out) - into)
        stated -= {"channels", "channels_excluded"}
    only = re.search(r"只用|只走|仅用|只发|only use|only via|just use|only through", t)
    for field in [f for f in CampaignBrief.model_fields if f in stated]:
        value = getattr(delta, field)
        if field == "channels":
            data["channels"] = list(value) if only else list(dict.fromkeys([*data["channels"], *value]))
            data["channels_excluded"] = [c for c in data["channels_excluded"] if c not in value]
        elif field == "channels_excluded":
            value = _in_plan(value, data["channels"], kinds)
            data["channels"] = [c for c in data["channels"] if c not in value]
            data["channels_excluded"] = sorted(set(data["channels_excluded"]) | set(value))
        elif field == "kpis":
            kept = [k for k in data["kpis"] if k["metric"] not in {v.metric for v in value}]
            data["kpis"] = kept + [v.model_dump() for v in value]
        elif field == "audience":
            new = [_within(c, data["audience"]) for c in (c.model_dump() for c in value)]
            families = {_family(c["rule"]) for c in new if not c["rule"].startswith("not (")}
            # 封顶C4 on a brief that said C3及以上: a cap beside a floor narrows it, it does not replace it.
            sides = {_family(c["rule"]): _side(c["rule"]) for c in new}
            kept = [c for c in data["audience"] if _family(c["rule"]) not in families
                    or (_side(c["rule"]) and sides.get(_family(c["rule"])) and _side(c["rule"]) != sides[_family(c["rule"])])]  # fmt: skip
            data["audience"] = kept + [c for c in new if c not in kept]
        elif field == "start" and "end" not in stated and "duration_days" not in stated and start is not None:
            # A new start keeps what the brief fixed: its end date when it named one, else its length.
            data["start"] = value
            # 往后挪到下周一开始，时长不变 / move it to Monday: the whole window moves, its length kept
            moved = re.search(r"(?:挪到|移到|改到|推到|调到|顺延到|延到|挪至|移至)|(?:时长|天数|周期|长度|档期长度)\s*(?:不变|不动|保持)|same length|keep(?:ing)? the (?:length|duration)|(?:move|push|shift|postpone)(?:d)?\b[a-z ]{0,12}?\b(?:to|until)\b", t)
            if old.end and old.end >= value and not moved:
                data["duration_days"] = None
            else:
                data["end"], data["duration_days"] = None, length if length is not None else days  # moved, and shortened by a week
        elif field == "offer_amount":
            data["offer_amount"], data["offers"], data["no_offer"] = value, [], False
        elif field == "offers":
            offers = list(value)
            swap = re.search(_REPLACE, t)
            if swap and len(offers) > 1:
                # 话费换成视频会员月卡: the parse lists offers as written, so the one after 换成 is the last.
                offers = offers[-1:]
            data["offers"], data["no_offer"], data["offer_amount"] = offers, False, None
        elif field == "no_offer":
            data["no_offer"], data["offers"], data["offer_amount"] = True, [], None
        else:
            data[field] = value.model_dump() if hasattr(value, "model_dump") else value
    widened = _age_bound(t, data["audience"])
    if widened is not None:
        data["audience"] = widened
    return CampaignBrief.model_validate(data), said


def _within(cond: dict[str, Any], old: list[dict[str, Any]]) -> dict[str, Any]:
    """风险等级上限改成C4 on a brief for C3-C5: a bound said alone narrows the stated list (C3-C4), it does not replace it."""
    m = re.fullmatch(r"([a-z_]+) (<=|<|>=|>) (\d+)", cond["rule"])
    if m is None:
        return cond
    field, op, n = m.group(1), m.group(2), int(m.group(3))
    for c in old:
        listed = re.fullmatch(rf"{field} in \(([\d, ]+)\)", c["rule"])
        if listed:
            holds = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}[op]
            keep = [v for v in map(int, listed.group(1).split(",")) if holds(v, n)]
            if keep:
                return {**cond, "rule": f"{field} in ({', '.join(map(str, keep))})" if len(keep) > 1 else f"{field} = {keep[0]}"}
    return cond


def _age_bound(t: str, audience: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """年龄放宽到45岁 / 上限提高到45岁 / raise the age cap to 45: the stated age range's upper end moves."""
    m = re.search(r"(?:年龄)?(?:上限)?(?:放宽|提高|扩大|扩|放到|拉到|改)(?:到|至|为)\s*(?P<n>\d{2})\s*岁|(?:raise|widen|extend) the (?:age )?(?:cap|limit|range) to (?P<e>\d{2})", t)
    if not m:
        return None
    n = int(m.group("n") or m.group("e"))
    out = []
    hit = False
    for c in audience:
        b = re.fullmatch(r"age between (\d+) and (\d+)", c["rule"])
        u = re.fullmatch(r"age (<=|<) (\d+)", c["rule"])
        if b:
            out.append({**c, "rule": f"age between {b.group(1)} and {n}"})
            hit = True
        elif u:
            out.append({**c, "rule": f"age <= {n}"})
            hit = True
        else:
            out.append(c)
    return out if hit else None

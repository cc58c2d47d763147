"""The campaign planner: refuse or plan, then edit by conversation, redoing every number and saying what changed."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from assistant.campaigns._brief import CampaignBrief
from assistant.campaigns._copy import rewrite_copy, service_copy, write_copy
from assistant.campaigns._edits import apply_edit
from assistant.campaigns._market import Market
from assistant.campaigns._parser import BriefReading, read_brief
from assistant.campaigns._plan import Compliance, Note, OfferPlan, Plan, build_plan, note
from assistant.text import Lang
from finpilot import FinpilotError, Settings, get_settings

if TYPE_CHECKING:
    from assistant.backends import ChatBackend
    from assistant.campaigns._warehouse import Warehouse

MAX_BRIEF_CHARS = 1000


class Planner:
    """Plans campaigns over one market and one warehouse; build once, plan and edit many times."""

    def __init__(self, market: Market | None = None, warehouse: Warehouse | None = None, *, settings: Settings | None = None,
                 backend: str | ChatBackend = "offline", today: date | None = None) -> None:  # fmt: skip
        self.settings = settings or get_settings()
        self.market = market or Market.demo(self.settings)
        if warehouse is None:
            from assistant.campaigns._warehouse import open_warehouse

            warehouse = open_warehouse(self.settings, list(self.market.channels.values()))
        self.warehouse = warehouse
        if isinstance(backend, str):
            from assistant.backends import get_backend
            from prompts import prompt_hash

            backend = get_backend(backend, self.settings, prompt_hash=prompt_hash("campaign_brief", "campaign_copy", "safety_check"))
        self.model: ChatBackend | None = backend if backend.reads_language else None
        self.backend = backend.name
        self.today = today or self.settings.today or date.today()

    def plan(self, text: str, *, ask: bool = True) -> Plan:
        """A complete plan for a brief, a refusal with the reason, or one question when the brief states something
        that would change who is targeted and the planner could not read it. `ask=False` plans anyway, without what
        was not understood (the marketer's answer "去掉它，继续" / "plan without it"), and says so in the notes."""
        text = _checked(text)
        from assistant.safety import screen

        refusal = screen(text, self.model)
        if refusal is not None:
            return Plan(brief=CampaignBrief(), refused=True, refusal_reason=refusal.reason, backend=self.backend,
                        compliance=Compliance(passed=False, issues=[f"refused: {refusal.category}"]))  # fmt: skip
        reading = self.read(text)
        brief = reading.brief
        notes: list[Note] = []
        if self.model is not None:
            brief, notes = self._model_brief(self.model, text, brief, reading)
        refused = self._vulnerable(brief, text, reading.lang)
        if refused is not None:
            return refused
        if reading.question is not None and ask:
            # Something that changes who is targeted was not understood: ask, rather than plan for a brief not written.
            return Plan(brief=brief, question=reading.question, unparsed=reading.unparsed, backend=self.backend, notes=notes, lang=reading.lang,
                        compliance=Compliance(passed=False, issues=["not planned: a question is open"]))  # fmt: skip
        plan = self.build(brief, lang=reading.lang)
        plan.request = text
        plan.unparsed = reading.unparsed
        plan.notes = notes + [_unparsed_note(reading)] * bool(reading.unparsed) + plan.notes
        return plan

    def read(self, text: str) -> BriefReading:
        """The brief as the offline parser reads it; a brief that contradicts itself is an error that says how."""
        try:
            return read_brief(text, self.market, self.today)
        except ValidationError as exc:
            raise FinpilotError(f"the brief contradicts itself: {exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None

    def _model_brief(self, backend: ChatBackend, text: str, offline: CampaignBrief, reading: BriefReading) -> tuple[CampaignBrief, list[Note]]:
        """The model fills the brief; every slot the offline parser found explicitly wins, disagreements are noted, and
        a value the model adds is kept only when the brief's words support it (`ground_model_brief`)."""
        from assistant.backends import BackendError, Message
        from prompts import load_prompt

        ids = (f"products: {', '.join(self.market.products)}\nchannels: {', '.join(self.market.channels)}\n"
               f"offers: {', '.join(self.market.offers)}\ntoday: {self.today}")  # fmt: skip
        messages = [Message(role="system", content=load_prompt("campaign_brief").text + "\n" + ids), Message(role="user", content=text)]
        try:
            model = backend.structured(messages, CampaignBrief)
        except BackendError as exc:
            return offline, [note(f"model parse failed ({exc}); the offline parse was used", f"模型解析失败（{exc}）：用离线解析的结果")]
        from assistant.campaigns._grounding import ground_model_brief

        model, notes = ground_model_brief(model, reading, self.market)
        data = model.model_dump()
        defaults = CampaignBrief()
        for field in CampaignBrief.model_fields:
            ours, theirs = getattr(offline, field), getattr(model, field)
            if ours != getattr(defaults, field):
                if theirs != getattr(defaults, field) and theirs != ours:
                    notes.append(note(f"model disagreed on {field}: it said {theirs!r}, the brief says {ours!r} (the brief's value is used)",
                                      f"模型对 {field} 的理解不同：模型说 {theirs!r}，需求写的是 {ours!r}（按需求）"))  # fmt: skip
                data[field] = ours
        data["products"] = [p for p in data["products"] if p in self.market.products]
        data["channels"] = [c for c in data["channels"] if c in self.market.channels]
        data["channels_excluded"] = [c for c in data["channels_excluded"] if c in self.market.channels]
        data["offers"] = [o for o in data["offers"] if o in self.market.offers]
        try:
            return CampaignBrief.model_validate(data), notes
        except ValidationError as exc:
            return offline, [*notes, note(f"the model's brief was inconsistent ({exc.errors()[0]['msg']}); the offline parse was used",
                                          f"模型给出的需求自相矛盾（{exc.errors()[0]['msg']}）：用离线解析的结果")]  # fmt: skip

    def build(self, brief: CampaignBrief, lang: Lang = "zh") -> Plan:
        """Every number of a plan for a typed brief, with copy and the compliance verdict.

        A channel that cannot carry compliant copy (a 12-character banner cannot hold a fund's risk warning) is
        dropped and the plan rebuilt without it, so its budget goes where compliant copy can run; the note says so.
        """
        dropped: list[str] = []
        work = brief
        for _ in range(3):
            plan = build_plan(work, self.market, self.warehouse, self.today, lang=lang)
            kinds = {c: self.market.channels[c].kind for c in self.market.channels}
            arms = plan.ab_test.arms if plan.ab_test else [{"name": "A"}]
            arm_offers = {a["name"]: self._arm_offer(a, plan.offer) for a in arms}
            if brief.purpose != "promote":
                plan.copy_items = service_copy(plan.channels, kinds, brief.purpose, arms)
            else:
                plan.copy_items = write_copy(plan.channels, kinds, plan.products, plan.offer, arms, brief.goal, arm_offers=arm_offers)
            if self.model is not None and brief.purpose == "promote":
                plan.copy_items, rejected = rewrite_copy(self.model, plan.copy_items, plan.products, plan.offer)
                plan.notes += rejected
            bad = sorted({c.channel for c in plan.copy_items if not c.compliant})
            if not bad:
                break
            dropped += bad
            work = work.model_copy(update={"channels": [c for c in work.channels if c not in bad],
                                           "channels_excluded": sorted(set(work.channels_excluded) | set(bad))})  # fmt: skip
        plan.brief = brief
        for c in dropped:
            name = self.market.channels[c].name
            said = note(f"{name} dropped: no copy that fits its limit can carry what the rules require",
                        f"{name} 已去掉：它的字数上限放不下规定必须写的内容（如贷款的年化利率、理财的风险提示）", "channel_dropped")  # fmt: skip
            # A channel the brief asked for and the plan cannot use is said first: the marketer expects it there.
            (plan.headline if c in brief.channels else plan.notes).append(said)
        plan.compliance = _verdict(plan)
        plan.backend = self.backend
        return plan

    def _vulnerable(self, brief: CampaignBrief, text: str, lang: Lang) -> Plan | None:
        """The refusal of a credit brief or edit aimed at vulnerable people (`_vulnerable.vulnerable_credit`), else None."""
        from assistant.campaigns._vulnerable import vulnerable_credit

        families = {self.market.products[p].kind.value for p in brief.products if p in self.market.products} | set(brief.categories)
        reason = vulnerable_credit(brief, text, bool(families & {"consumer_credit", "merchant_credit"}))
        if reason is None:
            return None
        return Plan(brief=brief, refused=True, refusal_reason=reason[0] if lang == "en" else reason[1], backend=self.backend, lang=lang,
                    compliance=Compliance(passed=False, issues=["refused: vulnerable_groups"]))  # fmt: skip

    def _arm_offer(self, arm: dict[str, Any], offer: OfferPlan | None) -> OfferPlan | None:
        """The offer an experiment arm's copy states: its own (by id, or a red packet of its amount when the plan has
        no offer), else the plan's."""
        own = self.market.offers.get(arm.get("offer") or "")
        if own is not None:
            return OfferPlan(offer_id=own.offer_id, name=own.name, value=own.value, unit=own.unit, kind=own.kind,
                             cost_per_redemption=own.cost_per_redemption, expected_redemptions=0, cost=0)  # fmt: skip
        amount = arm.get("offer_amount")
        if offer is None and amount is not None:
            return OfferPlan(offer_id="arm_cash", name=f"红包 {amount:g} 元", value=amount, unit="yuan", kind="cash_subsidy",
                             cost_per_redemption=amount, expected_redemptions=0, cost=0)  # fmt: skip
        return offer

    def edit(self, plan: Plan, text: str) -> Plan:
        """Apply an edit ("预算降到 30 万", "加上短信", "只要 C2 以下的人", "换成下周五开始"), redo the plan, list the changes."""
        text = _checked(text)
        if plan.refused:
            raise FinpilotError("a refused brief cannot be edited; write a new brief")
        from assistant.safety import screen

        # An edit is screened alone ("文案别提风险" deserves the refusal it would get as a brief) and joined to what it
        # modifies: "写一条定投推送说这只基金" then "稳赚不赔" is one request in two harmless-looking turns.
        joined = f"{plan.request} {text}".strip()
        refusal = screen(text, self.model) or screen(joined, self.model)
        if refusal is not None:
            # The caller keeps the old plan.
            return Plan(brief=plan.brief, refused=True, refusal_reason=refusal.reason, backend=self.backend,
                        compliance=Compliance(passed=False, issues=[f"refused: {refusal.category}"]))  # fmt: skip
        reading = self.read(text)
        old = plan.brief
        if not old.products and plan.products and not (reading.brief.products or reading.brief.categories):
            # The products the planner chose stay chosen: an edit about channels does not swap what is sold.
            old = old.model_copy(update={"products": [p.id for p in plan.products]})
        try:
            brief, said = apply_edit(old, reading, text, self.today, cap=plan.budget.cap if plan.budget else None,
                                     schedule=(plan.schedule.start, plan.schedule.end) if plan.schedule else None,
                                     kinds={cid: c.kind for cid, c in self.market.channels.items()})  # fmt: skip
        except ValidationError as exc:
            raise FinpilotError(f"the edit makes the brief contradict itself: {exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None
        if reading.question is not None:
            return plan.model_copy(update={"question": reading.question, "unparsed": reading.unparsed, "changes": []})
        refused = self._vulnerable(brief, joined, plan.lang)
        if refused is not None:
            return refused  # the caller keeps the old plan, as for any refused edit
        new = self.build(brief, lang=plan.lang)
        new.request = joined
        new.unparsed = reading.unparsed
        new.changes = diff(plan, new) or [f"nothing changed: {s}" for s in said]
        if not new.changes:
            new.changes = ["nothing changed: the edit named nothing the plan uses (" + text + ")"]
        return new


def _unparsed_note(reading: BriefReading) -> Note:
    words = "; ".join(u.text for u in reading.unparsed)
    return note(f"not understood, not applied: {words}", f"没看懂、未应用：{words}")


def _checked(text: str) -> str:
    from assistant.text import checked_input

    return checked_input(text, what="brief", limit=MAX_BRIEF_CHARS, empty="say the goal, the product and the budget")


def diff(old: Plan, new: Plan) -> list[str]:
    """What an edit changed, in the units people read."""
    out = []

    def add(label: str, a: Any, b: Any) -> None:
        if a != b:
            out.append(f"{label}: {a} -> {b}")

    add("budget cap", old.budget.cap if old.budget else None, new.budget.cap if new.budget else None)
    add("budget total", old.budget.total if old.budget else None, new.budget.total if new.budget else None)
    add("segment rule", old.segment.rule if old.segment else None, new.segment.rule if new.segment else None)
    add("segment size", old.segment.size if old.segment else None, new.segment.size if new.segment else None)
    add("channels", [c.name for c in old.channels], [c.name for c in new.channels])
    add("audience", [c.said or c.rule for c in old.brief.audience], [c.said or c.rule for c in new.brief.audience])
    add("products", [p.id for p in old.products], [p.id for p in new.products])
    add("start", old.schedule.start if old.schedule else None, new.schedule.start if new.schedule else None)
    add("end", old.schedule.end if old.schedule else None, new.schedule.end if new.schedule else None)
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    add("send days", [days[d] for d in old.brief.send_weekdays] or "any", [days[d] for d in new.brief.send_weekdays] or "any")
    add("send hours", _hours(old.brief), _hours(new.brief))
    add("touches", sum(c.touches for c in old.channels), sum(c.touches for c in new.channels))
    add("offer", old.offer.name if old.offer else None, new.offer.name if new.offer else None)
    add("expected conversions", old.kpis.conversions[1] if old.kpis else None, new.kpis.conversions[1] if new.kpis else None)
    add("experiment arms", old.ab_test.arms if old.ab_test else None, new.ab_test.arms if new.ab_test else None)
    add("sample size per arm", old.ab_test.sample_size_per_arm if old.ab_test else None, new.ab_test.sample_size_per_arm if new.ab_test else None)
    return out


def _hours(brief: CampaignBrief) -> str:
    """The hours a brief allows sends in, as an edit's change list says them ("—–20:00", "any")."""
    if not (brief.send_after or brief.send_before):
        return "any"
    return "–".join(f"{t:%H:%M}" if t else "—" for t in (brief.send_after, brief.send_before))


def _verdict(plan: Plan) -> Compliance:
    """A plan passes only when every piece of copy passes and every product fits its segment; never with an open issue."""
    issues = [f"{c.channel}/{c.variant}: {i}" for c in plan.copy_items for i in c.issues]
    issues += [f"{c.channel}/{c.variant}: not compliant" for c in plan.copy_items if not c.compliant and not c.issues]
    if plan.segment is not None:
        for p in plan.products:
            if p.risk_level and f"risk_grade >= {p.risk_level}" not in plan.segment.rule and not any(
                f"risk_grade >= {g}" in plan.segment.rule for g in range(p.risk_level, 6)
            ):
                issues.append(f"{p.name} (R{p.risk_level}) is not restricted to investors of grade C{p.risk_level} or above")
        for p in plan.products:
            if p.kind.endswith("credit") and p.apr is None:
                issues.append(f"{p.name}: a credit product without an annualised rate may not be marketed")
    if not plan.copy_items:
        issues.append("no copy: the plan reaches no one")
    return Compliance(passed=not issues, issues=issues)


def to_markdown(plan: Plan) -> str:
    """The plan as a Markdown brief a marketer can forward."""
    if plan.refused:
        return f"# Campaign brief refused\n\n{plan.refusal_reason}\n"
    if plan.question:
        return f"# A question before planning\n\n{plan.question}\n"
    b = plan.budget
    head = [f"> **{n.say(plan.lang)}**" for n in plan.headline] + [""] * bool(plan.headline)
    head += [f"> Not understood, not applied: {'; '.join(u.text for u in plan.unparsed)}", ""] if plan.unparsed else []
    who = ["- Audience: " + "; ".join(f"{c.said} → `{c.rule}`" if c.said else f"`{c.rule}`" for c in plan.brief.audience)] if plan.brief.audience else []
    lines = ["# Campaign plan", "", *head, f"- Goal: {plan.brief.goal or 'convert'}", *who,
             "- Products: " + ", ".join(f"{p.name} (R{p.risk_level})" if p.risk_level else f"{p.name} (APR {p.apr}%)" if p.apr else p.name for p in plan.products),
             f"- Segment: `{plan.segment.rule}` — {plan.segment.size:,} users" if plan.segment else "- Segment: none",
             f"- Schedule: {plan.schedule.start} to {plan.schedule.end} ({plan.schedule.days} days)" if plan.schedule else "",
             f"- Budget: {b.total:,.2f} of {b.cap:,.2f} yuan ({b.cap_source})" if b else "", "",
             "| channel | touches | unit cost | cost | expected conversions |", "|---|---|---|---|---|"]  # fmt: skip
    lines += [f"| {c.label} | {c.touches:,} | {c.unit_cost:g} | {c.cost:,.2f} | {c.expected_conversions:g} |" for c in plan.channels]
    if plan.cadence:
        lines += ["", "| day | date | channel | to | users | cost | send between |", "|---|---|---|---|---|---|---|"]
        lines += [f"| {t.day} | {t.on} | {t.label} | {'everyone reachable' if t.audience == 'all' else 'non-clickers'} | {t.users:,} | "
                  f"{t.cost:,.2f} | {t.send_window} |" for t in plan.cadence]  # fmt: skip
    if plan.offer:
        lines += ["", f"Offer: {plan.offer.name}, {plan.offer.expected_redemptions:g} expected redemptions, {plan.offer.cost:,.2f} yuan"]
    if plan.kpis:
        k = plan.kpis
        lines += ["", f"Forecast: {k.touches:,} touches, {k.clicks[1]:g} clicks, {k.conversions[0]:g}–{k.conversions[2]:g} conversions"
                  + (f", {k.value_metric} {k.value[0]:,.0f}–{k.value[2]:,.0f} yuan" if k.value_metric != "none" else "")]  # fmt: skip
    if plan.ab_test:
        t = plan.ab_test
        lines += ["", f"Experiment: {len(t.arms)} arms ({', '.join(a['name'] for a in t.arms)}), {t.sample_size_per_arm:,} users per arm "
                  f"(baseline {t.baseline_rate:.4%}{' as stated' if t.baseline_source == 'brief' else ''}, MDE {t.mde:.0%}"
                  f"{f' = {t.mde_points:.2%} points' if t.mde_points and t.design == 'as_stated' else ''}, alpha {t.alpha}, power {t.power}), {t.duration_days} days"]  # fmt: skip
        if t.warning:
            lines.append(f"Warning: {t.warning}")
    lines += ["", "## Copy", ""] + [f"- **{c.channel} {c.variant}**{' [' + c.title + ']' if c.title else ''}: {c.text} {'✅' if c.compliant else '❌ ' + '; '.join(c.issues)}" for c in plan.copy_items]
    lines += ["", f"Compliance: {'passed' if plan.compliance.passed else 'NOT passed: ' + '; '.join(plan.compliance.issues)}"]
    if plan.notes:
        lines += ["", "## Notes", ""] + [f"- {n.say(plan.lang)}" for n in plan.notes]
    lines += ["", "## Similar past campaigns", ""] + [f"- {c.campaign_id} {c.name}: {c.conversions} conversions, {c.cost:,.0f} yuan" for c in plan.citations]
    return "\n".join(line for line in lines if line is not None) + "\n"


def export(plan: Plan, folder: Path, warehouse: Warehouse, reach_tags: dict[str, str | None]) -> list[Path]:
    """plan.json, plan.md and one folder per channel with the user ids (from the segment SQL), the copy and the schedule."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "plan.json", folder / "plan.md"]
    written[0].write_text(plan.model_dump_json(indent=2), encoding="utf-8")
    written[1].write_text(to_markdown(plan), encoding="utf-8")
    if plan.refused or plan.segment is None or plan.schedule is None:
        return written
    holdout: set[str] = set()
    share = plan.ab_test.holdout_share if plan.ab_test else 0.1
    for line in plan.channels:
        tag = reach_tags.get(line.name)
        rule = plan.segment.rule + (f" and {tag} = true" if tag else "")
        ids = sorted(warehouse.user_ids(rule))
        # The hold-out is the same users on every channel, the plan's share of them (10% unless the brief set it): those
        # whose id hashes below that share of 1,000.
        held = {u for u in ids if int(hashlib.sha1(u.encode()).hexdigest(), 16) % 1000 < round(share * 1000)}
        holdout |= held
        send = [u for u in ids if u not in held][: line.touches]
        sub = folder / "channels" / line.name
        sub.mkdir(parents=True, exist_ok=True)
        (sub / "user_ids.txt").write_text("\n".join(send) + "\n", encoding="utf-8")
        (sub / "copy.json").write_text(json.dumps([c.model_dump() for c in plan.copy_items if c.channel == line.name], ensure_ascii=False, indent=2), encoding="utf-8")
        (sub / "schedule.json").write_text(json.dumps({"start": str(plan.schedule.start), "end": str(plan.schedule.end),
                                                       "daily_touches": line.daily_touches, "touches": len(send)}, indent=2), encoding="utf-8")  # fmt: skip
        written += [sub / "user_ids.txt", sub / "copy.json", sub / "schedule.json"]
    (folder / "holdout_user_ids.txt").write_text("\n".join(sorted(holdout)) + "\n", encoding="utf-8")
    return [*written, folder / "holdout_user_ids.txt"]

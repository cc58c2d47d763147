"""What a review compares results against: a campaign's design, read from an exported plan or from the history."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant.campaigns import Market, Plan, sample_size_per_arm
from finpilot import FinpilotError

HOLDOUT_NAMES = ("control", "holdout", "hold-out")
REVIEW_SOURCE = "finpilot review"
"""The `source` of the history records reviews write (assistant/learning/_history.py)."""
DEMO_MDE = 0.2
"""The relative lift the demo's past A/B tests were sized for (their records keep no design)."""


class ArmSpec(BaseModel):
    """One arm as designed: its share and whether it is the untouched hold-out."""

    name: str
    share: float = Field(ge=0, le=1)
    holdout: bool = False
    offer_id: str | None = None


class FunnelForecast(BaseModel):
    """The plan's forecast, step by step, as (low, middle, high)."""

    touches: int
    clicks: tuple[float, float, float]
    conversions: tuple[float, float, float]
    value: tuple[float, float, float]
    value_metric: str = "none"


class CampaignDesign(BaseModel):
    """A campaign as planned: what the results must match and what the review measures against."""

    campaign_id: str
    """The id results rows carry: plan-<hash of the plan> for an exported plan, the record's id for a past campaign."""
    name: str
    source: Literal["plan", "history"]
    goal: str = "convert"
    product_ids: list[str]
    channel_costs: dict[str, float]
    """Yuan per touch, per channel the plan sends through."""
    offer_id: str | None = None
    offer_cost: float = 0.0
    """Yuan per redemption (every treated converter with an offer redeems it)."""
    arms: list[ArmSpec]
    start: date
    end: date
    alpha: float = 0.05
    power: float = 0.8
    planned_per_arm: int | None = None
    """Users each compared arm needs before the A/B test may be read (the design's sample size)."""
    baseline_rate: float | None = None
    mde: float | None = None
    forecast: FunnelForecast | None = None
    segment_rule: str = ""
    value_metric: Literal["aum", "loan_volume", "premium", "none"] = "none"

    @property
    def holdout(self) -> ArmSpec | None:
        return next((a for a in self.arms if a.holdout), None)

    @property
    def treated(self) -> list[ArmSpec]:
        return [a for a in self.arms if not a.holdout]


def plan_id(plan: Plan) -> str:
    """A plan's id: a hash of the plan as exported, so the same plan always has the same id."""
    canonical = json.dumps(json.loads(plan.model_dump_json()), sort_keys=True, ensure_ascii=False)
    return "plan-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:10]


def design_from_plan(plan: Plan) -> CampaignDesign:
    """The design of an exported plan (refused plans and open questions have none)."""
    if plan.refused or plan.question or plan.schedule is None or plan.ab_test is None:
        raise FinpilotError("this plan has no campaign to review (it was refused or asks a question)")
    ab = plan.ab_test
    arms = [ArmSpec(name=a["name"], share=float(a["share"]), holdout=a["name"] in HOLDOUT_NAMES,
                    offer_id=plan.offer.offer_id if plan.offer and a["name"] not in HOLDOUT_NAMES else None) for a in ab.arms]  # fmt: skip
    forecast = None
    if plan.kpis is not None:
        k = plan.kpis
        forecast = FunnelForecast(touches=k.touches, clicks=k.clicks, conversions=k.conversions, value=k.value, value_metric=k.value_metric)
    goal = plan.brief.goal or "convert"
    return CampaignDesign(
        campaign_id=plan_id(plan), name=_plan_name(plan), source="plan",
        goal=goal, product_ids=[p.id for p in plan.products], channel_costs={c.name: c.unit_cost for c in plan.channels},
        offer_id=plan.offer.offer_id if plan.offer else None, offer_cost=plan.offer.cost_per_redemption if plan.offer else 0.0,
        arms=arms, start=plan.schedule.start, end=plan.schedule.end, alpha=ab.alpha, power=ab.power,
        planned_per_arm=ab.sample_size_per_arm or None, baseline_rate=ab.baseline_rate, mde=ab.mde, forecast=forecast,
        segment_rule=plan.segment.rule if plan.segment else "", value_metric=plan.kpis.value_metric if plan.kpis else "none",
    )  # fmt: skip


def _plan_name(plan: Plan) -> str:
    names = "、".join(p.name for p in plan.products) or "campaign"
    return f"{plan.schedule.start:%Y-%m-%d} {names}" if plan.schedule else names


def design_from_history(campaign_id: str, market: Market, demo_dir: Path | None = None) -> CampaignDesign:
    """The design of a past campaign of the demo history (a hold-out, then arms A and B as the demo logged them).
    Read from the campaign's own record, never from a review of it (a review's measured rates are not its design)."""
    from retrieval import demo_arms

    record = next((c for c in market.campaigns if c.campaign_id == campaign_id and c.source != REVIEW_SOURCE), None)
    if record is None and demo_dir is not None and any(c.campaign_id == campaign_id for c in market.campaigns):
        # Reviewed already: the market shows the review's record; the design is the demo's own.
        record = next((c for c in Market.from_folder(demo_dir).campaigns if c.campaign_id == campaign_id), None)
    if record is None:
        raise FinpilotError(f"no past campaign {campaign_id!r} in the history (ids look like cmp_0351)")
    offer = market.offers.get(record.offer_id or "")
    arms = [ArmSpec(name=n, share=s, holdout=n in HOLDOUT_NAMES, offer_id=o) for n, s, o in demo_arms(record.offer_id)]
    baseline = record.conversions / record.reach if record.reach and record.conversions else None
    planned = sample_size_per_arm(baseline, DEMO_MDE) if baseline else None
    metric = "aum" if record.aum else "loan_volume" if record.loan_volume else "none"
    return CampaignDesign(
        campaign_id=record.campaign_id, name=record.name, source="history", goal=record.goal, product_ids=record.product_ids,
        channel_costs={c: market.channels[c].unit_cost for c in record.channel_ids if c in market.channels},
        offer_id=record.offer_id, offer_cost=offer.cost_per_redemption if offer else 0.0, arms=arms, start=record.start,
        end=record.end, planned_per_arm=planned, baseline_rate=baseline, mde=DEMO_MDE if baseline else None,
        segment_rule=record.segment_rule, value_metric=metric,
    )  # fmt: skip


def load_design(ref: str, market: Market, demo_dir: Path | None = None) -> tuple[CampaignDesign, Plan | None]:
    """A design from PLAN as people name it: a plan.json, the folder `finpilot campaign --export` wrote, or a past
    campaign's id (cmp_0351; `demo_dir`: where its own record is, once a review has replaced it in the market)."""
    path = Path(ref)
    if path.is_dir():
        path = path / "plan.json"
    if path.suffix == ".json" or path.is_file():
        if not path.is_file():
            raise FinpilotError(f"{path} does not exist: give a plan.json, an export folder or a past campaign id")
        try:
            plan = Plan.model_validate_json(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise FinpilotError(f"{path} is not a plan finpilot exported: {str(exc).splitlines()[0]}") from exc
        return design_from_plan(plan), plan
    return design_from_history(ref, market, demo_dir), None

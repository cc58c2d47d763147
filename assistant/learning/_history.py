"""History that teaches: a reviewed campaign is kept (its review, and a record the planner reads like any past
campaign, with the rates measured), and the tag-effect table pools what every reviewed campaign says about each tag.

The planner reads home/reviews/history.jsonl beside the market's campaigns.jsonl (assistant/campaigns/_market.py):
later plans cite reviewed campaigns and forecast from their measured rates.
"""

from __future__ import annotations

import json
import math
import os
from datetime import date
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.learning._design import REVIEW_SOURCE, CampaignDesign
from assistant.learning._review import Review
from finpilot import Settings

HISTORY_FILE = "history.jsonl"


class TagEffect(BaseModel):
    """How segments with one tag value responded over every reviewed campaign (inverse-variance pooled lift)."""

    tag: str
    value: str
    campaigns: int
    users: int
    lift: float
    low: float
    high: float
    responded: int
    """Campaigns where this cell responded (after the many-comparisons correction)."""
    responded_worse: int


def reviews_dir(settings: Settings) -> Path:
    return settings.home / "reviews"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def save_review(settings: Settings, design: CampaignDesign, result: Review) -> Path:
    """Keep a review and add (or replace) its campaign in the history the planner reads."""
    folder = reviews_dir(settings)
    path = folder / f"{design.campaign_id}.json"
    _write(path, json.dumps({"design": design.model_dump(mode="json"), "review": result.model_dump(mode="json")}, ensure_ascii=False, indent=1))
    records = [r for r in _history_rows(settings) if r["campaign_id"] != design.campaign_id]
    records.append(_record(design, result))
    _write(folder / HISTORY_FILE, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return path


def _history_rows(settings: Settings) -> list[dict]:
    path = reviews_dir(settings) / HISTORY_FILE
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _record(design: CampaignDesign, result: Review) -> dict:
    """The reviewed campaign as a history record: its treated users' funnel and cost, as measured."""
    treated = [a for a in result.arms if not a.holdout]
    reach = sum(a.users for a in treated)
    steps = {s.step: s.actual for s in result.funnel}
    value = sum(a.value for a in treated)
    clicks = int(min(reach, max(steps.get("clicks", 0), steps.get("conversions", 0))))
    return {
        "source": REVIEW_SOURCE, "as_of": result.reviewed_on.isoformat(), "campaign_id": design.campaign_id,
        "name": f"{design.name}（已复盘）", "goal": design.goal if design.goal in _GOALS else "convert",
        "product_ids": design.product_ids, "segment_rule": design.segment_rule or "monthly_active = true",
        "channel_ids": list(design.channel_costs), "offer_id": design.offer_id, "start": design.start.isoformat(),
        "end": design.end.isoformat(), "budget": result.cost, "reach": reach, "clicks": clicks,
        "conversions": int(min(clicks, steps.get("conversions", 0))), "cost": result.cost,
        "aum": value if design.value_metric == "aum" else 0.0, "loan_volume": value if design.value_metric == "loan_volume" else 0.0,
    }  # fmt: skip


_GOALS = ("acquire", "activate", "convert", "retain", "win_back", "cross_sell")


def load_reviews(settings: Settings) -> list[tuple[CampaignDesign, Review]]:
    """Every kept review, oldest campaign first."""
    folder = reviews_dir(settings)
    out = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append((CampaignDesign.model_validate(data["design"]), Review.model_validate(data["review"])))
    return sorted(out, key=lambda dr: (dr[0].start, dr[0].campaign_id))


def tag_effects(reviews: list[tuple[CampaignDesign, Review]]) -> list[TagEffect]:
    """The tag-effect table over the reviews given (pooled lift per tag value, with a 95% interval)."""
    cells: dict[tuple[str, str], list] = {}
    for _, r in reviews:
        for c in r.cells:
            cells.setdefault((c.tag, c.value), []).append(c)
    out = []
    for (tag, value), cs in sorted(cells.items()):
        weights, lifts = [], []
        for c in cs:
            se = max((c.lift.high - c.lift.low) / (2 * 1.959964), 1e-9)
            weights.append(1 / se**2)
            lifts.append(c.lift.estimate)
        w = sum(weights)
        lift = sum(wi * li for wi, li in zip(weights, lifts)) / w
        half = 1.959964 / math.sqrt(w)
        out.append(TagEffect(tag=tag, value=value, campaigns=len(cs), users=sum(c.treated + c.control for c in cs), lift=lift,
                             low=lift - half, high=lift + half, responded=sum(c.verdict == "responded" for c in cs),
                             responded_worse=sum(c.verdict == "responded_worse" for c in cs)))  # fmt: skip
    return out


class Learned(BaseModel):
    """What the history holds: reviewed campaigns and the tag-effect table."""

    reviewed: list[str] = Field(default_factory=list)
    tags: list[TagEffect] = Field(default_factory=list)
    as_of: date | None = None

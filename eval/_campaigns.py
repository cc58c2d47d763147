"""Campaign-brief cases and the slot metrics of a brief parse (audience hints are free text and not scored)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.campaigns import CampaignBrief

SUITE = Path(__file__).resolve().parent / "suites" / "campaigns.jsonl"
UNORDERED = {"channels", "channels_excluded", "products", "categories", "offers"}


def load_campaign_cases(path: Path | None = None) -> list[dict[str, Any]]:
    """Every line of the campaign suite: briefs (with `expected` and `constraints`) and edits (`kind: edit`)."""
    return [json.loads(line) for line in (path or SUITE).read_text(encoding="utf-8").splitlines() if line.strip()]


def _slots(brief: CampaignBrief) -> dict[str, Any]:
    out = brief.model_dump(exclude_defaults=True, mode="json")
    for key in ("audience", "constraints"):
        out.pop(key, None)
    return {k: sorted(v) if k in UNORDERED else v for k, v in out.items()}


def score_briefs(cases: list[dict[str, Any]], parse: Callable[[str], CampaignBrief]) -> dict[str, Any]:
    """Exact-brief rate and micro precision, recall and F1 over the stated slots."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    exact = 0
    for case in cases:
        got, want = _slots(parse(case["brief"])), _slots(CampaignBrief.model_validate(case["expected"]))
        ok = True
        for k in set(got) | set(want):
            if k in got and k in want and got[k] == want[k]:
                tp[k] += 1
                continue
            ok = False
            fn[k] += k in want
            fp[k] += k in got
        exact += ok
    p = sum(tp.values()) / max(sum(tp.values()) + sum(fp.values()), 1)
    r = sum(tp.values()) / max(sum(tp.values()) + sum(fn.values()), 1)
    return {"cases": len(cases), "exact": round(exact / max(len(cases), 1), 4), "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}  # fmt: skip

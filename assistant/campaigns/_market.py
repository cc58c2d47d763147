"""What a plan is made of: products, channels, offers and the historical campaigns, read from the demo tables
(or any folder with the same JSONL files). Nothing here generates data: the top layers (`finpilot start`, the app,
the eval runner, the benchmarks) make the demo tables first."""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from finpilot import FinpilotError, Settings, get_settings
from retrieval import CampaignRecord, Channel, Offer, Product

CALIBRATION_MIN = 3
"""Past single-channel campaigns a channel needs before its click rate is taken from them."""


@dataclass
class Market:
    """The marketing catalog: products, channels, offers and past campaigns, by id."""

    products: dict[str, Product]
    channels: dict[str, Channel]
    offers: dict[str, Offer]
    campaigns: list[CampaignRecord] = field(default_factory=list)
    source: str = "demo"

    @classmethod
    def from_folder(cls, folder: Path, source: str = "demo") -> Market:
        """Read products.jsonl, channels.jsonl, offers.jsonl and campaigns.jsonl; a clear error names a missing file."""
        tables = {}
        for name in ("products", "channels", "offers", "campaigns"):
            path = folder / f"{name}.jsonl"
            if not path.is_file():
                raise FinpilotError(f"{path} is missing; run `finpilot demo generate` (or `finpilot start`)")
            tables[name] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return cls(
            products={p["product_id"]: Product.model_validate(p) for p in tables["products"]},
            channels={c["channel_id"]: Channel.model_validate(c) for c in tables["channels"]},
            offers={o["offer_id"]: Offer.model_validate(o) for o in tables["offers"]},
            campaigns=[CampaignRecord.model_validate(c) for c in tables["campaigns"]],
            source=source,
        )

    @classmethod
    def demo(cls, settings: Settings | None = None) -> Market:
        """The market tables under FINPILOT_HOME/demo (written by `finpilot demo generate` or `finpilot start`, which
        the command line and the app run first), with the reviewed campaigns of home/reviews; a clear error names
        the missing file."""
        s = settings or get_settings()
        market = cls.from_folder(Path(s.demo_dir))
        # Reviewed campaigns (`finpilot campaign review`) join the history: plans cite them and forecast from their
        # measured rates. A review replaces the demo's record of the same campaign.
        reviewed = s.home / "reviews" / "history.jsonl"
        if reviewed.is_file():
            records = [CampaignRecord.model_validate_json(line) for line in reviewed.read_text(encoding="utf-8").splitlines() if line.strip()]
            ids = {r.campaign_id for r in records}
            market.campaigns = [c for c in market.campaigns if c.campaign_id not in ids] + records
        return market

    @cached_property
    def channel_ctr(self) -> dict[str, float]:
        """Clicks per touch per channel, calibrated on the past campaigns that used that channel alone: the median of
        their clicks / reach (offers included, as plans include them). A channel fewer than CALIBRATION_MIN past
        campaigns used alone keeps the channel table's rate."""
        alone: dict[str, list[float]] = {}
        for c in self.campaigns:
            if len(c.channel_ids) == 1 and c.reach:
                alone.setdefault(c.channel_ids[0], []).append(c.clicks / c.reach)
        return {cid: round(statistics.median(alone[cid]), 4) if len(alone.get(cid, ())) >= CALIBRATION_MIN else ch.ctr
                for cid, ch in self.channels.items()}  # fmt: skip

    @cached_property
    def product_names(self) -> dict[str, str]:
        """Short names people use (速借, 稳盈 90 天, 随心分) -> product id; longer names first when matching."""
        out: dict[str, str] = {}
        for p in self.products.values():
            short = re.findall(r"「(.+?)」", p.name)
            rest = re.sub(r"「.+?」", "", p.name).strip()
            lead = re.match(r"\s*(\d+\s*天)", rest)
            names = {p.name, *short, *(s + rest for s in short), *(s + lead.group(1) for s in short if lead),
                     *(s + re.sub(r"\D", "", lead.group(1)) for s in short if lead),  # 稳盈 365 for 稳盈 365 天
                     *(s + rest[:n] for s in short for n in range(2, len(rest)))}  # 康护百万医疗, the name cut short
            for name in names:
                # Matched against briefs with spaces removed; an ambiguous short name (稳盈) keeps the first product.
                key = re.sub(r"\s+", "", name.lower())
                out.setdefault(key, p.product_id)
                out.setdefault(re.sub(r"[·・.]", "", key), p.product_id)  # 优选均衡 as typed for 优选·均衡
            out.setdefault(p.product_id.lower(), p.product_id)
        from assistant.campaigns._lexicon import campaign_lexicon

        lexicon = campaign_lexicon()
        rests: dict[str, list[str]] = {}
        for p in self.products.values():
            rest = re.sub(r"\s+", "", re.sub(r"「.+?」", "", p.name).lower())
            rests.setdefault(rest, []).append(p.product_id)
        for rest, ids in rests.items():
            # 百万医疗险 names 「康护」百万医疗险 (the only one); 经营贷 is a family word, never one product's name.
            if len(ids) == 1 and len(rest) >= 4 and rest not in lexicon.family_words and not re.match(r"\d", rest):
                out.setdefault(rest, ids[0])
        for pid, aliases in lexicon.products.items():
            if pid in self.products:
                for alias in aliases:
                    out.setdefault(re.sub(r"\s+", "", alias.lower()), pid)
        return dict(sorted(out.items(), key=lambda kv: -len(kv[0])))

    def more_terms(self, text: str, end: int, product_id: str) -> list[tuple[str, int, int]]:
        """稳盈90天或180天: terms listed right after a product of a series (from `end` in normal-form text), each the
        series' product of that term, as (product id, start, end)."""
        short = re.match(r"「(.+?)」", self.products[product_id].name)
        out: list[tuple[str, int, int]] = []
        pos = end
        while short and (m := re.match(r"\s*(?:或者|或|和|、|/|及|与|or|and|,|，)\s*(\d+)\s*(?:天|-day|days?|d\b)?", text[pos:])):
            other = self.product_names.get(f"{short.group(1).lower()}{m.group(1)}天")
            if other is None or other == product_id:
                break
            out.append((other, pos + m.start(1), pos + m.end()))
            pos += m.end()
        return out

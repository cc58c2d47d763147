"""The campaign planner (issue 5), being built: the typed brief so far."""

from assistant.campaigns._brief import CampaignBrief, KpiTarget

__all__ = ["CampaignBrief", "KpiTarget"]

"""The planner's input as a boundary model, and the planner as a LangChain tool."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from assistant.campaigns._plan import Plan
from assistant.campaigns._planner import MAX_BRIEF_CHARS, Planner

if TYPE_CHECKING:
    from langchain_core.tools import StructuredTool


class CampaignRequest(BaseModel):
    """Plan a marketing campaign for the finance platform from a marketer's brief in plain Chinese or English: segment
    and its size, products, channels, offer, budget, schedule, cadence, copy, forecast, A/B test and a compliance
    verdict, every number computed in code. A brief that breaks the rules comes back refused with the reason; one that
    names who to target in terms the user data cannot hold comes back with one question (`question`) unless
    plan_anyway is true."""

    model_config = ConfigDict(extra="forbid")

    brief: str = Field(min_length=1, max_length=MAX_BRIEF_CHARS, description="The marketer's brief, in their words.")
    plan_anyway: bool = Field(
        default=False, description="Plan without the words that were not understood instead of asking about them.")


def plan(planner: Planner, request: CampaignRequest) -> Plan:
    """The planner's plan, refusal or question for one brief (`finpilot campaign --json` prints the same object)."""
    return planner.plan(request.brief, ask=not request.plan_anyway)


def planner_tool(planner: Planner) -> StructuredTool:
    """`planner` as the LangChain tool `campaign_planner`: a CampaignRequest in, the Plan out as JSON-ready data."""
    from assistant._langchain import as_tool

    return as_tool("campaign_planner", CampaignRequest, lambda request: plan(planner, request))

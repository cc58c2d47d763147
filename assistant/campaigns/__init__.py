"""The campaign planner: a marketer's brief in, a complete, costed, compliant plan out, edited by conversation.

`Planner` is the entry point; the brief, the segment language, the warehouses and the plan model are public for the
eval harness, the UI and the tests. `planner_tool` hands a planner to a LangChain agent (CampaignRequest is its input);
LangChain is imported only then.
"""

from assistant.campaigns._brief import Arm, CampaignBrief, Condition, KpiTarget, Unparsed
from assistant.campaigns._lexicon import CampaignLexicon
from assistant.campaigns._market import Market
from assistant.campaigns._math import sample_size_per_arm
from assistant.campaigns._parser import BriefReading, parse_brief, read_brief
from assistant.campaigns._plan import Note, Plan, Touch, product_family, schedule_for
from assistant.campaigns._planner import Planner, export, to_markdown
from assistant.campaigns._rules import Rule, parse_rule
from assistant.campaigns._tool import CampaignRequest, planner_tool
from assistant.campaigns._vulnerable import VULNERABLE_REACHED
from assistant.campaigns._warehouse import (
    InvestorGrades,
    SegmentCount,
    Warehouse,
    demo_channels,
    open_warehouse,
    )  # fmt: skip

__all__ = [
    "VULNERABLE_REACHED",
    "product_family",
    "schedule_for",
    "sample_size_per_arm",
    "Arm",
    "BriefReading",
    "CampaignBrief",
    "CampaignRequest",
    "CampaignLexicon",
    "Condition",
    "InvestorGrades",
    "KpiTarget",
    "Market",
    "Note",
    "Plan",
    "Planner",
    "Rule",
    "SegmentCount",
    "Touch",
    "Unparsed",
    "Warehouse",
    "demo_channels",
    "export",
    "open_warehouse",
    "parse_brief",
    "parse_rule",
    "planner_tool",
    "read_brief",
    "to_markdown",
]  # fmt: skip

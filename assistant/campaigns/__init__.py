"""The campaign planner: a marketer's brief in, a complete, costed, compliant plan out, edited by conversation.

`Planner` is the entry point; the brief, the segment language, the warehouses and the plan model are public for the
eval harness, the UI and the tests. `planner_tool` hands a planner to a LangChain agent (CampaignRequest is its input);
LangChain is imported only then.
"""

from assistant.campaigns._brief import Arm, CampaignBrief, Condition, KpiTarget, Unparsed
from assistant.campaigns._lexicon import CampaignLexicon, campaign_lexicon
from assistant.campaigns._market import Market
from assistant.campaigns._math import detectable_lift, sample_size_per_arm
from assistant.campaigns._parser import BriefReading, parse_brief, read_brief
from assistant.campaigns._plan import Note, Plan, Touch, build_plan
from assistant.campaigns._planner import Planner, export, to_markdown
from assistant.campaigns._rules import FIELDS, CompiledRule, Rule, RuleError, compile_rule, describe_rule, parse_rule
from assistant.campaigns._tool import CampaignRequest, planner_tool
from assistant.campaigns._warehouse import (
    DuckDBWarehouse,
    InvestorGrades,
    PostgresWarehouse,
    SegmentCount,
    Warehouse,
    demo_channels,
    load_users,
    open_warehouse,
    reach_rule,
)  # fmt: skip

__all__ = [
    "FIELDS",
    "Arm",
    "BriefReading",
    "CampaignBrief",
    "CampaignRequest",
    "CampaignLexicon",
    "CompiledRule",
    "Condition",
    "DuckDBWarehouse",
    "InvestorGrades",
    "KpiTarget",
    "Market",
    "Note",
    "Plan",
    "Planner",
    "PostgresWarehouse",
    "Rule",
    "RuleError",
    "SegmentCount",
    "Touch",
    "Unparsed",
    "Warehouse",
    "build_plan",
    "campaign_lexicon",
    "compile_rule",
    "demo_channels",
    "describe_rule",
    "detectable_lift",
    "export",
    "load_users",
    "open_warehouse",
    "parse_brief",
    "parse_rule",
    "planner_tool",
    "reach_rule",
    "read_brief",
    "sample_size_per_arm",
    "to_markdown",
]  # fmt: skip

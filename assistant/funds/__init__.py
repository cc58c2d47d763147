"""The fund advisor: one request in, a suitable, cited shortlist out; single-fund analysis, comparison, follow-ups.

`Advisor` is the entry point; the parser, the typed request and the screen are public for the eval harness and tests.
`advisor_tool` hands an advisor to a LangChain agent (FundRequest is its input); LangChain is imported only then.
"""

from assistant.funds._advisor import Advisor
from assistant.funds._advisor import _is_follow_up as is_follow_up
from assistant.funds._answer import (
    AnswerCheck,
    Citation,
    FundAnswer,
    FundView,
    Refused,
    answer_markdown,
    describe_filters,
    filter_parts,
    without,
)
from assistant.funds._lexicon import fund_lexicon
from assistant.funds._parser import ParsedRequest, parse_request
from assistant.funds._query import Bound, FundQuery, SortKey, limit_failures, theme_match
from assistant.funds._screen import Shortlist, ShortlistItem, holding_cost, screen
from assistant.funds._table import FundTable
from assistant.funds._tool import FundRequest, advisor_tool

__all__ = [
    "answer_markdown", "fund_lexicon", "is_follow_up", "Advisor", "AnswerCheck", "Bound", "Citation", "FundAnswer", "FundQuery",
    "FundRequest", "FundTable", "FundView", "ParsedRequest", "Refused", "Shortlist", "ShortlistItem", "SortKey",
    "advisor_tool", "describe_filters", "filter_parts", "holding_cost", "limit_failures",
    "parse_request", "screen", "theme_match", "without",
]  # fmt: skip

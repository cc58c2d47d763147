"""The fund advisor: one request in, a suitable, cited shortlist out; single-fund analysis, comparison, follow-ups.

`Advisor` is the entry point; the parser, the typed request and the screen are public for the eval harness and tests.
"""

from assistant.funds._advisor import MAX_REQUEST_CHARS, Advisor
from assistant.funds._answer import (
    DISCLAIMER,
    AnswerCheck,
    Citation,
    FundAnswer,
    FundView,
    Refused,
    check_answer,
    describe_filters,
    filter_parts,
    without,
)
from assistant.funds._parser import ParsedRequest, parse_request
from assistant.funds._query import Bound, FundQuery, SortKey, limit_failures
from assistant.funds._query import theme_match
from assistant.funds._screen import Shortlist, ShortlistItem, holding_cost, screen
from assistant.funds._table import FundTable

__all__ = [
    "DISCLAIMER", "MAX_REQUEST_CHARS", "Advisor", "AnswerCheck", "Bound", "Citation", "FundAnswer", "FundQuery",
    "FundTable", "FundView", "ParsedRequest", "Refused", "Shortlist", "ShortlistItem", "SortKey", "check_answer",
    "describe_filters", "filter_parts", "holding_cost", "limit_failures",
    "parse_request", "screen", "theme_match", "without",
]  # fmt: skip

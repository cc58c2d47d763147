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
from assistant.funds._numbers import Found, cn_number, find_amounts, find_durations, find_percents, normalize
from assistant.funds._parser import ParsedRequest, parse_request
from assistant.funds._query import Bound, FundQuery, SortKey, limit_failures
from assistant.funds._screen import Shortlist, ShortlistItem, holding_cost, screen, theme_match
from assistant.funds._table import FundTable

__all__ = [
    "DISCLAIMER", "MAX_REQUEST_CHARS", "Advisor", "AnswerCheck", "Bound", "Citation", "Found", "FundAnswer", "FundQuery",
    "FundTable", "FundView", "ParsedRequest", "Refused", "Shortlist", "ShortlistItem", "SortKey", "check_answer",
    "cn_number", "describe_filters", "filter_parts", "find_amounts", "find_durations", "find_percents", "holding_cost", "limit_failures", "normalize",
    "parse_request", "screen", "theme_match", "without",
]  # fmt: skip

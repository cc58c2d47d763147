"""The fund advisor (issue 4), being built: the typed request, the offline parser, the hard-limit check so far."""

from assistant.funds._parser import ParsedRequest, parse_request
from assistant.funds._screen import Shortlist, ShortlistItem, holding_cost, screen, theme_match
from assistant.funds._query import Bound, FundQuery, SortKey, limit_failures
from assistant.funds._numbers import Found, cn_number, find_amounts, find_durations, find_percents, normalize

__all__ = ["Shortlist", "ShortlistItem", "holding_cost", "screen", "theme_match", "ParsedRequest", "parse_request", "Bound", "FundQuery", "SortKey", "limit_failures", "Found", "cn_number", "find_amounts", "find_durations", "find_percents", "normalize"]

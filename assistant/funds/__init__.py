"""The fund advisor (issue 4), being built: the typed request, its hard-limit check and number parsing so far."""

from assistant.funds._query import Bound, FundQuery, SortKey, limit_failures
from assistant.funds._numbers import Found, cn_number, find_amounts, find_durations, find_percents, normalize

__all__ = ["Bound", "FundQuery", "SortKey", "limit_failures", "Found", "cn_number", "find_amounts", "find_durations", "find_percents", "normalize"]

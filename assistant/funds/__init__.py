"""The fund advisor (issue 4), being built: number parsing first; the typed request, parser and screen follow."""

from assistant.funds._numbers import Found, cn_number, find_amounts, find_durations, find_percents, normalize

__all__ = ["Found", "cn_number", "find_amounts", "find_durations", "find_percents", "normalize"]

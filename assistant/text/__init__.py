"""The one text layer every parser and checker reads through.

Normalise once at the door (`normalize`: full width, case, spaces, thousands separators, with a map back to what the
person wrote), find numbers however they are written (`find_percents`, `find_amounts`, `find_word_amounts`,
`find_durations`, `cn_number`), known phrases (`find_phrases`), and read negation and comparison with one
mechanism for every field (`language()`: the rules of `language.toml`, extended under FINPILOT_HOME). Rule files a
domain expert edits are loaded and checked by `load_rules`.
"""

from assistant.text._input import checked_input
from assistant.text._language import Cue, Lang, Language, LanguageRules, Side, language
from assistant.text._markdown import defuse_markdown, escape_markdown
from assistant.text._normalize import Span, Text, fold, normal, normalize
from assistant.text._numbers import (
    EN_NUM,
    EN_NUMBERS,
    NUM,
    Found,
    as_rate,
    cn_number,
    find_amounts,
    find_durations,
    find_percents,
    find_word_amounts,
)
from assistant.text._phrases import ascii_word, find_phrases, longest_first, occurrences
from assistant.text._pii import BANK_CARD as PII_BANK_CARD
from assistant.text._pii import ID_CARD as PII_ID_CARD
from assistant.text._pii import MOBILE as PII_MOBILE
from assistant.text._pii import mask_logs, mask_pii, mask_record
from assistant.text._vocab import home_rules, load_rules, valid_pattern

__all__ = [
    "EN_NUM", "EN_NUMBERS", "NUM", "Cue", "Found", "Lang", "Language", "LanguageRules", "Side", "Span", "Text", "as_rate",
    "ascii_word", "checked_input", "cn_number", "defuse_markdown", "escape_markdown", "find_amounts", "find_durations", "find_percents",
    "find_phrases", "find_word_amounts", "fold",
    "language", "load_rules", "mask_logs", "PII_BANK_CARD", "PII_ID_CARD", "PII_MOBILE", "home_rules", "mask_pii", "mask_record", "valid_pattern", "longest_first", "normal", "normalize", "occurrences",
]  # fmt: skip

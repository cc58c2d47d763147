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
from assistant.text._vocab import load_rules

__all__ = [
    "EN_NUM", "EN_NUMBERS", "NUM", "Cue", "Found", "Lang", "Language", "LanguageRules", "Side", "Span", "Text", "as_rate",
    "ascii_word", "checked_input", "cn_number", "defuse_markdown", "escape_markdown", "find_amounts", "find_durations", "find_percents",
    "find_phrases", "find_word_amounts", "fold",
    "language", "load_rules", "longest_first", "normal", "normalize", "occurrences",
]  # fmt: skip

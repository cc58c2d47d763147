"""Prompt files, versioned and hashed into cache keys and run records.

Each prompt is `prompts/<name>.md`; its first line is `version: N`. Editing the text changes its hash, so the
model-call cache never serves an answer written for an older prompt.
"""

from prompts._load import Prompt, load_prompt, prompt_hash

__all__ = ["Prompt", "load_prompt", "prompt_hash"]

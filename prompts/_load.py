"""Loading prompt files and hashing them."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from finpilot import FinpilotError

PROMPT_DIR = Path(__file__).resolve().parent


class Prompt(BaseModel):
    """One prompt file: its name, declared version, text and content hash."""

    name: str
    version: str
    text: str
    sha256: str

    @property
    def ref(self) -> str:
        """`name@version#hash12`, as run records show it."""
        return f"{self.name}@{self.version}#{self.sha256[:12]}"


@cache
def load_prompt(name: str) -> Prompt:
    """The prompt `prompts/<name>.md`; a clear error when it is missing or has no version line."""
    path = PROMPT_DIR / f"{name}.md"
    if not path.is_file():
        raise FinpilotError(f"no prompt file {path.name} in {PROMPT_DIR}")
    raw = path.read_text(encoding="utf-8")
    head, _, body = raw.partition("\n")
    if not head.startswith("version:"):
        raise FinpilotError(f"{path.name}: the first line must be 'version: N'")
    return Prompt(name=name, version=head.split(":", 1)[1].strip(), text=body.strip() + "\n", sha256=hashlib.sha256(raw.encode()).hexdigest())


def prompt_hash(*names: str) -> str:
    """One hash over several prompt files, for cache keys."""
    return hashlib.sha256("".join(load_prompt(n).sha256 for n in sorted(names)).encode()).hexdigest()[:16]

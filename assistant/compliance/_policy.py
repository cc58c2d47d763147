"""The one policy file (`policy.toml`): prohibited claims, disclosures and vulnerable groups, validated on load.

The copy checker reads its promise, absolute-claim and approval patterns and its disclosure wording from here; the
request checker refuses a request to write any claim here; the planner takes the vulnerable-group tags, the overdue
lookback and the untagged hardship words from here. A bank extends or tightens it by editing this one file.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.text import valid_pattern

POLICY_FILE = Path(__file__).with_name("policy.toml")

RefusalCategory = Literal["mislead", "hide_fees_or_risk", "promise_returns", "fake_reviews", "inside_information", "manipulation",
                          "vulnerable_credit", "suitability_bypass", "other_illegal"]  # fmt: skip


_compiles = valid_pattern


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClaimRule(_Strict):
    """A claim no copy may make and no request may ask for."""

    category: RefusalCategory
    """The refusal category of a request to write it."""
    source: str = Field(min_length=1)
    """The knowledge document and the regulation the rule comes from."""
    pattern: str
    hits: list[str] = Field(min_length=1)
    """Text the rule must flag."""
    passes: list[str] = Field(default_factory=list)
    """Look-alikes the rule must not flag."""
    refuse_request: bool = True
    """Whether a request to write the claim is refused; false where the words are too common in ordinary requests
    (最多 5 万, 第一句) and the copy checker rewrites them in the copy instead."""

    _check = field_validator("pattern")(_compiles)


class Disclosure(_Strict):
    """Wording copy about a kind of product must carry, and how its presence is recognised."""

    source: str = Field(min_length=1)
    wording: str = Field(min_length=1)
    present: str

    _check = field_validator("present")(_compiles)


class VulnerablePolicy(_Strict):
    """Who credit is never marketed to."""

    source: str = Field(min_length=1)
    overdue_lookback_days: int = Field(ge=1, le=3650)
    """A borrower overdue within this many days is still in difficulty."""
    tags: list[str] = Field(min_length=1)
    untagged: str
    """Words no tag holds that name people in difficulty or lending to repay."""
    hits: list[str] = Field(min_length=1)
    passes: list[str] = Field(default_factory=list)
    student_in_copy: str
    """Words in copy that aim credit at students."""

    _check = field_validator("untagged", "student_in_copy")(_compiles)


class Policy(_Strict):
    version: int = 1
    claims: dict[str, ClaimRule]
    disclosures: dict[str, Disclosure]
    vulnerable: VulnerablePolicy


@lru_cache(maxsize=1)
def policy() -> Policy:
    """The validated policy; an invalid file is an error naming the field."""
    from pydantic import ValidationError

    from finpilot import FinpilotError

    try:
        return Policy.model_validate(tomllib.loads(POLICY_FILE.read_text(encoding="utf-8")))
    except (ValidationError, tomllib.TOMLDecodeError) as exc:
        raise FinpilotError(f"policy file {POLICY_FILE}: {exc}") from None

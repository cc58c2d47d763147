"""The review's guardrail limits, read from guardrails.toml (policy, not code) and validated."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field


class GuardrailLimits(BaseModel):
    model_config = ConfigDict(extra="forbid")

    opt_out: float = Field(gt=0, lt=1)
    """Share of treated users who opted out above which a review flags the campaign."""
    complaint: float = Field(gt=0, lt=1)
    """Share of treated users who complained above which a review flags the campaign."""


@cache
def guardrail_limits() -> dict[str, float]:
    text = resources.files("assistant.learning").joinpath("guardrails.toml").read_text(encoding="utf-8")
    return GuardrailLimits.model_validate(tomllib.loads(text)).model_dump()

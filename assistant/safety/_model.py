"""The model check behind the rules and the learned screen, when a model backend serves the request.

It sees only the request and the prompt `prompts/safety_check.md`; its verdict can add a refusal the other layers
missed, never remove one (the rules and the screen decide first). A backend that fails or answers off-schema adds
nothing: the request is judged by the layers that did answer, and the failure is logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from pydantic import BaseModel

from assistant.safety._rules import REASONS, Category

if TYPE_CHECKING:
    from assistant.backends import ChatBackend

log = logging.getLogger("finpilot.safety")


class ModelVerdict(BaseModel):
    """What the model says about one request."""

    refuse: bool
    category: str | None = None
    reason: str = ""


def model_verdict(backend: ChatBackend, text: str) -> ModelVerdict | None:
    """The model's verdict on a request, or None when the backend could not give one."""
    from assistant.backends import BackendError, Message
    from prompts import load_prompt

    messages = [Message(role="system", content=load_prompt("safety_check").text), Message(role="user", content=text)]
    try:
        return backend.structured(messages, ModelVerdict)
    except BackendError as exc:
        log.warning("safety model check failed (%s); the rules and the learned screen decided", exc)
        return None


def as_category(name: str | None) -> Category:
    """The model's category when it is one of ours, else other_illegal."""
    return name if name in REASONS else "other_illegal"

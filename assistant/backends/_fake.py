"""A scriptable backend for tests, demos and the eval harness's dry runs: no model, exact control."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from assistant.backends._base import BackendError, ChatResult, Message, T, validate_json

Script = Callable[[list[Message]], str]


class FakeBackend:
    """Answers from a script: a list of replies used in turn, or a function of the messages."""

    def __init__(self, replies: Sequence[str] | Script = ("fake reply",), *, cycle: bool = True) -> None:
        self.name = "fake"
        self.model = "scripted"
        self.reads_language = True
        """It stands in for a model, so callers take their model paths and the script answers them."""
        self._replies = replies
        self._cycle = cycle
        self.calls: list[list[Message]] = []
        """Every conversation the backend was asked, for assertions."""

    def _next(self, messages: Sequence[Message]) -> str:
        self.calls.append(list(messages))
        if callable(self._replies):
            return self._replies(list(messages))
        n = len(self.calls) - 1
        if n >= len(self._replies) and not self._cycle:
            raise BackendError(f"the fake backend's script has {len(self._replies)} replies and was asked for more")
        return self._replies[n % len(self._replies)]

    def ping(self) -> None:
        """Always ready."""

    def chat(self, messages: Sequence[Message], **params: Any) -> ChatResult:
        """The next scripted reply."""
        return ChatResult(text=self._next(messages), backend=self.name, model=self.model)

    def stream(self, messages: Sequence[Message], **params: Any) -> Iterator[str]:
        """The next scripted reply, a word at a time."""
        text = self._next(messages)
        for i, piece in enumerate(text.split(" ")):
            yield piece if i == 0 else " " + piece

    def structured(self, messages: Sequence[Message], schema: type[T], **params: Any) -> T:
        """The next scripted reply parsed as JSON into `schema`."""
        return validate_json(self._next(messages), schema, self.name)

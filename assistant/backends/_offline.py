"""The offline engine: no model at all, so `reads_language` is False.

The advisor and planner run their deterministic parsers and templates for every backend and see from that flag that
there is no model to add; nothing in the product asks this engine for text. A parser or writer registered here (tests
do) lets it answer a conversation directly; without one it says plainly that a model backend is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pydantic import BaseModel

from assistant.backends._base import BackendError, ChatResult, Message, T

Parser = Callable[[list[Message]], BaseModel]
Writer = Callable[[list[Message]], str]

_PARSERS: dict[type[BaseModel], Parser] = {}
_WRITERS: list[Writer] = []


def register_offline_parser(schema: type[BaseModel], parser: Parser) -> None:
    """Let the offline engine fill `schema` from a conversation (e.g. the FundQuery parser)."""
    _PARSERS[schema] = parser


def register_offline_writer(writer: Writer) -> None:
    """Add a template writer; the first one registered answers free-text requests."""
    _WRITERS.append(writer)


class OfflineBackend:
    """Answers with the registered deterministic parsers and templates; says so plainly when it has none."""

    name = "offline"
    model = "none (deterministic parser and templates)"
    reads_language = False

    def ping(self) -> None:
        """Always ready: there is nothing to reach."""

    def chat(self, messages: Sequence[Message], **params: Any) -> ChatResult:
        """Templated text from the first registered writer."""
        if not _WRITERS:
            raise BackendError("the offline engine has no template for free text here; configure a model backend")
        return ChatResult(text=_WRITERS[0](list(messages)), backend=self.name, model=self.model)

    def stream(self, messages: Sequence[Message], **params: Any) -> Iterator[str]:
        """The templated text in one piece (nothing is generated incrementally)."""
        yield self.chat(messages).text

    def structured(self, messages: Sequence[Message], schema: type[T], **params: Any) -> T:
        """Fill `schema` with its registered parser."""
        parser = _PARSERS.get(schema)
        if parser is None:
            raise BackendError(f"the offline engine has no parser for {schema.__name__}; configure a model backend")
        result = parser(list(messages))
        return schema.model_validate(result.model_dump()) if not isinstance(result, schema) else result

"""The one interface every model backend implements, and the types that cross it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Literal, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, ConfigDict, ValidationError

from finpilot import FinpilotError

T = TypeVar("T", bound=BaseModel)


class BackendError(FinpilotError):
    """A backend could not answer: unreachable, misconfigured, or its output failed validation."""


class Message(BaseModel):
    """One chat message."""

    model_config = ConfigDict(frozen=True)

    role: Literal["system", "user", "assistant"]
    content: str


class ChatResult(BaseModel):
    """A completed answer and who produced it (every output names its backend)."""

    text: str
    backend: str
    model: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


@runtime_checkable
class ChatBackend(Protocol):
    """Chat completion, token streaming and structured output behind one interface."""

    name: str
    """The registry string that made this backend, e.g. `fake`, `llama:/models/x.gguf`."""
    model: str
    """The model it runs, for run records and the UI's status line."""
    reads_language: bool
    """Whether a language model answers (llama, openai, the fake that stands in for one). False for the offline
    engine: callers then skip the model steps (parse checks, prose, safety and judge calls) and rely on their own
    deterministic parsers and templates, which run for every backend anyway."""

    def ping(self) -> None:
        """Raise BackendError now if the backend cannot answer (unreachable, bad key, missing model)."""
        ...

    def chat(self, messages: Sequence[Message], **params: Any) -> ChatResult:
        """The whole answer to `messages`."""
        ...

    def stream(self, messages: Sequence[Message], **params: Any) -> Iterator[str]:
        """The answer, piece by piece as it is generated."""
        ...

    def structured(self, messages: Sequence[Message], schema: type[T], **params: Any) -> T:
        """An instance of `schema`, validated by pydantic (bounds included)."""
        ...


def generation_params(params: dict[str, Any]) -> dict[str, Any]:
    """Sampling settings every backend sends: greedy and seeded unless the caller says otherwise."""
    return {"temperature": params.get("temperature", 0.0), "max_tokens": params.get("max_tokens", 512), "seed": params.get("seed", 0)}


def as_messages(messages: Sequence[Message | dict[str, str]] | str) -> list[Message]:
    """Accept a plain prompt, dicts or Messages."""
    if isinstance(messages, str):
        return [Message(role="user", content=messages)]
    return [m if isinstance(m, Message) else Message.model_validate(m) for m in messages]


def validate_json(text: str, schema: type[T], backend: str) -> T:
    """Parse model output into `schema`; grammars guarantee shape, not numeric bounds, so validate in code."""
    try:
        return schema.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "output"
        raise BackendError(f"{backend} returned output that does not fit {schema.__name__}: {where}: {first['msg']}") from None

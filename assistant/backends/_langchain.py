"""Any ChatBackend as a LangChain chat model and runnables, so chains and tools compose with it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import BaseModel, ConfigDict

from assistant.backends._base import ChatBackend, Message

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


def _to_messages(messages: list[BaseMessage]) -> list[Message]:
    return [Message(role=_ROLES.get(m.type, "user"), content=str(m.content)) for m in messages]


class FinpilotChatModel(BaseChatModel):
    """A LangChain chat model that answers through a finpilot backend (offline, fake, llama:, openai:)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    backend: Any
    """The ChatBackend that answers."""

    @property
    def _llm_type(self) -> str:
        return f"finpilot-{self.backend.name.split(':')[0]}"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"backend": self.backend.name, "model": self.backend.model}

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any
    ) -> ChatResult:
        result = self.backend.chat(_to_messages(messages), **kwargs)
        meta = {"backend": result.backend, "model": result.model}
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=result.text, response_metadata=meta))])

    def _stream(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any
    ) -> Iterator[ChatGenerationChunk]:
        for piece in self.backend.stream(_to_messages(messages), **kwargs):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk

    def structured_runnable(self, schema: type[BaseModel], **params: Any) -> Runnable:
        """A runnable from a prompt value or messages to a validated `schema` instance (the backend's structured output)."""

        def fill(value: Any) -> BaseModel:
            messages = value.to_messages() if hasattr(value, "to_messages") else value
            if isinstance(messages, str):
                return self.backend.structured([Message(role="user", content=messages)], schema, **params)
            return self.backend.structured(_to_messages(messages), schema, **params)

        return RunnableLambda(fill)


def as_langchain(backend: ChatBackend) -> FinpilotChatModel:
    """Wrap a backend as a LangChain chat model."""
    return FinpilotChatModel(backend=backend)

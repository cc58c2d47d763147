"""Model backends behind one `ChatBackend` protocol, chosen by a string through a registry.

Heavy libraries (llama-cpp-python, openai) are imported only inside the backend that needs them.
"""

from typing import Any

from assistant.backends._base import BackendError, ChatBackend, ChatResult, Message, as_messages
from assistant.backends._cache import CallCache
from assistant.backends._pull import pull_model
from assistant.backends._registry import backend_usages, get_backend, register_backend


def describe_gguf(path: str) -> dict[str, Any]:
    """A GGUF model's architecture, parameters, context length and chat template (imports llama-cpp-python)."""
    from assistant.backends._llama import LlamaBackend

    return LlamaBackend(path, n_ctx=512).describe()


def as_langchain(backend: ChatBackend) -> object:
    """Wrap a backend as a LangChain chat model (imports langchain-core only when called)."""
    from assistant.backends._langchain import as_langchain as wrap

    return wrap(backend)


__all__ = [
    "describe_gguf",
    "BackendError", "CallCache", "ChatBackend", "ChatResult", "Message", "as_langchain", "as_messages", "backend_usages", "get_backend", "pull_model", "register_backend",
]  # fmt: skip

"""Model backends behind one `ChatBackend` protocol, chosen by a string through a registry.

Heavy libraries (llama-cpp-python, openai) are imported only inside the backend that needs them.
"""

from assistant.backends._base import BackendError, ChatBackend, ChatResult, Message, as_messages, validate_json
from assistant.backends._cache import CachedBackend, CallCache
from assistant.backends._fake import FakeBackend
from assistant.backends._offline import OfflineBackend
from assistant.backends._privacy import mask_logs, mask_pii
from assistant.backends._pull import pull_model
from assistant.backends._registry import backend_usages, get_backend, register_backend


def as_langchain(backend: ChatBackend) -> object:
    """Wrap a backend as a LangChain chat model (imports langchain-core only when called)."""
    from assistant.backends._langchain import as_langchain as wrap

    return wrap(backend)


__all__ = [
    "BackendError", "CachedBackend", "CallCache", "ChatBackend", "ChatResult", "FakeBackend", "Message",
    "OfflineBackend", "as_langchain", "as_messages", "backend_usages", "get_backend", "mask_logs", "mask_pii", "pull_model", "register_backend",
    "validate_json",
]  # fmt: skip

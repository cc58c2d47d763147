"""Backends chosen by a string: `offline`, `fake`, `llama:PATH.gguf`, `openai:MODEL`."""

from __future__ import annotations

from collections.abc import Callable

from assistant.backends._base import BackendError, ChatBackend
from finpilot import Settings, get_settings

Factory = Callable[[str, Settings], ChatBackend]
_FACTORIES: dict[str, tuple[Factory, str]] = {}


def register_backend(prefix: str, usage: str) -> Callable[[Factory], Factory]:
    """Register a factory for specs `prefix` or `prefix:ARG`; `usage` is shown in errors and `models list`."""

    def wrap(factory: Factory) -> Factory:
        _FACTORIES[prefix] = (factory, usage)
        return factory

    return wrap


def backend_usages() -> list[str]:
    """How each registered backend is named, e.g. `llama:PATH.gguf`."""
    return [usage for _, usage in _FACTORIES.values()]


def get_backend(spec: str | None = None, settings: Settings | None = None, prompt_hash: str = "") -> ChatBackend:
    """The backend a spec names (default: settings.backend), behind the call cache when settings.call_cache is on.

    `prompt_hash` identifies the prompt files behind the calls, so editing a prompt never reuses old answers.
    """
    s = settings or get_settings()
    spec = (spec or s.backend).strip()
    prefix, _, arg = spec.partition(":")
    entry = _FACTORIES.get(prefix)
    if entry is None:
        raise BackendError(f"unknown backend {spec!r}; use one of: {', '.join(backend_usages())}")
    backend = entry[0](arg, s)
    if not s.call_cache:
        return backend
    from assistant.backends._cache import CachedBackend, CallCache

    return CachedBackend(backend, CallCache(s.cache_dir / "calls.sqlite"), prompt_hash)


@register_backend("offline", "offline")
def _offline(arg: str, settings: Settings) -> ChatBackend:
    from assistant.backends._offline import OfflineBackend

    return OfflineBackend()


@register_backend("fake", "fake")
def _fake(arg: str, settings: Settings) -> ChatBackend:
    from assistant.backends._fake import FakeBackend

    return FakeBackend()


@register_backend("llama", "llama:PATH.gguf")
def _llama(arg: str, settings: Settings) -> ChatBackend:
    from assistant.backends._llama import LlamaBackend

    if not arg:
        raise BackendError("llama needs a model file: --backend llama:PATH.gguf")
    return LlamaBackend(
        arg, n_ctx=settings.llama_n_ctx, n_threads=settings.llama_n_threads, n_gpu_layers=settings.llama_n_gpu_layers
    )


@register_backend("openai", "openai:MODEL")
def _openai(arg: str, settings: Settings) -> ChatBackend:
    from assistant.backends._openai import OpenAIBackend

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    return OpenAIBackend(
        arg, base_url=settings.openai_base_url, api_key=key, timeout=settings.openai_timeout, max_retries=settings.openai_max_retries
    )

"""An optional on-disk cache of model calls; a key changes with anything that could change the answer."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.backends._base import ChatBackend, ChatResult, Message, T
from assistant.backends._privacy import mask_pii


class CallCache:
    """Answers keyed by sha256(backend, model, call kind, messages, parameters, prompt-file hash)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS calls (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(backend: ChatBackend, kind: str, messages: Sequence[Message], params: dict[str, Any], prompt_hash: str) -> str:
        """The cache key of one call."""
        payload = json.dumps(
            {"backend": backend.name, "model": backend.model, "kind": kind, "messages": [m.model_dump() for m in messages],
             "params": params, "prompt": prompt_hash},
            sort_keys=True, ensure_ascii=False, default=str,
        )  # fmt: skip
        return hashlib.sha256(payload.encode()).hexdigest()

    def get(self, key: str) -> str | None:
        """The stored answer, or None."""
        with self._lock:
            row = self._db.execute("SELECT value FROM calls WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return row[0]

    def put(self, key: str, value: str) -> None:
        """Store an answer, with private numbers masked."""
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO calls (key, value) VALUES (?, ?)", (key, mask_pii(value)))
            self._db.commit()


class CachedBackend:
    """Wraps a backend: chat and structured answers come from the cache when the same call was made before.

    Only successful answers are stored, so an error is retried next time. Streams pass through uncached.
    """

    def __init__(self, inner: ChatBackend, cache: CallCache, prompt_hash: str = "") -> None:
        self.inner = inner
        self.cache = cache
        self.prompt_hash = prompt_hash
        self.name = inner.name
        self.model = inner.model
        self.reads_language = inner.reads_language

    def ping(self) -> None:
        """Ask the wrapped backend."""
        self.inner.ping()

    def chat(self, messages: Sequence[Message], **params: Any) -> ChatResult:
        """Cached chat completion."""
        key = CallCache.key(self.inner, "chat", messages, params, self.prompt_hash)
        hit = self.cache.get(key)
        if hit is not None:
            return ChatResult.model_validate_json(hit)
        result = self.inner.chat(messages, **params)
        self.cache.put(key, result.model_dump_json())
        return result

    def stream(self, messages: Sequence[Message], **params: Any) -> Iterator[str]:
        """Uncached: a stream is for a person watching, not for repeatable runs."""
        return self.inner.stream(messages, **params)

    def structured(self, messages: Sequence[Message], schema: type[T], **params: Any) -> T:
        """Cached structured output; the schema itself is part of the key."""
        schema_hash = hashlib.sha256(json.dumps(schema.model_json_schema(), sort_keys=True).encode()).hexdigest()[:16]
        key = CallCache.key(self.inner, f"structured:{schema.__name__}:{schema_hash}", messages, params, self.prompt_hash)
        hit = self.cache.get(key)
        if hit is not None:
            return schema.model_validate_json(hit)
        result = self.inner.structured(messages, schema, **params)
        self.cache.put(key, result.model_dump_json())
        return result

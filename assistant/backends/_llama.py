"""Local GGUF models through llama.cpp (llama-cpp-python), all layers on the GPU when the build supports it."""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.backends._base import BackendError, ChatResult, Message, T, generation_params, validate_json

_LOADED: dict[tuple[Any, ...], Any] = {}
_LOCK = threading.Lock()


@atexit.register
def _close_models() -> None:
    # Llama.__del__ during interpreter teardown finds llama.cpp's functions already gone and prints a
    # traceback after every run; closing the models while the library is intact avoids that.
    with _LOCK:
        for llm in _LOADED.values():
            llm.close()
        _LOADED.clear()


def check_gguf(path: str | Path) -> Path:
    """The path of a readable GGUF file, or a clear error."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise BackendError(f"no GGUF model at {p}")
    with p.open("rb") as fh:
        if fh.read(4) != b"GGUF":
            raise BackendError(f"{p.name} is not a GGUF model file")
    return p.resolve()


def _gpu_offload() -> bool:
    """Whether this llama-cpp-python build can put layers on a GPU."""
    import llama_cpp

    return bool(llama_cpp.llama_supports_gpu_offload())


class LlamaBackend:
    """A GGUF model loaded once per process; chat uses the template stored in the GGUF."""

    def __init__(self, path: str | Path, *, n_ctx: int = 4096, n_threads: int | None = None, n_gpu_layers: int = -1, seed: int = 0) -> None:
        self.path = check_gguf(path)
        self.name = f"llama:{self.path}"
        self.model = self.path.name
        self.reads_language = True
        self._key = (str(self.path), n_ctx, n_threads, n_gpu_layers, seed)

    def llm(self) -> Any:
        """The loaded llama_cpp.Llama (loaded on first use, shared by every backend on the same file and settings)."""
        with _LOCK:
            if self._key not in _LOADED:
                try:
                    from llama_cpp import Llama  # heavy: the native library
                except ImportError:
                    raise BackendError("llama-cpp-python is not installed: pip install 'finpilot[llama]'") from None
                path, n_ctx, n_threads, n_gpu_layers, seed = self._key
                try:
                    _LOADED[self._key] = Llama(
                        model_path=path, n_ctx=n_ctx, n_threads=n_threads, n_gpu_layers=n_gpu_layers, seed=seed, verbose=False
                    )
                except Exception as exc:  # noqa: BLE001 - llama.cpp fails to load in many types (ValueError, RuntimeError, ...): each means this file cannot be used
                    raise BackendError(f"llama.cpp could not load {Path(path).name}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
            return _LOADED[self._key]

    def ping(self) -> None:
        """Load the model now (the file was checked when the backend was made)."""
        self.llm()

    def describe(self) -> dict[str, Any]:
        """What `finpilot models check` prints: architecture, parameters, context length, chat template."""
        llm = self.llm()
        meta = llm.metadata
        arch = meta.get("general.architecture", "unknown")
        return {
            "file": str(self.path), "name": meta.get("general.name"), "architecture": arch,
            "parameters": llm._model.n_params(), "context_length": int(meta.get(f"{arch}.context_length") or llm._model.n_ctx_train()),
            "chat_template": meta.get("tokenizer.chat_template"), "gpu_offload": _gpu_offload(),
        }  # fmt: skip

    def chat(self, messages: Sequence[Message], **params: Any) -> ChatResult:
        """The whole completion."""
        out = self.llm().create_chat_completion(messages=[m.model_dump() for m in messages], **generation_params(params))
        usage = out.get("usage") or {}
        return ChatResult(
            text=out["choices"][0]["message"]["content"] or "", backend=self.name, model=self.model,
            prompt_tokens=usage.get("prompt_tokens"), completion_tokens=usage.get("completion_tokens"),
        )  # fmt: skip

    def stream(self, messages: Sequence[Message], **params: Any) -> Iterator[str]:
        """Tokens as llama.cpp generates them."""
        chunks = self.llm().create_chat_completion(messages=[m.model_dump() for m in messages], stream=True, **generation_params(params))
        for chunk in chunks:
            piece = chunk["choices"][0]["delta"].get("content")
            if piece:
                yield piece

    def structured(self, messages: Sequence[Message], schema: type[T], **params: Any) -> T:
        """JSON constrained by a grammar built from the schema, then validated in code (grammars skip numeric bounds)."""
        out = self.llm().create_chat_completion(
            messages=[m.model_dump() for m in messages],
            response_format={"type": "json_object", "schema": schema.model_json_schema()},
            **generation_params(params),
        )
        choice = out["choices"][0]
        if choice.get("finish_reason") == "length":
            # The grammar keeps the text valid only until generation stops; a cut-off answer is not JSON.
            raise BackendError(f"{self.model} reached max_tokens before finishing its {schema.__name__} answer; raise max_tokens")
        return validate_json(choice["message"]["content"] or "", schema, self.name)

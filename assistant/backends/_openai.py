"""Any OpenAI-compatible API (OpenAI, vLLM, a llama.cpp server, a company gateway) through the openai client."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from assistant.backends._base import BackendError, ChatResult, Message, T, generation_params, validate_json
from assistant.backends._privacy import mask_pii


class OpenAIBackend:
    """Chat, streaming and structured output over HTTP; private numbers are masked before anything is sent.

    Structured output asks for a JSON schema first; a server that does not support it gets JSON mode plus
    validation in code and one repair attempt. The openai client retries 429 and 5xx answers with backoff.
    """

    def __init__(self, model: str, *, base_url: str | None, api_key: str | None, timeout: float = 60.0, max_retries: int = 2) -> None:
        try:
            import openai
        except ImportError:
            raise BackendError("the openai package is not installed: pip install finpilot") from None
        if not model:
            raise BackendError("openai needs a model name: --backend openai:MODEL")
        self.name = f"openai:{model}"
        self.model = model
        self.reads_language = True
        self.base_url = base_url or "https://api.openai.com/v1"
        # A local server needs no key, but the client insists on one; never print or log it.
        self._client = openai.OpenAI(base_url=self.base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=max_retries)
        self._openai = openai
        self._timeout = timeout
        self._schema_mode = True
        """Turned off after a server refuses response_format json_schema, so it is asked once."""

    def ping(self) -> None:
        """Ask the server for its models: a wrong URL, a refused connection or a bad key shows now."""
        try:
            self._client.with_options(max_retries=0).models.list()
        except self._openai.APIError as exc:
            friendly = self._friendly(exc)
            if friendly is not None:
                raise friendly from None
            # Some gateways do not list models; the first real call will tell.

    def _messages(self, messages: Sequence[Message]) -> list[dict[str, str]]:
        return [{"role": m.role, "content": mask_pii(m.content)} for m in messages]

    def _friendly(self, exc: Exception) -> BackendError | None:
        """The one line a person needs for a failure they can act on; None for other server answers."""
        o = self._openai
        if isinstance(exc, o.AuthenticationError):
            return BackendError(f"{self.base_url} rejected the API key (401); check OPENAI_API_KEY")
        if isinstance(exc, o.NotFoundError):
            return BackendError(f"model {self.model!r} not found at {self.base_url} (404)")
        if isinstance(exc, o.APITimeoutError):  # a subclass of APIConnectionError: test it first
            return BackendError(f"{self.base_url} did not answer within {self._timeout:g}s")
        if isinstance(exc, o.APIConnectionError):
            return BackendError(f"cannot connect to {self.base_url} (refused or unreachable)")
        if isinstance(exc, o.RateLimitError):
            return BackendError(f"{self.base_url} is rate-limiting (429) and retries did not help")
        return None

    def _call(self, *, raw_status: bool = False, **kwargs: Any) -> Any:
        """One completion request; with `raw_status`, other error statuses come back as _StatusError to inspect."""
        try:
            return self._client.chat.completions.create(model=self.model, **kwargs)
        except self._openai.APIError as exc:
            friendly = self._friendly(exc)
            if friendly is not None:
                raise friendly from None
            if not isinstance(exc, self._openai.APIStatusError):
                raise BackendError(f"{self.base_url} failed: {_short(exc)}") from None
            if raw_status:
                raise _StatusError(exc.status_code, _short(exc), str(exc)) from None
            raise BackendError(f"{self.base_url} answered {exc.status_code}: {_short(exc)}") from None

    def chat(self, messages: Sequence[Message], **params: Any) -> ChatResult:
        """The whole completion."""
        out = self._call(messages=self._messages(messages), **generation_params(params))
        usage = out.usage
        return ChatResult(
            text=out.choices[0].message.content or "", backend=self.name, model=self.model,
            prompt_tokens=usage.prompt_tokens if usage else None, completion_tokens=usage.completion_tokens if usage else None,
        )  # fmt: skip

    def stream(self, messages: Sequence[Message], **params: Any) -> Iterator[str]:
        """Tokens as the server sends them."""
        for chunk in self._call(messages=self._messages(messages), stream=True, **generation_params(params)):
            if chunk.choices and chunk.choices[0].delta.content:
                yield chunk.choices[0].delta.content

    def structured(self, messages: Sequence[Message], schema: type[T], **params: Any) -> T:
        """A validated `schema` instance: JSON-schema mode where supported, else JSON mode with one repair attempt."""
        json_schema = schema.model_json_schema()
        sent = self._messages(messages)
        if self._schema_mode:
            try:
                out = self._call(
                    raw_status=True, messages=sent, **generation_params(params),
                    response_format={"type": "json_schema", "json_schema": {"name": schema.__name__, "schema": json_schema}},
                )  # fmt: skip
                return validate_json(out.choices[0].message.content or "", schema, self.name)
            except _StatusError as exc:
                if exc.status not in (400, 422, 500) or "response_format" not in exc.full:
                    raise BackendError(f"{self.base_url} answered {exc.status}: {exc.detail}") from None
                self._schema_mode = False
        instruction = {"role": "system", "content": "Answer with one JSON object that fits this JSON schema:\n" + json.dumps(json_schema, ensure_ascii=False)}
        # `schema` beside `type` is llama.cpp's extension (a grammar); other servers ignore the extra key.
        fmt = {"type": "json_object", "schema": json_schema}
        text = self._json_mode([instruction, *sent], fmt, params)
        try:
            return validate_json(text, schema, self.name)
        except BackendError as first:
            repair = [instruction, *sent, {"role": "assistant", "content": text},
                      {"role": "user", "content": f"That answer was invalid ({first}). Reply with corrected JSON only."}]  # fmt: skip
            return validate_json(self._json_mode(repair, fmt, params), schema, self.name)

    def _json_mode(self, messages: list[dict[str, str]], fmt: dict[str, Any], params: dict[str, Any]) -> str:
        out = self._call(messages=messages, response_format=fmt, **generation_params(params))
        return out.choices[0].message.content or ""


class _StatusError(Exception):
    def __init__(self, status: int, detail: str, full: str) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail
        self.full = full


def _short(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:300]

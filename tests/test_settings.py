"""Settings precedence: explicit argument > FINPILOT_* environment > settings file > default."""

from __future__ import annotations

from pathlib import Path

import pytest

from finpilot import Settings, get_settings
from finpilot._settings import reset_settings_cache


def test_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "settings.toml"
    file.write_text('default_catalog = "fromfile"\nrrf_k = 10\nembed_batch = 8\n', encoding="utf-8")
    monkeypatch.setenv("FINPILOT_SETTINGS_FILE", str(file))
    monkeypatch.setenv("FINPILOT_RRF_K", "20")
    reset_settings_cache()
    s = get_settings()
    assert (s.default_catalog, s.rrf_k, s.embed_batch) == ("fromfile", 20, 8)
    assert get_settings(rrf_k=30).rrf_k == 30
    assert Settings().demo_seed == 20190830


def test_home_decides_every_location(home: Path) -> None:
    s = get_settings()
    assert s.home == home.resolve()
    assert s.catalogs_dir.parent == s.chroma_dir.parent == s.cache_dir.parent == s.demo_dir.parent == s.home


def test_a_settings_file_in_home_is_read(home: Path) -> None:
    (home / "settings.toml").write_text('chroma_url = "http://127.0.0.1:9"\n', encoding="utf-8")
    reset_settings_cache()
    assert get_settings().chroma_url == "http://127.0.0.1:9"


def test_the_api_key_is_read_from_openai_variables_and_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-very-secret")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
    reset_settings_cache()
    s = get_settings()
    assert s.openai_api_key is not None and s.openai_api_key.get_secret_value() == "sk-very-secret"
    assert s.openai_base_url == "http://127.0.0.1:1/v1"
    assert "sk-very-secret" not in repr(s) and "sk-very-secret" not in s.model_dump_json()

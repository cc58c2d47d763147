"""The command line is tested as a user meets it: each test on a fresh, empty FINPILOT_HOME (the suite's default),
not on the app tests' shared prepared home, so `finpilot start` really starts from nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import use_home


@pytest.fixture(autouse=True)
def home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh, empty FINPILOT_HOME for every command-line test."""
    yield from use_home(monkeypatch, tmp_path_factory.mktemp("home"))

"""Shared test set-up: no network beyond loopback, a fresh FINPILOT_HOME per test, small real catalogs."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from finpilot._settings import reset_settings_cache

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
REAL_SHELF = SHARED_DATA / "fund_basic_2019-08-30.json"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _loopback_only(address: object) -> None:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if host == "localhost":
            return
        try:
            if ipaddress.ip_address(host.split("%")[0]).is_loopback:
                return
        except ValueError:
            pass
        raise RuntimeError(f"tests may not reach the network (tried {host})")


def _guarded_connect(self: socket.socket, address: object) -> None:
    _loopback_only(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _loopback_only(address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)


def use_home(monkeypatch: pytest.MonkeyPatch, path: Path) -> Iterator[Path]:
    """Point FINPILOT_HOME at `path` for one test, with no server or settings file leaking in from the environment."""
    monkeypatch.setenv("FINPILOT_HOME", str(path))
    monkeypatch.setenv("FINPILOT_PROGRESS", "0")
    # The demo's 2,000,000 users take ~10 s to generate; tests plan on a 100,000-user table (same columns, same seed).
    monkeypatch.setenv("FINPILOT_DEMO_USERS", "100000")
    # The fake backend answers from a script; the model safety check would consume its replies (tested on its own).
    monkeypatch.setenv("FINPILOT_SAFETY_MODEL_CHECK", "0")
    monkeypatch.delenv("FINPILOT_CHROMA_URL", raising=False)
    monkeypatch.delenv("FINPILOT_SETTINGS_FILE", raising=False)
    reset_settings_cache()
    yield path
    reset_settings_cache()


@pytest.fixture(autouse=True)
def home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh, empty FINPILOT_HOME for every test; the environment decides, as it would for a user."""
    yield from use_home(monkeypatch, tmp_path_factory.mktemp("home"))


@contextlib.contextmanager
def serving(cmd: list[str], health: str, *, timeout: float = 60, log: Path | None = None, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    """Run a server on loopback until `health` answers; stop it (terminate, then kill) when the block ends."""
    out = log.open("w") if log else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(health, timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(encoding="utf-8", errors="replace")[-500:] if log else ""
                    raise RuntimeError(f"{cmd[0]} did not start: {tail}") from None
                time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            out.close()  # type: ignore[union-attr]


@pytest.fixture
def real_shelf() -> Path:
    """The real 2019 fund shelf from ../shared; tests that need it skip when it is absent."""
    if not REAL_SHELF.is_file():
        pytest.skip(f"../shared/data is absent ({REAL_SHELF} not found): real-catalog test skipped")
    return REAL_SHELF


def fund_row(code: str, **overrides: object) -> dict[str, object]:
    """One fund in the normalised (export-contract) shape, valid unless overridden."""
    row: dict[str, object] = {
        "code": code, "name": f"测试稳健债券{code}A", "fund_type": "bond", "share_class": "A", "risk_level": 2,
        "return_1m": 0.3, "return_3m": 1.1, "return_6m": 2.0, "return_1y": 4.2, "return_3y": 12.5, "return_ytd": 3.1,
        "max_drawdown_1y": 0.8, "volatility_1y": 1.5, "sharpe_1y": 1.8, "mgmt_fee": 0.3, "purchase_fee": 0.8,
        "sales_service_fee": 0.0, "min_purchase": 10, "size": 12.3, "company": "测试基金", "managers": ["张三"],
        "themes": ["纯债"], "dca": True, "purchase_open": True, "inception_date": "2018-01-02", "as_of": "2026-10-30",
        "source": "test",
    }  # fmt: skip
    row.update(overrides)
    return row


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    """Write rows as JSON lines."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path

"""The OpenAI-compatible backend against a real `python -m llama_cpp.server` on 127.0.0.1 with the small model."""

from __future__ import annotations

import http.server
import importlib.util
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel

from assistant.backends import BackendError, as_messages
from assistant.backends._openai import OpenAIBackend
from tests.assistant.test_backends import smollm2
from tests.conftest import free_port

pytestmark = pytest.mark.server


class Choice(BaseModel):
    fund_type: Literal["stock", "bond", "money"]
    fee: float
    themes: list[str]


def _start(model: Path, port: int, log: Path, *extra: str) -> subprocess.Popen:
    if importlib.util.find_spec("llama_cpp.server") is None or importlib.util.find_spec("sse_starlette") is None:
        pytest.skip("llama-cpp-python[server] is not installed")
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1", "--port", str(port),
           "--n_ctx", "2048", "--model_alias", "smol", *extra]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=1):
                return proc
        except urllib.error.HTTPError:
            return proc  # it answers (401 with a key): it is up
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"llama_cpp.server did not start: {log.read_text()[-800:]}") from None
            time.sleep(0.3)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    proc = _start(smollm2(), port, tmp_path_factory.mktemp("srv") / "server.log")
    yield f"http://127.0.0.1:{port}/v1"
    _stop(proc)


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A loopback proxy that keeps every request body it forwards: what actually left the client."""

    bodies: list[bytes] = []
    upstream = ""

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).bodies.append(body)
        req = urllib.request.Request(self.upstream + self.path.removeprefix("/v1"), data=body, method="POST",
                                     headers={"Content-Type": "application/json"})  # fmt: skip
        with urllib.request.urlopen(req, timeout=60) as resp:
            data = resp.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_chat_stream_and_structured_against_a_real_server(server: str) -> None:
    backend = OpenAIBackend("smol", base_url=server, api_key=None, max_retries=0)
    backend.ping()
    result = backend.chat(as_messages("Say hello."), max_tokens=12)
    assert result.text and result.backend == "openai:smol" and result.completion_tokens <= 12
    pieces = list(backend.stream(as_messages("Count to five."), max_tokens=16))
    assert len(pieces) > 3
    # llama.cpp's server refuses response_format json_schema: the backend falls back to JSON mode once.
    for i in range(3):
        choice = backend.structured(as_messages(f"A bond fund with fee {i}% about green energy."), Choice, max_tokens=80)
        assert isinstance(choice, Choice)
    assert backend._schema_mode is False


def test_invalid_json_from_the_model_gets_one_repair_then_a_clear_error(server: str) -> None:
    backend = OpenAIBackend("smol", base_url=server, api_key=None, max_retries=0)
    # Three tokens cannot hold a whole Choice: the first answer and the repair are both cut off.
    with pytest.raises(BackendError, match="does not fit Choice"):
        backend.structured(as_messages("A bond fund."), Choice, max_tokens=3)


def test_private_numbers_are_masked_before_they_leave(server: str) -> None:
    _Recorder.bodies, _Recorder.upstream = [], server
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        backend = OpenAIBackend("smol", base_url=f"http://127.0.0.1:{proxy.server_port}/v1", api_key=None, max_retries=0)
        backend.chat(as_messages("我的手机13812345678，卡号6222021234567890123，请记住"), max_tokens=4)
    finally:
        proxy.shutdown()
    sent = b"".join(_Recorder.bodies).decode()
    assert "13812345678" not in sent and "6222021234567890123" not in sent
    assert "138****5678" in sent


def test_stopped_server_and_wrong_key_are_one_clear_line(tmp_path: Path) -> None:
    port = free_port()
    down = OpenAIBackend("smol", base_url=f"http://127.0.0.1:{port}/v1", api_key=None, max_retries=0)
    with pytest.raises(BackendError, match="cannot connect"):
        down.chat(as_messages("hi"))
    with pytest.raises(BackendError, match="cannot connect"):
        down.ping()
    proc = _start(smollm2(), port, tmp_path / "keyed.log", "--api_key", "right-key")
    try:
        wrong = OpenAIBackend("smol", base_url=f"http://127.0.0.1:{port}/v1", api_key="wrong-key", max_retries=0)
        with pytest.raises(BackendError, match="rejected the API key") as info:
            wrong.chat(as_messages("hi"))
        assert "wrong-key" not in str(info.value)
        right = OpenAIBackend("smol", base_url=f"http://127.0.0.1:{port}/v1", api_key="right-key", max_retries=0)
        assert right.chat(as_messages("hi"), max_tokens=4).text
    finally:
        _stop(proc)

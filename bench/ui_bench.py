"""The app as a new user meets it: time from the README's main-job command to the first answer in a browser, and
the page's answer latency on the offline backend.

    python bench/ui_bench.py [--home DIR] [--asks 10]

Starts `finpilot start --port P` (which prepares the embedded defaults on a fresh home, prints the example answer,
then serves the app), drives Debian's Chromium through Playwright, asks one fund question as soon as the page is
up, then asks `--asks` more and reports the median and p90 of the time from Enter to the answer on the page.
Results go to bench/results/ui_cold.json (fresh home) or ui_warm.json (--home). Install time is measured apart (pip, see the README).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
REQUESTS = ("稳健一点的债券基金，费率低", "近一年收益超过10%、最大回撤小于15%的混合基金", "医药主题的基金，近一年收益最高的5只",
            "只要C类，持有半年左右的债基", "回撤不超过3%的纯债基金", "近三年收益在20%到40%之间的偏股混合基金")  # fmt: skip


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="FINPILOT_HOME (default: a fresh temporary folder, so the first start is cold)")
    parser.add_argument("--asks", type=int, default=10)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="finpilot-ui-bench-"))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "FINPILOT_HOME": str(home), "FINPILOT_PROGRESS": "0"}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "finpilot", "start", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit("finpilot start exited before the app came up") from None
                time.sleep(0.5)
        server_up = time.perf_counter() - t0
        latencies = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url, wait_until="domcontentloaded")
            box = page.get_by_test_id("stChatInputTextArea")
            box.wait_for(timeout=600_000)
            first = None
            for i in range(args.asks + 1):
                box.fill(REQUESTS[i % len(REQUESTS)])
                answered = page.get_by_text("基金有风险，投资需谨慎")
                before = answered.count()
                t = time.perf_counter()
                box.press("Enter")
                # Each answer adds one disclaimer caption; the answer is on the page when the count goes up.
                while answered.count() <= before:
                    if time.perf_counter() - t > 120:
                        raise SystemExit(f"no answer to {REQUESTS[i % len(REQUESTS)]!r} within 120 s")
                    time.sleep(0.02)
                if first is None:
                    first = time.perf_counter() - t0
                else:
                    latencies.append((time.perf_counter() - t) * 1000)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    lat = sorted(latencies)
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "fresh_home": not args.home, "command": "finpilot start", "server_up_s": round(server_up, 1),
        "first_answer_s": round(first or 0.0, 1), "asks": len(lat), "answer_p50_ms": round(statistics.median(lat)),
        "answer_p90_ms": round(lat[int(0.9 * (len(lat) - 1))]),
    }  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"ui_{'cold' if not args.home else 'warm'}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

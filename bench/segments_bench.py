"""Segment-counting benchmark: exact segment size plus reachable users per channel for a handful of realistic rules,
on user-tag tables of 100,000, 2,000,000 (the demo's size) and 10,000,000 users, the warehouse's DuckDB against the
same query on the Parquet file read in place and against a plain pandas filter, in the same run.

Run:  python bench/segments_bench.py [--sizes 100000,2000000,10000000] [--repeats 5] [--out bench/results/segments.json]
      (needs pandas: pip install "finpilot[bench]")

* Data: the demo's own user generator (`retrieval._demo.generate_users`, the same columns and correlations as the
  demo table), run in chunks of 1,000,000 users with one seed per chunk and renumbered ids, written once per size
  as one zstd Parquet file in a temporary folder (deleted at the end).
* DuckDB (the product path, `duckdb_loaded`): `DuckDBWarehouse.count` on the table it loads once into memory with a
  holdings bit mask (`products_held contains` tests one bit), returning the size and the reach of all 16 demo channels
  in one query; its load time is reported apart (`duckdb_load_s`). The baseline in the same run (`duckdb_parquet`):
  `DuckDBWarehouse(in_memory=False)`, the same count reading the Parquet file in place on every call.
* pandas: the same work (size and the four distinct reach sums) as boolean masks over a DataFrame held in memory.
  Its load (read_parquet of the ten tag columns the rules use, bands as categories, `products_held` turned into a
  64-bit mask with one bit per product id, so "contains" is one `&`) is timed once per size as `pandas_load_s` and
  is NOT included in the per-rule times: they compare filtering only, pandas' best case.
* Every rule's counts must agree between DuckDB and pandas (size and every channel's reach); the run fails if not.
Times are medians over `--repeats` runs after one warm-up; ratios are pandas / DuckDB within the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHUNK = 1_000_000
SEED = 20190830

# (rule, the same selection as a pandas mask): realistic campaign audiences, incl. a list membership and missing values.
RULES: list[tuple[str, Callable[[Any, Callable[[str], Any]], Any]]] = [
    ("monthly_active = true and aum_band in ('1k-10k','10k-50k') and age_band in ('25-34','35-44')",
     lambda d, held: d.monthly_active & d.aum_band.isin(["1k-10k", "10k-50k"]) & d.age_band.isin(["25-34", "35-44"])),
    ("days_since_login > 30 and days_since_login <= 90",
     lambda d, held: (d.days_since_login > 30) & (d.days_since_login <= 90)),
    ("products_held contains 'suixinfen' and aum_band in ('0','<1k')",
     lambda d, held: held("suixinfen") & d.aum_band.isin(["0", "<1k"])),
    ("monthly_active = true and aum_band >= '10k-50k' and products_held contains 'fund:bond' and risk_grade >= 2",
     lambda d, held: d.monthly_active & d.aum_band.isin(["10k-50k", "50k-200k", "200k-1m", "1m+"]) & held("fund:bond")
     & (d.risk_grade >= 2)),
    ("is_merchant = true and merchant_monthly_sales >= 50000 and city_tier <= 2",
     lambda d, held: d.is_merchant & (d.merchant_monthly_sales >= 50_000) & (d.city_tier <= 2)),
    ("(push_reachable or wechat_reachable) and risk_grade >= 4 and age_band != '65+' and days_since_login <= 7",
     lambda d, held: (d.push_reachable | d.wechat_reachable) & (d.risk_grade >= 4) & (d.age_band != "65+")
     & (d.days_since_login <= 7)),
]  # fmt: skip

PANDAS_COLUMNS = ["age_band", "city_tier", "risk_grade", "aum_band", "days_since_login", "monthly_active",
                  "push_reachable", "sms_reachable", "wechat_reachable", "is_merchant", "merchant_monthly_sales"]  # fmt: skip


def write_users(path: Path, n: int) -> float:
    """Write `n` synthetic users to one Parquet file, a million at a time; returns seconds taken."""
    from retrieval._demo import generate_users

    started = time.perf_counter()
    writer = None
    try:
        for k, first in enumerate(range(0, n, CHUNK)):
            rows = min(CHUNK, n - first)
            table = generate_users(SEED + k, rows)
            ids = pa.array([f"u{i:08d}" for i in range(first + 1, first + rows + 1)])
            table = table.set_column(table.schema.get_field_index("user_id"), "user_id", ids)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="zstd")
            writer.write_table(table, row_group_size=256 * 1024)
    finally:
        if writer is not None:
            writer.close()
    return time.perf_counter() - started


def load_pandas(path: Path) -> tuple[Any, dict[str, int], float]:
    """The tag columns as a DataFrame plus `products_held` as a bit mask; returns (frame, bit per id, seconds)."""
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_parquet(path, columns=PANDAS_COLUMNS)
    for band in ("age_band", "aum_band"):
        frame[band] = frame[band].astype("category")
    held = pq.read_table(path, columns=["products_held"]).column("products_held").combine_chunks()
    flat = pc.list_flatten(held)
    encoded = pc.dictionary_encode(flat)
    labels = encoded.dictionary.to_pylist()
    if len(labels) > 63:
        raise SystemExit(f"{len(labels)} product ids do not fit a 64-bit mask")
    bits = np.left_shift(np.int64(1), encoded.indices.to_numpy().astype(np.int64))
    mask = np.zeros(len(held), dtype=np.int64)
    np.bitwise_or.at(mask, pc.list_parent_indices(held).to_numpy(), bits)
    frame["held_mask"] = mask
    return frame, {label: i for i, label in enumerate(labels)}, time.perf_counter() - started


def _median_ms(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    result = fn()  # warm-up: page cache, DuckDB's metadata cache, pandas' category codes
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1_000)
    return round(statistics.median(times), 2), result


def bench_size(n: int, repeats: int, folder: Path) -> dict[str, Any]:
    """Generate, load and time every rule at one size."""
    from assistant.campaigns._warehouse import DuckDBWarehouse, reach_rule
    from retrieval._demo import generate_channels

    path = folder / f"users_{n}.parquet"
    gen_s = write_users(path, n)
    channels = generate_channels(SEED)
    reach_column = {c.channel_id: reach_rule(c).split()[0] for c in channels}  # "push_reachable = true" -> column
    started = time.perf_counter()
    warehouse = DuckDBWarehouse(path, channels)
    duckdb_load_s = time.perf_counter() - started
    in_place = DuckDBWarehouse(path, channels, in_memory=False)

    frame, bit, pandas_load_s = load_pandas(path)
    held_mask = frame["held_mask"]

    def held(label: str) -> Any:
        return (held_mask & (1 << bit[label])) != 0 if label in bit else np.zeros(len(frame), dtype=bool)

    out_rules = []
    for rule, select in RULES:
        ms_memory, counted = _median_ms(lambda rule=rule: warehouse.count(rule), repeats)
        ms_parquet, read_in_place = _median_ms(lambda rule=rule: in_place.count(rule), repeats)

        def pandas_count(select: Callable[..., Any] = select) -> dict[str, Any]:
            chosen = select(frame, held)
            reach = {col: int((chosen & frame[col]).sum()) for col in set(reach_column.values())}
            return {"size": int(chosen.sum()), "reachable": {cid: reach[col] for cid, col in reach_column.items()}}

        ms_pandas, by_pandas = _median_ms(pandas_count, repeats)
        equal = by_pandas == {"size": counted.size, "reachable": counted.reachable} and read_in_place.size == counted.size
        if not equal:
            raise SystemExit(f"counts differ at {n:,} users for {rule!r}: duckdb {counted.size}, pandas {by_pandas['size']}")
        out_rules.append({
            "rule": rule, "size": counted.size, "reachable_push": counted.reachable["app_push"],
            "duckdb_loaded_ms": ms_memory, "duckdb_parquet_ms": ms_parquet, "pandas_ms": ms_pandas,
            "duckdb_parquet_over_loaded": round(ms_parquet / ms_memory, 2),
            "pandas_over_duckdb_loaded": round(ms_pandas / ms_memory, 2), "counts_equal": equal,
        })  # fmt: skip
        print(f"{n:>11,}  loaded {ms_memory:7.1f} ms  parquet {ms_parquet:8.1f} ms  pandas {ms_pandas:8.1f} ms  "
              f"size {counted.size:>9,}  {rule[:60]}", flush=True)  # fmt: skip
    warehouse.close()
    in_place.close()
    frame_mb = round(frame.memory_usage(deep=True).sum() / 1e6, 1)
    result = {
        "users": n, "parquet_mb": round(path.stat().st_size / 1e6, 1), "generate_s": round(gen_s, 1),
        "duckdb_load_s": round(duckdb_load_s, 2), "pandas_load_s": round(pandas_load_s, 2),
        "pandas_frame_mb": frame_mb, "rules": out_rules,
        "median_duckdb_loaded_ms": round(statistics.median(r["duckdb_loaded_ms"] for r in out_rules), 2),
        "median_ratio_duckdb_parquet_over_loaded": round(statistics.median(r["duckdb_parquet_over_loaded"] for r in out_rules), 2),
        "median_ratio_pandas_over_duckdb_loaded": round(statistics.median(r["pandas_over_duckdb_loaded"] for r in out_rules), 2),
    }  # fmt: skip
    path.unlink()
    return result


def _memory_gib() -> float | None:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        return None


def main() -> None:
    """Parse arguments, run every size, write the JSON."""
    import duckdb
    import pandas as pd

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,2000000,10000000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "segments.json")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="finpilot-segbench-"))
    try:
        results = [bench_size(n, args.repeats, folder) for n in sizes]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "memory_gib": _memory_gib(),
                    "platform": platform.platform(), "duckdb": duckdb.__version__, "pandas": pd.__version__,
                    "pyarrow": pa.__version__},
        "started": datetime.now().isoformat(timespec="seconds"),
        "command": "python bench/segments_bench.py " + " ".join(sys.argv[1:]),
        "repeats": args.repeats,
        "notes": "times in ms are medians after one warm-up; duckdb_loaded is the warehouse (table loaded once, "
                 "duckdb_load_s); duckdb_parquet reads the Parquet file on every count; pandas times exclude its load",
        "sizes": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

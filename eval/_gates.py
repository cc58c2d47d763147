"""Release gates: thresholds per backend, suite glob and metric, read from a TOML file and applied to a summary."""

from __future__ import annotations

import fnmatch
import operator
import re
import tomllib
from pathlib import Path

from eval._runner import GateResult, RunRecord

GATES = Path(__file__).resolve().parent / "gates.toml"
_OPS = {">=": operator.ge, "<=": operator.le, "==": operator.eq}
_RULE = re.compile(r"^\s*(>=|<=|==)\s*(-?\d+(?:\.\d+)?)\s*$")

Gates = dict[str, dict[str, dict[str, tuple[str, float]]]]
"""backend -> suite glob -> metric -> (op, threshold)."""


def load_gates(path: Path | None = None) -> Gates:
    """backend -> suite glob -> metric -> (op, threshold); a malformed rule fails with its place in the file."""
    path = path or GATES
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"cannot read gates file {path}: {exc}") from None
    out: Gates = {}
    for backend, globs in raw.items():
        for glob, metrics in (globs or {}).items():
            if not isinstance(metrics, dict):
                raise ValueError(f"{path.name}: [{backend}.{glob!r}] must be a table of metric = \"op number\"")  # noqa: TRY004 - a file mistake, like the others
            for metric, rule in metrics.items():
                m = _RULE.match(str(rule))
                if not m:
                    raise ValueError(f"{path.name}: [{backend}.{glob!r}] {metric} = {rule!r}: write it like \">= 0.95\"")
                out.setdefault(backend, {}).setdefault(glob, {})[metric] = (m[1], float(m[2]))
    return out


def apply_gates(summary: dict[str, dict[str, float]], backend: str, gates: Gates, *, gated: bool = True) -> list[GateResult]:
    """Every threshold for this backend, against every suite its glob matches; `gated=False` shows them, holds none."""
    out = []
    for glob, metrics in gates.get(backend, {}).items():
        for suite in sorted(s for s in summary if fnmatch.fnmatchcase(s, glob)):
            for metric, (op, threshold) in metrics.items():
                value = summary[suite].get(metric)
                ok = value is not None and _OPS[op](value, threshold)
                out.append(GateResult(suite=suite, metric=metric, op=op, threshold=threshold, value=value, passed=ok, gated=gated))
    return out


def gate_run(record: RunRecord, gates: Gates) -> list[GateResult]:
    """A run's gates: held on a full run; on a limited run shown but not held, since thresholds set on every case of
    a suite say nothing about its first few."""
    return apply_gates(record.summary, record.backend, gates, gated=record.limit is None)

"""Progress on long work: a bar on a terminal, a plain line every few seconds anywhere else (a log, a pipe, CI).

tqdm alone hides itself when stderr is not a terminal, which left a first start silent for minutes in a log.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from tqdm import tqdm

LINE_EVERY_S = 5.0
"""Seconds between two progress lines when stderr is not a terminal."""
LINES_ALWAYS = False
"""Lines even on a terminal: set by a process that shares its terminal with another's output (the index builder)."""


class LineProgress:
    """tqdm's update/close interface, writing `desc: done/total unit` lines at most every `every` seconds and a last
    line with the time taken when closed."""

    def __init__(self, total: int | None, desc: str, unit: str, every: float = LINE_EVERY_S, stream: TextIO | None = None) -> None:
        self.total = total
        self.n = 0
        self.desc = desc
        self.unit = unit.strip()
        self._every = every
        self._stream = stream
        self._started = self._last = time.monotonic()
        self._closed = False
        self._line()  # a log shows what started, not only, minutes later, how far it got

    def _line(self, tail: str = "") -> None:
        of = f"/{self.total:,}" if self.total is not None else ""
        print(f"{self.desc}: {self.n:,}{of} {self.unit}{tail}", file=self._stream or sys.stderr, flush=True)

    def update(self, n: int = 1) -> None:
        self.n += n
        now = time.monotonic()
        if now - self._last >= self._every:
            self._last = now
            self._line()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._line(f" ({time.monotonic() - self._started:.1f} s)")

    def __enter__(self) -> LineProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def progress_bar(total: int | None, desc: str, unit: str, enabled: bool = True) -> Any:
    """A progress reporter for `total` items (None: unknown): nothing when not `enabled`, a tqdm bar on a terminal,
    else periodic lines."""
    if not enabled:
        return tqdm(total=total, disable=True)
    if LINES_ALWAYS or not sys.stderr.isatty():
        return LineProgress(total, desc, unit)
    return tqdm(total=total, desc=desc, unit=f" {unit.strip()}", leave=False)

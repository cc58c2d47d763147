"""Rule files a domain expert edits: TOML shipped in the package, extended by a bank's own files under home.

A rule file is validated by a pydantic schema; then every (table, phrase) it defines is checked against every
other file loaded with it. A phrase defined twice is rejected, whether the meaning agrees (a duplicate) or not
(a conflict), with one line naming both files and the entry, so a bank's extension can never silently change
what a packaged word means.

Extensions live in `FINPILOT_HOME/lexicon/<name>*.toml` (for example `lexicon/funds_mybank.toml` extends the
packaged `funds.toml`), are loaded in name order and may only add: tables of phrases are merged, lists grow.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError

from finpilot import FinpilotError

M = TypeVar("M", bound=BaseModel)
C = TypeVar("C")


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FinpilotError(f"lexicon file {path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise FinpilotError(f"lexicon file {path}: not valid TOML ({exc})") from None


def _merge(base: dict[str, Any], extra: dict[str, Any], path: Path, where: str = "") -> dict[str, Any]:
    """`extra` added to `base`: tables merged key by key (at any depth), lists extended; a value may not be redefined."""
    out = dict(base)
    for key, value in extra.items():
        name = f"{where}{key}"
        if name == "version":
            continue
        if key not in out:
            out[key] = value
        elif isinstance(out[key], dict) and isinstance(value, dict):
            out[key] = _merge(out[key], value, path, f"{name}.")
        elif isinstance(out[key], list) and isinstance(value, list):
            out[key] = [*out[key], *value]
        elif out[key] != value:
            raise FinpilotError(f"lexicon file {path}: {name} is already set to {out[key]!r}; an extension can only add")
    return out


def _validate(schema: type[M], data: dict[str, Any], path: Path) -> M:
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise FinpilotError(f"lexicon file {path}: {where}: {first['msg']}") from None


def _extensions(home: Path | None, prefix: str) -> list[Path]:
    folder = home / "lexicon" if home is not None else None
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{prefix}*.toml") if p.is_file())


def load_rules(schema: type[M], packaged: Path, home: Path | None = None, prefix: str | None = None) -> M:
    """The packaged rule file, extended by `home/lexicon/<prefix>*.toml`, validated and checked for duplicates.

    The schema offers `entries()`: every (table, phrase, meaning) a file defines, for the duplicate and conflict check.
    Every file is validated on its own (an extension holds only what it adds, so the schema's tables default to
    empty), then the merged whole. Raises FinpilotError with one line naming the file and the entry on any problem.
    """
    files = [packaged, *_extensions(home, prefix or packaged.stem)]
    data: dict[str, Any] = {}
    seen: dict[tuple[str, str], tuple[str, Path]] = {}
    for path in files:
        raw = _read(path)
        model = _validate(schema, raw, path)  # each file on its own first, so an error names the file that has it
        for table, phrase, meaning in model.entries():  # type: ignore[attr-defined]
            key = (table, phrase)
            if key in seen:
                old_meaning, old_path = seen[key]
                what = "defined twice" if old_meaning == meaning else f"means {meaning!r} here but {old_meaning!r}"
                where = "in the same file" if old_path == path else f"in {old_path}"
                raise FinpilotError(f"lexicon file {path}: {table}: {phrase!r} {what} {where}")
            seen[key] = (meaning, path)
        data = _merge(data, raw, path) if data else raw
    return _validate(schema, data, files[-1])


def _settings_home() -> Path | None:
    from finpilot import get_settings

    try:
        return get_settings().home
    except Exception:  # noqa: BLE001 - settings that cannot load are reported by whoever uses them; here they only mean no home rules
        return None


@lru_cache(maxsize=16)
def _compiled(schema: type[M], packaged: Path, prefix: str, compile: Callable[[M], C], home: Path | None,
              stamp: tuple[tuple[str, float], ...]) -> C:  # fmt: skip
    return compile(load_rules(schema, packaged, home, prefix))


def home_rules(schema: type[M], packaged: Path, prefix: str, compile: Callable[[M], C] | None = None,
               home: Path | None = None) -> C:  # fmt: skip
    """The rules for a home (the settings' when not given), compiled once and loaded again only when an extension
    file under `home/lexicon/<prefix>*.toml` appears, goes or changes."""
    home = _settings_home() if home is None else home
    stamp = tuple((p.name, p.stat().st_mtime) for p in _extensions(home, prefix))
    return cast(C, _compiled(schema, packaged, prefix, compile or _as_loaded, home, stamp))


def _as_loaded(rules: M) -> M:
    return rules


def valid_pattern(pattern: str) -> str:
    """A pydantic validator for rule files: the pattern itself, or an error naming why it does not compile."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a valid pattern ({exc}): {pattern[:60]}") from None
    return pattern

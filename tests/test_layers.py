"""The packages meet only through their public APIs, and each public API holds only what someone outside calls.

`lint-imports` (pyproject.toml) holds which package may import which; these tests hold how: never through another
package's private module, and never a name in `__all__` that nothing outside its package uses or the README offers.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("finpilot", "assistant", "retrieval", "eval", "ui", "prompts")
# Where callers live: every package, the benchmarks, and the README a user reads (tests may reach inside).
CALLERS = (*PACKAGES, "bench")


def _sources(tops: tuple[str, ...]) -> dict[Path, str]:
    return {f: f.read_text(encoding="utf-8") for top in tops for f in sorted((ROOT / top).rglob("*.py"))}


def _package_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])


def _private_owner(module: str) -> str | None:
    """The package whose private module `module` is (`assistant.funds._answer` -> `assistant.funds`), else None."""
    parts = module.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:i])
    return None


def _imports(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def test_no_package_imports_another_packages_private_modules() -> None:
    crossings = []
    for path, source in _sources(PACKAGES).items():
        own = _package_of(path)
        for line, module in _imports(source):
            owner = _private_owner(module)
            if module.split(".")[0] in PACKAGES and owner is not None and not (own == owner or own.startswith(owner + ".")):
                crossings.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not crossings, "use the package's public API (its __init__) instead:\n" + "\n".join(crossings)


def _public_packages() -> list[str]:
    return sorted({_package_of(p) for top in PACKAGES for p in (ROOT / top).rglob("__init__.py")})


def _signature_text(obj: object) -> str:
    """The annotations a caller meets on a public function or class (its fields and public methods)."""
    targets = [obj]
    if inspect.isclass(obj):
        targets += [m for n, m in vars(obj).items() if callable(m) and not n.startswith("_")]
        targets.append(getattr(obj, "__init__", None))
        targets.append(obj)  # fields (pydantic models, dataclasses) are class annotations
    text = []
    for target in targets:
        text += [str(v) for v in getattr(target, "__annotations__", {}).values()]
    return " ".join(text)


@pytest.mark.parametrize("package", _public_packages())
def test_every_public_name_is_used_outside_its_package(package: str) -> None:
    module = importlib.import_module(package)
    names = getattr(module, "__all__", [])
    # A type that a public function takes or returns is public too, even when no caller names it.
    signatures = " ".join(_signature_text(getattr(module, n)) for n in names if hasattr(module, n))
    outside = {p: s for p, s in _sources(CALLERS).items() if not (_package_of(p) + ".").startswith(package + ".")}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    unused = []
    for name in names:
        if name.startswith("__"):
            continue
        imported = re.compile(rf"from {re.escape(package)} import [^\n]*\b{name}\b|from {re.escape(package)} import \([^)]*\b{name}\b|"
                              rf"\b{re.escape(package)}\.{name}\b")  # fmt: skip
        offered = re.search(rf"`[^`\n]*\b{name}\b[^`\n]*`", readme) or re.search(rf"\b{name}\b", signatures)
        if not any(imported.search(s) for s in outside.values()) and not offered:
            unused.append(name)
    assert not unused, f"{package}.__all__ names nothing outside calls or the README offers: {unused}"


def test_nothing_that_reviews_or_learns_reads_the_response_models_truth() -> None:
    """The simulated campaigns' truth (retrieval/_responses.py: ResponseModel, simulate, Truth) is for the generator and
    the eval; the review, the uplift model and targeting (assistant/) must never see it, or learning would be measured
    against what it was given."""
    truth = re.compile(r"\b(ResponseModel|Truth|simulate|_responses)\b")
    leaks = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "assistant").rglob("*.py"))
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if "import" in line and truth.search(line)]
    assert not leaks, leaks

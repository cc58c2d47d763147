"""The `finpilot` command line: a thin user interface beside the app, one module per command group.

Every command calls the same public functions the app calls; nothing here holds domain logic of its own.
"""

from ui.cli import _campaign, _catalog, _eval, _funds, _index, _models, _start  # noqa: F401  (each registers its commands)
from ui.cli._root import cli, entry, main

__all__ = ["cli", "entry", "main"]

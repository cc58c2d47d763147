"""`python -m finpilot` is the `finpilot` command.

The one import from the base package up into `ui`: running the package is the command line's second door, and the
layer contract in pyproject.toml names this exception.
"""

from ui.cli import entry

entry()

"""`python -m finpilot` is the `finpilot` command."""

from finpilot._cli import entry

entry()

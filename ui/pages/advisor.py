"""The advisor page (its code lives in ui/_advisor.py, so tests and other pages can import it)."""

from ui._advisor import render
from ui._common import friendly

friendly(render)()

"""The campaigns page (its code lives in ui/_campaigns.py, so tests and other pages can import it)."""

from ui._campaigns import render
from ui._common import friendly

friendly(render)()

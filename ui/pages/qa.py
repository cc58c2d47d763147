"""The qa page (its code lives in ui/_qa.py, so tests and other pages can import it)."""

from ui._common import friendly
from ui._qa import render

friendly(render)()

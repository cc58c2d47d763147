"""The review page (its code lives in ui/_review.py, so tests and other pages can import it)."""

from ui._common import friendly
from ui._review import render

friendly(render)()

"""Mask mobile, ID-card and bank-card numbers before text leaves the machine, reaches a log or the cache.

The masking lives with the patterns in the text layer (`assistant/text/_pii.py`), so the command line can install the
log masking without loading the backends; this module keeps the backends' name for it.
"""

from __future__ import annotations

from assistant.text import mask_logs, mask_pii, mask_record

__all__ = ["mask_logs", "mask_pii", "mask_record"]

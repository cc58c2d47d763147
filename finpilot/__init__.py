"""finpilot: an LLM-powered marketing and fund-advisor assistant.

This small package holds what every layer shares (the settings object and the
error type the command line turns into one clear line) and the `finpilot`
command itself.
"""

from finpilot._errors import FinpilotError
from finpilot._settings import Settings, get_settings

__version__ = "0.1.0"

__all__ = ["FinpilotError", "Settings", "get_settings", "__version__"]

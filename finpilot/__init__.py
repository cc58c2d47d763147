"""finpilot: an LLM-powered marketing and fund-advisor assistant.

This small package is the ground every layer stands on: the settings object and the
error type the command line turns into one clear line. It imports nothing above it;
the `finpilot` command itself lives in `ui.cli`, beside the app.
"""

from finpilot._errors import FinpilotError
from finpilot._settings import Settings, get_settings

__version__ = "0.1.0"

__all__ = ["FinpilotError", "Settings", "get_settings", "__version__"]

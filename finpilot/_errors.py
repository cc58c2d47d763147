"""The one error type users see."""


class FinpilotError(Exception):
    """A failure a user can act on; the CLI prints its message as one line and exits non-zero."""

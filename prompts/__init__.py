"""Prompt files, versioned and hashed into cache keys and run records (added with the model backends)."""

__all__: list[str] = []

"""Download GGUF models from the Hugging Face hub (where a network exists)."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlparse

from assistant.backends._base import BackendError


def pull_model(name: str, folder: Path) -> Path:
    """Download `REPO_ID/FILE.gguf` into `folder`; one clear error when it cannot be had."""
    repo_id, _, filename = name.rpartition("/")
    if not repo_id or "/" not in repo_id or not filename.endswith(".gguf"):
        raise BackendError(f"name a model as OWNER/REPO/FILE.gguf, not {name!r}")
    try:
        from huggingface_hub import constants, hf_hub_download
        from huggingface_hub.errors import EntryNotFoundError, LocalEntryNotFoundError, RepositoryNotFoundError
        from huggingface_hub.utils import logging as hf_logging
    except ImportError:
        raise BackendError("huggingface_hub is not installed: pip install huggingface_hub") from None
    _reachable(constants.ENDPOINT, name)
    hf_logging.set_verbosity_error()  # its retry chatter would bury the one line that matters
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return Path(hf_hub_download(repo_id=repo_id, filename=filename, local_dir=folder))
    except LocalEntryNotFoundError:  # a subclass of EntryNotFoundError that means "could not connect"
        raise BackendError(f"cannot download {name}: the connection to {constants.ENDPOINT} failed") from None
    except RepositoryNotFoundError:
        raise BackendError(f"no repository {repo_id!r} on the hub (or it is private)") from None
    except EntryNotFoundError:
        raise BackendError(f"{repo_id!r} has no file {filename!r}") from None
    except Exception as exc:  # noqa: BLE001 - network failures surface as several types across huggingface_hub versions
        raise BackendError(f"cannot download {name}: the model hub is unreachable from here ({type(exc).__name__})") from None


def _reachable(endpoint: str, name: str) -> None:
    # One quick connection first: without it the hub client retries for half a minute before failing.
    url = urlparse(endpoint)
    try:
        socket.create_connection((url.hostname or "", url.port or (443 if url.scheme == "https" else 80)), timeout=5).close()
    except OSError as exc:
        raise BackendError(f"cannot download {name}: {endpoint} is unreachable from here ({exc.strerror or exc})") from None

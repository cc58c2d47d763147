"""What every page shares: the language, the backend selector and status line, the services, friendly errors.

Services that only read (the advisor over a catalog) are built once per process and shared; anything that holds a
conversation or a database connection lives in the session, so two people never see each other's state.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from assistant.text import mask_logs  # one masking for the app and the command line
from finpilot import FinpilotError, get_settings

log = logging.getLogger("finpilot.ui")

BACKENDS = ("offline", "fake")
"""Always offered; local GGUF files under home/models are offered as llama:PATH, and any spec can be typed."""

TEXT: dict[str, dict[str, str]] = {
    "app": {"zh": "finpilot 智能投顾与营销助手", "en": "finpilot advisor and marketing assistant"},
    "advisor": {"zh": "基金顾问", "en": "Fund advisor"},
    "campaigns": {"zh": "营销活动", "en": "Campaigns"},
    "qa": {"zh": "质量评测", "en": "QA dashboard"},
    "review": {"zh": "活动复盘", "en": "Campaign review"},
    "language": {"zh": "语言", "en": "Language"},
    "backend": {"zh": "模型后端", "en": "Backend"},
    "custom_backend": {"zh": "其他后端（如 llama:/path/model.gguf、openai:MODEL）", "en": "Other backend (llama:/path/model.gguf, openai:MODEL)"},
    "preparing": {"zh": "首次启动：正在生成演示数据并建立索引（不到一分钟，之后秒开）…", "en": "First start: building the demo data and indexes (under a minute, seconds afterwards)…"},
    "error": {"zh": "出错了：", "en": "Something went wrong: "},
    "unexpected": {"zh": "出现了意外错误，已记录日志。请换个说法再试，或刷新页面。", "en": "An unexpected error occurred and was logged. Try rephrasing, or reload the page."},
    "fictional": {"zh": "演示数据均为虚构。", "en": "Demo data is fictional."},
}


def lang() -> str:
    """The session's language: Chinese first, English available."""
    return str(st.session_state.get("lang", "zh"))


def tr(zh: str, en: str) -> str:
    """Inline text in the session's language."""
    return en if lang() == "en" else zh


def t(key: str) -> str:
    """A user-facing string in the session's language."""
    entry = TEXT.get(key)
    return entry.get(lang(), entry["zh"]) if entry else key


@dataclass(frozen=True)
class Status:
    """What the status line shows."""

    backend: str
    model: str
    catalog: str
    funds: int
    index: str


@st.cache_resource(show_spinner=False)
def prepare_demo() -> float:
    """Build the demo data, catalog and indexes once per process (seconds when they exist); returns the seconds taken.

    What `finpilot start` handed to a builder process is not waited for here: searches go by words until the indexes
    are done, plans wait for the users' table (`warehouse`)."""
    from retrieval import ensure_demo

    t0 = time.perf_counter()
    ensure_demo(get_settings(), progress=False, wait=False)
    return time.perf_counter() - t0


@st.cache_resource(show_spinner=False)
def advisor(catalog: str, backend: str) -> Any:
    """The fund advisor over a catalog on a backend; read-only, so shared by every session."""
    from assistant.funds import Advisor

    return Advisor(catalog, settings=get_settings(), backend=backend)


@st.cache_resource(show_spinner=False)
def warehouse() -> Any:
    """The user-tag warehouse, opened once per process and shared: the DuckDB one holds the loaded table (about 350 MB
    at 2,000,000 users) and runs each query on its own cursor, so sessions may count at the same time."""
    from assistant.campaigns import demo_channels, open_warehouse
    from retrieval import generate_demo

    prepare_demo()
    s = get_settings()
    generate_demo(s)  # waits for the users' table the builder of a first start may still be writing
    return open_warehouse(s, demo_channels(s))


def planner(backend: str) -> Any:
    """The campaign planner for this session (its plans and edits are the session's; the warehouse is shared)."""
    key = f"planner:{backend}"
    if key not in st.session_state:
        from assistant.campaigns import Planner

        st.session_state[key] = Planner(settings=get_settings(), warehouse=warehouse(), backend=backend)
    return st.session_state[key]


def backend_choices() -> list[str]:
    """offline, fake, and llama:PATH for every GGUF file under home/models."""
    folder = get_settings().home / "models"
    models = sorted(folder.glob("*.gguf")) if folder.is_dir() else []
    return [*BACKENDS, *(f"llama:{p}" for p in models)]


def sidebar() -> str:
    """The language switch, the backend selector and the status line; returns the chosen backend spec."""
    with st.sidebar:
        st.radio(t("language"), ["zh", "en"], key="lang", horizontal=True, format_func=lambda x: "中文" if x == "zh" else "English")
        choice = st.selectbox(t("backend"), [*backend_choices(), "…"], key="backend_choice")
        backend = choice
        if choice == "…":
            backend = st.text_input(t("custom_backend"), key="backend_custom").strip() or "offline"
        st.session_state["backend"] = backend
        status = backend_status(backend)
        if status is not None:
            st.caption(f"backend **{status.backend}** ({status.model}) · catalog **{status.catalog}** ({status.funds} funds) · index {status.index}")
        st.caption(t("fictional"))
    return backend


def current_backend() -> str:
    """The backend spec chosen in the sidebar (offline until one is chosen)."""
    return str(st.session_state.get("backend", "offline"))


def backend_status(backend: str) -> Status | None:
    """Backend, model, catalog and index size, or None (and a friendly error) when the backend cannot be had."""
    try:
        a = advisor("demo", backend)
    except FinpilotError as exc:
        from assistant.text import escape_markdown

        st.sidebar.error(f"{t('error')}{escape_markdown(str(exc))}")
        return None
    index = a.index()
    size = f"{index.count()} docs" if index is not None else "not built"
    return Status(a.backend.name, a.backend.model or "—", a.catalog_name, len(a.table.funds), size)


def friendly(render: Callable[[], None]) -> Callable[[], None]:
    """A page that shows a one-line error instead of a traceback; unexpected errors are logged in full (masked)."""

    from assistant.text import escape_markdown

    # Every page runs through here, and a page opened by its own URL (/campaigns) runs without app.py before it.
    mask_logs()

    def page() -> None:
        try:
            render()
        except FinpilotError as exc:
            st.error(f"{t('error')}{escape_markdown(str(exc))}")  # it may quote a catalog's text
        except Exception:
            log.exception("page %s failed", render.__name__)
            st.error(t("unexpected"))

    page.__name__ = render.__name__
    return page


# -- logs -------------------------------------------------------------------------------------------------------------



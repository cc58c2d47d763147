"""`finpilot start` (the embedded defaults, one example answer, then the app) and `finpilot ui`."""

from __future__ import annotations

import contextlib
import io
import sys
import time

import click

from finpilot import FinpilotError, Settings, get_settings
from ui.cli._funds import _print_answer
from ui.cli._root import _settings, cli

EXAMPLE_FUND_QUERY = "稳健一点的债券基金，费率低"
EXAMPLE_KNOWLEDGE_QUERY = "A类和C类份额有什么区别，持有一年选哪个"


@cli.command()
@click.option("--query", default=EXAMPLE_FUND_QUERY, show_default=True, help="The example request to run.")
@click.option("--ui/--no-ui", "with_ui", default=True, show_default=True, help="Then start the app on 127.0.0.1 (Ctrl-C stops it).")
@click.option("--browser/--no-browser", default=True, show_default=True, help="Open the app in the default browser.")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port of the app.")
@click.pass_context
def start(ctx: click.Context, query: str, with_ui: bool, browser: bool, port: int) -> None:
    """Prepare the embedded defaults (demo data, `demo` catalog, indexes), run one example request, start the app.

    With the app, the search indexes are built by a process of their own (progress on stderr) while the example is
    answered and the app comes up: screening, analyses and plans answer at once, searches go by words until the dense
    indexes are complete. With --no-ui everything is built before the example runs.
    """
    from retrieval import ensure_demo

    s = _settings(ctx)
    if with_ui:
        _check_port("127.0.0.1", port)  # before any work, not after it
    t0 = time.perf_counter()
    click.echo(f"finpilot home: {s.home}", err=True)
    status = ensure_demo(s, background=with_ui)
    cat, k = status.catalog, status.knowledge
    if k is not None:
        indexes = f"knowledge: {k.added + k.updated + k.unchanged} docs"
    elif status.indexing:
        indexes = f"indexes: {len(status.indexing)} building in the background, searches by words until they are done"
    else:
        indexes = "indexes: complete"
    click.echo(f"demo data: {'generated' if status.generated else 'present'} (seed {status.seed}, fictional); "
               f"catalog demo: {cat.loaded} funds ({cat.status}); {indexes}; {time.perf_counter() - t0:.1f}s", err=True)  # fmt: skip
    if not with_ui:
        print_examples(query, s)
        return
    _examples_aside(query, s)
    _serve_ui(s, "127.0.0.1", port, open_browser=browser)


def print_examples(query: str, s: Settings | None = None) -> None:
    """Answer the example request and run the example knowledge search, printed."""
    from assistant.funds import Advisor
    from retrieval import knowledge_index

    s = s or get_settings()
    advisor = Advisor("demo", settings=s)
    click.echo(f"\nbackend: {advisor.backend.name} ({advisor.backend.model})\n\n> {query}")
    _print_answer(advisor.ask(query), show_citations=False)
    knowledge = knowledge_index(s)
    words_only = "  (by words: the dense index is still being built)" if knowledge.building() is not None else ""
    click.echo(f"\n> {EXAMPLE_KNOWLEDGE_QUERY}{words_only}")
    for hit in knowledge.search(EXAMPLE_KNOWLEDGE_QUERY, k=3):
        click.echo(f"  [{hit.metadata['doc_id']}] {hit.metadata['title']} (as of {hit.metadata['as_of']})")
    click.echo("\nDemo data is fictional. Next: finpilot funds \"<your request>\" --risk-profile C3, or finpilot chat.")


def _examples_aside(query: str, s: Settings) -> None:
    """Print the examples from a process of their own, so that this one becomes the app meanwhile: the page is up
    the seconds the examples take sooner. Forked once more, so init, not the app, reaps it."""
    import subprocess

    from retrieval import settings_env

    code = ("import os, sys; os.fork() and os._exit(0); from ui.cli._start import examples_main; "
            "sys.exit(examples_main(sys.argv[1]))")  # fmt: skip
    subprocess.run([sys.executable, "-c", code, query], env=settings_env(s), stdin=subprocess.DEVNULL, check=True)


def examples_main(query: str) -> int:
    """The examples process: what the command line would print, with its one-line errors."""
    from assistant.text import mask_logs

    mask_logs()
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            print_examples(query)
    except FinpilotError as exc:
        click.echo(f"error: {exc}", err=True)
        return 1
    finally:
        # In one piece: the app's own lines come up meanwhile and would otherwise land inside the answer.
        sys.stdout.write(out.getvalue())
        sys.stdout.flush()
    return 0


def _check_port(host: str, port: int) -> None:
    import socket

    with socket.socket() as probe:
        if probe.connect_ex((host if host != "0.0.0.0" else "127.0.0.1", port)) == 0:
            raise FinpilotError(f"port {port} on {host} is taken (is the app already running?): use --port")


@cli.command("ui")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default keeps the app on this machine. 0.0.0.0 exposes it to the network.")
@click.option("--browser/--no-browser", default=True, show_default=True, help="Open the app in the default browser.")
@click.pass_context
def ui_command(ctx: click.Context, port: int, host: str, browser: bool) -> None:
    """Start the app (fund advisor, campaign workspace, QA dashboard); Ctrl-C stops it."""
    _serve_ui(_settings(ctx), host, port, open_browser=browser)


def _serve_ui(s: Settings, host: str, port: int, open_browser: bool) -> None:
    """Replace this process with `streamlit run ui/app.py` bound to host:port."""
    import os
    from pathlib import Path

    import ui

    app = Path(ui.__file__).resolve().parent / "app.py"
    _check_port(host, port)
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.address", host, "--server.port", str(port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--client.showErrorDetails", "false", "--client.toolbarMode", "minimal", "--theme.base", "light"]  # fmt: skip
    env = {**os.environ, "FINPILOT_HOME": str(s.home)}
    click.echo(f"finpilot app: http://{host}:{port}  (Ctrl-C stops it)", err=True)
    if open_browser:
        # Streamlit's own browser opening (headless off) first asks for an e-mail address on stdin, which stalls a
        # first start; a small detached helper opens the page once the server has had a moment to come up.
        import subprocess

        opener = f"import time, webbrowser; time.sleep(4); webbrowser.open('http://127.0.0.1:{port}')"
        subprocess.Popen([sys.executable, "-c", opener], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sys.stdout.flush()
    sys.stderr.flush()
    # Become the server rather than wrap it: a signal meant for `finpilot ui` (Ctrl-C, a test's terminate()) then
    # reaches Streamlit itself, and no orphaned server outlives the command.
    os.execve(sys.executable, cmd, env)

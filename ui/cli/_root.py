"""The `finpilot` group itself: global options, the settings every command reads, and the one-line error exit."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from finpilot import FinpilotError, Settings, get_settings


def _settings(ctx: click.Context) -> Settings:
    return ctx.find_root().obj


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--home", type=click.Path(file_okay=False), help="Data folder (default: $FINPILOT_HOME or the per-user data folder).")
@click.option("--chroma-url", help="Use the Chroma server at this URL instead of the embedded store.")
@click.option("--backend", help="Model backend: offline, fake, llama:PATH.gguf, openai:MODEL (default: settings.backend, offline).")
@click.option("--no-progress", is_flag=True, help="Hide progress bars.")
@click.version_option(package_name="finpilot", prog_name="finpilot")
@click.pass_context
def cli(ctx: click.Context, home: str | None, chroma_url: str | None, backend: str | None, no_progress: bool) -> None:
    """finpilot: a marketing and fund-advisor assistant over your own catalogs.

    Start with `finpilot start`; every command has --help.
    """
    from assistant.text import mask_logs

    mask_logs()  # a warning that quotes a request never prints its phone, ID or card numbers
    overrides: dict[str, Any] = {}
    if home:
        overrides["home"] = home
    if chroma_url:
        overrides["chroma_url"] = chroma_url
    if no_progress:
        overrides["progress"] = False
    if backend:
        overrides["backend"] = backend
    ctx.obj = get_settings(**overrides)
    if backend:
        # Fail here, before any work, when the chosen backend cannot be had.
        from assistant.backends import get_backend

        get_backend(settings=ctx.obj).ping()


def main(argv: list[str] | None = None) -> int:
    """Run the command line; every failure a user can cause ends in one line and a non-zero exit."""
    try:
        cli.main(args=argv, prog_name="finpilot", standalone_mode=False)
    except FinpilotError as exc:
        click.echo(f"error: {exc}", err=True)
        return 1
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        # A usage error knows the command it came from: point at that command's help.
        ctx = exc.ctx if isinstance(exc, click.UsageError) else None
        hint = f" (see `{ctx.command_path} --help`)" if ctx else ""
        click.echo(f"error: {exc.format_message()}{hint}", err=True)
        return exc.exit_code
    except BrokenPipeError:
        # `finpilot catalog export | head` closed the pipe: not an error. Point stdout at devnull so the
        # interpreter's final flush does not complain either.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        click.echo("interrupted; nothing half-written was published", err=True)
        return 130
    except Exception as exc:  # the last resort: never a traceback unless asked for
        if get_settings().debug:
            raise
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        click.echo(f"error: unexpected {type(exc).__name__}: {first} (set FINPILOT_DEBUG=1 for the traceback)", err=True)
        return 1
    return 0


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())

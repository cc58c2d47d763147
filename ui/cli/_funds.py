"""The fund advisor: `funds` (one request) and `chat` (a conversation with follow-ups)."""

from __future__ import annotations

import sys
from typing import Any

import click

from ui.cli._root import _settings, cli

_GRADE = click.Choice(["C1", "C2", "C3", "C4", "C5"], case_sensitive=False)


def _advisor(ctx: click.Context, catalog_name: str | None, backend: str | None) -> Any:
    from assistant.funds import Advisor

    s = _settings(ctx)
    if backend:
        from assistant.backends import get_backend

        get_backend(backend, s).ping()
    return Advisor(catalog_name, settings=s, backend=backend)


def _grade(value: str | None) -> int | None:
    return int(value[1]) if value else None


def _print_answer(answer: Any, show_citations: bool) -> None:
    from assistant.funds import describe_filters

    lang = answer.lang
    if answer.refused is None:
        click.echo(("理解为：" if lang == "zh" else "Understood: ") + describe_filters(answer.filters, lang, answer.evidence))
        click.echo()
    click.echo(answer.answer)
    for value in answer.ungrounded:
        click.echo(f"  (the model's {value} is not in the request: dropped)", err=True)
    for note in answer.notes:
        click.echo(f"  note: {note}", err=True)
    if show_citations and answer.citations:
        click.echo("\n" + ("来源：" if lang == "zh" else "Sources:"))
        for c in answer.citations:
            click.echo(f"  [{c.catalog}:{c.code}:{c.field}] {c.value} (as of {c.as_of})")
    elif answer.citations:
        click.echo(f"\n({len(answer.citations)} citations; --citations lists them)")
    click.echo("\n" + answer.disclaimer)
    click.echo(f"[{answer.backend}, catalog {answer.catalog}]", err=True)


@cli.command()
@click.argument("request")
@click.option("--catalog", "catalog_name", help="Catalog to screen (default: demo).")
@click.option("--risk-profile", type=_GRADE, help="Your risk grade, C1 (most cautious) to C5: nothing riskier is shown.")
@click.option("--backend", help="Model backend for this request (default: the global --backend or settings).")
@click.option("--top-k", type=click.IntRange(1, 50), help="How many funds to show (default: what the request says, else 10).")
@click.option("--json", "as_json", is_flag=True, help="Print the whole answer as one JSON object (the scripting contract).")
@click.option("--citations", "show_citations", is_flag=True, help="List every cited catalog field.")
@click.pass_context
def funds(ctx: click.Context, request: str, catalog_name: str | None, risk_profile: str | None, backend: str | None,
          top_k: int | None, as_json: bool, show_citations: bool) -> None:
    """Answer one fund request: a screened, ranked, cited shortlist, an analysis, a comparison or a term explained.

    \b
    Examples:
      finpilot funds "近一年收益超过5%、回撤不超过3%的债基" --risk-profile C2
      finpilot funds "分析一下 000001"        finpilot funds "对比 000001 和 000002"
      finpilot funds "low-fee bond funds" --json
    Exit code 0 whenever an answer was produced, an empty shortlist included.
    """
    advisor = _advisor(ctx, catalog_name, backend)
    answer = advisor.ask(request, investor_grade=_grade(risk_profile), top_k=top_k)
    if as_json:
        click.echo(answer.model_dump_json(indent=2))
    else:
        _print_answer(answer, show_citations)


@cli.command()
@click.option("--catalog", "catalog_name", help="Catalog to screen (default: demo).")
@click.option("--risk-profile", type=_GRADE, help="Your risk grade, C1..C5 (change it later with /grade C3).")
@click.option("--backend", help="Model backend for this session.")
@click.pass_context
def chat(ctx: click.Context, catalog_name: str | None, risk_profile: str | None, backend: str | None) -> None:
    """Talk to the fund advisor; follow-ups ("只要C类", "再便宜一点", "去掉X的", "换成近三年") refine the last request,
    and "对比第一只和第二只", "第三只详细说说", "compare the top two" point into the last shortlist.

    \b
    Commands inside the chat: /grade C1..C5, /reset (forget the last request), /json (the last answer as JSON), /quit.
    Reads stdin when it is not a terminal, one request a line.
    """
    from finpilot import FinpilotError as Error

    advisor = _advisor(ctx, catalog_name, backend)
    grade = _grade(risk_profile)
    last = None
    shown: list[str] = []  # the last shortlist, so "对比第一只和第二只" knows which funds are meant
    interactive = sys.stdin.isatty()
    if interactive:
        click.echo("finpilot fund advisor: ask in Chinese or English; /quit to leave.", err=True)
    while True:
        try:
            line = click.prompt(">", prompt_suffix=" ") if interactive else sys.stdin.readline()
        except (EOFError, click.exceptions.Abort):
            break
        if not interactive and line == "":
            break
        line = line.strip()
        if not line:
            continue
        if line in ("/quit", "/exit", "/q"):
            break
        if line == "/reset":
            last, shown = None, []
            click.echo("(forgot the previous request)")
            continue
        if line.startswith("/grade"):
            arg = line.removeprefix("/grade").strip().upper()
            if arg not in ("C1", "C2", "C3", "C4", "C5"):
                click.echo("error: /grade needs C1..C5", err=True)
                continue
            grade = int(arg[1])
            click.echo(f"(risk grade set to {arg})")
            continue
        if line == "/json":
            click.echo(last.model_dump_json(indent=2) if last else "(no answer yet)")
            continue
        try:
            answer = advisor.ask(line, investor_grade=grade, previous=last.filters if last else None, shown=shown)
        except Error as exc:
            click.echo(f"error: {exc}", err=True)
            continue
        if not interactive:
            click.echo(f"> {line}")
        _print_answer(answer, show_citations=False)
        click.echo()
        if answer.filters.intent == "screen" and answer.clarification is None or answer.shortlist:
            last = answer  # an analysis of 第一只 keeps the shortlist and the request it refines
        if answer.shortlist:
            shown = [v.code for v in answer.shortlist]

"""The campaign planner: `campaign` (a brief, follow-up edits, export)."""

from __future__ import annotations

from typing import Any

import click

from finpilot import FinpilotError
from ui.cli._root import _settings, cli


class _BriefFirst(click.Command):
    """A command whose text argument may start with "-" (a brief written as a bullet list)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # "- 三线及以下…" would otherwise be read as a cluster of short options (its "h" asking for help). A token that
        # starts with "-" and then a space, a line break or a character no option has is the text: it goes after "--".
        text = [a for a in args if len(a) > 1 and a[0] == "-" and (a[1].isspace() or not a[1].isascii())]
        if text:
            args = [a for a in args if a not in text] + ["--", *text]
        return super().parse_args(ctx, args)


@cli.command(cls=_BriefFirst)
@click.argument("brief", required=False)
@click.option("--file", "brief_file", type=click.File("r", encoding="utf-8"),
              help="Read the brief from this file ('-' for standard input): for long briefs and bullet lists.")
@click.option("--edit", "edits", multiple=True, help="A follow-up edit, applied in order (repeatable): --edit \"预算降到 30 万\" --edit \"加上短信\".")
@click.option("--anyway", is_flag=True,
              help="Plan without what was not understood instead of asking about it (the answer \"去掉它，继续\").")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as one JSON object (the scripting contract).")
@click.option("--export", "export_dir", type=click.Path(file_okay=False), help="Write plan.json, plan.md and per-channel payloads here.")
@click.option("--backend", help="Model backend (default: offline; the offline planner needs none).")
@click.pass_context
def campaign(ctx: click.Context, brief: str | None, brief_file: Any, edits: tuple[str, ...], anyway: bool, as_json: bool,
             export_dir: str | None, backend: str | None) -> None:  # fmt: skip
    """Plan a campaign from a brief: segment, products, channels, offer, budget, schedule, copy, forecast, experiment.

    \b
    Examples:
      finpilot campaign "下周五开始，给沉睡用户推稳盈90天，预算50万，短信加push，红包15.14元，为期两周" --edit "预算降到 30 万"
      finpilot campaign "- 三线及以下、25到40岁
      - 预算 20 万，12月5日至12月20日"
      finpilot campaign --file brief.txt          (or: cat brief.txt | finpilot campaign -)
    A brief may start with "-" (a bullet list). Relative dates are read as of FINPILOT_TODAY when it is set.
    When the brief names who to target in terms the user tags cannot hold (女性用户, 安卓用户), the planner asks one
    question instead of planning; --anyway plans without those words. Exit code 0 when a plan, a question or a
    refusal was produced.
    """
    import sys
    from pathlib import Path

    from assistant.campaigns import Planner, export, to_markdown

    if brief_file is not None:
        if brief:
            raise FinpilotError("give the brief as an argument or with --file, not both")
        brief = brief_file.read()
    elif brief == "-":
        brief = sys.stdin.read()
    if not brief or not brief.strip():
        raise FinpilotError("no brief: write it as an argument, or pass --file PATH (or - for standard input)")
    s = _settings(ctx)
    from retrieval import generate_demo

    generate_demo(s)  # the demo market and users, on first use
    planner = Planner(settings=s, backend=backend or s.backend)
    plan = planner.plan(brief, ask=not anyway)
    history = []
    for edit in edits:
        if plan.question:
            raise FinpilotError("the brief has an open question (see above); answer it in the brief, or add --anyway")
        plan = planner.edit(plan, edit)
        history.append(f"「{edit}」: " + "; ".join(plan.changes))
    if export_dir and not plan.question:
        tags: dict[str, str | None] = {c: ch.reach_tag for c, ch in planner.market.channels.items()}
        written = export(plan, Path(export_dir), planner.warehouse, tags)
        click.echo(f"wrote {len(written)} files under {export_dir}", err=True)
    if as_json:
        click.echo(plan.model_dump_json(indent=2))
        return
    for line in history:
        click.echo("Changed by " + line)
    if history:
        click.echo()
    click.echo(to_markdown(plan))

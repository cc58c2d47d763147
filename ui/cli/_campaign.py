"""The campaign planner and its learning loop: `campaign` (a brief, follow-up edits, export), `campaign results`,
`campaign review`, `campaign tags`, `campaign target`."""

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


class _CampaignGroup(click.Group):
    """`finpilot campaign BRIEF` plans (the `plan` subcommand); `finpilot campaign review PLAN` and the other
    learning-loop subcommands are named first. A brief that happens to be a subcommand's name is planned with
    `finpilot campaign plan BRIEF`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["plan", *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[BRIEF] [OPTIONS] | COMMAND [ARGS]...")


@cli.group(cls=_CampaignGroup)
def campaign() -> None:
    """Plan a campaign from a brief, then close the loop: load its results, review it, learn who responds.

    \b
    Examples:
      finpilot campaign "下周五开始，给沉睡用户推稳盈90天，预算50万，短信加push" --export out/
      finpilot campaign results out/ --file results.csv      (check and store the per-user results)
      finpilot campaign review out/                          (lift, A/B, forecast vs actual, cost, who responded)
      finpilot campaign review cmp_0351                      (a past campaign of the demo history)
      finpilot campaign tags                                 (how segments with each tag responded)
      finpilot campaign target out/                          (rank the segment by predicted uplift)
    `finpilot campaign plan --help` lists the planner's options.
    """


@campaign.command("plan", cls=_BriefFirst)
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
def plan_command(ctx: click.Context, brief: str | None, brief_file: Any, edits: tuple[str, ...], anyway: bool, as_json: bool,
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


_LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="The language of the Markdown.")


@campaign.command("results")
@click.argument("plan_ref", metavar="PLAN")
@click.option("--file", "results_file", required=True, type=click.Path(dir_okay=False),
              help="Per-user results: .parquet or .csv with user_id, arm, channel, touches, opened, clicked, converted, value "
                   "(optional: campaign_id, product_id, offer_id, opted_out, complained, sent_on).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def results_command(ctx: click.Context, plan_ref: str, results_file: str, as_json: bool) -> None:
    """Check a campaign's per-user results against its plan and store them whole, or nothing.

    PLAN is the plan.json (or the folder) `finpilot campaign --export` wrote. Every row is checked: the campaign id,
    the arm (the plan's arms; the hold-out never touched), the channel (the plan's), the funnel (a click needs an
    open, value needs a conversion), the send date (within the campaign) and the user (in the user table). Any
    problem rejects the whole file, listed by rule with row numbers (1 = the first data row); exit code 1. Loading
    again replaces the results before."""
    from pathlib import Path

    from assistant.learning import load_results
    from retrieval import generate_demo

    s = _settings(ctx)
    generate_demo(s)
    report = load_results(s, plan_ref, Path(results_file))
    if as_json:
        click.echo(report.model_dump_json(indent=2))
    elif report.stored:
        arms = ", ".join(f"{k} {v:,}" for k, v in sorted(report.arms.items()))
        click.echo(f"{'replaced' if report.replaced else 'stored'} {report.rows:,} rows for {report.campaign_id} ({arms}): {report.path}")
    if not report.stored:
        if not as_json:
            click.echo(f"rejected {results_file}: nothing was stored ({report.rows:,} rows)", err=True)
            for p in report.problems:
                rows = f" rows {', '.join(map(str, p.rows))}{' …' if p.count > len(p.rows) else ''} ({p.count:,} in all)" if p.rows else ""
                click.echo(f"  - {p.message}{rows}", err=True)
        raise SystemExit(1)


@campaign.command("review")
@click.argument("plan_ref", metavar="PLAN")
@click.option("--json", "as_json", is_flag=True, help="Print the review as one JSON object (the numbers the Markdown and the app show).")
@_LANG
@click.option("--no-keep", is_flag=True, help="Review without adding the campaign to the history later plans learn from.")
@click.pass_context
def review_command(ctx: click.Context, plan_ref: str, as_json: bool, no_keep: bool, lang: str) -> None:
    """Review a campaign: lift per arm over the hold-out with 95% intervals, the A/B test against the design's alpha
    and power (no decision before the planned size), forecast against actual per funnel step, cost per incremental
    conversion per channel, the audience cells that responded (Benjamini–Hochberg corrected) and guardrails.

    PLAN is an exported plan (plan.json or its folder) whose results were loaded, or a past campaign's id (cmp_0351:
    the demo keeps logs of its 24 latest). The review joins the history: later plans cite it and forecast from its
    measured rates (--no-keep to look only)."""
    from assistant.learning import review_campaign, review_markdown
    from retrieval import generate_demo

    s = _settings(ctx)
    generate_demo(s)
    _, result = review_campaign(s, plan_ref, keep=not no_keep)
    click.echo(result.model_dump_json(indent=2) if as_json else review_markdown(result, "en" if lang == "en" else "zh"))


@campaign.command("tags")
@_LANG
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
@click.pass_context
def tags_command(ctx: click.Context, as_json: bool, lang: str) -> None:
    """The tag-effect table: how segments with each tag value responded, pooled over every reviewed campaign."""
    import json

    from assistant.learning import tag_table, tags_markdown

    effects = tag_table(_settings(ctx))
    if as_json:
        click.echo(json.dumps([e.model_dump() for e in effects], ensure_ascii=False, indent=2))
    else:
        click.echo(tags_markdown(effects, "en" if lang == "en" else "zh"))


@campaign.command("target")
@click.argument("plan_ref", metavar="PLAN")
@click.option("--value", type=click.FloatRange(min=0, min_open=True), default=200.0, show_default=True,
              help="What one incremental conversion is worth (yuan): users whose expected uplift times it is below their touch cost are not sent to.")
@click.option("--retrain", is_flag=True, help="Train the uplift model again on every response log first.")
@_LANG
@click.option("--json", "as_json", is_flag=True, help="Print the targeting summary as JSON.")
@click.pass_context
def target_command(ctx: click.Context, plan_ref: str, value: float, retrain: bool, as_json: bool, lang: str) -> None:
    """Rank an exported plan's segment by predicted uplift: each user gets the suitable product, offer and channel
    with the highest expected incremental value (suitability and vulnerable-group rules first, always), within the
    plan's budget, stopping where a touch no longer pays. Writes targeting.json and targets.parquet beside the plan,
    adds the targeting to plan.md (plan.json, the plan's identity, stays as exported) and says what it expects to gain
    over rule-only targeting."""
    from pathlib import Path

    import pyarrow.parquet as pq

    from assistant.learning import target_plan, targeting_markdown, train_model
    from retrieval import generate_demo

    s = _settings(ctx)
    generate_demo(s)
    if retrain:
        train_model(s)
    summary, targets = target_plan(s, plan_ref, value=value)
    folder = Path(plan_ref) if Path(plan_ref).is_dir() else Path(plan_ref).parent
    (folder / "targeting.json").write_text(summary.model_dump_json(indent=2), encoding="utf-8")
    pq.write_table(targets, folder / "targets.parquet")
    text = targeting_markdown(summary, "en" if lang == "en" else "zh")
    md = folder / "plan.md"
    if md.is_file():
        # The plan people read says which targeting it now uses (plan.json, the plan's identity, is left as exported).
        body = md.read_text(encoding="utf-8").split(_TARGETING_MARK)[0].rstrip("\n")
        md.write_text(f"{body}\n\n{_TARGETING_MARK}\n{text}", encoding="utf-8")
    click.echo(summary.model_dump_json(indent=2) if as_json else text)


_TARGETING_MARK = "<!-- targeting: finpilot campaign target -->"

"""Catalogs: the demo data, `ingest`, `catalog list/export/show/delete` and the bundled column mappings."""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from typing import Any

import click

from finpilot import FinpilotError
from ui.cli._root import _echo_json, _settings, cli

_FORMATS = ("jsonl", "json", "csv")


def _fmt(value: Any, suffix: str = "") -> str:
    return "—" if value is None else f"{value:g}{suffix}" if isinstance(value, float) else f"{value}{suffix}"


def _width(text: str) -> int:
    """Terminal columns: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)



@cli.group()
def demo() -> None:
    """The fictional demo data set."""


@demo.command("generate")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), help="Seed, 0 to 2**32-1 (default: settings.demo_seed). The same seed gives the same bytes.")
@click.option("--users", type=click.IntRange(100, 50_000_000), help="Users in the tag table (default: settings.demo_users, 2,000,000).")
@click.option("--force", is_flag=True, help="Regenerate even if the files exist for this seed and size.")
@click.pass_context
def demo_generate(ctx: click.Context, seed: int | None, users: int | None, force: bool) -> None:
    """Write the demo tables (funds, products, users, channels, offers, campaigns) under home/demo.

    2,000,000 users by default (about 10 s and 26 MB); `--users` makes a smaller or larger table, still the same
    bytes for the same seed and size. Later commands use whatever table is there."""
    from retrieval import generate_demo

    s = _settings(ctx)
    made, counts = generate_demo(s, seed=seed, force=force, users=users)
    click.echo(f"{'wrote' if made else 'already present'}: {s.demo_dir}")
    for name, n in counts.items():
        click.echo(f"  {name}: {n}")


@cli.command()
@click.argument("path")
@click.option("--catalog", "catalog_name", required=True, help="Catalog to load into (created or replaced).")
@click.option("--mapping", help="Bundled mapping name or a mapping TOML file (default: columns already normalised).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "jsonl", "parquet"]), help="File format (default: from the suffix).")
@click.option("--strict", is_flag=True, help="Fail the whole ingest if any row is rejected.")
@click.option("--max-rejected", type=click.FloatRange(0, 1), default=0.5, show_default=True, help="Fail when more than this share of rows is rejected.")
@click.option("--no-index", is_flag=True, help="Skip building the fund search index.")
@click.option("--dry-run", is_flag=True, help="Validate every row and report, but publish nothing.")
@click.option("--allow-shrink", is_flag=True, help="Publish even when the new version holds more than 10% fewer funds than the current one.")
@click.option("--encoding", help="Text encoding of a CSV/JSON/JSONL file (default: UTF-8, else GB18030/GBK, detected).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--show-rejects", type=int, default=10, show_default=True, help="How many rejected rows to list.")
@click.pass_context
def ingest(ctx: click.Context, path: str, catalog_name: str, mapping: str | None, fmt: str | None, strict: bool,
           max_rejected: float, no_index: bool, dry_run: bool, allow_shrink: bool, encoding: str | None, as_json: bool,
           show_rejects: int) -> None:  # fmt: skip
    """Load a fund catalog file (CSV, JSON, JSONL, Parquet) into a named catalog.

    Bad rows are reported with their row number and reason and never half-loaded. The previous version of the
    catalog stays in place unless the new one is complete: a file that ends in the middle of a record, or a version
    with more than 10% fewer funds than the current one (unless --allow-shrink), is refused. Ingesting the same file
    again changes nothing.
    """
    from retrieval import ingest as run_ingest

    s = _settings(ctx)
    report = run_ingest(path, catalog_name, mapping, fmt=fmt, strict=strict, max_rejected=max_rejected, index=not no_index,
                        dry_run=dry_run, settings=s, allow_shrink=allow_shrink, encoding=encoding, flag_name=_name_claims)  # fmt: skip
    if as_json:
        _echo_json(report.model_dump(mode="json"))
        return
    if report.status == "unchanged":
        click.echo(f"catalog {report.catalog}: unchanged ({report.loaded} funds; same file and mapping as the current version)")
        return
    for err in report.rejected[:show_rejects]:
        click.echo(f"rejected {err}", err=True)
    if len(report.rejected) > show_rejects:
        click.echo(f"... and {len(report.rejected) - show_rejects} more in {report.rejects_file}", err=True)
    verb = "would load" if report.status == "checked" else "loaded"
    click.echo(f"catalog {report.catalog}: {verb} {report.loaded} of {report.rows_read} rows, rejected {len(report.rejected)} "
               f"({report.format}{', ' + report.encoding if report.encoding else ''}, mapping {report.mapping}, {report.seconds:.1f}s)")  # fmt: skip
    click.echo("  by type: " + ", ".join(f"{k} {v}" for k, v in report.by_type.items()))
    missing = {k: v for k, v in report.missing.items() if v}
    if missing:
        click.echo("  missing (left empty, never invented): " + ", ".join(f"{k} {v}" for k, v in missing.items()))
    if report.names_flagged:
        shown = "; ".join(f"{f.code} {f.name!r} ({f.reason})" for f in report.flagged[:3])
        more = f"; … {report.names_flagged - 3} more (--json lists {len(report.flagged)})" if report.names_flagged > 3 else ""
        click.echo(f"  names with claims no marketing may make, loaded as the source says (check them): {report.names_flagged}: {shown}{more}")
    if report.status == "checked":
        click.echo("  dry run: nothing was published")
    else:
        click.echo(f"  index: {'built, ' + str(report.embedded) + ' embedded' if report.indexed else 'not built (--no-index)'}")


def _name_claims(name: str) -> str | None:
    """What a fund's name promises that the compliance rules forbid (保本, 稳赚不赔, 最高…), or None."""
    from assistant.compliance import check_copy

    claims = ("return_promise", "principal_promise", "absolute_claim")
    issues = [i for i in check_copy(name, product_kind="fund", fix=False).remaining if i.code in claims]
    said = dict.fromkeys(f"{i.code} 「{name[i.span[0]:i.span[1]]}」" if i.span else i.code for i in issues)
    return ", ".join(said) or None


@demo.command("results")
@click.argument("plan_ref", metavar="PLAN")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="Where to write them: .parquet or .csv.")
@click.option("--seed", type=int, default=0, show_default=True, help="The draw (the same seed gives the same rows).")
@click.pass_context
def demo_results(ctx: click.Context, plan_ref: str, out: str, seed: int) -> None:
    """Simulate per-user results for an exported plan, from the demo's response model, to try the learning loop.

    \b
    Example:
      finpilot campaign "给活跃用户推稳盈90天，预算5万，push加短信" --export plan/
      finpilot demo results plan/ --out results.csv
      finpilot campaign results plan/ --file results.csv && finpilot campaign review plan/
    """
    from pathlib import Path

    import pyarrow.csv as pv
    import pyarrow.parquet as pq

    from assistant.learning import load_design
    from eval import simulate_plan_results
    from retrieval import generate_demo

    s = _settings(ctx)
    generate_demo(s)
    from assistant.campaigns import Market

    _, plan = load_design(plan_ref, Market.demo(s))
    if plan is None:
        raise FinpilotError("give an exported plan (plan.json or its folder): past campaigns have their logs already")
    logs = simulate_plan_results(plan, s, seed)
    path = Path(out)
    if path.suffix.lower() == ".csv":
        pv.write_csv(logs, path)
    elif path.suffix.lower() == ".parquet":
        pq.write_table(logs, path)
    else:
        raise FinpilotError(f"{path}: write .parquet or .csv")
    click.echo(f"wrote {logs.num_rows:,} rows for {logs.column('campaign_id')[0]} to {path}")


@cli.group()
def catalog() -> None:
    """List, export, show and delete catalogs."""


@catalog.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def catalog_list(ctx: click.Context, as_json: bool) -> None:
    """The catalogs there are, with their size and source."""
    from retrieval import catalog_names, open_catalog

    s = _settings(ctx)
    manifests = [open_catalog(n, s).manifest for n in catalog_names(s)]
    if as_json:
        _echo_json([m.model_dump(mode="json") for m in manifests])
        return
    if not manifests:
        click.echo("no catalogs yet: run `finpilot start` or `finpilot ingest PATH --catalog NAME`")
    for m in manifests:
        index = "indexed" if m.collection else "no index"
        click.echo(f"{m.name}: {m.rows_loaded} funds, {m.rows_rejected} rejected, as of {m.as_of_max}, {index} — {m.source_path}")


@catalog.command("export")
@click.option("--catalog", "catalog_name", help="Catalog name (default: demo).")
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="jsonl", show_default=True)
@click.pass_context
def catalog_export(ctx: click.Context, catalog_name: str | None, fmt: str) -> None:
    """Print every fund with the normalised fields (the stable export contract), one per line for jsonl."""
    from retrieval import EXPORT_FIELDS, export_rows

    rows = export_rows(catalog_name, _settings(ctx))
    out = sys.stdout
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "json":
        json.dump(list(rows), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        first = next(rows, None)
        fields = list(first) if first else list(EXPORT_FIELDS)
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in ([first] if first else []) + list(rows):
            writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()})


_SHOW = [
    ("基金类型 type", lambda f: f"{f.fund_type}" + (f" ({f.raw_type})" if f.raw_type else "")),
    ("份额 share class", lambda f: f.share_class or "—"),
    ("风险等级 risk", lambda f: f"R{f.risk_level}" if f.risk_level else "— (not in source)"),
    ("近1月/3月/6月 return", lambda f: " / ".join(_fmt(v, "%") for v in (f.return_1m, f.return_3m, f.return_6m))),
    ("近1年/3年/今年以来", lambda f: " / ".join(_fmt(v, "%") for v in (f.return_1y, f.return_3y, f.return_ytd))),
    ("最大回撤 max drawdown 1y", lambda f: _fmt(f.max_drawdown_1y, "%")),
    ("波动率 volatility 1y", lambda f: _fmt(f.volatility_1y, "%")),
    ("夏普 Sharpe 1y", lambda f: _fmt(f.sharpe_1y)),
    ("管理费 management fee", lambda f: _fmt(f.mgmt_fee, "%/yr")),
    ("申购费 purchase fee", lambda f: _fmt(f.purchase_fee, "%") + (f" (platform {_fmt(f.purchase_fee_discounted, '%')})" if f.purchase_fee_discounted is not None else "")),
    ("销售服务费 sales-service fee", lambda f: _fmt(f.sales_service_fee, "%/yr")),
    ("起购 min purchase", lambda f: _fmt(f.min_purchase, " 元")),
    ("规模 size", lambda f: _fmt(None if f.size is None else round(f.size, 2), " 亿元")),
    ("基金公司 company", lambda f: f.company or "—"),
    ("基金经理 managers", lambda f: "、".join(f.managers) or "—"),
    ("主题 themes", lambda f: "、".join(f.themes) or "—"),
    ("定投 regular instalments", lambda f: {True: "yes", False: "no", None: "—"}[f.dca]),
    ("申购 purchase", lambda f: {True: "open", False: "closed", None: "—"}[f.purchase_open]),
    ("成立 inception", lambda f: _fmt(f.inception_date)),
    ("另一份额 other class", lambda f: f.pair_code or "—"),
]  # fmt: skip


@catalog.command("show")
@click.argument("code")
@click.option("--catalog", "catalog_name", help="Catalog name (default: demo).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def catalog_show(ctx: click.Context, code: str, catalog_name: str | None, as_json: bool) -> None:
    """Print one fund for a person ("—" marks what the source does not say)."""
    from retrieval import open_catalog

    fund = open_catalog(catalog_name, _settings(ctx)).get(code.strip())
    if as_json:
        _echo_json(fund.model_dump(mode="json"))
        return
    click.echo(f"{fund.name}  {fund.code}")
    width = max(_width(label) for label, _ in _SHOW)
    for label, render in _SHOW:
        click.echo(f"  {label}{' ' * (width - _width(label))}  {render(fund)}")
    click.echo(f"  source: {fund.source}, as of {fund.as_of}")


@catalog.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def catalog_delete(ctx: click.Context, name: str, yes: bool) -> None:
    """Delete a catalog and its index."""
    from retrieval import delete_catalog

    if not yes and not click.confirm(f"delete catalog {name!r} and its index?"):
        raise click.Abort()
    delete_catalog(name, _settings(ctx))
    click.echo(f"deleted catalog {name}")


@cli.group()
def mappings() -> None:
    """Mappings from other catalogs' columns to finpilot's fields."""


@mappings.command("list")
def mappings_list() -> None:
    """The bundled mappings."""
    from retrieval import bundled_mappings, load_mapping

    click.echo("identity: columns already named as the export contract (the default)")
    for name in bundled_mappings():
        click.echo(f"{name}: {load_mapping(name).description}")

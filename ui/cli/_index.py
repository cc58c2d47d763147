"""The search indexes: `index build/status` and `search`."""

from __future__ import annotations

import json
import time

import click

from finpilot import FinpilotError
from ui.cli._root import _echo_json, _settings, cli

MAX_QUERY_CHARS = 500
"""The longest `finpilot search` query: as long as a fund request may be."""


@cli.group()
def index() -> None:
    """Build and inspect the search indexes."""


@index.command("build")
@click.option("--catalog", "catalog_name", help="Catalog whose fund index to build (default: demo).")
@click.option("--knowledge/--no-knowledge", default=True, show_default=True, help="Also sync the knowledge index.")
@click.pass_context
def index_build(ctx: click.Context, catalog_name: str | None, knowledge: bool) -> None:
    """Build or bring up to date the fund index of a catalog and the knowledge index (unchanged documents are not re-embedded)."""
    from retrieval import build_catalog_index, build_knowledge_index

    s = _settings(ctx)
    t0 = time.perf_counter()
    embedded = build_catalog_index(catalog_name, s)
    click.echo(f"fund index of {catalog_name or s.default_catalog}: {embedded} embedded")
    if knowledge:
        rep = build_knowledge_index(settings=s)
        click.echo(f"knowledge index: {rep.added} added, {rep.updated} updated, {rep.deleted} deleted, {rep.unchanged} unchanged, {rep.embedded} embedded")
    click.echo(f"{time.perf_counter() - t0:.1f}s")


@index.command("status")
@click.pass_context
def index_status(ctx: click.Context) -> None:
    """Where the index lives and what it holds."""
    from retrieval import catalog_names, knowledge_index, open_catalog

    s = _settings(ctx)
    click.echo(f"store: {s.chroma_url or s.chroma_dir}")
    try:
        click.echo(f"knowledge: {knowledge_index(s).count()} docs")
    except FinpilotError as exc:
        click.echo(f"knowledge: {exc}")
    for name in catalog_names(s):
        cat = open_catalog(name, s)
        try:
            click.echo(f"catalog {name}: {cat.index().count()} funds indexed of {len(cat.funds)}")
        except FinpilotError as exc:
            click.echo(f"catalog {name}: {exc}")


@cli.command()
@click.argument("query")
@click.option("--in", "where_in", type=click.Choice(["funds", "knowledge"]), default="funds", show_default=True)
@click.option("--catalog", "catalog_name", help="Catalog to search with --in funds (default: demo).")
@click.option("--mode", type=click.Choice(["hybrid", "dense", "lexical"]), default="hybrid", show_default=True)
@click.option("-k", "k", type=click.IntRange(1, 200), default=10, show_default=True)
@click.option("--where", "where_json", help='Metadata filter as JSON, e.g. \'{"fund_type": "bond", "risk_level": {"$lte": 2}}\'.')
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search(ctx: click.Context, query: str, where_in: str, catalog_name: str | None, mode: str, k: int, where_json: str | None, as_json: bool) -> None:
    """Search funds or knowledge documents by meaning, by words, or both (hybrid). QUERY is at most 500 characters."""
    from assistant.text import checked_input
    from retrieval import knowledge_index, open_catalog

    query = checked_input(query, what="query", limit=MAX_QUERY_CHARS, empty="say what to look for")
    s = _settings(ctx)
    where = None
    if where_json:
        try:
            where = json.loads(where_json)
        except json.JSONDecodeError as exc:
            raise FinpilotError(f"--where is not valid JSON: {exc.msg}") from None
        if not isinstance(where, dict):
            raise FinpilotError("--where must be a JSON object")
    idx = knowledge_index(s) if where_in == "knowledge" else open_catalog(catalog_name, s).index()
    try:
        hits = idx.search(query, k=k, where=where, mode=mode)  # type: ignore[arg-type]
    except FinpilotError as exc:
        # The index says "invalid filter: <Chroma's own words>" on every side; name the option the user typed.
        if where is None or not str(exc).startswith("invalid filter: "):
            raise
        raise FinpilotError(f"--where is not a filter the index accepts: {str(exc).removeprefix('invalid filter: ')}") from None
    if as_json:
        _echo_json([h.model_dump() for h in hits])
        return
    if not hits:
        click.echo("no results")
    for rank, hit in enumerate(hits, start=1):
        ranks = f"dense {hit.dense_rank or '-'}, lexical {hit.lexical_rank or '-'}"
        label = hit.metadata.get("title") or hit.metadata.get("name", "")
        click.echo(f"{rank:>2}. {hit.id}  {label}  ({mode} {hit.score:.4f}; {ranks})")

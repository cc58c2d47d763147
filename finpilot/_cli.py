"""The `finpilot` command: thin commands over the same public functions the UI calls."""

from __future__ import annotations

import csv
import json
import sys
import time
import unicodedata
from typing import Any

import click

from finpilot._errors import FinpilotError
from finpilot._settings import Settings, get_settings

_FORMATS = ("jsonl", "json", "csv")


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
    from assistant.text._pii import mask_logs

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


MAX_QUERY_CHARS = 500
"""The longest `finpilot search` query: as long as a fund request may be."""
EXAMPLE_FUND_QUERY = "稳健一点的债券基金，费率低"
EXAMPLE_KNOWLEDGE_QUERY = "A类和C类份额有什么区别，持有一年选哪个"


@cli.command()
@click.option("--query", default=EXAMPLE_FUND_QUERY, show_default=True, help="The example request to run.")
@click.option("--ui/--no-ui", "with_ui", default=True, show_default=True, help="Then start the app on 127.0.0.1 (Ctrl-C stops it).")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port of the app.")
@click.pass_context
def start(ctx: click.Context, query: str, with_ui: bool, port: int) -> None:
    """Prepare the embedded defaults (demo data, `demo` catalog, indexes), run one example request, start the app."""
    from retrieval import ensure_demo, knowledge_index

    s = _settings(ctx)
    t0 = time.perf_counter()
    click.echo(f"finpilot home: {s.home}", err=True)
    status = ensure_demo(s)
    cat = status.catalog
    click.echo(
        f"demo data: {'generated' if status.generated else 'present'} (seed {status.seed}, fictional); "
        f"catalog demo: {cat.loaded} funds ({cat.status}); knowledge: {status.knowledge.added + status.knowledge.updated + status.knowledge.unchanged} docs; "
        f"{time.perf_counter() - t0:.1f}s",
        err=True,
    )
    from assistant.funds import Advisor

    advisor = Advisor("demo", settings=s)
    click.echo(f"\nbackend: {advisor.backend.name} ({advisor.backend.model})\n\n> {query}")
    _print_answer(advisor.ask(query), show_citations=False)
    click.echo(f"\n> {EXAMPLE_KNOWLEDGE_QUERY}")
    for hit in knowledge_index(s).search(EXAMPLE_KNOWLEDGE_QUERY, k=3):
        click.echo(f"  [{hit.metadata['doc_id']}] {hit.metadata['title']} (as of {hit.metadata['as_of']})")
    click.echo("\nDemo data is fictional. Next: finpilot funds \"<your request>\" --risk-profile C3, or finpilot chat.")
    if with_ui:
        _serve_ui(s, "127.0.0.1", port, open_browser=True)


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
    import socket
    from pathlib import Path

    import ui

    app = Path(ui.__file__).resolve().parent / "app.py"
    with socket.socket() as probe:
        if probe.connect_ex((host if host != "0.0.0.0" else "127.0.0.1", port)) == 0:
            raise FinpilotError(f"port {port} on {host} is taken (is the app already running?): use --port")
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


def _fmt(value: Any, suffix: str = "") -> str:
    return "—" if value is None else f"{value:g}{suffix}" if isinstance(value, float) else f"{value}{suffix}"


def _width(text: str) -> int:
    """Terminal columns: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fund_line(fund: Any) -> str:
    risk = f"R{fund.risk_level}" if fund.risk_level else "R?"
    return f"{fund.code} {fund.name} [{fund.fund_type}, {risk}] 近1年 {_fmt(fund.return_1y, '%')} (as of {fund.as_of})"


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


@cli.group()
def models() -> None:
    """Model backends: what is configured, and checking a GGUF file."""


@models.command("list")
@click.pass_context
def models_list(ctx: click.Context) -> None:
    """The configured backend, the backend kinds there are, and GGUF files under home/models."""
    from assistant.backends import backend_usages

    s = _settings(ctx)
    click.echo(f"configured: {s.backend}")
    click.echo(f"backends: {', '.join(backend_usages())}")
    folder = s.home / "models"
    found = sorted(folder.glob("*.gguf")) if folder.is_dir() else []
    click.echo(f"models in {folder}: {', '.join(p.name for p in found) if found else 'none'}")


@models.command("check")
@click.argument("path")
@click.option("--json", "as_json", is_flag=True)
def models_check(path: str, as_json: bool) -> None:
    """Load a GGUF model and print its architecture, parameters, context length and chat template."""
    from assistant.backends._llama import LlamaBackend

    info = LlamaBackend(path, n_ctx=512).describe()
    if as_json:
        _echo_json(info)
        return
    template = info["chat_template"] or "none (llama.cpp falls back to its default)"
    click.echo(f"{info['file']}\n  name: {info['name']}\n  architecture: {info['architecture']}\n"
               f"  parameters: {info['parameters']:,}\n  context length: {info['context_length']:,}\n"
               f"  GPU offload in this build: {'yes' if info['gpu_offload'] else 'no'}\n  chat template: {template[:200]}")  # fmt: skip


@models.command("pull")
@click.argument("name")
@click.pass_context
def models_pull(ctx: click.Context, name: str) -> None:
    """Download a GGUF (NAME = REPO_ID/FILE.gguf) from the Hugging Face hub into home/models."""
    from assistant.backends import pull_model

    path = pull_model(name, _settings(ctx).home / "models")
    click.echo(f"downloaded {path}\nuse it with: --backend llama:{path}")


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
    from assistant.funds._answer import describe_filters

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
    from finpilot._errors import FinpilotError as Error

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
        tags = {c: ch.reach_tag for c, ch in planner.market.channels.items()}
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


@cli.group("eval")
def eval_group() -> None:
    """Evaluation: run suites against a backend, compare two runs, check and describe suite files."""


@eval_group.command("run")
@click.argument("suites_", metavar="[SUITE]...", nargs=-1)
@click.option("--backend", "backends", multiple=True,
              help="offline, fake, llama:PATH.gguf, openai:MODEL, or vector-baseline (the plain vector-search peer); "
                   "repeat to run several and see them side by side (default: settings.backend).")
@click.option("--catalog", "catalog_name", default="demo", show_default=True,
              help="Catalog for fund suites; demo is built on first use. demo-generated: the demo funds in memory, no index.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True, help="Cases run in parallel threads.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="eval/runs", show_default=True,
              help="Folder for run records, HTML reports and the partial file of an interrupted run.")
@click.option("--resume", is_flag=True, help="Continue the interrupted run of this backend in --out instead of starting over.")
@click.option("--gates", "gates_path", type=click.Path(dir_okay=False, exists=True), help="Thresholds file (default: eval/gates.toml).")
@click.option("--no-gates", is_flag=True, help="Report only; never exit 1 on a threshold.")
@click.option("--no-cache", is_flag=True, help="Do not reuse cached model answers (they are reused by default).")
@click.option("--judge", "judge_backend", help="Backend that judges model-written answers (majority of --judge-repeats votes).")
@click.option("--judge-repeats", type=click.IntRange(1, 15), default=3, show_default=True)
@click.option("--limit", type=click.IntRange(1), help="Only the first N cases of each suite: a smoke run of a slow backend.")
@click.option("--markdown", "markdown_path", type=click.Path(dir_okay=False), help="Also write the results table as Markdown here.")
@click.pass_context
def eval_run(ctx: click.Context, suites_: tuple[str, ...], backends: tuple[str, ...], catalog_name: str, jobs: int, out_dir: str,
             resume: bool, gates_path: str | None, no_gates: bool, no_cache: bool, judge_backend: str | None, judge_repeats: int,
             limit: int | None, markdown_path: str | None) -> None:  # fmt: skip
    """Run evaluation suites (default: all, plus Fin-Eva's when ../shared is there), write run records and HTML reports.

    SUITE is a suite file or a name: funds, campaigns, compliance, retrieval, fineva. Each backend gets one run record
    (JSON, every case with its inputs, outputs and scores) and one HTML report in --out; the console shows one table
    with a column per backend. Exits 1 when a threshold in the gates file fails.
    """
    from pathlib import Path

    from tqdm import tqdm

    from eval._cases import Suite, fineva_suites, suites
    from eval._gates import GATES, apply_gates, load_gates
    from eval._report import results_table, write_html
    from eval._runner import run_suites

    # Query embeddings are computed afresh for every system, so latencies compare fairly whatever ran first.
    s = _settings(ctx).model_copy(update={"cache_query_embeddings": False})
    if not no_cache:
        s = s.model_copy(update={"call_cache": True})
    chosen = _eval_suites(suites_, suites(), fineva_suites, Suite)
    if limit:
        chosen = [x.head(limit) for x in chosen]
    try:
        gates = {} if no_gates else load_gates(Path(gates_path) if gates_path else GATES)
    except ValueError as exc:
        raise FinpilotError(str(exc)) from None
    from assistant.backends import get_backend
    from eval._systems import BASELINE

    for backend in backends:
        if backend != BASELINE:
            get_backend(backend, s)  # a backend that cannot be had stops the run here, in one line, before any case
    judge = None
    if judge_backend:
        from eval._judge import Judge

        judge = Judge(judge_backend, repeats=judge_repeats, settings=s)
    out = Path(out_dir)
    records, failed_gates = [], []
    for backend in backends or (s.backend,):
        partial = out / f"{backend.replace(':', '_').replace('/', '_')[-60:]}.partial.jsonl"
        if partial.exists() and not resume:
            click.echo(f"an interrupted {backend} run in {partial} is replaced (use --resume to continue it)", err=True)
            partial.unlink()
        total = sum(len(x.cases) for x in chosen)
        try:
            with tqdm(total=total, desc=f"eval {backend}", unit=" cases", disable=None if s.progress else True, leave=False) as bar:
                record = run_suites(chosen, backend, catalog_name, s, jobs=jobs, progress=bar.update, partial=partial,
                                    show_progress=s.progress, judge=judge)  # fmt: skip
        except KeyboardInterrupt:
            click.echo(f"\ninterrupted; the finished cases are in {partial}. Continue with the same command and --resume.", err=True)
            raise SystemExit(130) from None
        except ValueError as exc:
            raise FinpilotError(str(exc)) from None
        record.gates = apply_gates(record.summary, backend, gates)
        path = out / f"{record.run_id}.json"
        path.write_text(record.model_dump_json(indent=1), encoding="utf-8")
        partial.unlink(missing_ok=True)
        records.append((record, path))
        failed_gates += [(backend, g) for g in record.gates if not g.passed]
    for record, path in records:
        others = [r for r, _ in records if r is not record]
        html = write_html(record, path.with_suffix(".html"), others)
        na = "; ".join(f"{k}: {v}" for k, v in record.not_applicable.items())
        click.echo(f"{record.backend}: {len(record.cases)} cases in {record.duration_s:g} s -> {path} and {html}" + (f" (not applicable: {na})" if na else ""), err=True)
    click.echo(results_table([r for r, _ in records]))
    if markdown_path:
        Path(markdown_path).write_text(results_table([r for r, _ in records], "markdown"), encoding="utf-8")
    for record, _ in records:
        if record.gates:
            bad = sum(not g.passed for g in record.gates)
            click.echo(f"gates for {record.backend}: {len(record.gates) - bad} passed, {bad} failed")
    for backend, g in failed_gates:
        click.echo(f"  FAILED [{backend}] {g.suite} {g.metric} = {g.value if g.value is not None else 'missing'} (needs {g.op} {g.threshold:g})")
    if failed_gates:
        raise SystemExit(1)


def _eval_suites(names: tuple[str, ...], files: list[Any], fineva: Any, suite_cls: Any) -> list[Any]:
    """Suites from arguments: files, or names (funds, campaigns, compliance, retrieval, fineva); all when none."""
    from pathlib import Path

    extra = fineva()
    if not names:
        return [suite_cls.from_file(p) for p in files] + extra
    out = []
    for name in names:
        path = Path(name)
        if path.is_file():
            try:
                out.append(suite_cls.from_file(path))
            except ValueError as exc:
                raise FinpilotError(str(exc)) from None
            continue
        hit = [suite_cls.from_file(p) for p in files if p.name.startswith(name)] + [x for x in extra if x.name.startswith(name) or x.kind.startswith(name)]
        if name == "fineva":
            hit = [x for x in extra if "fineva" in x.name]
            if not hit:
                raise FinpilotError("no Fin-Eva suites: ../shared/data/fineva is not beside this checkout")
        if not hit:
            raise FinpilotError(f"no suite {name!r}: give a file or one of funds, campaigns, compliance, retrieval, fineva")
        out += [h for h in hit if h.name not in {o.name for o in out}]
    return out


@eval_group.command("compare")
@click.argument("run_a", type=click.Path(dir_okay=False, exists=True))
@click.argument("run_b", type=click.Path(dir_okay=False, exists=True))
@click.option("--alpha", type=float, default=0.05, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def eval_compare(run_a: str, run_b: str, alpha: float, as_json: bool) -> None:
    """Compare run B with run A case by case; exits 1 when B is significantly worse (McNemar or a paired bootstrap)."""
    from pathlib import Path

    from eval._runner import RunRecord, compare_runs

    a = RunRecord.model_validate_json(Path(run_a).read_text(encoding="utf-8"))
    b = RunRecord.model_validate_json(Path(run_b).read_text(encoding="utf-8"))
    try:
        result = compare_runs(a, b, alpha)
    except ValueError as exc:
        raise FinpilotError(str(exc)) from None
    if as_json:
        click.echo(result.model_dump_json(indent=2))
    else:
        m = result.mcnemar
        click.echo(f"{result.paired_cases} paired cases; pass->fail {m['b01']}, fail->pass {m['b10']}, McNemar p = {m['p_value']:.4g} ({m['method']})")
        for key, s in result.scores.items():
            click.echo(f"  {key:<26} A {s['mean_a']:.4f}  B {s['mean_b']:.4f}  delta {s['delta']:+.4f}  CI [{s['low']:+.4f}, {s['high']:+.4f}]{'  *' if s['significant'] else ''}")
        for label, cases in (("pass -> fail", result.pass_to_fail), ("fail -> pass", result.fail_to_pass)):
            if cases:
                click.echo(f"{label}: {', '.join(cases[:30])}{' …' if len(cases) > 30 else ''}")
        click.echo("REGRESSION: B is significantly worse" if result.regression else "no significant regression")
    if result.regression:
        raise SystemExit(1)


@eval_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, exists=True))
def eval_check(paths: tuple[str, ...]) -> None:
    """Validate suite files (default: every suite under eval/suites) against their case models."""
    from pathlib import Path

    from eval._cases import load_suite, suites

    files = [Path(p) for p in paths] or suites()
    for path in files:
        try:
            cases = load_suite(path)
        except ValueError as exc:
            raise FinpilotError(str(exc)) from None
        click.echo(f"{path.name}: {len(cases)} cases ok")


@eval_group.command("train-screen")
@click.option("--max-false", type=click.FloatRange(0, 0.2), default=0.01, show_default=True,
              help="The share of the dev split's legitimate requests the rules and the screen together may refuse.")
@click.option("--out", type=click.Path(dir_okay=False), help="Where to write the model (default: the shipped assistant/safety/screen.json).")
def eval_train_screen(max_false: float, out: str | None) -> None:
    """Train the learned refusal screen on the labelled requests and choose its threshold on a dev split.

    Reads eval/suites/compliance_own.jsonl, eval/training/safety_requests.jsonl, Fin-Eva's labelled rows (when
    ../shared is present) and a sample of legitimate briefs; never eval/holdout/. Prints the dev split's figures.
    """
    from pathlib import Path

    from eval._screen_train import train_screen

    report = train_screen(Path(out) if out else None, max_false=max_false, progress=lambda line: click.echo(line, err=True))
    click.echo(f"wrote {report.path}: threshold {report.threshold:.3f}")
    d = report.dev
    click.echo(f"dev split: {d['adversarial']:.0f} adversarial, {d['legitimate']:.0f} legitimate; rules alone refuse {d['rules_refused']:.1%} "
               f"(false {d['rules_false_refused']:.1%}); rules + screen refuse {d['refused']:.1%} (false {d['false_refused']:.1%})")


@eval_group.command("schema")
@click.option("--out", type=click.Path(file_okay=False), default="eval/schemas", show_default=True)
def eval_schema(out: str) -> None:
    """Write one JSON schema per case kind, so editors check suite files as they are written."""
    from pathlib import Path

    from eval._cases import write_schemas

    for path in write_schemas(Path(out)):
        click.echo(str(path))


@eval_group.command("slots")
@click.option("--suite", type=click.Path(dir_okay=False, exists=True), help="A fund-request suite (default: eval/suites/funds.jsonl).")
@click.option("--split", type=click.Choice(["all", "dev", "held-out"]), default="all", show_default=True,
              help="dev = odd-numbered cases (used while building the parser), held-out = even-numbered (never looked at).")
@click.option("--failures", type=int, default=0, show_default=True, help="List this many mis-parsed requests.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.pass_context
def eval_slots(ctx: click.Context, suite: str | None, split: str, failures: int, as_json: bool) -> None:
    """Slot accuracy of the offline fund-request parser: per-field precision, recall, F1 and exact-match rate."""
    from pathlib import Path

    from assistant.funds import Advisor, FundTable, parse_request
    from eval import load_fund_cases, score_clarifications, score_slots
    from retrieval._demo import generate_funds

    cases = load_fund_cases(Path(suite) if suite else None)
    if split != "all":
        cases = [c for c in cases if (int("".join(ch for ch in c.id if ch.isdigit()) or 0) % 2 == 1) == (split == "dev")]
    # The suite names the demo catalog's companies; the parser learns company names from the catalog it serves.
    companies = FundTable(generate_funds(_settings(ctx).demo_seed)).companies
    scores = score_slots(cases, lambda c: parse_request(c.request, companies).query)
    advisor = Advisor("demo", funds=generate_funds(_settings(ctx).demo_seed), settings=_settings(ctx), backend="offline")

    def asks(case: Any) -> bool:
        try:
            return advisor.ask(case.request, investor_grade=case.investor_grade).clarification is not None
        except FinpilotError:
            return False

    clarify = score_clarifications(cases, asks)
    if as_json:
        click.echo(json.dumps({"slots": scores.model_dump(), "clarifications": clarify.model_dump()}, ensure_ascii=False, indent=2))
        return
    click.echo(f"{scores.cases} requests ({split}): exact {scores.exact:.1%}, micro P {scores.micro_precision:.3f} "
               f"R {scores.micro_recall:.3f} F1 {scores.micro_f1:.3f}")  # fmt: skip
    click.echo(f"{'field':<20}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}")
    for field, m in scores.per_field.items():
        click.echo(f"{field:<20}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}{int(m['support']):>6}")
    click.echo(f"clarifying questions: asked for {clarify.asked_when_vague:.1%} of {clarify.vague} vague requests, "
               f"and for {clarify.asked_when_clear:.1%} of {clarify.clear} others")  # fmt: skip
    for f in scores.failures[:failures]:
        click.echo(f"\n{f['id']} {f['request']}")
        for field, w in f["wrong"].items():
            click.echo(f"   {field}: expected {w['expected']}, got {w['got']}")


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
        hint = f" (see `{exc.ctx.command_path} --help`)" if getattr(exc, "ctx", None) else ""
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

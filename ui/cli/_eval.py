"""Evaluation: `eval run/list/compare/check/train-screen/schema/slots`."""

from __future__ import annotations

import json
from typing import Any

import click

from finpilot import FinpilotError
from ui.cli._root import _echo_json, _settings, cli


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
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Also copy each run record and its HTML report here (they are always saved in the run store, FINPILOT_HOME/runs).")
@click.option("--resume", is_flag=True, help="Continue the interrupted run of this backend (kept in the run store) instead of starting over.")
@click.option("--gates", "gates_path", type=click.Path(dir_okay=False, exists=True), help="Thresholds file (default: eval/gates.toml).")
@click.option("--no-gates", is_flag=True, help="Report only; never exit 1 on a threshold.")
@click.option("--no-cache", is_flag=True, help="Do not reuse cached model answers (they are reused by default).")
@click.option("--judge", "judge_backend", help="Backend that judges model-written answers (majority of --judge-repeats votes).")
@click.option("--judge-repeats", type=click.IntRange(1, 15), default=3, show_default=True)
@click.option("--limit", type=click.IntRange(1),
              help="Only the first N cases of each suite: a smoke run of a slow backend (gates are shown, not held: they apply to full runs).")
@click.option("--markdown", "markdown_path", type=click.Path(dir_okay=False), help="Also write the results table as Markdown here.")
@click.pass_context
def eval_run(ctx: click.Context, suites_: tuple[str, ...], backends: tuple[str, ...], catalog_name: str, jobs: int, out_dir: str | None,
             resume: bool, gates_path: str | None, no_gates: bool, no_cache: bool, judge_backend: str | None, judge_repeats: int,
             limit: int | None, markdown_path: str | None) -> None:  # fmt: skip
    """Run evaluation suites (default: all, plus Fin-Eva's when ../shared is there), save run records and HTML reports.

    SUITE is a suite file or a name: funds, campaigns, compliance, retrieval, fineva. Each backend gets one run record
    (JSON, every case with its inputs, outputs and scores) and one HTML report in the run store (FINPILOT_HOME/runs,
    listed by `eval list` and the QA page); the console shows one table with a column per backend. Exits 1 when a
    threshold in the gates file fails on a full run.
    """
    from pathlib import Path

    from tqdm import tqdm

    from eval import BASELINE, RunStore, Suite, fineva_suites, load_gates, results_table, suites, write_html

    # Query embeddings are computed afresh for every system, so latencies compare fairly whatever ran first.
    s = _settings(ctx).model_copy(update={"cache_query_embeddings": False})
    if not no_cache:
        s = s.model_copy(update={"call_cache": True})
    chosen = _eval_suites(suites_, suites(), fineva_suites, Suite)
    if limit:
        chosen = [x.head(limit) for x in chosen]
    try:
        gates = {} if no_gates else load_gates(Path(gates_path) if gates_path else None)
    except ValueError as exc:
        raise FinpilotError(str(exc)) from None
    from assistant.backends import get_backend

    for backend in backends:
        if backend != BASELINE:
            get_backend(backend, s)  # a backend that cannot be had stops the run here, in one line, before any case
    judge = None
    if judge_backend:
        from eval import Judge

        judge = Judge(judge_backend, repeats=judge_repeats, settings=s)
    store = RunStore(s)
    copies = RunStore(s, root=Path(out_dir)) if out_dir else None
    records = []
    for backend in backends or (s.backend,):
        partial = store.partial(backend)
        if partial.exists() and not resume:
            click.echo(f"an interrupted {backend} run in {partial} is replaced (use --resume to continue it)", err=True)
        total = sum(len(x.cases) for x in chosen)
        try:
            with tqdm(total=total, desc=f"eval {backend}", unit=" cases", disable=None if s.progress else True, leave=False) as bar:
                record, path = store.run(chosen, backend, catalog_name, gates=gates, resume=resume, jobs=jobs, progress=bar.update,
                                         show_progress=s.progress, judge=judge)  # fmt: skip
        except KeyboardInterrupt:
            click.echo(f"\ninterrupted; the finished cases are in {partial}. Continue with the same command and --resume.", err=True)
            raise SystemExit(130) from None
        except ValueError as exc:
            raise FinpilotError(str(exc)) from None
        records.append((record, path))
    for record, path in records:
        others = [r for r, _ in records if r is not record]
        html = write_html(record, path.with_suffix(".html"), others)
        copied = ""
        if copies is not None:
            # A copy of its own: should the folder already hold that run id, only the copy is renamed.
            copy = record.model_copy()
            at = copies.save(copy)
            write_html(copy, at.with_suffix(".html"), others)
            copied = f"; copied to {at}"
        na = "; ".join(f"{k}: {v}" for k, v in record.not_applicable.items())
        click.echo(f"{record.backend}: {len(record.cases)} cases in {record.duration_s:g} s -> {path} and {html}{copied}" + (f" (not applicable: {na})" if na else ""), err=True)
    click.echo(results_table([r for r, _ in records]))
    if markdown_path:
        Path(markdown_path).write_text(results_table([r for r, _ in records], "markdown"), encoding="utf-8")
    for record, _ in records:
        if record.gates and record.limit is not None:
            click.echo(f"gates for {record.backend}: not gated (a limited run, the first {record.limit} cases of each suite: gates apply to full runs)")
        elif record.gates:
            bad = sum(g.failed for g in record.gates)
            click.echo(f"gates for {record.backend}: {len(record.gates) - bad} passed, {bad} failed")
    failed_gates = [(record.backend, g) for record, _ in records for g in record.gates if g.failed]
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


@eval_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="The runs as a JSON list (key, run id, started, backend, cases, limit, path).")
@click.pass_context
def eval_list(ctx: click.Context, as_json: bool) -> None:
    """The saved runs in the run store (FINPILOT_HOME/runs), newest first: the runs the QA page lists."""
    from eval import RunStore

    store = RunStore(_settings(ctx))
    runs = store.runs()
    if as_json:
        _echo_json([{"key": r.key, **r.model_dump(mode="json", exclude={"mtime_ns", "size"})} for r in runs])
        return
    if not runs:
        click.echo(f"no saved runs in {store.root}", err=True)
        return
    for r in runs:
        limited = f"  first {r.limit} per suite" if r.limit else ""
        click.echo(f"{r.key}  {r.started}  {r.backend}  {r.cases} cases{limited}")


@eval_group.command("compare")
@click.argument("run_a")
@click.argument("run_b")
@click.option("--alpha", type=float, default=0.05, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def eval_compare(ctx: click.Context, run_a: str, run_b: str, alpha: float, as_json: bool) -> None:
    """Compare run B with run A case by case; exits 1 when B is significantly worse (McNemar or a paired bootstrap).

    RUN_A and RUN_B are run record files or run ids in the run store (`eval list` shows them).
    """
    from eval import RunStore, compare_runs

    store = RunStore(_settings(ctx))
    a, b = store.load(run_a), store.load(run_b)
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

    from eval import load_suite, suites

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

    from eval import train_screen

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

    from eval import write_schemas

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
    from retrieval import generate_funds

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


@eval_group.command("learning")
@click.option("--half", type=click.Choice(["tuned", "blind", "both"]), default="both", show_default=True,
              help="tuned: scenarios drawn from a seed (what the reviewer and the model were developed on); blind: "
                   "eval/learning/blind.toml, written by someone who never saw the response model. Reported apart.")
@click.option("--review-seeds", type=click.IntRange(1, 20), default=1, show_default=True,
              help="Draws of every scenario for the review's coverage and A/B checks, at least as many as make 220 campaigns.")
@click.option("--json", "as_json", is_flag=True, help="Print the full results as JSON.")
@click.pass_context
def eval_learning(ctx: click.Context, half: str, review_seeds: int, as_json: bool) -> None:
    """The learning loop on simulated campaigns (fixed seeds), scored against the response model's truth: how often
    the review's 95% lift interval covers the true lift, the A/B false-positive rate where A and B are the same,
    and uplift targeting against rule-only (incremental conversions per yuan, Qini, calibration). Saves the result
    under FINPILOT_HOME/runs/learning-*.json; exits 1 when coverage leaves 93–97%, the false-positive rate's
    interval excludes alpha, uplift targeting does not beat rule-only per yuan (all tasks together, its interval above 1),
    the model's Qini is not above a random ranking's, or any targeted user breaks a safety rule."""
    from datetime import datetime

    from eval import run_learning_eval

    s = _settings(ctx)
    halves = ["tuned", "blind"] if half == "both" else [half]
    failed = []
    results = {}
    for h in halves:
        click.echo(f"learning eval, {h} half: simulating, reviewing, training and targeting (a few minutes)…", err=True)
        r = run_learning_eval(h, review_seeds=review_seeds)
        results[h] = r
        failed += [f"{h}: {f}" for f in _learning_failures(r)]
    folder = s.home / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"learning-{datetime.now():%Y%m%dT%H%M%S}-{half}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    if as_json:
        _echo_json(results)
    else:
        for h, r in results.items():
            click.echo(_learning_table(h, r))
        click.echo(f"saved {path}")
    for f in failed:
        click.echo(f"FAILED {f}", err=True)
    if failed:
        raise SystemExit(1)


def _learning_failures(r: dict[str, Any]) -> list[str]:
    out = []
    cov = r["review"]["coverage"][0]
    if not 0.93 <= cov <= 0.97:
        out.append(f"coverage {cov:.1%} outside 93–97%")
    fpr = r["review"]["false_positive_rate"]
    if fpr and not fpr[1] <= 0.05 <= fpr[2]:
        out.append(f"A/B false-positive rate {fpr[0]:.1%} [{fpr[1]:.1%}, {fpr[2]:.1%}] excludes alpha 5%")
    learning = r["learning"]
    pooled = learning["pooled_per_yuan"]
    if pooled is None or pooled["ratio"][1] <= 1.0:
        out.append("uplift targeting does not beat rule-only in incremental conversions per yuan (all tasks together, 95% interval)")
    if learning["qini_model"][0] <= learning["qini_random"][0]:
        out.append("the model's Qini is not above a random ranking's")
    if learning["unsafe"]:
        out.append(f"{learning['unsafe']} targeted users broke a safety rule")
    return out


def _learning_table(half: str, r: dict[str, Any]) -> str:
    def ci(t: Any, fmt: str = "{:.3f}") -> str:
        return "—" if t is None else f"{fmt.format(t[0])} [{fmt.format(t[1])}, {fmt.format(t[2])}]"

    rv, ln = r["review"], r["learning"]
    rows = [
        ("campaigns reviewed", f"{rv['campaigns']}"),
        ("95% lift interval covers the truth", ci(rv["coverage"], "{:.1%}")),
        ("A/B false positives (A = B, at planned size)", f"{ci(rv['false_positive_rate'], '{:.1%}')} of {rv['ab_null_reads']}"),
        ("A/B calls where A ≠ B", f"{ci(rv['alt_call_rate'], '{:.1%}')} of {rv['ab_alt_reads']}"),
        ("targeting tasks", f"{ln['tasks']}"),
        ("incremental conversions per 1,000 yuan, uplift", ci(ln["per_yuan_uplift"] and [x * 1000 for x in ln["per_yuan_uplift"]], "{:.2f}")),
        ("incremental conversions per 1,000 yuan, rule-only", ci(ln["per_yuan_rule"] and [x * 1000 for x in ln["per_yuan_rule"]], "{:.2f}")),
        ("per-yuan gain (uplift / rule-only), mean over tasks", f"{ci(ln['gain_ratio'], '{:.2f}')}; uplift better in {ln['uplift_beats_rule']} of {ln['tasks']}"),
        ("all tasks together, per 1,000 yuan: uplift", ci(ln["pooled_per_yuan"] and [x * 1000 for x in ln["pooled_per_yuan"]["uplift"]], "{:.2f}")),
        ("all tasks together, per 1,000 yuan: rule-only", ci(ln["pooled_per_yuan"] and [x * 1000 for x in ln["pooled_per_yuan"]["rule"]], "{:.2f}")),
        ("all tasks together: uplift / rule-only", ci(ln["pooled_per_yuan"] and ln["pooled_per_yuan"]["ratio"], "{:.2f}")),
        ("Qini coefficient, model", ci(ln["qini_model"])),
        ("Qini coefficient, random ranking", ci(ln["qini_random"])),
        ("targeted users breaking a safety rule", f"{ln['unsafe']}"),
    ]
    width = max(len(k) for k, _ in rows)
    lines = [f"{half} half"] + [f"  {k.ljust(width)}  {v}" for k, v in rows]
    cal = ln.get("calibration") or []
    if cal:
        lines.append("  calibration (decile: predicted -> observed uplift): " + ", ".join(
            f"{c['decile']}: {c['predicted']:+.3%} -> {c['observed']:+.3%}" for c in cal))
    return "\n".join(lines)

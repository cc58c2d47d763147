"""The QA dashboard: run evaluation suites, read the results and gates, drill into single cases, compare two runs.

Runs are saved in the run store (eval's `RunStore`: FINPILOT_HOME/runs), where `finpilot eval run` saves its runs
too, so runs from the console and from the dashboard are listed and compared with each other.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from finpilot import FinpilotError, get_settings
from ui._common import backend_choices, current_backend, t, tr

if TYPE_CHECKING:
    from eval import RunStore, StoredRun

SCORE_COLUMNS = 6
"""Scores shown as columns in the case list; the case's JSON always has all of them."""


# --- saved runs ------------------------------------------------------------------------------------------------------


def run_store() -> RunStore:
    """The run store of the current settings' home (read at every render, so a changed FINPILOT_HOME is followed)."""
    from eval import RunStore

    return RunStore(eval_settings())


def run_label(run: StoredRun) -> str:
    """Run id, backend and number of cases, and that it was limited."""
    limited = f" · {tr(f'每个评测集前 {run.limit} 例', f'first {run.limit} per suite')}" if run.limit else ""
    return f"{run.run_id} · {run.backend} · {run.cases} {tr('例', 'cases')}{limited}"


# --- suites and running ----------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _suites(stamp: tuple[tuple[str, int], ...]) -> tuple[Any, ...]:
    from eval import Suite, fineva_suites, suites

    return tuple([Suite.from_file(p) for p in suites()] + fineva_suites())


def available_suites() -> dict[str, Any]:
    """Suite name -> Suite: every file under eval/suites, plus Fin-Eva's when ../shared is there."""
    from eval import fineva_folder, suites

    files = list(suites())
    fineva = fineva_folder()
    if fineva is not None:
        files += sorted(fineva.iterdir())
    # Validating a thousand cases takes a moment; they are read again only when a suite file changes.
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in files)
    return {s.name: s for s in _suites(stamp)}


def eval_settings() -> Any:
    """The settings `finpilot eval run` uses: query embeddings computed afresh, model calls cached."""
    return get_settings().model_copy(update={"cache_query_embeddings": False, "call_cache": True})


def _run(chosen: list[Any], backend: str, catalog: str, store: RunStore) -> str | None:
    """Run the suites with a progress bar, gate and save the record; its key, or None (and one error line) on failure."""
    from assistant.backends import get_backend
    from eval import BASELINE, load_gates

    try:
        if backend != BASELINE:
            get_backend(backend, store.settings)  # a backend that cannot be had stops here, before any case
        gates = load_gates()
    except (FinpilotError, ValueError) as exc:
        st.error(f"{t('error')}{exc}")
        return None
    total = sum(len(s.cases) for s in chosen)
    bar = st.progress(0.0, text=tr(f"正在评测：0/{total} 例", f"Running: 0/{total} cases"))
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        bar.progress(
            min(done / total, 1.0) if total else 1.0,
            text=tr(f"正在评测：{done}/{total} 例", f"Running: {done}/{total} cases"),
        )

    try:
        # Not resumable: a page's run must not drop or continue an interrupted console run of the same backend.
        record, path = store.run(chosen, backend, catalog, gates=gates, resumable=False, progress=step)
    except (FinpilotError, ValueError) as exc:
        bar.empty()
        st.error(f"{t('error')}{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
        return None
    bar.progress(
        1.0,
        text=tr(
            f"完成：{done}/{total} 例，用时 {record.duration_s:g} 秒",
            f"Done: {done}/{total} cases in {record.duration_s:g} s",
        ),
    )
    failed = sum(not c.passed for c in record.cases)
    st.success(
        tr(
            f"已保存运行 {record.run_id}：{len(record.cases)} 例，{failed} 例未通过。",
            f"Saved run {record.run_id}: {len(record.cases)} cases, {failed} failed.",
        )
    )
    if record.not_applicable:
        st.info(tr("不适用：", "Not applicable: ") + "; ".join(f"{k}: {v}" for k, v in record.not_applicable.items()))
    return path.stem


def _run_section(store: RunStore) -> None:
    from eval import BASELINE, GENERATED
    from retrieval import catalog_names

    try:
        by_name = available_suites()
    except ValueError as exc:  # a suite file with a bad line: the CLI's `eval check` names it too
        st.error(f"{t('error')}{exc}")
        return
    names = list(by_name)
    chosen = st.multiselect(tr("评测集", "Suites"), names, default=names, key="qa_suites")
    left, middle, right = st.columns(3)
    sidebar = current_backend()
    backends = list(dict.fromkeys([sidebar, *backend_choices(), BASELINE]))
    # Labels are worked out here, not inside format_func: that may be called outside the run, where tr() has no session.
    peer = tr("向量检索对照", "plain vector-search peer")
    backend = left.selectbox(
        tr("后端", "Backend"),
        backends,
        key="qa_backend",
        format_func=lambda b: f"{b} ({peer})" if b == BASELINE else b,
        help=tr(
            "默认为侧边栏所选后端；vector-baseline 是只做向量检索的对照系统。",
            "Defaults to the sidebar's backend; vector-baseline is the plain vector-search peer.",
        ),
    )
    catalogs = list(dict.fromkeys(["demo", *catalog_names(get_settings()), GENERATED]))
    catalog = middle.selectbox(
        tr("基金目录", "Catalog"),
        catalogs,
        key="qa_catalog",
        help=tr("只有基金类评测集会读取目录。", "Only fund suites read the catalog."),
    )
    limit = int(
        right.number_input(
            tr("每个评测集只跑前 N 例（0 = 全部）", "First N cases per suite (0 = all)"),
            min_value=0,
            value=0,
            step=1,
            key="qa_limit",
        )
    )
    picked = [by_name[n].head(limit) if limit else by_name[n] for n in chosen]
    total = sum(len(s.cases) for s in picked)
    st.caption(
        tr(
            f"将运行 {len(picked)} 个评测集，共 {total} 例；记录保存在 {store.root}",
            f"{len(picked)} suites, {total} cases; records are saved in {store.root}",
        )
    )
    if any(s.limit is not None for s in picked):
        st.caption(
            tr(
                f"每个评测集只跑前 {limit} 例：门槛只对完整运行适用，这次运行的门槛显示为“不计入门槛”，不算未通过。",
                f"Only the first {limit} cases of each suite: gates apply to full runs, so this run's gates show as "
                "not gated, never as failed.",
            )
        )
    if st.button(tr("运行", "Run"), key="qa_run", type="primary", disabled=not picked):
        key = _run(picked, backend, catalog, store)
        if key is not None:
            # The new run is what the person wants to see next: in the table and in the case list.
            st.session_state["qa_table_runs"] = [key]
            st.session_state["qa_drill_run"] = key


# --- results ---------------------------------------------------------------------------------------------------------

# Tables sit in keyed containers: a dataframe's own key is not exposed to AppTest, a container's is.


def summary_frame(records: list[Any]) -> pd.DataFrame:
    """One row per suite and metric, one column per run (headed by its backend, or its run id when backends repeat)."""
    # The same row order and column labels as the HTML report and the console table.
    from eval import summary_rows

    labels, table = summary_rows(records)
    rows = [[suite, metric, *values] for suite, metric, values in table]
    return pd.DataFrame(rows, columns=["suite", "metric", *labels])


def _value(v: float | None) -> str:
    return "—" if v is None else f"{v:.4g}"


def _gates(record: Any, label: str, gates: dict[str, Any]) -> None:
    from eval import gate_run

    # Records written without gates (a test, an older run) are held to the current gates file, limited ones are not.
    results = record.gates or gate_run(record, gates)
    if not results:
        st.caption(tr(f"{label}：此后端没有设门槛。", f"{label}: no gates for this backend."))
        return
    if not any(g.gated for g in results):
        # The first few cases of a suite are no release bar: a miss here is shown, never called a failure.
        not_gated = f":gray-badge[{tr('不计入门槛', 'not gated')}]"
        lines = [
            f"**{label}** {not_gated} · "
            + tr(
                f"每个评测集只跑了前 {record.limit} 例：门槛只对完整运行适用。",
                f"A limited run (the first {record.limit} cases of each suite): gates apply to full runs.",
            )
        ]
        lines += [f"- {not_gated} {_gate_line(g)}" for g in results]
        st.markdown("\n".join(lines))
        return
    bad = sum(g.failed for g in results)
    head = f":red-badge[{bad} {tr('项未通过', 'failed')}]" if bad else f":green-badge[{tr('全部通过', 'all passed')}]"
    lines = [f"**{label}** {head} · {len(results) - bad}/{len(results)} {tr('项通过', 'passed')}"]
    # Failures first: they are what a person opens this list for.
    for g in sorted(results, key=lambda g: not g.failed):
        badge = f":red-badge[{tr('未通过', 'fail')}]" if g.failed else f":green-badge[{tr('通过', 'pass')}]"
        lines.append(f"- {badge} {_gate_line(g)}")
    st.markdown("\n".join(lines))


def _gate_line(g: Any) -> str:
    return f"`{g.suite}` {g.metric} = {_value(g.value)} ({tr('要求', 'needs')} {g.op} {g.threshold:g})"


def _results_section(store: RunStore, runs: list[StoredRun]) -> None:
    from eval import load_gates, render_html, results_table

    st.subheader(tr("结果", "Results"))
    if not runs:
        st.info(tr("还没有保存的运行记录：选好评测集后点“运行”。", "No saved runs yet: pick suites and press Run."))
        return
    by_key = {r.key: r for r in runs}
    labels = {r.key: run_label(r) for r in runs}
    # Set before the widget exists (never as its default too): files may have gone, and a new run selects itself.
    st.session_state["qa_table_runs"] = [k for k in st.session_state.get("qa_table_runs", [runs[0].key]) if k in by_key]
    keys = st.multiselect(
        tr("显示的运行（每次运行一列）", "Runs shown (a column each)"),
        list(by_key),
        key="qa_table_runs",
        format_func=labels.__getitem__,
    )
    if not keys:
        st.info(tr("选择至少一次运行。", "Pick at least one run."))
        return
    records = [store.load(by_key[k]) for k in keys]
    table = summary_frame(records)
    st.container(key="qa_summary").dataframe(table, hide_index=True)
    st.markdown(f"**{tr('门槛', 'Gates')}**")
    try:
        gates = load_gates()
    except ValueError as exc:
        st.warning(f"{t('error')}{exc}")
        gates = {}
    for record, label in zip(records, table.columns[2:], strict=True):
        _gates(record, label, gates)
    first, rest = records[0], records[1:]
    a, b = st.columns(2)
    # The page is built only when the button is pressed: a full run's report is megabytes.
    a.download_button(
        tr("下载 HTML 报告", "Download the HTML report"),
        data=lambda: render_html(first, rest),
        file_name=f"{first.run_id}.html",
        mime="text/html",
        key="qa_html",
        on_click="ignore",
    )
    b.download_button(
        tr("下载 Markdown 表格", "Download the Markdown table"),
        data=results_table(records, "markdown"),
        file_name="results.md",
        mime="text/markdown",
        key="qa_markdown",
        on_click="ignore",
    )


# --- cases -----------------------------------------------------------------------------------------------------------


def cases_frame(cases: list[Any]) -> pd.DataFrame:
    """id, passed, the suite's first scores, latency and error, one row per case."""
    from eval import metric_order

    keys = sorted({k for c in cases for k in c.scores}, key=metric_order)[:SCORE_COLUMNS]
    rows = [[c.id, c.passed, *(c.scores.get(k) for k in keys), c.latency_ms, c.error] for c in cases]
    return pd.DataFrame(rows, columns=["id", "passed", *keys, "latency_ms", "error"])


def _cases_section(store: RunStore, runs: list[StoredRun]) -> None:
    if not runs:
        st.info(tr("还没有保存的运行记录。", "No saved runs yet."))
        return
    by_key = {r.key: r for r in runs}
    labels = {r.key: run_label(r) for r in runs}
    if st.session_state.get("qa_drill_run") not in by_key:
        st.session_state["qa_drill_run"] = runs[0].key
    key = st.selectbox(tr("运行", "Run"), list(by_key), key="qa_drill_run", format_func=labels.__getitem__)
    record = store.load(by_key[key])
    suites = list(dict.fromkeys(c.suite for c in record.cases))
    if not suites:
        st.info(tr("这次运行没有用例。", "This run has no cases."))
        return
    left, right = st.columns([3, 1])
    suite = left.selectbox(tr("评测集", "Suite"), suites, key="qa_drill_suite")
    failures = right.checkbox(tr("只看未通过", "Failures only"), key="qa_drill_failed")
    mine = [c for c in record.cases if c.suite == suite]
    shown = [c for c in mine if not (failures and c.passed)]
    failed = sum(not c.passed for c in mine)
    st.caption(
        tr(
            f"显示 {len(shown)}/{len(mine)} 例；{failed} 例未通过",
            f"{len(shown)}/{len(mine)} cases shown; {failed} failed",
        )
    )
    if not shown:
        st.success(tr("这个评测集没有未通过的用例。", "No failures in this suite."))
        return
    st.container(key="qa_cases").dataframe(cases_frame(shown), hide_index=True)
    by_id = {c.id: c for c in shown}
    case = by_id[
        st.selectbox(
            tr("查看用例", "Case"),
            list(by_id),
            key="qa_case",
            format_func=lambda i: f"{i} {'✅' if by_id[i].passed else '❌'}",
        )
    ]
    if case.error:
        st.error(case.error)
    cols = st.columns(3)
    for col, title, value in zip(
        cols,
        (tr("输入", "Input"), tr("输出", "Output"), tr("得分", "Scores")),
        (case.input, case.output, case.scores),
        strict=True,
    ):
        col.markdown(f"**{title}**")
        col.json(value)


# --- comparison ------------------------------------------------------------------------------------------------------


def deltas_frame(comparison: Any) -> pd.DataFrame:
    """Per score: both means, the change, its bootstrap interval, and whether it is significant and which way."""
    from eval import LOWER_IS_BETTER

    rows = []
    for metric, s in comparison.scores.items():
        mark = ""
        if s["significant"]:
            worse = s["delta"] > 0 if metric in LOWER_IS_BETTER else s["delta"] < 0
            mark = tr("✱ 变差", "✱ worse") if worse else tr("✱ 变好", "✱ better")
        rows.append([metric, s["mean_a"], s["mean_b"], s["delta"], s["low"], s["high"], mark])
    return pd.DataFrame(rows, columns=["metric", "A", "B", "delta", "ci_low", "ci_high", tr("显著", "significant")])


def _show_comparison(comparison: Any, a: StoredRun, b: StoredRun) -> None:
    m = comparison.mcnemar
    if comparison.regression:
        st.error(
            tr(
                f"结论：回归。B（{b.run_id}）明显差于 A（{a.run_id}）。",
                f"Verdict: regression. B ({b.run_id}) is significantly worse than A ({a.run_id}).",
            )
        )
    else:
        st.success(tr("结论：没有显著回归。", "Verdict: no significant regression."))
    if comparison.paired_cases < max(a.cases, b.cases):
        st.warning(
            tr(
                f"只有 {comparison.paired_cases} 例两次运行都有，只比较这些。",
                f"Only {comparison.paired_cases} cases are in both runs; only they are compared.",
            )
        )
    cols = st.columns(4)
    cols[0].metric(tr("配对用例", "Paired cases"), comparison.paired_cases)
    cols[1].metric(tr("通过→未通过 (b01)", "pass→fail (b01)"), m["b01"])
    cols[2].metric(tr("未通过→通过 (b10)", "fail→pass (b10)"), m["b10"])
    cols[3].metric("McNemar p", f"{m['p_value']:.4g}", help=tr(f"检验方法：{m['method']}", f"Method: {m['method']}"))
    if comparison.scores:
        st.container(key="qa_deltas").dataframe(deltas_frame(comparison), hide_index=True)
    left, right = st.columns(2)
    for col, title, ids, key in (
        (left, tr("通过→未通过", "pass → fail"), comparison.pass_to_fail, "qa_lost"),
        (right, tr("未通过→通过", "fail → pass"), comparison.fail_to_pass, "qa_won"),
    ):
        col.markdown(f"**{title}** ({len(ids)})")
        if ids:
            col.container(key=key).dataframe(pd.DataFrame({"case": ids}), hide_index=True)


def _compare_section(store: RunStore, runs: list[StoredRun]) -> None:
    from eval import compare_runs

    if len(runs) < 2:
        st.info(tr("至少需要两次保存的运行才能对比。", "Comparing needs two saved runs."))
        return
    by_key = {r.key: r for r in runs}
    labels = {r.key: run_label(r) for r in runs}
    keys = list(by_key)
    left, right = st.columns(2)
    a = left.selectbox(
        tr("运行 A（基准）", "Run A (before)"), keys, index=1, key="qa_cmp_a", format_func=labels.__getitem__
    )
    b = right.selectbox(
        tr("运行 B（新）", "Run B (after)"), keys, index=0, key="qa_cmp_b", format_func=labels.__getitem__
    )
    if st.button(tr("对比", "Compare"), key="qa_compare"):
        try:
            st.session_state["qa_comparison"] = (a, b, compare_runs(store.load(by_key[a]), store.load(by_key[b])))
        except (FinpilotError, ValueError) as exc:
            st.session_state.pop("qa_comparison", None)
            st.error(f"{t('error')}{exc}")
    shown = st.session_state.get("qa_comparison")
    # A comparison belongs to the pair it was made for; choosing another pair hides it until Compare is pressed.
    if shown and shown[:2] == (a, b):
        _show_comparison(shown[2], by_key[a], by_key[b])


# --- the page --------------------------------------------------------------------------------------------------------


def render() -> None:
    """The QA dashboard: run suites, see results and gates, drill into cases, compare two runs."""
    st.title(t("qa"))
    store = run_store()
    run_tab, cases_tab, compare_tab = st.tabs(
        [tr("运行与结果", "Run and results"), tr("逐例查看", "Cases"), tr("对比两次运行", "Compare runs")]
    )
    with run_tab:
        _run_section(store)
        runs = store.runs()  # listed after the run, so a run just made is in every list below
        _results_section(store, runs)
    with cases_tab:
        _cases_section(store, runs)
    with compare_tab:
        _compare_section(store, runs)

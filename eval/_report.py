"""Reading run records: a results table for the console or the README, and a static HTML page with every case.

The HTML page is one self-contained file (inline CSS and script, nothing fetched), so it can be attached to a review
or opened from disk years later. Every piece of case data is escaped: suites hold Chinese requests that may quote
markup on purpose.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic_core import to_jsonable_python

from eval._runner import SUMMED, CaseResult, RunRecord

MISSING = "—"
"""Shown where a record has no value for a metric (a suite it did not run, a score no case had)."""

_COUNTS = {"cases", "errors", "jobs", *SUMMED.values()}
_SCORE_COLUMNS = 8
"""At most this many scores get a column in a suite's case list; the drill-down always shows all of them."""
_KNOWN_FIELDS = {
    "run_id",
    "started",
    "backend",
    "code_version",
    "prompts",
    "catalog",
    "suites",
    "cases",
    "summary",
    "gates",
}


def metric_order(metric: str) -> tuple[int, str]:
    """Sort key of a summary metric: cases and pass rate first, the scores by name, latency and errors last."""
    # Size and headline first, the means in between, cost and breakage at the bottom where a reader looks last.
    if metric == "cases":
        return (0, metric)
    if metric == "pass_rate":
        return (1, metric)
    if metric == "errors":
        return (4, metric)
    if metric.startswith("latency") or metric.endswith("_ms"):
        return (3, metric)
    return (2, metric)


def _is_count(metric: str) -> bool:
    return metric in _COUNTS or metric.startswith("n_") or metric.endswith("_count")


def _fmt(metric: str, value: Any) -> str:
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return MISSING if value is None else str(value)
    if math.isnan(value):
        return MISSING
    if _is_count(metric) and float(value).is_integer():
        return str(int(value))
    if metric.endswith("_ms"):
        return f"{value:.1f}"
    return f"{value:.3f}"


def _labels(records: Sequence[RunRecord]) -> list[str]:
    # Two runs of one backend (before/after a change) would get identical headers; their run ids tell them apart.
    backends = [_short(r.backend) for r in records]
    return [b if backends.count(b) == 1 else r.run_id for b, r in zip(backends, records, strict=True)]


def _short(backend: str) -> str:
    # llama:/long/path/to/model.gguf would make a column as wide as the path; the file name identifies the model.
    prefix, _, arg = backend.partition(":")
    return f"{prefix}:{Path(arg).name}" if prefix == "llama" and arg else backend


def summary_rows(records: Sequence[RunRecord]) -> tuple[list[str], list[tuple[str, str, list[float | None]]]]:
    """Column labels (one per record) and (suite, metric, values) rows in report order: what every view tabulates."""
    if not records:
        raise ValueError("no run records to tabulate")
    rows: list[tuple[str, str, list[float | None]]] = []
    for suite in sorted({s for r in records for s in r.summary}):
        metrics = sorted({m for r in records for m in r.summary.get(suite, {})}, key=metric_order)
        for metric in metrics:
            rows.append((suite, metric, [r.summary.get(suite, {}).get(metric) for r in records]))
    return _labels(records), rows


def _grid(records: Sequence[RunRecord]) -> tuple[list[str], list[tuple[str, str, list[str]]]]:
    labels, rows = summary_rows(records)
    return labels, [(suite, metric, [_fmt(metric, v) for v in values]) for suite, metric, values in rows]


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def results_table(records: Sequence[RunRecord], fmt: Literal["text", "markdown"] = "text") -> str:
    """One row per (suite, metric), one column per record headed by its backend; "—" where a record lacks a value."""
    labels, rows = _grid(records)
    # The suite is named on its first row only, so each suite reads as a block.
    body = [
        [suite if i == 0 or rows[i - 1][0] != suite else "", metric, *cells]
        for i, (suite, metric, cells) in enumerate(rows)
    ]
    header = ["suite", "metric", *labels]
    if fmt == "markdown":
        lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |", "| --- | --- |" + " ---: |" * len(labels)]
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in body]
        return "\n".join(lines) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown table format {fmt!r}: use 'text' or 'markdown'")
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        left = [row[i].ljust(widths[i]) for i in range(2)]
        right = [row[i].rjust(widths[i]) for i in range(2, len(row))]
        return "  ".join(left + right).rstrip()

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *(line(row) for row in body)]) + "\n"


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _json(value: Any) -> str:
    # Element text only, so quotes stay literal: the JSON reads as JSON in the page source and stays smaller.
    return html.escape(json.dumps(value, ensure_ascii=False, indent=2, default=str), quote=False)


def _as_dict(item: Any) -> dict[str, Any]:
    # Gates may arrive as plain dicts or as a pydantic model, depending on how the runner stores them.
    if isinstance(item, dict):
        return item
    if hasattr(item, "model_dump"):
        return item.model_dump(mode="json")
    return dict(vars(item))


def _badge(passed: bool | None, yes: str = "pass", no: str = "fail") -> str:
    if passed is None:
        return '<span class="badge unknown">?</span>'
    return f'<span class="badge pass">{yes}</span>' if passed else f'<span class="badge fail">{no}</span>'


def _kv_list(items: dict[str, Any]) -> str:
    if not items:
        return f"<span class='muted'>{MISSING}</span>"
    return "<ul class='kv'>" + "".join(f"<li><code>{_e(k)}</code> {_e(v)}</li>" for k, v in items.items()) + "</ul>"


def _header(record: RunRecord) -> str:
    passed = sum(c.passed for c in record.cases)
    errors = sum(c.error is not None for c in record.cases)
    rows = [
        ("run", f"<code>{_e(record.run_id)}</code>"),
        ("started", _e(record.started)),
        ("backend", f"<code>{_e(record.backend)}</code>"),
        ("code version", f"<code>{_e(record.code_version)}</code>"),
        ("catalog", _e(record.catalog)),
        (
            "cases",
            f"{len(record.cases)} &middot; {passed} passed &middot; {len(record.cases) - passed} failed &middot; {errors} errors",
        ),
        ("prompts", _kv_list(record.prompts)),
        ("suites", _kv_list(record.suites)),
    ]
    # Fields the runner grows later (index, jobs, …) are shown as they are rather than silently dropped.
    extra = {k: getattr(record, k) for k in type(record).model_fields} | dict(record.model_extra or {})
    for key, value in extra.items():
        if key not in _KNOWN_FIELDS and value not in (None, "", [], {}):
            shown = (
                value
                if isinstance(value, str)
                else json.dumps(to_jsonable_python(value), ensure_ascii=False, default=str)
            )
            rows.append((key, _e(shown)))
    gates = getattr(record, "gates", None)
    if gates:
        items = []
        for gate in map(_as_dict, gates):
            metric = str(gate.get("metric", ""))
            rule = f"{gate.get('suite', '')} {metric} {gate.get('op', '')} {_fmt(metric, gate.get('threshold'))}"
            # A limited run's gates are shown, not held: its few cases are no release bar.
            badge = _badge(gate.get("passed")) if gate.get("gated", True) else '<span class="badge unknown">not gated</span>'
            items.append(f"<li>{badge} <code>{_e(rule)}</code> &rarr; {_e(_fmt(metric, gate.get('value')))}</li>")
        note = "" if getattr(record, "limit", None) is None else "<p class='muted'>A limited run: gates apply to full runs.</p>"
        rows.append(("gates", note + "<ul class='gates'>" + "".join(items) + "</ul>"))
    return "<table class='meta'>" + "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"


def _summary(records: Sequence[RunRecord]) -> str:
    labels, rows = _grid(records)
    head = (
        "<tr><th>suite</th><th>metric</th>" + "".join(f"<th class='num'>{_e(label)}</th>" for label in labels) + "</tr>"
    )
    body = []
    for i, (suite, metric, cells) in enumerate(rows):
        first = i == 0 or rows[i - 1][0] != suite
        body.append(
            f"<tr{' class=first' if first else ''}><td>{_e(suite) if first else ''}</td><td>{_e(metric)}</td>"
            + "".join(f"<td class='num'>{_e(c)}</td>" for c in cells)
            + "</tr>"
        )
    return f"<table class='summary'><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


def _case(case: CaseResult, columns: list[str]) -> str:
    scores = "".join(f"<span class='num'>{_e(_fmt(k, case.scores.get(k)))}</span>" for k in columns)
    error = f"<span class='err' title='{_e(case.error)}'>{_e(case.error)}</span>" if case.error else "<span></span>"
    drill = (
        "<div class='drill'>"
        f"<div><h4>input</h4><pre>{_json(case.input)}</pre></div>"
        f"<div><h4>output</h4><pre>{_json(case.output)}</pre></div>"
        f"<div><h4>scores</h4><pre>{_json(case.scores)}</pre>"
        + (f"<h4>error</h4><pre class='err'>{_e(case.error)}</pre>" if case.error else "")
        + "</div></div>"
    )
    return (
        f"<details class='case {'ok' if case.passed else 'bad'}' data-passed='{int(case.passed)}'>"
        f"<summary class='row'><span class='id'>{_e(case.id)}</span>{_badge(case.passed)}{scores}"
        f"<span class='num'>{_e(_fmt('latency_ms', case.latency_ms))}</span>{error}</summary>{drill}</details>"
    )


def _suite(index: int, suite: str, cases: list[CaseResult]) -> str:
    keys = sorted({k for c in cases for k in c.scores}, key=metric_order)
    columns = keys[:_SCORE_COLUMNS]
    failed = sum(not c.passed for c in cases)
    grid = f"minmax(7em,1.2fr) 4.5em{' 6.5em' * len(columns)} 6em minmax(8em,2.5fr)"
    head = (
        "<div class='row head'><span>id</span><span>result</span>"
        + "".join(f"<span class='num' title='{_e(k)}'>{_e(k)}</span>" for k in columns)
        + "<span class='num'>latency ms</span><span>error</span></div>"
    )
    return (
        f"<section class='suite' id='suite-{index}' style='--grid: {grid}'>"
        f"<h2>{_e(suite)} <small>{len(cases)} cases &middot; {failed} failed &middot; "
        f"<span class='shown'>{len(cases)}</span> shown</small></h2>"
        f"<div class='cases'>{head}{''.join(_case(c, columns) for c in cases)}</div></section>"
    )


_CSS = """
:root{--fg:#1d2330;--muted:#6b7280;--line:#e3e6ec;--bg:#fff;--alt:#f7f8fa;--ok:#137333;--okbg:#e6f4ea;--bad:#b3261e;--badbg:#fce8e6}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;color:var(--fg);
background:var(--bg);margin:0;padding:1.2rem 2rem 4rem}
h1{font-size:1.35rem;margin:0 0 .8rem}h2{font-size:1.1rem;margin:2rem 0 .5rem}h2 small{color:var(--muted);font-weight:400}
h4{margin:.2rem 0;font-size:.8rem;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
table{border-collapse:collapse}th,td{padding:.25rem .7rem;text-align:left;vertical-align:top}
table.meta th{color:var(--muted);font-weight:500;white-space:nowrap}
table.summary{margin-top:.5rem}table.summary thead th{border-bottom:2px solid var(--line)}
table.summary tr.first td{border-top:1px solid var(--line)}
.num{text-align:right;font-variant-numeric:tabular-nums}
ul.kv,ul.gates{list-style:none;margin:0;padding:0}ul.gates li{margin:.1rem 0}
.badge{display:inline-block;min-width:3.2em;text-align:center;border-radius:3px;padding:0 .35em;font-size:.78rem;font-weight:600;
text-transform:uppercase}
.badge.pass{color:var(--ok);background:var(--okbg)}.badge.fail{color:var(--bad);background:var(--badbg)}
.badge.unknown{color:var(--muted);background:var(--alt)}
.controls{position:sticky;top:0;background:var(--bg);padding:.6rem 0;border-bottom:1px solid var(--line);z-index:1;
display:flex;gap:1.2rem;align-items:center}
.controls input[type=search]{width:28em;max-width:60vw;padding:.3rem .5rem;font:inherit}
.muted{color:var(--muted)}
.row{display:grid;grid-template-columns:var(--grid);gap:.7rem;align-items:baseline;padding:.2rem .5rem}
.row>span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.row.head{font-weight:600;border-bottom:2px solid var(--line)}
details.case{border-bottom:1px solid var(--line)}details.case>summary{cursor:pointer;list-style:none}
details.case>summary::-webkit-details-marker{display:none}
details.case>summary .id::before{content:"\\25B8  ";color:var(--muted)}details.case[open]>summary .id::before{content:"\\25BE  "}
details.case.bad>summary{background:#fffafa}details.case>summary:hover{background:var(--alt)}
.err{color:var(--bad)}
.drill{display:grid;grid-template-columns:repeat(auto-fit,minmax(22em,1fr));gap:1rem;padding:.4rem .5rem 1rem 1.6rem;
background:var(--alt)}
.drill pre{white-space:pre-wrap;word-break:break-word;margin:0;max-height:32em;overflow:auto}
.hide{display:none!important}
"""

# Row texts are read once; filtering then only flips a class, which stays quick at a thousand or more cases.
_JS = """
(function () {
  var box = document.getElementById('filter'), only = document.getElementById('failures-only');
  var rows = Array.prototype.slice.call(document.querySelectorAll('details.case'));
  var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
  var total = document.getElementById('shown-total');
  function apply() {
    var q = box.value.trim().toLowerCase(), failing = only.checked, n = 0;
    rows.forEach(function (r, i) {
      var show = (!failing || r.getAttribute('data-passed') === '0') && (!q || texts[i].indexOf(q) !== -1);
      r.classList.toggle('hide', !show);
      if (show) n++;
    });
    document.querySelectorAll('section.suite').forEach(function (s) {
      s.querySelector('.shown').textContent = s.querySelectorAll('details.case:not(.hide)').length;
    });
    total.textContent = n;
  }
  box.addEventListener('input', apply);
  only.addEventListener('change', apply);
  apply();
})();
"""


def render_html(record: RunRecord, others: Sequence[RunRecord] | None = None) -> str:
    """One self-contained HTML page: run metadata, gates, summary (with `others` as extra columns) and every case."""
    others = list(others or [])
    suites = sorted({c.suite for c in record.cases} | set(record.summary))
    nav = " &middot; ".join(
        f"<a href='#suite-{i}'>{_e(s)}</a>" for i, s in enumerate(suites) if any(c.suite == s for c in record.cases)
    )
    sections = "".join(
        _suite(i, s, [c for c in record.cases if c.suite == s])
        for i, s in enumerate(suites)
        if any(c.suite == s for c in record.cases)
    )
    summary = _summary([record, *others]) if record.summary or any(o.summary for o in others) else ""
    return (
        "<!DOCTYPE html>\n<html lang='zh'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>finpilot eval &middot; {_e(record.run_id)}</title><style>{_CSS}</style></head><body>"
        f"<h1>finpilot eval run <code>{_e(record.run_id)}</code></h1>{_header(record)}"
        f"<h2>Summary</h2>{summary or '<p class=muted>no summary</p>'}"
        "<div class='controls'><input type='search' id='filter' placeholder='filter cases: id, text, error…' "
        "aria-label='filter cases'><label><input type='checkbox' id='failures-only'> failures only</label>"
        f"<span class='muted'><span id='shown-total'>{len(record.cases)}</span> / {len(record.cases)} cases shown</span>"
        f"<span>{nav}</span></div>{sections}"
        f"<script>{_JS}</script></body></html>\n"
    )


def write_html(record: RunRecord, path: Path, others: Sequence[RunRecord] | None = None) -> Path:
    """Write the record's HTML report to `path` (UTF-8, parent folders created) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(record, others), encoding="utf-8")
    return path

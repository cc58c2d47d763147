"""The evaluation harness: typed suites, scorers per suite kind, run records, a run store, reports, paired
comparison and gates.

`RunStore(settings).run(suites, backend, catalog, gates=...)` runs cases through a `System` (finpilot on any backend,
or the vector baseline), scores each with its kind's `@scorer`, and saves the `RunRecord` under FINPILOT_HOME/runs,
where `finpilot eval` and the QA page both list and load it; `compare_runs` pairs two records; `gate_run` holds a
full run to the thresholds in `eval/gates.toml`.
"""

from eval._campaigns import load_campaign_cases, score_briefs
from eval._cases import Suite, fineva_suites, load_suite, suites, write_schemas
from eval._fineva import fineva_folder
from eval._funds import load_fund_cases, score_clarifications, score_slots
from eval._gates import gate_run, load_gates
from eval._judge import Judge
from eval._learning import run_learning_eval, simulate_plan_results
from eval._report import metric_order, render_html, results_table, summary_rows, write_html
from eval._runner import LOWER_IS_BETTER, CaseResult, Comparison, GateResult, RunRecord, compare_runs, run_suites
from eval._scorers import Score, scorer
from eval._screen_train import train_screen
from eval._store import RunStore, RunStoreError, StoredRun
from eval._systems import BASELINE, GENERATED, System

__all__ = [
    "BASELINE",
    "GENERATED",
    "LOWER_IS_BETTER",
    "CaseResult",
    "Comparison",
    "GateResult",
    "Judge",
    "RunRecord",
    "RunStore",
    "RunStoreError",
    "Score",
    "StoredRun",
    "Suite",
    "System",
    "compare_runs",
    "fineva_folder",
    "fineva_suites",
    "gate_run",
    "load_campaign_cases",
    "load_fund_cases",
    "load_gates",
    "load_suite",
    "run_learning_eval",
    "simulate_plan_results",
    "metric_order",
    "render_html",
    "results_table",
    "run_suites",
    "score_briefs",
    "score_clarifications",
    "score_slots",
    "scorer",
    "suites",
    "summary_rows",
    "train_screen",
    "write_html",
    "write_schemas",
]

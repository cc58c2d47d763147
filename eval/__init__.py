"""The evaluation harness: typed suites, deterministic metrics, run records, reports, paired comparison and gates.

`run_suites` runs cases through a system (finpilot on any backend, or the vector baseline) into a `RunRecord`;
`compare_runs` pairs two records; `apply_gates` holds a summary to the thresholds in `eval/gates.toml`.
"""

from eval._campaigns import load_campaign_cases, plan_checks, power_of_test, score_briefs
from eval._cases import CASE_MODELS, Suite, fineva_suites, load_suite, suites
from eval._fineva import fineva_folder
from eval._funds import (
    ClarifyScores,
    FundCase,
    FundOutcome,
    SlotScores,
    breaks_a_limit,
    load_fund_cases,
    numeric_faithfulness,
    score_clarifications,
    score_slots,
    slot_values,
)
from eval._gates import apply_gates, load_gates
from eval._judge import Judge, Verdict, degenerate
from eval._report import metric_order, render_html, results_table, summary_rows, write_html
from eval._retrieval import ndcg_at, ranking_scores, recall_at, reciprocal_rank
from eval._runner import (
    LOWER_IS_BETTER,
    CaseResult,
    Comparison,
    GateResult,
    RunRecord,
    compare_runs,
    run_suites,
    summarize,
)
from eval._stats import BootstrapResult, McNemarResult, flipped, mcnemar, paired_bootstrap
from eval._systems import BASELINE, GENERATED, NotApplicable, open_system

__all__ = [
    "BASELINE",
    "CASE_MODELS",
    "GENERATED",
    "LOWER_IS_BETTER",
    "BootstrapResult",
    "CaseResult",
    "ClarifyScores",
    "Comparison",
    "FundCase",
    "FundOutcome",
    "GateResult",
    "Judge",
    "McNemarResult",
    "NotApplicable",
    "RunRecord",
    "SlotScores",
    "Suite",
    "Verdict",
    "apply_gates",
    "breaks_a_limit",
    "compare_runs",
    "degenerate",
    "fineva_folder",
    "fineva_suites",
    "flipped",
    "load_campaign_cases",
    "load_fund_cases",
    "load_gates",
    "load_suite",
    "mcnemar", "metric_order",
    "ndcg_at",
    "numeric_faithfulness",
    "open_system",
    "paired_bootstrap",
    "plan_checks",
    "power_of_test",
    "ranking_scores",
    "recall_at",
    "reciprocal_rank",
    "render_html",
    "results_table",
    "run_suites",
    "score_briefs",
    "score_clarifications",
    "score_slots",
    "slot_values",
    "suites",
    "summarize",
    "summary_rows",
    "write_html",
]  # fmt: skip

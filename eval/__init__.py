"""The evaluation harness: typed suites and their metrics (the full runner arrives with its issue)."""

from eval._campaigns import load_campaign_cases, score_briefs
from eval._funds import (
    ClarifyScores,
    FundCase,
    SlotScores,
    load_fund_cases,
    score_clarifications,
    score_slots,
    slot_values,
)
from eval._stats import BootstrapResult, McNemarResult, flipped, mcnemar, paired_bootstrap

__all__ = ["BootstrapResult", "ClarifyScores", "FundCase", "McNemarResult", "SlotScores", "flipped", "load_campaign_cases", "load_fund_cases", "mcnemar", "paired_bootstrap", "score_briefs", "score_clarifications", "score_slots", "slot_values"]

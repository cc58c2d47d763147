"""The learning loop: results of a campaign in, a review against its hold-out and design, a history that teaches
the next plan (measured rates, a tag-effect table), and targeting by predicted uplift, suitability first.

`load_results` checks and stores a results file, `review_campaign` reviews (and keeps) a campaign, `tag_table` pools
the reviews by tag, `train_model` learns uplift from every response log, and `target_plan` ranks a plan's segment.
"""

from assistant.learning._design import ArmSpec, CampaignDesign, load_design, plan_id
from assistant.learning._history import TagEffect
from assistant.learning._render import review_markdown, tags_markdown, targeting_markdown
from assistant.learning._results import ResultsReport
from assistant.learning._review import Review, review
from assistant.learning._service import (
    catalog,
    load_results,
    review_campaign,
    segment_ids,
    tag_table,
    target_plan,
    train_model,
    user_tags,
)  # fmt: skip
from assistant.learning._stats import wilson
from assistant.learning._target import OptionCosts, TargetingSummary, allowed, assign, rule_only, vulnerable
from assistant.learning._uplift import Option, UpliftModel, option_rows, score, train, user_features

__all__ = [
    "ArmSpec", "OptionCosts", "catalog", "option_rows", "score", "segment_ids", "train", "user_tags", "vulnerable", "wilson",
    "CampaignDesign", "Option", "ResultsReport", "Review", "TagEffect", "TargetingSummary", "UpliftModel",
    "allowed", "assign", "load_design", "load_results", "plan_id", "review", "review_campaign",
    "review_markdown", "rule_only", "tag_table", "tags_markdown", "target_plan", "targeting_markdown", "train_model",
    "user_features",
]  # fmt: skip

"""The compliance checker for marketing copy and advice, shared by the campaign planner and the fund advisor.

`check_copy(text, product_kind=..., channel=...)` flags promises of returns or principal, absolute claims, fund and
wealth copy without the risk warning, performance without period, as-of date or past-performance caveat, loan copy
without the annualised rate (or with a wrong one), approval promises and student targeting in loan copy, unmasked
personal data, and copy over its channel's limit or an SMS without sign-off or opt-out (the channel policy, `channels.toml`,
which the campaign planner's cadence reads too). It fixes what is safe to fix
and returns a `ComplianceReport` that is passed only when no error is left open. Deterministic rules, no model.
"""

from assistant.compliance._channels import (
    ChannelPolicy,
    channel_policy,
    sms_text,
)  # fmt: skip
from assistant.compliance._check import (
    ComplianceReport,
    Issue,
    IssueCode,
    OfferTerms,
    ProductKindName,
    ProductTerms,
    check_copy,
)
from assistant.compliance._policy import policy
from assistant.compliance._rules import RISK_WARNING

__all__ = [
    "RISK_WARNING", "ChannelPolicy", "ComplianceReport", "Issue", "IssueCode", "OfferTerms", "ProductKindName", "ProductTerms",
    "channel_policy", "check_copy", "policy", "sms_text",
]  # fmt: skip

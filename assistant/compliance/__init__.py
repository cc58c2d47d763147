"""The compliance checker for marketing copy and advice, shared by the campaign planner and the fund advisor.

`check_copy(text, product_kind=..., channel=...)` flags promises of returns or principal, absolute claims, fund and
wealth copy without the risk warning, performance without period, as-of date or past-performance caveat, loan copy
without the annualised rate (or with a wrong one), approval promises and student targeting in loan copy, unmasked
personal data, and copy over its channel's limit or an SMS without sign-off or opt-out. It fixes what is safe to fix
and returns a `ComplianceReport` that is passed only when no error is left open. Deterministic rules, no model.
"""

from assistant.compliance._channels import DEFAULT_SIGNOFF, OPT_OUT, ChannelLimit, channel_limit, sms_room, sms_text
from assistant.compliance._check import ComplianceReport, Issue, IssueCode, OfferTerms, apr_from_daily, check_copy
from assistant.compliance._rules import RISK_WARNING

__all__ = [
    "DEFAULT_SIGNOFF", "OPT_OUT", "RISK_WARNING", "ChannelLimit", "ComplianceReport", "Issue", "IssueCode", "OfferTerms", "apr_from_daily",
    "channel_limit", "check_copy", "sms_room", "sms_text",
]  # fmt: skip

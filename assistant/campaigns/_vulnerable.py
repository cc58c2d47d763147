"""Credit is never marketed to vulnerable people: students, borrowers with an overdue loan, people who just lost their
job or income, anyone borrowing to repay a loan. Enforced in code on what the planner read, not left to wording.

Two checks, both on a credit brief (a credit product or family named) or edit:
* an audience condition that selects a vulnerable tag (`is_student = true`, `has_overdue = true`, not under a `not`);
* words no tag holds that name a vulnerable group or lending to repay (刚失业, 收入下降, 以贷养贷 …), anywhere in the
  brief: the parser cannot apply them, and planning "without them" would market credit to exactly those people.
Who is vulnerable (the tags, the overdue lookback, the words) is policy, read from assistant/compliance/policy.toml.
Exclusions (不给学生推, 排除逾期用户) select nobody vulnerable and pass. The segment's eligibility rules exclude the
tagged groups from every credit plan whatever the brief says (lexicon.toml [eligibility]); this refuses the brief that
asks for them, with the reason.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.campaigns._brief import CampaignBrief
from assistant.campaigns._rules import And, Between, Compare, IsNull, Not, Or, parse_rule
from assistant.compliance import policy

_POLICY = policy().vulnerable
OVERDUE_LOOKBACK_DAYS = _POLICY.overdue_lookback_days
"""A borrower overdue within this many days is still in difficulty: no credit is marketed to them (policy.toml)."""
VULNERABLE_EXCLUSION = (f"(is_student = false and has_overdue = false and income_drop = false"
                        f" and (days_since_overdue is null or days_since_overdue > {OVERDUE_LOOKBACK_DAYS}))")  # fmt: skip
"""ANDed into every credit plan's segment, whatever the brief or an edit says."""
VULNERABLE_REACHED = f"not {VULNERABLE_EXCLUSION}"
"""The users no credit plan may reach: a plan's segment ANDed with this must count zero."""
VULNERABLE_TAGS = {"is_student": ("students", "在校学生"), "has_overdue": ("borrowers with an overdue loan", "有逾期的用户"),
                   "income_drop": ("people whose income just fell", "近期收入下降的用户"),
                   "days_since_overdue": (f"borrowers overdue in the last {OVERDUE_LOOKBACK_DAYS} days", f"近 {OVERDUE_LOOKBACK_DAYS} 天内逾期过的用户")}  # fmt: skip
if set(VULNERABLE_TAGS) != set(_POLICY.tags):
    raise RuntimeError(f"policy.toml [vulnerable] tags {_POLICY.tags} differ from those the planner excludes {sorted(VULNERABLE_TAGS)}")
_UNTAGGED = re.compile(_POLICY.untagged, re.IGNORECASE)


def _selects(node: Any, negated: bool = False) -> set[str]:
    """The vulnerable tags a rule selects users by (outside a `not`)."""
    if isinstance(node, Not):
        return _selects(node.item, not negated)
    if isinstance(node, And | Or):
        return set().union(*(_selects(i, negated) for i in node.items))
    if isinstance(node, Compare | Between | IsNull) and node.field == "days_since_overdue":
        # 最近30天逾期过的 (<= 30), 有过逾期记录的 (is not null) select them; 一年没逾期过的 (> 365) does not
        if isinstance(node, Compare):
            recent = node.op in ("<", "<=", "=") and isinstance(node.value, int | float) and node.value <= OVERDUE_LOOKBACK_DAYS
        elif isinstance(node, Between):
            recent = not node.negated and isinstance(node.low, int | float) and node.low <= OVERDUE_LOOKBACK_DAYS
        else:
            recent = node.negated
        return {node.field} if recent != negated else set()
    if isinstance(node, Compare) and node.field in VULNERABLE_TAGS:
        positive = (node.op == "=") == (node.value is True)
        return {node.field} if positive != negated else set()
    return set()


def vulnerable_credit(brief: CampaignBrief, text: str, credit: bool) -> tuple[str, str] | None:
    """(English, Chinese) reason to refuse a credit brief aimed at vulnerable people, else None."""
    if not credit:
        return None
    tags = set().union(*(_selects(parse_rule(c.rule).node) for c in brief.audience)) if brief.audience else set()
    if brief.segment_rule:
        tags |= _selects(parse_rule(brief.segment_rule).node)
    if tags:
        en = " and ".join(VULNERABLE_TAGS[t][0] for t in sorted(tags))
        zh = "、".join(VULNERABLE_TAGS[t][1] for t in sorted(tags))
        return (f"credit may not be marketed to {en}: consumer credit is not promoted to students, and borrowers who are "
                "overdue are helped to repay, not offered more credit",
                f"不能向{zh}营销信贷产品：监管禁止向在校学生营销消费信贷，有逾期的用户应协助还款，不能再推借款。")  # fmt: skip
    m = _UNTAGGED.search(text)
    if m:
        return (f"credit may not be marketed to people in financial difficulty or to borrow to repay (\u201c{m.group(0)}\u201d)",
                f"不能向经济困难的人营销信贷，也不能诱导以贷还贷（「{m.group(0)}」）。")  # fmt: skip
    return None

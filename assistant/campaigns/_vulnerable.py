"""Credit is never marketed to vulnerable people: students, borrowers with an overdue loan, people who just lost their
job or income, anyone borrowing to repay a loan. Enforced in code on what the planner read, not left to wording.

Two checks, both on a credit brief (a credit product or family named) or edit:
* an audience condition that selects a vulnerable tag (`is_student = true`, `has_overdue = true`, not under a `not`);
* words no tag holds that name a vulnerable group or lending to repay (刚失业, 收入下降, 以贷养贷 …), anywhere in the
  brief: the parser cannot apply them, and planning "without them" would market credit to exactly those people.
Exclusions (不给学生推, 排除逾期用户) select nobody vulnerable and pass. The segment's eligibility rules exclude the
tagged groups from every credit plan whatever the brief says (lexicon.toml [eligibility]); this refuses the brief that
asks for them, with the reason.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.campaigns._brief import CampaignBrief
from assistant.campaigns._rules import And, Compare, Not, Or, parse_rule

VULNERABLE_EXCLUSION = "(is_student = false and has_overdue = false)"
"""ANDed into every credit plan's segment, whatever the brief or an edit says."""
VULNERABLE_TAGS = {"is_student": ("students", "在校学生"), "has_overdue": ("borrowers with an overdue loan", "有逾期的用户")}
_UNTAGGED = re.compile(
    r"失业|下岗|被裁|裁员|没(?:有)?(?:工作|收入)|收入(?:下降|减少|锐减|骤降|断了|没了)|降薪|断供|以贷养贷|借新还旧|以贷还贷|拆东墙补西墙"
    r"|借(?:钱|款)?(?:来)?还(?:网贷|信用卡|贷款|欠款|逾期)|lost (?:their |his |her )?jobs?|unemploy\w*|laid[- ]off"
    r"|(?:income|salary|pay) (?:drop|cut|fell|loss)\w*|no income|borrow\w* to (?:re)?pay",
    re.IGNORECASE,
)


def _selects(node: Any, negated: bool = False) -> set[str]:
    """The vulnerable tags a rule selects users by (outside a `not`)."""
    if isinstance(node, Not):
        return _selects(node.item, not negated)
    if isinstance(node, And | Or):
        return set().union(*(_selects(i, negated) for i in node.items))
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

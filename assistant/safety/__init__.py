"""Request refusal, shared by the fund advisor and the campaign planner: deterministic rules, no model.

`check_request(text)` returns a `Refusal` for requests to mislead investors, hide fees or risks, promise returns,
fake reviews, use inside information, manipulate the market or break the law otherwise, and None for ordinary
questions and briefs, including those that mention fees, risk or "保本" legitimately.
"""

from assistant.safety._refuse import Refusal, check_request

__all__ = ["Refusal", "check_request"]

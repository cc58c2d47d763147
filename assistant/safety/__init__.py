"""Request refusal, shared by the fund advisor and the campaign planner: deterministic rules, no model.

`check_request(text)` returns a `Refusal` for requests to mislead investors, hide fees or risks, promise returns,
fake reviews, use inside information, manipulate the market or break the law otherwise, and None for ordinary
questions and briefs, including those that mention fees, risk or "保本" legitimately. Requests the rules pass are read by a learned screen
(logistic regression over the e5 embedding, `screen.json`). `screen(text, backend)` adds the model check behind both
when a model backend serves the request.
"""

from assistant.safety._learned import MODEL_FILE as SCREEN_FILE
from assistant.safety._learned import ScreenModel
from assistant.safety._learned import embed as embed_requests
from assistant.safety._learned import probability as screen_probability
from assistant.safety._refuse import Refusal, check_request, screen

__all__ = ["SCREEN_FILE", "Refusal", "ScreenModel", "check_request", "embed_requests", "screen", "screen_probability"]

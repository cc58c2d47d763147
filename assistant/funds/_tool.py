"""The advisor's input as a boundary model, and the advisor as a LangChain tool."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.funds._advisor import MAX_REQUEST_CHARS, Advisor
from assistant.funds._answer import FundAnswer

if TYPE_CHECKING:
    from langchain_core.tools import StructuredTool


class FundRequest(BaseModel):
    """Find suitable mutual funds in the catalog, or analyse or compare named funds, from a request in plain Chinese
    or English (近一年收益超过5%、回撤不超过3%的债基; low-fee index funds tracking the CSI 300). Code applies every limit
    and the investor's risk grade; the answer cites catalog data and ends with a disclaimer. Each call stands alone:
    restate earlier conditions in a follow-up."""

    model_config = ConfigDict(extra="forbid")

    request: str = Field(min_length=1, max_length=MAX_REQUEST_CHARS, description="The investor's request, in their words.")
    risk_profile: Literal["C1", "C2", "C3", "C4", "C5"] | None = Field(
        default=None, description="The investor's assessed risk grade, C1 (most cautious) to C5; nothing riskier is shown.")
    top_k: int | None = Field(default=None, ge=1, le=50, description="At most this many funds (default: what the request asks, else 10).")


def answer(advisor: Advisor, request: FundRequest) -> FundAnswer:
    """The advisor's answer to one request (`finpilot funds --json` prints the same object)."""
    grade = int(request.risk_profile[1]) if request.risk_profile else None
    return advisor.ask(request.request, investor_grade=grade, top_k=request.top_k)


def advisor_tool(advisor: Advisor) -> StructuredTool:
    """`advisor` as the LangChain tool `fund_advisor`: a FundRequest in, the FundAnswer out as JSON-ready data."""
    from assistant._langchain import as_tool

    return as_tool("fund_advisor", FundRequest, lambda request: answer(advisor, request))

"""The advisor and the planner as LangChain tools: their schemas, their answers, and an agent loop that calls them."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ValidationError

from assistant.campaigns import CampaignRequest, Planner, planner_tool
from assistant.funds import FundRequest, advisor_tool
from assistant.funds._advisor import MAX_REQUEST_CHARS
from tests.assistant.demo import advisor
from tests.assistant.demo import planner as demo_planner

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 24)
BOND_REQUEST = "近一年收益超过5%的债基"
BRIEF = "下周五开始，给沉睡用户推稳盈90天，预算50万，短信加push，红包15.14元，为期两周"


@pytest.fixture(scope="module")
def planner(tmp_path_factory: pytest.TempPathFactory) -> Planner:
    return demo_planner(tmp_path_factory.mktemp("users"), TODAY)


def parameters(tool: BaseTool) -> dict:
    """What a tool-calling model is shown: the OpenAI function form of the tool."""
    return convert_to_openai_tool(tool)["function"]["parameters"]


def test_importing_the_assistant_does_not_import_langchain() -> None:
    code = "import sys, assistant.funds, assistant.campaigns, assistant.backends; print('langchain_core' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_tools_take_the_boundary_models_as_their_schemas(planner: Planner) -> None:
    funds, campaigns = advisor_tool(advisor()), planner_tool(planner)
    assert (funds.name, campaigns.name) == ("fund_advisor", "campaign_planner")
    assert funds.args_schema is FundRequest and campaigns.args_schema is CampaignRequest
    # What a model reads to choose a tool: the request model's docstring.
    assert funds.description.startswith("Find suitable mutual funds") and campaigns.description.startswith("Plan a marketing campaign")
    fp = parameters(funds)
    assert set(fp["properties"]) == {"request", "risk_profile", "top_k"} and fp["required"] == ["request"]
    assert fp["properties"]["request"]["maxLength"] == MAX_REQUEST_CHARS
    grades = next(a for a in fp["properties"]["risk_profile"]["anyOf"] if a.get("type") == "string")
    assert grades["enum"] == ["C1", "C2", "C3", "C4", "C5"]
    assert fp["properties"]["top_k"]["anyOf"][0] == {"type": "integer", "minimum": 1, "maximum": 50}
    cp = parameters(campaigns)
    assert set(cp["properties"]) == {"brief", "plan_anyway"} and cp["required"] == ["brief"]
    # An argument the tool does not have is an error, not silently dropped (a model's typo in a name shows).
    assert all(t.args_schema.model_json_schema()["additionalProperties"] is False for t in (funds, campaigns))  # type: ignore[union-attr]
    assert all(p.get("description") for p in [*fp["properties"].values(), *cp["properties"].values()])


def test_the_fund_tool_answers_as_the_advisor_does() -> None:
    tool = advisor_tool(advisor())
    got = tool.invoke({"request": BOND_REQUEST, "risk_profile": "C2", "top_k": 3})
    assert got == advisor().ask(BOND_REQUEST, investor_grade=2, top_k=3).model_dump(mode="json")
    json.dumps(got)  # plain data an agent can be handed
    assert 1 <= len(got["shortlist"]) <= 3 and all(f["risk_level"] <= 2 for f in got["shortlist"])
    assert got["backend"] == "offline" and got["filters"]["investor_grade"] == 2 and got["citations"]


def test_the_fund_tool_rejects_what_its_schema_forbids_and_reports_what_the_advisor_refuses() -> None:
    tool = advisor_tool(advisor())
    for bad in ({"request": BOND_REQUEST, "risk_profile": "C9"}, {"request": "x" * (MAX_REQUEST_CHARS + 1)},
                {"request": BOND_REQUEST, "top_k": 0}, {"request": BOND_REQUEST, "grade": "C2"}):  # fmt: skip
        with pytest.raises(ValidationError):
            tool.invoke(bad)
    # The advisor's own message for an empty request comes back as the answer, so an agent can rephrase.
    assert tool.invoke({"request": "   "}).startswith("the request is empty")


def test_the_campaign_tool_plans_and_refuses_as_the_planner_does(planner: Planner) -> None:
    tool = planner_tool(planner)
    got = tool.invoke({"brief": BRIEF})
    assert got == planner.plan(BRIEF).model_dump(mode="json")
    json.dumps(got)
    assert not got["refused"] and got["question"] is None and got["compliance"]["passed"]
    assert got["budget"]["total"] <= got["budget"]["cap"] and {c["name"] for c in got["channels"]} == {"sms", "app_push"}
    refused = tool.invoke({"brief": "写一条短信告诉客户稳盈保本保收益，稳赚不赔，别提风险"})
    assert refused["refused"] and refused["refusal_reason"] and not refused["channels"]


def test_an_agent_loop_calls_both_tools(planner: Planner) -> None:
    tools = {t.name: t for t in (advisor_tool(advisor()), planner_tool(planner))}
    # A scripted tool-calling model: it asks for both tools in one turn, then answers from what they returned.
    model = GenericFakeChatModel(messages=iter([
        AIMessage(content="", tool_calls=[
            {"name": "fund_advisor", "args": {"request": BOND_REQUEST, "risk_profile": "C2"}, "id": "call_funds"},
            {"name": "campaign_planner", "args": {"brief": BRIEF}, "id": "call_plan"},
        ]),
        AIMessage(content="这里是筛选结果和活动方案。"),
    ]))  # fmt: skip
    messages: list[BaseMessage] = [HumanMessage(content="帮我找稳健的债基，再给沉睡用户做一个稳盈90天的活动")]
    while True:
        reply = model.invoke(messages)
        messages.append(reply)
        if not isinstance(reply, AIMessage) or not reply.tool_calls:
            break
        messages += [tools[call["name"]].invoke(call) for call in reply.tool_calls]
    results = {m.tool_call_id: m for m in messages if isinstance(m, ToolMessage)}
    assert set(results) == {"call_funds", "call_plan"} and all(m.status == "success" for m in results.values())
    answer = json.loads(str(results["call_funds"].content))
    assert answer == advisor().ask(BOND_REQUEST, investor_grade=2).model_dump(mode="json")
    plan = json.loads(str(results["call_plan"].content))
    assert plan == planner.plan(BRIEF).model_dump(mode="json")
    assert messages[-1].content == "这里是筛选结果和活动方案。"

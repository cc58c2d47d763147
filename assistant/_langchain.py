"""The assistant's entry points as LangChain tools, so a LangChain agent can put the advisor and the planner to work.

Like the chat-model adapter (backends/_langchain.py) it imports langchain-core at its top, and like it, it is reached
only inside the functions that build a tool (`advisor_tool`, `planner_tool`): importing the assistant never loads
LangChain.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from langchain_core.tools import StructuredTool, ToolException
from pydantic import BaseModel

from finpilot import FinpilotError

In = TypeVar("In", bound=BaseModel)


def as_tool(name: str, schema: type[In], run: Callable[[In], BaseModel]) -> StructuredTool:
    """A tool whose arguments are `schema` and whose result is `run`'s answer as JSON-ready data; the schema's
    docstring, which a model reads to choose the tool, is its description.

    A FinpilotError is a message written for the person asking (an empty request, a brief that contradicts itself),
    so the agent gets it as the tool's answer and can rephrase, instead of the run ending in an exception.
    """

    def call(**fields: Any) -> dict[str, Any]:
        try:
            return run(schema.model_validate(fields)).model_dump(mode="json")
        except FinpilotError as exc:
            raise ToolException(str(exc)) from None

    description = inspect.cleandoc(schema.__doc__ or name)
    return StructuredTool.from_function(func=call, name=name, description=description, args_schema=schema, handle_tool_error=True)

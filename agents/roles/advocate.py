"""The advocate agent: argues for the proposition, from evidence."""

from __future__ import annotations

from typing import Any

from autogen_agentchat.agents import AssistantAgent
from autogen_core.models import ChatCompletionClient
from autogen_core.tools import BaseTool

from agents.roles.base import make_agent

DESCRIPTION = (
    "In a debate, argues for the proposition from the evidence."
)


def build_advocate_agent(
    model_client: ChatCompletionClient, tools: list[BaseTool[Any, Any]], *, stream: bool = True
) -> AssistantAgent:
    return make_agent("advocate", DESCRIPTION, model_client, tools, stream=stream)

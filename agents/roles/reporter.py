"""The reporter agent: writes the answer or the report, with citations."""

from __future__ import annotations

from typing import Any

from autogen_agentchat.agents import AssistantAgent
from autogen_core.models import ChatCompletionClient
from autogen_core.tools import BaseTool

from agents.roles.base import make_agent

DESCRIPTION = (
    "Writes the answer or the report for the analyst, with citations; closes the run."
)


def build_reporter_agent(
    model_client: ChatCompletionClient, tools: list[BaseTool[Any, Any]], *, stream: bool = True
) -> AssistantAgent:
    return make_agent("reporter", DESCRIPTION, model_client, tools, stream=stream)

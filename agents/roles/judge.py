"""The judge agent: weighs both sides, rules, and says what would change the ruling."""

from __future__ import annotations

from typing import Any

from autogen_agentchat.agents import AssistantAgent
from autogen_core.models import ChatCompletionClient
from autogen_core.tools import BaseTool

from agents.roles.base import make_agent

DESCRIPTION = (
    "Weighs both sides of a debate by severity and relevance and rules on it."
)


def build_judge_agent(
    model_client: ChatCompletionClient, tools: list[BaseTool[Any, Any]], *, stream: bool = True
) -> AssistantAgent:
    return make_agent("judge", DESCRIPTION, model_client, tools, stream=stream)

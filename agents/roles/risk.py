"""The risk agent: scores the four risk categories and explains them."""

from __future__ import annotations

from typing import Any

from autogen_agentchat.agents import AssistantAgent
from autogen_core.models import ChatCompletionClient
from autogen_core.tools import BaseTool

from agents.roles.base import make_agent

DESCRIPTION = (
    "Scores financial, regulatory, operational and reputational risk, with the reasons."
)


def build_risk_agent(
    model_client: ChatCompletionClient, tools: list[BaseTool[Any, Any]], *, stream: bool = True
) -> AssistantAgent:
    return make_agent("risk", DESCRIPTION, model_client, tools, stream=stream)

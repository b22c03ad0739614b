"""The compliance agent: checks documents against the rulebook and manages its rules."""

from __future__ import annotations

from typing import Any

from autogen_agentchat.agents import AssistantAgent
from autogen_core.models import ChatCompletionClient
from autogen_core.tools import BaseTool

from agents.roles.base import make_agent

DESCRIPTION = (
    "Checks documents against the rulebook and lists, adds, enables or disables rules."
)


def build_compliance_agent(
    model_client: ChatCompletionClient, tools: list[BaseTool[Any, Any]], *, stream: bool = True
) -> AssistantAgent:
    return make_agent("compliance", DESCRIPTION, model_client, tools, stream=stream)

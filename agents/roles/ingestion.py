"""The ingestion agent: takes files in, knows the library, says where things are written."""

from __future__ import annotations

from typing import Any

from autogen_agentchat.agents import AssistantAgent
from autogen_core.models import ChatCompletionClient
from autogen_core.tools import BaseTool

from agents.roles.base import make_agent

DESCRIPTION = (
    "Ingests attached files, lists the library and finds where something is written "
    "(search with citations)."
)


def build_ingestion_agent(
    model_client: ChatCompletionClient, tools: list[BaseTool[Any, Any]], *, stream: bool = True
) -> AssistantAgent:
    return make_agent("ingestion", DESCRIPTION, model_client, tools, stream=stream)

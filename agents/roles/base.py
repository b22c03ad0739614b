"""What every agent shares: its prompt file, the common rules, and AssistantAgent's settings."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from autogen_agentchat.agents import AssistantAgent
from autogen_core.models import ChatCompletionClient
from autogen_core.tools import BaseTool

PROMPTS_DIR = Path(__file__).resolve().parent / "prompts"
MAX_TOOL_ITERATIONS = 4


@cache
def prompt(name: str) -> str:
    """A prompt file beside the role modules, with the rules every agent follows appended."""
    own = (PROMPTS_DIR / f"{name}.md").read_text(encoding="utf-8").strip()
    shared = (PROMPTS_DIR / "_shared.md").read_text(encoding="utf-8").strip()
    return f"{own}\n\n{shared}"


def make_agent(
    role: str,
    description: str,
    model_client: ChatCompletionClient,
    tools: list[BaseTool[Any, Any]],
    *,
    stream: bool = True,
) -> AssistantAgent:
    """An AssistantAgent that may call tools a few times, then writes its message."""
    return AssistantAgent(
        role,
        model_client,
        tools=list[Any](tools),
        description=description,
        system_message=prompt(role),
        model_client_stream=stream,
        reflect_on_tool_use=True,
        max_tool_iterations=MAX_TOOL_ITERATIONS,
    )

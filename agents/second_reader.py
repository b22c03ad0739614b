"""The compliance agent's second reader: the configured language model, as a plain reader.

tools.compliance.second_reader decides what to ask and checks every answer in code; this
adapter only turns a (system, prompt) pair into one call of the team's model client, so
the call is metered like the agents' own and goes to the same endpoint.
"""

from __future__ import annotations

from autogen_core.models import ChatCompletionClient, SystemMessage, UserMessage

from tools.compliance.second_reader import ModelReader

__all__ = ["model_reader"]


def model_reader(client: ChatCompletionClient) -> ModelReader:
    """An async (system, prompt) -> text function over `client`."""

    async def read(system: str, prompt: str) -> str:
        result = await client.create(
            [SystemMessage(content=system), UserMessage(content=prompt, source="compliance")]
        )
        return result.content if isinstance(result.content, str) else ""

    return read

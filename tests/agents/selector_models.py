"""Model clients for the manager's selector that fail the way real small models do."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from autogen_core.models import CreateResult, LLMMessage, RequestUsage

from agents.offline import OfflineChatClient
from agents.roles.names import SELECTOR

_SPEAKER_LINE = re.compile(r"^(\w+):", re.MULTILINE)


def _prompt(messages: Sequence[LLMMessage]) -> str:
    content = getattr(messages[0], "content", "") if messages else ""
    return content if isinstance(content, str) else ""


class SelectorThatFails(OfflineChatClient):
    """Plays the agents offline but, as the selector, answers with `answer(prompt)`.

    The copies bound to each role share one list of the selector's prompts.
    """

    def __init__(self) -> None:
        super().__init__()
        self.prompts: list[str] = []

    @property
    def selector_calls(self) -> int:
        return len(self.prompts)

    def answer(self, prompt: str) -> str:
        return "I am not sure who should speak next."

    async def create(self, messages: Sequence[LLMMessage], **kwargs: Any) -> CreateResult:
        if self.role != SELECTOR:
            return await super().create(messages, **kwargs)
        prompt = _prompt(messages)
        self.prompts.append(prompt)
        return CreateResult(
            finish_reason="stop",
            content=self.answer(prompt),
            usage=RequestUsage(prompt_tokens=10, completion_tokens=5),
            cached=False,
        )


class SelectorThatRepeats(SelectorThatFails):
    """Always names whoever spoke last: the model of autogen issue #7471."""

    def answer(self, prompt: str) -> str:
        history = prompt.split("The conversation so far:", 1)[-1]
        speakers = _SPEAKER_LINE.findall(history)
        return speakers[-1] if speakers else "nobody"

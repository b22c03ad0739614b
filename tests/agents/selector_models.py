"""Model clients for the manager's selector that fail the way real small models do."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from autogen_core.models import CreateResult, LLMMessage, RequestUsage

from agents.offline import OfflineChatClient
from agents.offline.selector import SELECTOR_MARKER

_SPEAKER_LINE = re.compile(r"^(\w+):", re.MULTILINE)


def _selector_prompt(messages: Sequence[LLMMessage]) -> str | None:
    for message in messages:
        content = getattr(message, "content", None)
        if isinstance(content, str) and SELECTOR_MARKER in content:
            return content
    return None


class SelectorThatFails(OfflineChatClient):
    """Plays the agents offline but answers the selector with `answer(prompt)`."""

    def __init__(self) -> None:
        super().__init__()
        self.selector_calls = 0

    def answer(self, prompt: str) -> str:
        return "I am not sure who should speak next."

    async def create(self, messages: Sequence[LLMMessage], **kwargs: Any) -> CreateResult:
        prompt = _selector_prompt(messages)
        if prompt is None or kwargs.get("tools"):
            return await super().create(messages, **kwargs)
        self.selector_calls += 1
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

"""Asking the language model who speaks next, for the turns the workflow leaves open.

The manager asks this itself instead of leaving the choice to `SelectorGroupChat`'s
model path, whose fallback after failed attempts is the previous speaker (autogen issue
#7471): here an answer that names nobody, several names, or someone outside the
candidates is simply no choice (`None`), and the router decides what happens then.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from autogen_agentchat.messages import BaseAgentEvent, BaseChatMessage
from autogen_core.models import (
    AssistantMessage,
    ChatCompletionClient,
    LLMMessage,
    ModelFamily,
    SystemMessage,
    UserMessage,
)

SELECTOR_PROMPT = """You are the manager of Quorum, a compliance team. The roles:
{roles}

The conversation so far:
{history}

Who should speak next? Answer with exactly one name from {participants} and nothing else."""
PLAN_PROMPT = """You are the manager of Quorum, a compliance team. The roles:
{roles}

The conversation so far:
{history}

The workflow's plan for this request: {plan}
Keep the plan unless the analyst's request needs another speaker now. Answer on one line
as `name: reason`, with exactly one name from {participants}."""
HISTORY_MESSAGES = 30
MAX_ATTEMPTS = 2

Thread = Sequence[BaseAgentEvent | BaseChatMessage]
if TYPE_CHECKING:
    from agents.routing import Decision


class ModelSelector:
    """The selector model, its prompt, and how its answer is read."""

    def __init__(
        self,
        client: ChatCompletionClient,
        descriptions: Mapping[str, str],
        *,
        prompt: str = SELECTOR_PROMPT,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.client = client
        self.descriptions = dict(descriptions)
        self.prompt = prompt
        self.max_attempts = max(1, max_attempts)

    async def choose(self, thread: Thread, candidates: Sequence[str]) -> str | None:
        """One of `candidates`, or None when the model did not name exactly one of them."""
        if len(candidates) == 1:
            return candidates[0]
        messages: list[LLMMessage] = [self._opening(self._prompt_for(thread, candidates))]
        for _ in range(self.max_attempts):
            result = await self.client.create(messages)
            answer = result.content if isinstance(result.content, str) else ""
            named = mentioned(answer, candidates)
            if len(named) == 1:
                return named[0]
            messages.append(AssistantMessage(content=answer, source="selector"))
            messages.append(UserMessage(
                content=f"Answer with exactly one name from {list(candidates)}.", source="user"
            ))
        return None

    async def review(
        self, thread: Thread, default: Decision, candidates: Sequence[str]
    ) -> tuple[str, str] | None:
        """The speaker the model picks, with its reason, given the plan's default; None
        when its answer does not name exactly one candidate (the plan then stands)."""
        plan = (
            f"next {default.speaker} ({default.reason})" if default.speaker else "no fixed plan"
        )
        roles = "\n".join(
            f"{name}: {' '.join(text.split())}" for name, text in self.descriptions.items()
        )
        prompt = PLAN_PROMPT.format(
            roles=roles, history=history_text(thread), plan=plan,
            participants=str(list(candidates)),
        )
        messages: list[LLMMessage] = [self._opening(prompt)]
        for _ in range(self.max_attempts):
            result = await self.client.create(messages)
            answer = result.content if isinstance(result.content, str) else ""
            head, _, reason = answer.strip().partition(":")
            named = mentioned(head, candidates) or mentioned(answer, candidates)
            if len(named) == 1:
                return named[0], " ".join(reason.split())[:200]
            messages.append(AssistantMessage(content=answer, source="selector"))
            messages.append(UserMessage(
                content=f"Answer as `name: reason` with one name from {list(candidates)}.",
                source="user",
            ))
        return None

    def _prompt_for(self, thread: Thread, candidates: Sequence[str]) -> str:
        roles = "\n".join(
            f"{name}: {' '.join(text.split())}" for name, text in self.descriptions.items()
        )
        return self.prompt.format(
            roles=roles, history=history_text(thread), participants=str(list(candidates))
        )

    def _opening(self, prompt: str) -> LLMMessage:
        # OpenAI models take the prompt as a system message; most others need a user turn.
        if ModelFamily.is_openai(self.client.model_info["family"]):
            return SystemMessage(content=prompt)
        return UserMessage(content=prompt, source="user")


def history_text(thread: Thread) -> str:
    """The recent chat messages as "source: text" paragraphs (tool events left out)."""
    chat = [m for m in thread if isinstance(m, BaseChatMessage)][-HISTORY_MESSAGES:]
    return "\n".join(f"{m.source}: {m.to_model_text()}".rstrip() + "\n" for m in chat)


def mentioned(answer: str, names: Sequence[str]) -> list[str]:
    """The names the answer mentions as whole words (underscores may be spaces)."""
    found = []
    for name in names:
        spelled = {name, name.replace("_", " ")}
        pattern = r"(?<!\w)(?:" + "|".join(re.escape(s) for s in spelled) + r")(?!\w)"
        if re.search(pattern, answer):
            found.append(name)
    return found

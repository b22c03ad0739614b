"""The offline engine: a ChatCompletionClient that plays each role of the team by rules.

No model, no network. From the request (the role's system message, the thread, the tool
schemas and the tool results of the turn so far) it decides the role's next tool calls
(real `FunctionCall`s in the `CreateResult`, executed by AutoGen like any model's), then
writes the role's message from the tool results, with citations. As the manager's
selector it answers "who speaks next?" for open requests.

Each agent is given its own client, bound to its role at construction (`for_role`); the
role is never guessed from the prompt. The documents a request is about come from the
team's `DocumentsInPlay` (the tools' typed results), never from labels in messages.
"""

from __future__ import annotations

import copy
import json
import logging
import uuid
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from typing import Any, Literal, Self

from autogen_core import CancellationToken, FunctionCall
from autogen_core.models import (
    ChatCompletionClient,
    CreateResult,
    LLMMessage,
    ModelCapabilities,
    ModelInfo,
    RequestUsage,
)
from autogen_core.tools import Tool, ToolSchema
from pydantic import BaseModel

from agents.in_play import DocumentsInPlay
from agents.intent_model import IntentClassifier
from agents.intents import shared_classifier
from agents.offline.actions import Action
from agents.offline.checking import play_compliance, play_risk
from agents.offline.conversation import Conversation, read_conversation
from agents.offline.debate import play_advocate, play_judge, play_skeptic
from agents.offline.ingestion import play_ingestion
from agents.offline.reporter import play_reporter
from agents.offline.selector import choose_speaker, selector_text
from agents.offline.tokens import count_messages, count_text
from agents.roles.names import SELECTOR, Member, RoleName, is_member

logger = logging.getLogger(__name__)

OFFLINE_MODEL = "quorum-offline"
CONTEXT_TOKENS = 128_000
STREAM_WORDS = 4
PLAYBOOKS: dict[RoleName, Callable[[Conversation], Action]] = {
    "ingestion": play_ingestion,
    "compliance": play_compliance,
    "risk": play_risk,
    "reporter": play_reporter,
    "advocate": play_advocate,
    "skeptic": play_skeptic,
    "judge": play_judge,
}


class OfflineChatClient(ChatCompletionClient):
    """Deterministic stand-in for a language model; see the module docstring."""

    def __init__(
        self,
        role: Member | None = None,
        *,
        classifier: IntentClassifier | None = None,
        in_play: DocumentsInPlay | None = None,
    ) -> None:
        self.role = role
        self.classifier = classifier
        self.in_play = in_play or DocumentsInPlay()
        self._total = RequestUsage(prompt_tokens=0, completion_tokens=0)
        self._actual = RequestUsage(prompt_tokens=0, completion_tokens=0)

    def for_role(self, role: str, *, in_play: DocumentsInPlay | None = None) -> Self:
        """This engine playing `role` (an agent's name, or the selector), reading the
        documents in play from `in_play` (the team's; default: this engine's)."""
        if not is_member(role):
            raise ValueError(f"the offline engine has no role {role!r}")
        bound = copy.copy(self)
        bound.role = role
        bound.in_play = in_play or self.in_play
        return bound

    # -- ChatCompletionClient ----------------------------------------------------------------
    async def create(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[Tool | ToolSchema] = (),
        tool_choice: Tool | Literal["auto", "required", "none"] = "auto",
        json_output: bool | type[BaseModel] | None = None,
        extra_create_args: Mapping[str, Any] = {},
        cancellation_token: CancellationToken | None = None,
    ) -> CreateResult:
        return self._respond(list(messages), tools, tool_choice)

    async def create_stream(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[Tool | ToolSchema] = (),
        tool_choice: Tool | Literal["auto", "required", "none"] = "auto",
        json_output: bool | type[BaseModel] | None = None,
        extra_create_args: Mapping[str, Any] = {},
        cancellation_token: CancellationToken | None = None,
    ) -> AsyncGenerator[str | CreateResult, None]:
        result = self._respond(list(messages), tools, tool_choice)
        if isinstance(result.content, str):
            words = result.content.split(" ")
            for start in range(0, len(words), STREAM_WORDS):
                chunk = " ".join(words[start : start + STREAM_WORDS])
                yield chunk if start + STREAM_WORDS >= len(words) else chunk + " "
        yield result

    async def close(self) -> None:
        return None

    def actual_usage(self) -> RequestUsage:
        return self._actual

    def total_usage(self) -> RequestUsage:
        return self._total

    def count_tokens(
        self, messages: Sequence[LLMMessage], *, tools: Sequence[Tool | ToolSchema] = ()
    ) -> int:
        return count_messages(messages, tools)

    def remaining_tokens(
        self, messages: Sequence[LLMMessage], *, tools: Sequence[Tool | ToolSchema] = ()
    ) -> int:
        return max(0, CONTEXT_TOKENS - self.count_tokens(messages, tools=tools))

    @property
    def capabilities(self) -> ModelCapabilities:
        return ModelCapabilities(vision=False, function_calling=True, json_output=False)

    @property
    def model_info(self) -> ModelInfo:
        return ModelInfo(
            vision=False,
            function_calling=True,
            json_output=False,
            family=OFFLINE_MODEL,
            structured_output=False,
            multiple_system_messages=True,
        )

    # -- the engine --------------------------------------------------------------------------
    def _respond(
        self,
        messages: list[LLMMessage],
        tools: Sequence[Tool | ToolSchema],
        tool_choice: object,
    ) -> CreateResult:
        action = self._act(messages, tools, tool_choice)
        if isinstance(action, list) and action and tool_choice != "none":
            content: str | list[FunctionCall] = [
                FunctionCall(
                    id=f"call_{uuid.uuid4().hex[:16]}",
                    name=call.name,
                    arguments=json.dumps(call.arguments),
                )
                for call in action
            ]
            finish: Literal["function_calls", "stop"] = "function_calls"
            completion = count_text(json.dumps([c.arguments for c in action]))
        else:
            content = action if isinstance(action, str) and action.strip() else "(nothing to add)"
            finish = "stop"
            completion = count_text(content)
        usage = RequestUsage(
            prompt_tokens=count_messages(messages, tools), completion_tokens=completion
        )
        self._actual = usage
        self._total = RequestUsage(
            prompt_tokens=self._total.prompt_tokens + usage.prompt_tokens,
            completion_tokens=self._total.completion_tokens + usage.completion_tokens,
        )
        return CreateResult(finish_reason=finish, content=content, usage=usage, cached=False)

    def _act(
        self, messages: list[LLMMessage], tools: Sequence[Tool | ToolSchema], tool_choice: object
    ) -> Action:
        if self.role is None:
            raise ValueError("the offline engine plays a role: give each agent for_role(name)")
        if self.role == SELECTOR:
            return choose_speaker(selector_text(messages) or "")
        conversation = read_conversation(
            self.role,
            messages,
            tools,
            tool_choice,
            self.classifier or shared_classifier(),
            in_play=self.in_play.runs,
        )
        playbook = PLAYBOOKS[self.role]
        try:
            return playbook(conversation)
        except Exception:
            logger.exception("offline engine: the %s playbook failed", conversation.role)
            return (
                f"The offline engine could not write the {conversation.role} agent's message "
                "for this request; try rephrasing it."
            )

"""The team: seven agents, the manager that routes their turns, and when a run stops.

The manager is AutoGen's `SelectorGroupChat` with our router as its `selector_func`
(known workflows) and the model-based selector for open requests. A thin manager
subclass adds a `RoutingEvent` with the reason of every choice, and refuses to let a
model pick the speaker who just spoke (the #7471 livelock).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.base import TerminationCondition
from autogen_agentchat.conditions import ExternalTermination, MaxMessageTermination
from autogen_agentchat.messages import BaseAgentEvent, BaseChatMessage, MessageFactory
from autogen_agentchat.teams import SelectorGroupChat
from autogen_agentchat.teams._group_chat._base_group_chat_manager import BaseGroupChatManager
from autogen_agentchat.teams._group_chat._events import GroupChatTermination
from autogen_agentchat.teams._group_chat._selector_group_chat import SelectorGroupChatManager
from autogen_core.models import ChatCompletionClient
from autogen_core.tools import BaseTool

from agents.events import RoutingEvent
from agents.roles import ROLE_BUILDERS
from agents.routing import Router, current_run
from agents.termination import RunTimeout, WorkflowComplete

logger = logging.getLogger(__name__)

MANAGER_NAME = "manager"
SELECTOR_PROMPT = """You are the manager of Quorum, a compliance team. The roles:
{roles}

The conversation so far:
{history}

Who should speak next? Answer with exactly one name from {participants} and nothing else."""


class RoutingManager(SelectorGroupChatManager):
    """SelectorGroupChat's manager, plus the reason of each choice and the livelock guard."""

    router: Router

    async def select_speaker(self, thread: Sequence[BaseAgentEvent | BaseChatMessage]) -> str:
        names = await super().select_speaker(thread)
        speaker = names[0] if isinstance(names, list) else names
        decision = self.router.last_decision
        decided_by = "workflow"
        if decision is None or decision.speaker is None:
            decided_by = "model"
            run = current_run(thread)
            previous = run.spoken[-1] if run and run.spoken else None
            if speaker == previous or speaker not in self._participant_names:
                speaker = "reporter" if previous != "reporter" else "judge"
            reason = f"the model chose {speaker} for an open request"
            workflow = decision.workflow if decision else "open"
        else:
            reason, workflow = decision.reason, decision.workflow
        if self._emit_team_events:
            await self._output_message_queue.put(
                RoutingEvent(
                    source=MANAGER_NAME,
                    speaker=speaker,
                    reason=reason,
                    workflow=workflow,
                    decided_by=decided_by,  # type: ignore[arg-type]
                    content=f"→ {speaker}: {reason}",
                )
            )
        self.router.last_decision = None
        return speaker


class RoutedSelectorGroupChat(SelectorGroupChat):
    """A SelectorGroupChat whose manager is a `RoutingManager` sharing our router."""

    def __init__(self, *args: Any, router: Router, **kwargs: Any) -> None:
        super().__init__(*args, selector_func=router.select, candidate_func=router.candidates,
                         **kwargs)
        self.router = router

    def _create_group_chat_manager_factory(
        self,
        name: str,
        group_topic_type: str,
        output_topic_type: str,
        participant_topic_types: list[str],
        participant_names: list[str],
        participant_descriptions: list[str],
        output_message_queue: asyncio.Queue[
            BaseAgentEvent | BaseChatMessage | GroupChatTermination
        ],
        termination_condition: TerminationCondition | None,
        max_turns: int | None,
        message_factory: MessageFactory,
    ) -> Callable[[], BaseGroupChatManager]:
        def make_manager() -> BaseGroupChatManager:
            manager = RoutingManager(
                name,
                group_topic_type,
                output_topic_type,
                participant_topic_types,
                participant_names,
                participant_descriptions,
                output_message_queue,
                termination_condition,
                max_turns,
                message_factory,
                self._model_client,
                self._selector_prompt,
                self._allow_repeated_speaker,
                self._selector_func,
                self._max_selector_attempts,
                self._candidate_func,
                self._emit_team_events,
                self._model_context,
                self._model_client_streaming,
            )
            manager.router = self.router
            return manager

        return make_manager


@dataclass
class Team:
    """A built team and the handles a session needs to drive and stop it."""

    chat: RoutedSelectorGroupChat
    router: Router
    external: ExternalTermination
    agents: dict[str, AssistantAgent]


def build_termination(
    router: Router, external: ExternalTermination, *, max_messages: int, timeout_s: float
) -> TerminationCondition:
    return (
        WorkflowComplete(router)
        | MaxMessageTermination(max_messages)
        | RunTimeout(timeout_s)
        | external
    )


def build_team(
    *,
    clients: Mapping[str, ChatCompletionClient],
    tools: Mapping[str, Sequence[BaseTool[Any, Any]]],
    debate_rounds: int = 2,
    max_messages: int = 40,
    timeout_s: float = 300,
    stream: bool = True,
    router: Router | None = None,
) -> Team:
    """The seven agents and their manager.

    `clients` maps each role (and "selector") to its model client; `tools` maps each role
    to its bound tools (see `tools.agent_tools.tools_for_role`); `router` replaces the
    standard router (tests use one that sends every turn to the model).
    """
    agents = {
        role: build(clients[role], list(tools[role]), stream=stream)
        for role, build in ROLE_BUILDERS.items()
    }
    router = router or Router(debate_rounds=debate_rounds)
    external = ExternalTermination()
    chat = RoutedSelectorGroupChat(
        list(agents.values()),
        model_client=clients["selector"],
        router=router,
        name="quorum",
        termination_condition=build_termination(
            router, external, max_messages=max_messages, timeout_s=timeout_s
        ),
        selector_prompt=SELECTOR_PROMPT,
        allow_repeated_speaker=False,
        max_selector_attempts=2,
        emit_team_events=True,
        model_client_streaming=False,
        custom_message_types=[RoutingEvent],
    )
    return Team(chat=chat, router=router, external=external, agents=agents)


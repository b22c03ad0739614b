"""The team: seven agents, the manager that routes their turns, and when a run stops.

The manager is AutoGen's `SelectorGroupChat`, used through its public parameters only:
`selector_func` is `SpeakerSelection.select`, which asks our router for every turn and, for
the turns a workflow leaves open, asks the selector model itself (so AutoGen's fallback to
the previous speaker, autogen issue #7471, is never reached: the selection always names
someone, and never the agent who just spoke). Each choice is published as a
`RoutingEvent` with its reason; `Team.run_stream` yields it just before AutoGen's own
`SelectSpeakerEvent` for the same turn.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.base import TaskResult, TerminationCondition
from autogen_agentchat.conditions import ExternalTermination, MaxMessageTermination
from autogen_agentchat.messages import (
    BaseAgentEvent,
    BaseChatMessage,
    SelectSpeakerEvent,
    TextMessage,
)
from autogen_agentchat.teams import SelectorGroupChat
from autogen_core import CancellationToken
from autogen_core.models import ChatCompletionClient
from autogen_core.tools import BaseTool

from agents.events import RoutingEvent
from agents.model_selector import SELECTOR_PROMPT, ModelSelector
from agents.roles import ROLE_BUILDERS, ROLE_NAMES, SELECTOR
from agents.routing import Decision, Router, Thread, previous_speaker
from agents.termination import RunTimeout, WorkflowComplete

MANAGER_NAME = "manager"
TeamEvent = BaseAgentEvent | BaseChatMessage | TaskResult


class SpeakerSelection:
    """SelectorGroupChat's `selector_func`: the router's decision, the model's for open
    steps, settled so that no one follows themselves, and published with its reason."""

    def __init__(self, router: Router, model: ModelSelector, *, model_plans: bool) -> None:
        self.router = router
        self.model = model
        self.model_plans = model_plans
        self.published: deque[RoutingEvent] = deque()

    async def select(self, thread: Thread) -> str:
        """The next speaker's name; see the class docstring."""
        decision = self.router.decide(thread)
        if decision.speaker is None or (self.model_plans and not decision.command):
            decision = await self._ask_model(thread, decision)
        decision = self.router.settle(thread, decision)
        assert decision.speaker is not None  # settle always names a speaker
        self.published.append(routing_event(decision))
        return decision.speaker

    async def _ask_model(self, thread: Thread, default: Decision) -> Decision:
        """The model's choice, given the workflow's plan as the default: it may keep the
        plan's speaker or name another candidate, with its reason."""
        candidates = [n for n in ROLE_NAMES if n != previous_speaker(thread)]
        choice = await self.model.review(thread, default, candidates)
        if choice is None:
            return default
        speaker, reason = choice
        if speaker == default.speaker:
            kept = f"the model kept the plan ({default.reason})"
            reason = kept + (f": {reason}" if reason else "")
        else:
            plan = f"plan: {default.speaker}" if default.speaker else "no plan"
            reason = f"the model chose {speaker} ({plan})" + (f": {reason}" if reason else "")
        return Decision(speaker, reason, default.workflow, decided_by="model")

    def drain(self) -> list[RoutingEvent]:
        """The routing events published since the last call, oldest first."""
        events = list(self.published)
        self.published.clear()
        return events


def routing_event(decision: Decision) -> RoutingEvent:
    speaker = decision.speaker or ""
    return RoutingEvent(
        source=MANAGER_NAME,
        speaker=speaker,
        reason=decision.reason,
        workflow=decision.workflow,
        decided_by=decision.decided_by,
        content=f"→ {speaker}: {decision.reason}",
    )


@dataclass
class Team:
    """A built team and the handles a session needs to drive and stop it."""

    chat: SelectorGroupChat
    router: Router
    selection: SpeakerSelection
    external: ExternalTermination
    agents: dict[str, AssistantAgent]

    async def run_stream(
        self, task: TextMessage, *, cancellation_token: CancellationToken | None = None
    ) -> AsyncIterator[TeamEvent]:
        """The team's stream, each `RoutingEvent` just before AutoGen's `SelectSpeakerEvent`
        for the same turn (the selection is made before it is announced)."""
        self.selection.drain()  # nothing left over from an interrupted run
        async for event in self.chat.run_stream(
            task=task, cancellation_token=cancellation_token
        ):
            if isinstance(event, SelectSpeakerEvent | TaskResult):
                for routed in self.selection.drain():
                    yield routed
            yield event


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
    model_plans: bool = False,
) -> Team:
    """The seven agents and their manager.

    `clients` maps each role (and "selector") to its model client; `tools` maps each role
    to its bound tools (see `agents.roles.tools_for_role`); `router` replaces the
    standard router (tests use one that sends every turn to the model); `model_plans`:
    a language model is the selector, so it decides every turn that is not an explicit
    command, with the router's plan as its default.
    """
    agents: dict[str, AssistantAgent] = {
        role: ROLE_BUILDERS[role](clients[role], list(tools[role]), stream=stream)
        for role in ROLE_NAMES
    }
    router = router or Router(debate_rounds=debate_rounds)
    descriptions: dict[str, str] = {name: agent.description for name, agent in agents.items()}
    selection = SpeakerSelection(
        router, ModelSelector(clients[SELECTOR], descriptions), model_plans=model_plans
    )
    external = ExternalTermination()
    chat = SelectorGroupChat(
        list(agents.values()),
        model_client=clients[SELECTOR],
        selector_func=selection.select,
        name="quorum",
        termination_condition=build_termination(
            router, external, max_messages=max_messages, timeout_s=timeout_s
        ),
        selector_prompt=SELECTOR_PROMPT,
        allow_repeated_speaker=False,
        emit_team_events=True,
    )
    return Team(chat=chat, router=router, selection=selection, external=external, agents=agents)


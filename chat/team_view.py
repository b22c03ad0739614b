"""The team's events as the analyst sees them: one message per agent turn, tool steps
nested in it, the manager's routing, streamed tokens and the workflow's task list.

Every AutoGen event type has a place here; one we do not know is shown as a generic
step with its text, so nothing the team says is silently dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import chainlit as cl
from autogen_agentchat.base import TaskResult
from autogen_agentchat.messages import (
    BaseChatMessage,
    ModelClientStreamingChunkEvent,
    SelectorEvent,
    SelectSpeakerEvent,
    ThoughtEvent,
    ToolCallExecutionEvent,
    ToolCallRequestEvent,
    UserInputRequestedEvent,
)
from chainlit.step import TrueStepType
from chainlit.utils import utc_now

from agents.events import ArtifactEvent, ClarifyEvent, NoticeEvent, RoutingEvent
from chat.citations import Citation, citation_elements, sources_line
from chat.markdown import sanitize_agent_markdown
from chat.tasks import WorkflowTasks
from chat.tool_results import RunResults, absorb, pretty
from knowledge.library import KnowledgeBase

logger = logging.getLogger(__name__)

MANAGER = "manager"
NOTICE_AUTHOR = "Quorum"
CLARIFY_ACTION = "clarify"
USER_SOURCES = ("user", "analyst")


@dataclass
class Turn:
    """One agent's turn: its message, its open tool steps and what it cited."""

    source: str
    message: cl.Message
    steps: dict[str, cl.Step] = field(default_factory=dict)
    citations: list[Citation] = field(default_factory=list)
    streamed: bool = False


class TeamView:
    """Turns a stream of team events into Chainlit messages, steps and elements."""

    def __init__(self, *, knowledge: KnowledgeBase, owner: str, tasks: WorkflowTasks) -> None:
        self.knowledge = knowledge
        self.owner = owner
        self.tasks = tasks
        self.results = RunResults()
        self.turn: Turn | None = None
        self.shown = 0
        self.failed = False
        self.last_routed: str | None = None

    async def show(self, event: Any) -> None:
        """Render one event; returns after the UI has been told."""
        self.shown += 1
        if isinstance(event, TaskResult):
            await self.close_turn()
        elif isinstance(event, ModelClientStreamingChunkEvent):
            await self._stream(event)
        elif isinstance(event, ToolCallRequestEvent):
            await self._tool_requests(event)
        elif isinstance(event, ToolCallExecutionEvent):
            await self._tool_results(event)
        elif isinstance(event, ArtifactEvent):
            self._artifact(event)
        elif isinstance(event, NoticeEvent):
            await self._notice(event)
        elif isinstance(event, ClarifyEvent):
            await self._clarify(event)
        elif isinstance(event, SelectSpeakerEvent) and self._already_routed(event):
            logger.debug("selection of %s already shown with its reason", event.content)
        elif (text := routing_text(event)) is not None:
            await self._routing(text, next_speaker(event))
        elif isinstance(event, ThoughtEvent):
            await self._side_step(event.source, "thinking", event.content)
        elif isinstance(event, UserInputRequestedEvent):
            await self._side_step(event.source, "waiting for the analyst", "")
        elif isinstance(event, BaseChatMessage):
            await self._chat_message(event)
        else:
            await self._side_step(
                getattr(event, "source", MANAGER), type(event).__name__, _text_of(event)
            )

    # -- turns ----------------------------------------------------------------------------
    async def _turn_for(self, source: str) -> Turn:
        if self.turn is not None and self.turn.source == source:
            return self.turn
        await self.close_turn()
        await self.tasks.agent_started(source)
        message = cl.Message(content="", author=source)
        await message.send()
        self.turn = Turn(source=source, message=message)
        return self.turn

    async def close_turn(self, final_text: str | None = None) -> None:
        """Finish the open turn: final text, citation links and elements."""
        turn, self.turn = self.turn, None
        if turn is None:
            return
        for step in turn.steps.values():
            step.output = step.output or "(no result: the run moved on)"
            step.end = utc_now()
            await step.update()
        text = final_text if final_text is not None else turn.message.content
        elements = await citation_elements(
            turn.citations, knowledge=self.knowledge, owner=self.owner
        )
        turn.message.content = sanitize_agent_markdown(text or "") + sources_line(elements)
        turn.message.elements = elements
        for element in elements:
            await element.send(for_id=turn.message.id)
        await turn.message.update()

    async def _chat_message(self, event: BaseChatMessage) -> None:
        if event.source in USER_SOURCES:
            return  # the analyst's own message, already on screen
        await self._turn_for(event.source)
        await self.close_turn(_text_of(event))

    async def _stream(self, event: ModelClientStreamingChunkEvent) -> None:
        turn = await self._turn_for(event.source)
        turn.streamed = True
        await turn.message.stream_token(event.content)

    # -- tools ----------------------------------------------------------------------------
    async def _tool_requests(self, event: ToolCallRequestEvent) -> None:
        turn = await self._turn_for(event.source)
        for call in event.content:
            step = _nested_step(turn, call.name, "tool")
            step.language = "json"
            step.input = pretty(call.arguments)
            step.show_input = "json"
            await step.send()
            turn.steps[call.id] = step

    async def _tool_results(self, event: ToolCallExecutionEvent) -> None:
        turn = await self._turn_for(event.source)
        for result in event.content:
            step = turn.steps.pop(result.call_id, None)
            if step is None:
                step = _nested_step(turn, result.name, "tool")
                await step.send()
            step.output = pretty(result.content)
            step.language = "json"
            step.is_error = bool(result.is_error)
            step.end = utc_now()
            await step.update()
            if not result.is_error:
                turn.citations.extend(absorb(result.content, self.results))

    # -- the manager and the rest -----------------------------------------------------------
    def _already_routed(self, event: SelectSpeakerEvent) -> bool:
        """AutoGen's own selection event repeats the manager's reasoned one: show it once."""
        return list(event.content) == [self.last_routed]

    async def _routing(self, text: str, speaker: str | None) -> None:
        self.last_routed = speaker
        await self.close_turn()
        await cl.Message(content=text, author=MANAGER).send()
        if speaker:
            await self.tasks.agent_started(speaker)

    def _artifact(self, event: ArtifactEvent) -> None:
        """Report files and chart data are shown together when the run ends."""
        if event.kind == "report" and event.path:
            self.results.add_report_file(event.path)
        elif event.kind == "chart" and event.data:
            self.results.charts.append((event.name, dict(event.data)))

    async def _notice(self, event: NoticeEvent) -> None:
        await self.close_turn()
        text = sanitize_agent_markdown(event.content)
        if event.level == "error":
            self.failed = True
            await cl.ErrorMessage(content=text, author=NOTICE_AUTHOR).send()
        else:
            prefix = "⚠ " if event.level == "warning" else ""
            await cl.Message(content=prefix + text, author=NOTICE_AUTHOR).send()

    async def _clarify(self, event: ClarifyEvent) -> None:
        """The team's question back, with one button per likely workflow."""
        await self.close_turn()
        actions = [
            cl.Action(name=CLARIFY_ACTION, payload={"message": option["message"]},
                      label=option["label"], tooltip=option["message"])
            for option in event.options
        ]
        await cl.Message(
            content=sanitize_agent_markdown(event.content), author=NOTICE_AUTHOR, actions=actions
        ).send()

    async def _side_step(self, source: str, name: str, text: str) -> None:
        turn = await self._turn_for(source)
        step = _nested_step(turn, name, "undefined")
        step.output = text
        await step.send()


def _nested_step(turn: Turn, name: str, kind: TrueStepType) -> cl.Step:
    """A step inside an agent's turn, shown with that agent's avatar."""
    return cl.Step(
        name=name, type=kind, parent_id=turn.message.id, metadata={"avatarName": turn.source}
    )


def next_speaker(event: Any) -> str | None:
    """The agent the manager picked, when the event says so."""
    if isinstance(event, RoutingEvent):
        return event.speaker or None
    if isinstance(event, SelectSpeakerEvent) and event.content:
        return str(event.content[0])
    return None


def routing_text(event: Any) -> str | None:
    """'→ risk: files were checked' for a routing event, else None."""
    if isinstance(event, SelectSpeakerEvent):
        return "→ " + ", ".join(event.content)
    if isinstance(event, SelectorEvent):
        return f"→ {_text_of(event)}"
    if not isinstance(event, RoutingEvent):
        return None
    by_model = " (chosen by the model)" if event.decided_by == "model" else ""
    return f"→ {event.speaker}: {event.reason}{by_model}"


def _text_of(event: Any) -> str:
    to_text = getattr(event, "to_text", None)
    if callable(to_text):
        return str(to_text())
    return str(getattr(event, "content", event))

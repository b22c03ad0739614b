"""The team's events as the UI receives them: turns, nested tool steps, routing, notices.

Driven with real AutoGen event objects through a Chainlit context whose emitter records
what would be sent to the browser.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from autogen_agentchat.base import TaskResult
from autogen_agentchat.messages import (
    MemoryQueryEvent,
    ModelClientStreamingChunkEvent,
    SelectSpeakerEvent,
    StopMessage,
    TextMessage,
    ThoughtEvent,
    ToolCallExecutionEvent,
    ToolCallRequestEvent,
)
from autogen_core import FunctionCall
from autogen_core.models import FunctionExecutionResult
from chainlit.context import ChainlitContext, context_var
from chainlit.emitter import BaseChainlitEmitter
from chainlit.session import HTTPSession

from agents.events import NoticeEvent, RoutingEvent
from chat.tasks import WorkflowTasks
from chat.team_view import TeamView
from knowledge.library import KnowledgeBase


class RecordingEmitter(BaseChainlitEmitter):
    def __init__(self, session: HTTPSession) -> None:
        super().__init__(session)
        self.steps: dict[str, dict[str, Any]] = {}
        self.order: list[str] = []
        self.tokens: list[str] = []

    def _record(self, step: dict[str, Any]) -> None:
        if step["id"] not in self.steps:
            self.order.append(step["id"])
        self.steps[step["id"]] = {**self.steps.get(step["id"], {}), **step}

    async def send_step(self, step_dict: Any) -> None:
        self._record(step_dict)

    async def update_step(self, step_dict: Any) -> None:
        self._record(step_dict)

    async def stream_start(self, step_dict: Any) -> None:
        self._record(step_dict)

    async def send_token(
        self, id: str, token: str, is_sequence: bool = False, is_input: bool = False
    ) -> None:
        self.tokens.append(token)


def recording_context() -> RecordingEmitter:
    session = HTTPSession(id=str(uuid.uuid4()), thread_id=str(uuid.uuid4()), client_type="webapp")
    emitter = RecordingEmitter(session)
    context_var.set(ChainlitContext(session, emitter=emitter))
    return emitter


def script() -> list[Any]:
    call = FunctionCall(id="c1", name="list_documents", arguments='{"scope": "all"}')
    result = FunctionExecutionResult(
        call_id="c1",
        name="list_documents",
        is_error=False,
        content='{"documents": [], "attached": []}',
    )
    return [
        TextMessage(source="user", content="what do we have?"),
        RoutingEvent(
            source="manager",
            speaker="ingestion",
            reason="a question: look it up",
            workflow="question",
        ),
        SelectSpeakerEvent(source="manager", content=["ingestion"]),
        ToolCallRequestEvent(source="ingestion", content=[call]),
        ToolCallExecutionEvent(source="ingestion", content=[result]),
        ModelClientStreamingChunkEvent(source="ingestion", content="The library "),
        ModelClientStreamingChunkEvent(source="ingestion", content="is empty."),
        TextMessage(source="ingestion", content="The library is empty. <img src=x>"),
        ThoughtEvent(source="reporter", content="nothing to cite"),
        MemoryQueryEvent(source="reporter", content=[]),
        StopMessage(source="reporter", content="Nothing to report."),
        NoticeEvent(source="quorum", content="The endpoint failed.", level="error"),
        TaskResult(messages=[], stop_reason="done"),
    ]


async def test_every_event_has_its_place_in_the_ui() -> None:
    emitter = recording_context()
    view = TeamView(
        knowledge=cast(KnowledgeBase, None),
        owner="local",
        tasks=WorkflowTasks(files_attached=False),
    )
    events = script()
    for event in events:
        await view.show(event)
    assert view.shown == len(events)

    steps = [emitter.steps[i] for i in emitter.order]
    said = [(s["name"], s["output"]) for s in steps if s["type"] == "assistant_message"]
    assert said[0] == ("manager", "→ ingestion: a question: look it up")
    assert ("ingestion", "The library is empty. &lt;img src=x>") in said
    assert ("reporter", "Nothing to report.") in said
    assert sum(1 for name, _ in said if name == "manager") == 1  # selection shown once
    assert emitter.tokens == ["is empty."]  # the first token travels with stream_start

    turn = next(s for s in steps if s["name"] == "ingestion")
    [tool] = [s for s in steps if s["type"] == "tool"]
    assert tool["parentId"] == turn["id"]
    assert tool["input"] == '{\n  "scope": "all"\n}'
    assert '"documents": []' in tool["output"] and tool["end"]
    others = {s["name"] for s in steps if s["type"] == "undefined"}
    assert {"thinking", "MemoryQueryEvent"} <= others
    errors = [s for s in steps if s.get("isError")]
    assert [e["output"] for e in errors] == ["The endpoint failed."]
    assert view.failed

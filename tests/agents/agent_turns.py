"""Running one turn of the team and keeping what a person would look at."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autogen_agentchat.base import TaskResult
from autogen_agentchat.messages import (
    BaseChatMessage,
    ToolCallExecutionEvent,
    ToolCallRequestEvent,
)

from agents.config import Attachment
from agents.events import ArtifactEvent, NoticeEvent, RoutingEvent
from agents.session import TeamSession


@dataclass
class Turn:
    """One run of the team as the analyst sees it."""

    events: list[Any] = field(default_factory=list)
    result: TaskResult | None = None

    @property
    def speakers(self) -> list[str]:
        return [
            e.source
            for e in self.events
            if isinstance(e, BaseChatMessage) and e.source not in ("user",)
        ]

    @property
    def calls(self) -> list[tuple[str, str, dict[str, Any]]]:
        return [
            (e.source, c.name, json.loads(c.arguments))
            for e in self.events
            if isinstance(e, ToolCallRequestEvent)
            for c in e.content
        ]

    def tools_of(self, agent: str) -> list[str]:
        return [name for source, name, _ in self.calls if source == agent]

    @property
    def results(self) -> list[tuple[str, str, bool, str]]:
        return [
            (e.source, r.name, bool(r.is_error), r.content)
            for e in self.events
            if isinstance(e, ToolCallExecutionEvent)
            for r in e.content
        ]

    def message(self, agent: str) -> str:
        texts = [
            e.to_text() for e in self.events if isinstance(e, BaseChatMessage) and e.source == agent
        ]
        assert texts, f"{agent} did not speak; speakers: {self.speakers}"
        return texts[-1]

    @property
    def routing(self) -> list[RoutingEvent]:
        return [e for e in self.events if isinstance(e, RoutingEvent)]

    @property
    def notices(self) -> list[NoticeEvent]:
        return [e for e in self.events if isinstance(e, NoticeEvent)]

    @property
    def artifacts(self) -> list[ArtifactEvent]:
        return [e for e in self.events if isinstance(e, ArtifactEvent)]

    @property
    def stop_reason(self) -> str:
        assert self.result is not None
        return self.result.stop_reason or ""


async def ask(session: TeamSession, message: str, files: Sequence[Path] = ()) -> Turn:
    turn = Turn()
    attachments = [Attachment(path=f, filename=f.name) for f in files]
    async for event in session.run_stream(message, attachments=attachments):
        if isinstance(event, TaskResult):
            turn.result = event
        else:
            turn.events.append(event)
    assert turn.result is not None, "the stream must end with a TaskResult"
    return turn


def doc_id(turn: Turn, filename: str) -> str:
    """The id the ingestion agent got for `filename` in this turn."""
    for _source, name, is_error, content in turn.results:
        if name == "ingest_file" and not is_error:
            data = json.loads(content)
            if data["filename"] == filename and data["document"]:
                return str(data["document"]["document_id"])
    raise AssertionError(f"{filename} was not ingested in this turn")


async def answer_pending(
    session: TeamSession, *, confirm: bool = True, role: str = "admin"
) -> Turn:
    """Answer the thread's one pending request as the chat's buttons do, then resume the team."""
    from tools.review.guards import Executor, answer_action, answer_note, pending_actions

    sessions = session.deps.knowledge.database.sessions
    [pending] = await pending_actions(sessions, owner=session.owner, thread_id=session.thread_id)
    status = await answer_action(
        sessions, Executor(session.deps.knowledge, session.deps.rulebooks),
        request_id=pending.request_id, owner=session.owner, user=session.owner, role=role,
        confirm=confirm,
    )  # fmt: skip
    return await ask(session, answer_note(status))

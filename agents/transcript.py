"""Team events as a person reads them: transcript lines (CLI, JSON) and audit entries."""

from __future__ import annotations

import json
from typing import Any

from autogen_agentchat.base import TaskResult
from autogen_agentchat.messages import (
    BaseAgentEvent,
    BaseChatMessage,
    ModelClientStreamingChunkEvent,
    SelectSpeakerEvent,
    ToolCallExecutionEvent,
    ToolCallRequestEvent,
)

from agents.events import ArtifactEvent, NoticeEvent, RoutingEvent
from agents.store import AuditEntry

Event = BaseAgentEvent | BaseChatMessage | TaskResult
MAX_RESULT_CHARS = 2000


def _arguments(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError:
        return {"_raw": raw}
    return value if isinstance(value, dict) else {"_value": value}


def call_text(name: str, arguments: str) -> str:
    shown = ", ".join(f"{k}={v!r}" for k, v in _arguments(arguments).items())
    return f"{name}({shown})"


def transcript_entries(event: Event) -> list[dict[str, str]]:
    """`{"source", "type", "content"}` lines for `quorum ask --json` (none for noise)."""
    if isinstance(event, TaskResult | ModelClientStreamingChunkEvent | SelectSpeakerEvent):
        return []
    if isinstance(event, ToolCallRequestEvent):
        return [
            {"source": event.source, "type": "tool_call", "content": call_text(c.name, c.arguments)}
            for c in event.content
        ]
    if isinstance(event, ToolCallExecutionEvent):
        return [
            {
                "source": event.source,
                "type": "tool_error" if r.is_error else "tool_result",
                "content": f"{r.name}: {r.content[:MAX_RESULT_CHARS]}",
            }
            for r in event.content
        ]
    if isinstance(event, RoutingEvent):
        return [{"source": event.source, "type": "routing", "content": event.to_text()}]
    if isinstance(event, NoticeEvent):
        return [{"source": event.source, "type": f"notice_{event.level}", "content": event.content}]
    if isinstance(event, ArtifactEvent):
        return [{"source": event.source, "type": "artifact", "content": event.to_text()}]
    if isinstance(event, BaseChatMessage):
        return [{"source": event.source, "type": "message", "content": event.to_text()}]
    return [{"source": event.source, "type": type(event).__name__, "content": event.to_text()}]


class AuditLog:
    """Collects the audit entries of one run from its events."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []
        self._calls: dict[str, tuple[str, str]] = {}

    def add(self, event: Event) -> None:
        if isinstance(event, ToolCallRequestEvent):
            self._calls.update({c.id: (c.name, c.arguments) for c in event.content})
        elif isinstance(event, ToolCallExecutionEvent):
            for result in event.content:
                name, arguments = self._calls.pop(result.call_id, (result.name, "{}"))
                self.entries.append(
                    AuditEntry(
                        kind="tool_call",
                        source=event.source,
                        tool_name=name,
                        call_id=result.call_id,
                        arguments=_arguments(arguments),
                        outcome=result.content,
                        is_error=bool(result.is_error),
                        at=event.created_at,
                    )
                )
        elif isinstance(event, RoutingEvent):
            self.entries.append(
                AuditEntry(kind="routing", source=event.source, content=event.to_text(),
                           at=event.created_at)
            )
        elif isinstance(event, NoticeEvent) and event.level != "info":
            self.entries.append(
                AuditEntry(kind="error", source=event.source, content=event.content,
                           at=event.created_at)
            )
        elif isinstance(event, BaseChatMessage):
            self.entries.append(
                AuditEntry(kind="message", source=event.source, content=event.to_text(),
                           at=event.created_at)
            )
        elif isinstance(event, TaskResult):
            self.entries.append(AuditEntry(kind="stop", source="team",
                                           content=event.stop_reason or ""))

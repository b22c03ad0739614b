"""The offline engine's reading of a model request: who it plays, what was asked, what the
tools returned in this turn, and which documents each run of the thread acted on.

An AssistantAgent sends its whole model context: its system message, every chat message
of the thread (the analyst's tasks and the other agents' messages, as user messages),
its own earlier messages, and the tool calls and results of the turn in progress. The
other agents' tool results are not in it: the documents they acted on come from the
team's `DocumentsInPlay` (typed tool results), given beside the messages.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from autogen_core import FunctionCall
from autogen_core.models import (
    AssistantMessage,
    FunctionExecutionResultMessage,
    LLMMessage,
    UserMessage,
)
from autogen_core.tools import Tool, ToolSchema

from agents.intent_model import IntentClassifier
from agents.intents import Request, read_requests
from agents.roles.names import RoleName
from tools.agent_tools.models import DocumentRef

USER = "user"
ID_CHARS = 8


@dataclass(frozen=True)
class Said:
    """A message of the thread: who said it, what, and in which run (0-based)."""

    source: str
    content: str
    run: int


@dataclass(frozen=True)
class ToolOutcome:
    """One tool call of the current turn and what came back."""

    name: str
    arguments: dict[str, Any]
    ok: bool
    data: dict[str, Any] | None
    error: str | None


@dataclass
class Conversation:
    role: RoleName
    requests: list[Request]
    said: list[Said]
    turn: list[ToolOutcome]
    tools: frozenset[str]
    may_call_tools: bool
    in_play: list[list[str]] = field(default_factory=list)
    documents: dict[str, str] = field(default_factory=dict)

    @property
    def request(self) -> Request:
        return self.requests[-1]

    @property
    def run(self) -> int:
        return len(self.requests) - 1

    def run_messages(self, source: str | None = None) -> list[Said]:
        """Messages of the current run from other agents (or from `source`)."""
        return [
            s
            for s in self.said
            if s.run == self.run and s.source != USER and (source is None or s.source == source)
        ]

    def results(self, tool: str) -> list[dict[str, Any]]:
        return [o.data for o in self.turn if o.name == tool and o.ok and o.data is not None]

    def called(self, tool: str) -> bool:
        return any(o.name == tool for o in self.turn)

    def errors(self) -> list[ToolOutcome]:
        return [o for o in self.turn if not o.ok]

    def can_call(self, tool: str) -> bool:
        return self.may_call_tools and tool in self.tools

    def run_document_ids(self) -> list[str]:
        """Documents (8-character ids) the team's tools acted on in this run, in order."""
        return list(self.in_play[-1]) if self.in_play else []

    def previous_run_ids(self) -> list[str]:
        """Documents the most recent earlier run that acted on any acted on."""
        earlier = [ids for ids in self.in_play[:-1] if ids]
        return list(earlier[-1]) if earlier else []


def _tool_names(tools: Sequence[Tool | ToolSchema]) -> frozenset[str]:
    return frozenset(t["name"] if isinstance(t, dict) else t.name for t in tools)


def _parse(content: str) -> dict[str, Any] | None:
    try:
        data = json.loads(content)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _turn_start(messages: Sequence[LLMMessage]) -> int:
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], UserMessage):
            return index + 1
    return len(messages)


def _outcomes(messages: Sequence[LLMMessage]) -> list[ToolOutcome]:
    calls: dict[str, FunctionCall] = {}
    outcomes: list[ToolOutcome] = []
    for message in messages:
        if isinstance(message, AssistantMessage) and isinstance(message.content, list):
            calls.update({call.id: call for call in message.content})
        elif isinstance(message, FunctionExecutionResultMessage):
            for result in message.content:
                call = calls.get(result.call_id)
                arguments = _parse(call.arguments) if call else None
                ok = not result.is_error
                outcomes.append(
                    ToolOutcome(
                        name=result.name,
                        arguments=arguments or {},
                        ok=ok,
                        data=_parse(result.content) if ok else None,
                        error=None if ok else result.content,
                    )
                )
    return outcomes


def _thread(messages: Sequence[LLMMessage], role: str) -> tuple[list[str], list[Said]]:
    tasks: list[str] = []
    said: list[Said] = []
    for message in messages:
        if isinstance(message, UserMessage) and isinstance(message.content, str):
            if message.source == USER:
                tasks.append(message.content)
            said.append(Said(message.source, message.content, max(len(tasks) - 1, 0)))
        elif isinstance(message, AssistantMessage) and isinstance(message.content, str):
            said.append(Said(role, message.content, max(len(tasks) - 1, 0)))
    return tasks, said


def _documents(runs: Sequence[Sequence[DocumentRef]], turn: list[ToolOutcome]) -> dict[str, str]:
    """8-character id -> file name, in the order the thread's tools first acted on them,
    then those of this turn's own results."""
    documents: dict[str, str] = {}
    for run in runs:
        for ref in run:
            documents.setdefault(ref.document_id[:ID_CHARS], ref.filename)
    for outcome in turn:
        for found in _refs(outcome.data):
            documents.setdefault(found["document_id"][:ID_CHARS], found["filename"])
    return documents


def _refs(data: Any) -> list[dict[str, str]]:
    """Every {document_id, filename} object inside a tool result."""
    if isinstance(data, dict):
        found = [data] if {"document_id", "filename"} <= data.keys() else []
        return found + [ref for value in data.values() for ref in _refs(value)]
    if isinstance(data, list):
        return [ref for value in data for ref in _refs(value)]
    return []


def read_conversation(
    role: RoleName,
    messages: Sequence[LLMMessage],
    tools: Sequence[Tool | ToolSchema],
    tool_choice: object,
    classifier: IntentClassifier,
    *,
    in_play: Sequence[Sequence[DocumentRef]] = (),
) -> Conversation:
    """The request as `role` (given to the client at construction) receives it, with the
    documents in play per run of the thread (`agents.in_play`; the last is this run)."""
    tasks, said = _thread(messages, role)
    turn = _outcomes(messages[_turn_start(messages) :])
    return Conversation(
        role=role,
        requests=read_requests(tasks or [""], classifier),
        said=said,
        turn=turn,
        tools=_tool_names(tools),
        may_call_tools=bool(tools) and tool_choice != "none",
        in_play=[[ref.document_id[:ID_CHARS] for ref in run] for run in in_play],
        documents=_documents(in_play, turn),
    )

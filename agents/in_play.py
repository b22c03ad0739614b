"""The documents each run of a thread is about, read from the tools' typed results.

Every tool returns a pydantic model (`tools.agent_tools.models`); those that act on
documents say which (`ActsOnDocuments.documents_in_play`). AutoGen carries a tool's result
as the JSON of that model (`FunctionExecutionResult.content` in a `ToolCallExecutionEvent`
of the team's thread); here it is validated back into the model the tool declared
(`BaseTool.return_type()`), so the documents in play are data, not labels in prose.
The speaker selection observes the thread before every turn; the offline engine reads
the state (`DocumentsInPlay.runs`) when it plays the next speaker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from autogen_agentchat.messages import (
    BaseAgentEvent,
    BaseChatMessage,
    TextMessage,
    ToolCallExecutionEvent,
)
from autogen_core.tools import BaseTool
from pydantic import TypeAdapter, ValidationError

from tools.agent_tools.models import ActsOnDocuments, DocumentRef

USER = "user"
Thread = Sequence[BaseAgentEvent | BaseChatMessage]


def result_readers(tools: Iterable[BaseTool[Any, Any]]) -> dict[str, TypeAdapter[Any]]:
    """Tool name -> a reader of its result content as the type the tool returns."""
    return {tool.name: TypeAdapter(tool.return_type()) for tool in tools}


class DocumentsInPlay:
    """Per run of the thread (oldest first), the documents its tool results acted on, each
    once, in order of first appearance."""

    def __init__(self) -> None:
        self.runs: list[list[DocumentRef]] = []

    def observe(self, thread: Thread, readers: Mapping[str, TypeAdapter[Any]]) -> None:
        """Read the state afresh from the whole thread (a resumed thread included)."""
        self.runs = documents_by_run(thread, readers)


def documents_by_run(
    thread: Thread, readers: Mapping[str, TypeAdapter[Any]]
) -> list[list[DocumentRef]]:
    runs: list[dict[str, DocumentRef]] = []
    for message in thread:
        if isinstance(message, TextMessage) and message.source == USER:
            runs.append({})
        elif isinstance(message, ToolCallExecutionEvent) and runs:
            for result in message.content:
                reader = readers.get(result.name)
                if result.is_error or reader is None:
                    continue
                for ref in _documents_of(reader, result.content):
                    runs[-1].setdefault(ref.document_id, ref)
    return [list(run.values()) for run in runs]


def _documents_of(reader: TypeAdapter[Any], content: str) -> list[DocumentRef]:
    try:
        value = reader.validate_json(content)
    except ValidationError:
        return []
    return value.documents_in_play() if isinstance(value, ActsOnDocuments) else []

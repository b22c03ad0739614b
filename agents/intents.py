"""What the analyst asked for: the intent of each message, read by its meaning.

Shared by the manager's router (who speaks next) and the offline engine (what each role
does). Both read the thread's tasks with the same intent classifier
(`agents.intent_model`), so they always agree. A follow-up ("and the second file?",
"why?") continues the previous request's workflow; a button the analyst pressed arrives
as an explicit command (`/summarise the contract`) and is not guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from agents.intent_model import (
    INTENTS,
    Intent,
    IntentClassifier,
    IntentReading,
    explicit_command,
)
from knowledge.embeddings import Embedder, LocalMiniLMEmbedder

Workflow = Literal[
    "analyse",
    "question",
    "summarise",
    "compare",
    "debate",
    "rule_add",
    "rule_enable",
    "rule_disable",
    "rule_list",
    "library_list",
    "library_delete",
    "review",
    "help",
]
WORKFLOWS: tuple[Workflow, ...] = get_args(Workflow)
RULE_WORKFLOWS: frozenset[Workflow] = frozenset(
    {"rule_add", "rule_enable", "rule_disable", "rule_list"}
)
LIBRARY_WORKFLOWS: frozenset[Workflow] = frozenset({"library_list", "library_delete"})
COMMAND_WORKFLOWS = RULE_WORKFLOWS | LIBRARY_WORKFLOWS
ATTACHED_HEADER = "Attached files:"
# The answer to a guarded change, as the chat hands it back to the team
# ("/rule_disable Request 3 answered: …"): the agent that asked reports it.
ANSWER = re.compile(r"^\s*Request\s+(\d+)\s+answered:", re.IGNORECASE)
# What each workflow is called on the clarifying question's buttons.
LABELS: dict[Intent, str] = {
    "analyse": "Check for compliance",
    "question": "Answer a question",
    "summarise": "Summarise",
    "compare": "Compare documents",
    "debate": "Debate a decision",
    "rule_add": "Add a rule",
    "rule_enable": "Enable a rule",
    "rule_disable": "Disable a rule",
    "rule_list": "List the rules",
    "library_list": "List my documents",
    "library_delete": "Delete a document",
    "review": "Decide on a finding",
    "followup": "Continue the last request",
    "help": "What can you do?",
}


@dataclass(frozen=True)
class Request:
    """One message of the analyst: their words, the files attached, how it was read and
    the workflow that serves it (a follow-up's is the previous request's)."""

    text: str
    attachments: tuple[str, ...]
    workflow: Workflow
    reading: IntentReading

    @property
    def intent(self) -> Intent:
        return self.reading.intent

    @property
    def follow_up(self) -> bool:
        return self.reading.intent == "followup"

    @property
    def is_command(self) -> bool:
        """A rulebook or library command, or a choice the analyst made on a button."""
        return self.reading.explicit or self.workflow in COMMAND_WORKFLOWS


def task_text(message: str, attachments: Sequence[str]) -> str:
    """The task the team receives: the analyst's words, then the attached file names."""
    if not attachments:
        return message
    listed = "\n".join(f"- {name}" for name in attachments)
    return f"{message.strip()}\n\n{ATTACHED_HEADER}\n{listed}".strip()


def split_task(content: str) -> tuple[str, tuple[str, ...]]:
    """The analyst's words and the attached file names, from a task built by `task_text`."""
    head, marker, tail = content.rpartition(ATTACHED_HEADER)
    if not marker:
        return content.strip(), ()
    names = tuple(
        line[2:].strip() for line in tail.splitlines() if line.startswith("- ") and line[2:].strip()
    )
    return head.strip(), names


def command_text(intent: Intent, text: str) -> str:
    """The message a clarifying button sends: the analyst's words as an explicit command."""
    return f"/{intent} {text}".strip()


def read_request(
    content: str, previous: Sequence[Request], classifier: IntentClassifier
) -> Request:
    """The request of one task message, in the light of the thread's earlier requests."""
    text, attachments = split_task(content)
    command = explicit_command(text)
    words = command[1] if command else text
    earlier = [r.workflow for r in previous if r.workflow != "help"]
    reading = classifier.classify(
        text, has_attachments=bool(attachments), has_history=bool(earlier)
    )
    if reading.intent == "followup":
        workflow: Workflow = earlier[-1] if earlier else "question"
    else:
        workflow = reading.intent
    return Request(words, attachments, workflow, reading)


def read_requests(contents: Sequence[str], classifier: IntentClassifier) -> list[Request]:
    """Every request of a thread, in order, each read in the light of the ones before."""
    requests: list[Request] = []
    for content in contents:
        requests.append(read_request(content, requests, classifier))
    return requests


@cache
def shared_classifier(cache_dir: Path | None = None) -> IntentClassifier:
    """The process's intent classifier over the packaged MiniLM model (built once, about a
    second; kept in `cache_dir` between runs)."""
    folder = cache_dir or Path.home() / ".cache" / "quorum"
    embedder: Embedder = LocalMiniLMEmbedder.load(folder, threads=1)
    return IntentClassifier.from_file(embedder, cache_dir=folder)


__all__ = [
    "ATTACHED_HEADER",
    "COMMAND_WORKFLOWS",
    "INTENTS",
    "LABELS",
    "WORKFLOWS",
    "Intent",
    "IntentClassifier",
    "IntentReading",
    "Request",
    "Workflow",
    "command_text",
    "read_request",
    "read_requests",
    "shared_classifier",
    "split_task",
    "task_text",
]

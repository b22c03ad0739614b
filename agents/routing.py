"""The manager's router: a small state machine that says who speaks next, and why.

Known workflows are routed here, deterministically, from the analyst's request and who
has spoken in this run; only open requests go to the model-based selector, and only for
the first speaker. Every decision carries a reason the UI shows ("→ risk: files were
checked"). A speaker never follows itself: `settle` hands a repeated or missing choice
(a model that keeps picking the same name, autogen issue #7471) to the closer.

The router is pure: `decide` reads the thread and returns a `Decision`; it keeps no
memory between calls, so nothing depends on the order in which AutoGen consults it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from autogen_agentchat.messages import (
    BaseAgentEvent,
    BaseChatMessage,
    TextMessage,
    ToolCallExecutionEvent,
)

from agents.intents import Request, Workflow, read_requests
from agents.roles.names import ROLE_NAMES

USER = "user"
MODEL_CHOICE = "<model>"
OPEN_CANDIDATES = ("ingestion", "compliance", "risk", "reporter")
CLOSER: dict[Workflow, str] = {
    "analysis": "reporter",
    "question": "reporter",
    "debate": "judge",
    "rules": "compliance",
    "review": "compliance",
    "library": "ingestion",
    "open": "reporter",
}

Thread = Sequence[BaseAgentEvent | BaseChatMessage]


DecidedBy = Literal["workflow", "model"]


@dataclass(frozen=True)
class Decision:
    """The next speaker (None: the model chooses) and the reason for it."""

    speaker: str | None
    reason: str
    workflow: Workflow
    decided_by: DecidedBy = "workflow"


@dataclass
class RunView:
    """The current run inside the whole thread: the request and who has spoken since."""

    request: Request
    messages: list[BaseAgentEvent | BaseChatMessage]
    spoken: list[str] = field(default_factory=list)


def is_task(message: BaseAgentEvent | BaseChatMessage) -> bool:
    return isinstance(message, TextMessage) and message.source == USER


def current_run(thread: Thread) -> RunView | None:
    """The last task in the thread and everything after it."""
    tasks = [i for i, message in enumerate(thread) if is_task(message)]
    if not tasks:
        return None
    requests = read_requests([thread[i].content for i in tasks])  # type: ignore[union-attr]
    messages = list(thread[tasks[-1] :])
    spoken = [
        m.source for m in messages[1:] if isinstance(m, BaseChatMessage) and m.source in ROLE_NAMES
    ]
    return RunView(request=requests[-1], messages=messages, spoken=spoken)


def previous_speaker(thread: Thread) -> str | None:
    """The agent who spoke last in the current run (None right after the task)."""
    run = current_run(thread)
    return run.spoken[-1] if run and run.spoken else None


def _found_documents(run: RunView) -> bool:
    """Did the ingestion agent's tools find any document in this run? (True if unsure.)"""
    results = [
        result
        for message in run.messages
        if isinstance(message, ToolCallExecutionEvent) and message.source == "ingestion"
        for result in message.content
    ]
    if not results:
        return True
    for result in results:
        if result.is_error:
            continue
        try:
            data = json.loads(result.content)
        except ValueError:
            return True
        if data.get("document") or data.get("documents") or data.get("passages"):
            return True
    return False


class Router:
    """Plans each run from its request and routes the turns along the plan."""

    def __init__(self, *, debate_rounds: int = 2) -> None:
        self.debate_rounds = max(1, debate_rounds)

    def plan(self, request: Request) -> list[str]:
        if request.workflow == "analysis":
            return ["ingestion", "compliance", "risk", "reporter"]
        if request.workflow == "question":
            return ["ingestion", "reporter"]
        if request.workflow in ("rules", "review"):
            return ["compliance"]
        if request.workflow == "library":
            return ["ingestion"]
        if request.workflow == "debate":
            opening = ["ingestion"] if request.attachments else []
            return [*opening, *["advocate", "skeptic"] * self.debate_rounds, "judge"]
        return [MODEL_CHOICE, "reporter"]

    def decide(self, thread: Thread) -> Decision:
        run = current_run(thread)
        if run is None:
            return Decision("reporter", "no request found: answer what was said", "open")
        workflow = run.request.workflow
        closer = CLOSER[workflow]
        spoken, plan = run.spoken, self.plan(run.request)
        if len(spoken) >= 2 and spoken[-1] == spoken[-2]:
            return Decision(closer, f"{spoken[-1]} spoke twice in a row: {closer} closes", workflow)
        if spoken and spoken[-1] == closer == "reporter" and workflow == "open":
            return Decision(closer, "the open request was answered", workflow)
        if workflow == "analysis" and spoken == ["ingestion"] and not _found_documents(run):
            return Decision("reporter", "no document to check: say what is missing", workflow)
        if len(spoken) >= len(plan):
            return Decision(closer, "the workflow is done: close it", workflow)
        step = plan[len(spoken)]
        if step == MODEL_CHOICE:
            return Decision(None, "an open request: the model chooses who answers", workflow)
        if spoken and step == spoken[-1]:
            step = closer
        return Decision(step, self._reason(run.request, spoken, step), workflow)

    def candidates(self, thread: Thread) -> list[str]:
        """Whom the model may choose for an open step: never the previous speaker."""
        previous = previous_speaker(thread)
        return [name for name in OPEN_CANDIDATES if name != previous]

    def settle(self, thread: Thread, decision: Decision) -> Decision:
        """The decision, unless it names nobody or the speaker who just spoke: then the
        workflow's closer speaks. This is what makes a livelock impossible."""
        previous = previous_speaker(thread)
        if decision.speaker is not None and decision.speaker != previous:
            return decision
        closer = CLOSER[decision.workflow]
        if closer == previous:
            closer = "judge" if previous == "reporter" else "reporter"
        why = (
            "the model named nobody"
            if decision.speaker is None
            else (f"{decision.speaker} just spoke")
        )
        return Decision(closer, f"{why}: {closer} closes", decision.workflow)

    def run_complete(self, thread: Thread) -> bool:
        """True once the closer of the current workflow has spoken in this run."""
        run = current_run(thread)
        if run is None or not run.spoken:
            return False
        return run.spoken[-1] == CLOSER[run.request.workflow]

    def _reason(self, request: Request, spoken: list[str], step: str) -> str:
        last = spoken[-1] if spoken else None
        if step == "ingestion":
            if request.attachments:
                count = len(request.attachments)
                return f"{count} file{'s' if count != 1 else ''} attached: take them in first"
            if request.workflow == "question":
                return "a question: look it up in the library"
            if request.workflow == "library":
                return "a change to the library: the ingestion agent manages the documents"
            return "find the documents the request is about"
        if step == "compliance":
            if request.workflow == "rules":
                return "a rulebook change: the compliance agent manages the rules"
            if request.workflow == "review":
                return "the analyst's decision on a finding: record it"
            return "documents are in: check them against the rulebook"
        if step == "risk":
            return "files were checked: score the risk"
        if step == "reporter":
            if request.workflow == "question":
                return "passages found: answer with citations"
            return "risk is scored: write the report" if last == "risk" else "close with an answer"
        if step in ("advocate", "skeptic"):
            round_no = spoken.count(step) + 1
            side = "for" if step == "advocate" else "against"
            rounds = self.debate_rounds
            return f"a decision to debate: argue {side} it (round {round_no} of {rounds})"
        if step == "judge":
            return "both sides have argued: rule on it"
        return f"next in the {request.workflow} workflow"

"""The manager's router: a small state machine that says who speaks next, and why.

Every workflow has a plan (who speaks, in which order), followed here deterministically
from the analyst's request and who has spoken in this run. With a language model the
plan is only the default: the manager asks the model for every turn that is not an
explicit command, and the model may keep the plan or change it, with its reason.
Every decision carries a reason the UI shows ("→ risk: files were checked"). A speaker
never follows itself: `settle` hands a repeated or missing choice (a model that keeps
picking the same name, autogen issue #7471) to the closer.

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

from agents.intent_model import IntentClassifier
from agents.intents import Request, Workflow, read_requests, shared_classifier
from agents.roles.names import ROLE_NAMES

USER = "user"
OPEN_CANDIDATES = ("ingestion", "compliance", "risk", "reporter")
CLOSER: dict[Workflow, str] = {
    "analyse": "reporter",
    "question": "reporter",
    "summarise": "reporter",
    "compare": "reporter",
    "debate": "judge",
    "rule_add": "compliance",
    "rule_enable": "compliance",
    "rule_disable": "compliance",
    "rule_list": "compliance",
    "library_list": "ingestion",
    "library_delete": "ingestion",
    "review": "compliance",
    "help": "reporter",
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
    command: bool = False  # an explicit command: the plan is followed, the model not asked


@dataclass
class RunView:
    """The current run inside the whole thread: the request and who has spoken since."""

    request: Request
    messages: list[BaseAgentEvent | BaseChatMessage]
    spoken: list[str] = field(default_factory=list)


def is_task(message: BaseAgentEvent | BaseChatMessage) -> bool:
    return isinstance(message, TextMessage) and message.source == USER


def current_run(thread: Thread, classifier: IntentClassifier | None = None) -> RunView | None:
    """The last task in the thread and everything after it."""
    tasks = [
        (i, message) for i, message in enumerate(thread)
        if isinstance(message, TextMessage) and message.source == USER
    ]
    if not tasks:
        return None
    requests = read_requests(
        [message.content for _, message in tasks], classifier or shared_classifier()
    )
    messages = list(thread[tasks[-1][0] :])
    spoken: list[str] = [
        m.source for m in messages[1:] if isinstance(m, BaseChatMessage) and m.source in ROLE_NAMES
    ]
    return RunView(request=requests[-1], messages=messages, spoken=spoken)


def previous_speaker(thread: Thread) -> str | None:
    """The agent who spoke last in the current run (None right after the task)."""
    tasks = [i for i, message in enumerate(thread) if is_task(message)]
    spoken = [
        m.source
        for m in thread[(tasks[-1] + 1 if tasks else 0) :]
        if isinstance(m, BaseChatMessage) and m.source in ROLE_NAMES
    ]
    return spoken[-1] if spoken else None


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

    def __init__(
        self, *, debate_rounds: int = 2, classifier: IntentClassifier | None = None
    ) -> None:
        self.debate_rounds = max(1, debate_rounds)
        self.classifier = classifier
        # Each task's workflow as read with the whole thread before it: the termination
        # condition sees only the current run, where a follow-up has nothing to follow.
        self._workflows: dict[str, Workflow] = {}

    def plan(self, request: Request) -> list[str]:
        """Who speaks, in order, for the request's workflow (the default plan)."""
        workflow = request.workflow
        if workflow == "analyse":
            return ["ingestion", "compliance", "risk", "reporter"]
        if workflow in ("question", "summarise", "compare"):
            return ["ingestion", "reporter"]
        if workflow == "debate":
            opening = ["ingestion"] if request.attachments else []
            return [*opening, *["advocate", "skeptic"] * self.debate_rounds, "judge"]
        if workflow in ("library_list", "library_delete"):
            return ["ingestion"]
        if workflow == "help":
            return ["reporter"]
        return ["compliance"]

    def current_run(self, thread: Thread) -> RunView | None:
        return current_run(thread, self.classifier)

    def decide(self, thread: Thread) -> Decision:
        run = self.current_run(thread)
        if run is None:
            return Decision("reporter", "no request found: answer what was said", "help")
        request = run.request
        workflow, command = request.workflow, request.is_command
        self._workflows[run.messages[0].id] = workflow
        closer = CLOSER[workflow]
        spoken, plan = run.spoken, self.plan(request)
        if len(spoken) >= 2 and spoken[-1] == spoken[-2]:
            why = f"{spoken[-1]} spoke twice in a row: {closer} closes"
            return Decision(closer, why, workflow, command=command)
        if workflow == "analyse" and spoken == ["ingestion"] and not _found_documents(run):
            return Decision(
                "reporter", "no document to check: say what is missing", workflow, command=command
            )
        if len(spoken) >= len(plan):
            return Decision(closer, "the workflow is done: close it", workflow, command=command)
        step = plan[len(spoken)]
        if spoken and step == spoken[-1]:
            step = closer
        return Decision(step, self._reason(request, spoken, step), workflow, command=command)

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
        why = "the model named nobody" if decision.speaker is None else (
            f"{decision.speaker} just spoke"
        )
        return Decision(closer, f"{why}: {closer} closes", decision.workflow)

    def run_complete(self, thread: Thread) -> bool:
        """True once the closer of the current workflow has spoken in this run."""
        run = self.current_run(thread)
        if run is None or not run.spoken:
            return False
        workflow = self._workflows.get(run.messages[0].id, run.request.workflow)
        return run.spoken[-1] == CLOSER[workflow]

    def _reason(self, request: Request, spoken: list[str], step: str) -> str:
        workflow = request.workflow
        if request.follow_up and not spoken:
            return f"a follow-up of the {workflow.replace('_', ' ')} request: {_STEP[step]}"
        if step == "ingestion":
            if request.attachments:
                count = len(request.attachments)
                return f"{count} file{'s' if count != 1 else ''} attached: take them in first"
            return _INGESTION_REASON.get(workflow, "find the documents the request is about")
        if step == "compliance":
            if workflow != "analyse":
                return "a rulebook command: the compliance agent manages the rules"
            return "documents are in: check them against the rulebook"
        if step == "risk":
            return "files were checked: score the risk"
        if step == "reporter":
            return _REPORTER_REASON.get(workflow, "close with an answer")
        if step in ("advocate", "skeptic"):
            round_no = spoken.count(step) + 1
            side = "for" if step == "advocate" else "against"
            rounds = self.debate_rounds
            return f"a decision to debate: argue {side} it (round {round_no} of {rounds})"
        if step == "judge":
            return "both sides have argued: rule on it"
        return f"next in the {workflow} workflow"


_STEP = {
    "ingestion": "find the documents it is about",
    "compliance": "the compliance agent",
    "risk": "score the risk",
    "reporter": "answer it",
    "advocate": "argue for it",
    "skeptic": "argue against it",
    "judge": "rule on it",
}
_INGESTION_REASON: dict[Workflow, str] = {
    "question": "a question: look it up in the library",
    "summarise": "a summary: find the document",
    "compare": "a comparison: find the documents",
    "library_list": "a library command: list the documents",
    "library_delete": "a library command: remove the document",
}
_REPORTER_REASON: dict[Workflow, str] = {
    "analyse": "risk is scored: write the report",
    "question": "passages found: answer with citations",
    "summarise": "the document is found: summarise it from its structure",
    "compare": "the documents are found: compare them side by side",
    "help": "say what the team can do",
}

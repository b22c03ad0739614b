"""Events the team adds to AutoGen's own: why the manager chose a speaker, what a run made.

Both are `BaseAgentEvent`s, so they flow through `run_stream` beside AutoGen's events and
are never sent to the agents.
"""

from __future__ import annotations

from typing import Any, Literal

from autogen_agentchat.messages import BaseAgentEvent


class RoutingEvent(BaseAgentEvent):
    """The manager's choice of the next speaker and the reason, e.g. "→ risk: files were checked".

    `decided_by` is "workflow" when the deterministic router chose, "model" when an open
    request was handed to the model-based selector.
    """

    speaker: str
    reason: str
    workflow: str
    decided_by: Literal["workflow", "model"] = "workflow"
    content: str = ""
    type: Literal["RoutingEvent"] = "RoutingEvent"

    def to_text(self) -> str:
        return self.content or f"→ {self.speaker}: {self.reason}"


class ArtifactEvent(BaseAgentEvent):
    """Something the run produced for the analyst: a report file or chart data.

    `kind` is "report" (with `path` and `mime`) or "chart" (with `data`: type, labels, values).
    """

    kind: Literal["report", "chart"]
    name: str
    path: str | None = None
    mime: str | None = None
    data: dict[str, Any] | None = None
    type: Literal["ArtifactEvent"] = "ArtifactEvent"

    def to_text(self) -> str:
        return f"{self.kind}: {self.path or self.name}"


class NoticeEvent(BaseAgentEvent):
    """A plain statement for the analyst from the system (the brain in use, a stop, an error)."""

    content: str
    level: Literal["info", "warning", "error"] = "info"
    type: Literal["NoticeEvent"] = "NoticeEvent"

    def to_text(self) -> str:
        return self.content


class ClarifyEvent(BaseAgentEvent):
    """A short question for the analyst when their message could mean several things;
    each option's `message` is what to send to go on (an explicit command, e.g.
    "/summarise the contract"), its `label` the button's words."""

    content: str
    options: list[dict[str, str]]
    type: Literal["ClarifyEvent"] = "ClarifyEvent"

    def to_text(self) -> str:
        choices = "; ".join(f"{o['label']} ({o['message']})" for o in self.options)
        return f"{self.content} {choices}"

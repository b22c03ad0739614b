"""When a run ends: the workflow's closing message, or a hard stop.

`WorkflowComplete` fires on the closing message of the current workflow (the reporter's
answer or report, the judge's ruling, the compliance agent's rule change). `RunTimeout`
measures each run from its own task message, unlike AutoGen's `TimeoutTermination`,
whose clock keeps running between the analyst's messages.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from autogen_agentchat.base import TerminatedException, TerminationCondition
from autogen_agentchat.messages import BaseAgentEvent, BaseChatMessage, StopMessage

from agents.routing import Router, is_task

Messages = Sequence[BaseAgentEvent | BaseChatMessage]


class WorkflowComplete(TerminationCondition):
    """Stops the run once the router's closer for this run has spoken."""

    def __init__(self, router: Router) -> None:
        self._router = router
        self._run: list[BaseAgentEvent | BaseChatMessage] = []
        self._terminated = False

    @property
    def terminated(self) -> bool:
        return self._terminated

    async def __call__(self, messages: Messages) -> StopMessage | None:
        if self._terminated:
            raise TerminatedException("the workflow is already complete")
        for message in messages:
            if is_task(message):
                self._run = []
            self._run.append(message)
        if self._router.run_complete(self._run):
            self._terminated = True
            closer = self._run[-1].source if self._run else "team"
            return StopMessage(content=f"{closer} closed the workflow", source="WorkflowComplete")
        return None

    async def reset(self) -> None:
        self._terminated = False
        self._run = []


class RunTimeout(TerminationCondition):
    """Stops a run that has lasted longer than `timeout_s` since its task message."""

    def __init__(self, timeout_s: float) -> None:
        self._timeout_s = timeout_s
        self._started = time.monotonic()
        self._terminated = False

    @property
    def terminated(self) -> bool:
        return self._terminated

    async def __call__(self, messages: Messages) -> StopMessage | None:
        if self._terminated:
            raise TerminatedException("the run already timed out")
        if any(is_task(message) for message in messages):
            self._started = time.monotonic()
        if time.monotonic() - self._started > self._timeout_s:
            self._terminated = True
            return StopMessage(
                content=f"stopped after {self._timeout_s:g} s (the run's time limit)",
                source="RunTimeout",
            )
        return None

    async def reset(self) -> None:
        self._terminated = False
        self._started = time.monotonic()

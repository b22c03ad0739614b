"""The run-level task list of the analysis workflow: ingest → check → risk → report.

Shown only when that workflow runs (files arrive, or the compliance agent is called);
a question or a debate does not get one. Each stage starts when its agent speaks.
"""

from __future__ import annotations

from typing import Literal

import chainlit as cl

STAGES: tuple[tuple[str, str], ...] = (
    ("ingestion", "Ingest the files"),
    ("compliance", "Check them against the rulebook"),
    ("risk", "Score the risk"),
    ("reporter", "Write the report"),
)
TRIGGERS = ("compliance",)
Outcome = Literal["done", "stopped", "failed"]
STATUS_TEXT = {"done": "Done", "stopped": "Stopped", "failed": "Failed"}


class WorkflowTasks:
    """A Chainlit task list that follows the agents' turns."""

    def __init__(self, *, files_attached: bool) -> None:
        self.visible = files_attached
        self.task_list: cl.TaskList | None = None
        self.tasks: dict[str, cl.Task] = {}

    async def begin(self) -> None:
        if self.visible:
            await self._show()

    async def _show(self) -> None:
        self.task_list = cl.TaskList(status="Running…")
        for agent, title in STAGES:
            task = cl.Task(title=title, status=cl.TaskStatus.READY)
            self.tasks[agent] = task
            await self.task_list.add_task(task)
        await self.task_list.send()

    async def agent_started(self, agent: str) -> None:
        """Mark `agent`'s stage running and every earlier stage done."""
        if self.task_list is None and agent in TRIGGERS:
            self.visible = True
            await self._show()
        if self.task_list is None or agent not in self.tasks:
            return
        for name, task in self.tasks.items():
            if name == agent:
                task.status = cl.TaskStatus.RUNNING
                break
            task.status = cl.TaskStatus.DONE
        await self.task_list.send()

    async def finish(self, outcome: Outcome) -> None:
        if self.task_list is None:
            return
        for task in self.tasks.values():
            if task.status is cl.TaskStatus.RUNNING:
                task.status = cl.TaskStatus.DONE if outcome == "done" else cl.TaskStatus.FAILED
        self.task_list.status = STATUS_TEXT[outcome]
        await self.task_list.send()

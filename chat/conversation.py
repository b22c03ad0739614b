"""One thread's conversation: its team, the analyst's preferences, and running a message.

A `Conversation` lives in the Chainlit user session (it is not JSON, so Chainlit never
saves it with the thread). The team itself keeps its state per thread in the database,
so a resumed thread opens a team that remembers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import chainlit as cl
from autogen_agentchat.base import TaskResult

from agents.rulebooks import shared_rulebooks
from chat import results as result_elements
from chat import review_view
from chat.failures import describe_failure
from chat.runtime import ChatRuntime
from chat.settings_panel import TeamPreferences
from chat.tasks import Outcome, WorkflowTasks
from chat.team_view import TeamView
from chat.uploads import AcceptedFile, UploadPolicy, ingest_uploads, wait_for_index
from tools.agent_tools import SqlRulebooks
from tools.review.guards import pending_actions
from tools.review.service import document_reviews

logger = logging.getLogger(__name__)

STOP_GRACE_S = 20.0
ANALYSE_FILES = (
    "Analyse the attached files: check them against the rulebook, score the risk "
    "and write the report."
)


class Team(Protocol):
    """What the chat needs from the agent team (agents.TeamSession)."""

    def run_stream(
        self, message: str, *, attachments: list[AcceptedFile]
    ) -> AsyncIterator[Any]: ...

    async def needs_index(self, message: str, *, attachments: list[AcceptedFile]) -> bool: ...

    async def stop(self) -> None: ...

    @property
    def running(self) -> bool: ...

    async def close(self) -> None: ...


class TeamOpener(Protocol):
    async def __call__(
        self, runtime: ChatRuntime, *, thread_id: str, owner: str, preferences: TeamPreferences
    ) -> Team: ...


@dataclass
class Conversation:
    """A thread's team and preferences; `handle` runs one analyst message."""

    runtime: ChatRuntime
    thread_id: str
    owner: str
    preferences: TeamPreferences
    open_team: TeamOpener
    team: Team | None = None
    last_files: list[AcceptedFile] = field(default_factory=list)

    async def change_preferences(self, preferences: TeamPreferences) -> None:
        """New settings take effect with a fresh team (same thread state) at the next message."""
        if preferences != self.preferences:
            self.preferences = preferences
            team, self.team = self.team, None
            if team is not None:
                await team.close()

    async def handle(self, message: cl.Message) -> None:
        ingesting = asyncio.create_task(
            ingest_uploads(
                list(message.elements or []),
                knowledge=self.runtime.knowledge,
                owner=self.owner,
                policy=upload_policy(self.runtime),
            )
        )
        try:
            accepted = await asyncio.shield(ingesting)
        except asyncio.CancelledError:
            await ingesting  # stopped while files go in: let them finish, run no team
            return
        text = (message.content or "").strip()
        if not text and not accepted:
            return
        await self.run(text or ANALYSE_FILES, accepted)

    async def choose(self, message: str) -> None:
        """The analyst pressed a button of a clarifying question: run the command it
        carries, on the files of the message that was unclear."""
        await self.run(message, self.last_files)

    async def run(self, text: str, accepted: list[AcceptedFile]) -> None:
        """Run the team on a message; the stop button ends it cleanly, never mid-write.

        The team is driven in a task of its own: when Chainlit cancels the message
        handler (the stop button), the team is told to stop and finishes its current
        turn, so its state is saved and the thread stays usable.
        """
        self.last_files = list(accepted)
        tasks = WorkflowTasks(files_attached=bool(accepted))
        view = TeamView(knowledge=self.runtime.knowledge, owner=self.owner, tasks=tasks)
        worker = asyncio.create_task(self._drive(text, accepted, view))
        try:
            outcome = await asyncio.shield(worker)
        except asyncio.CancelledError:
            outcome = await self._stop_worker(worker)
        await view.close_turn()
        await tasks.finish(outcome)
        if outcome == "done" and view.results.has_analysis:
            await show_results(view, self.runtime, owner=self.owner)
        await self.show_pending()

    async def show_pending(self) -> None:
        """Each change of this thread that waits for an answer, with its two buttons."""
        pending = await pending_actions(
            self.runtime.knowledge.database.sessions, owner=self.owner, thread_id=self.thread_id
        )
        for status in pending:
            await cl.Message(
                content=review_view.guard_prompt(status),
                author="Quorum",
                actions=review_view.guard_actions(status),
            ).send()

    async def rulebooks(self) -> SqlRulebooks:
        """The shared rulebook store the thread's team changes (and guards execute on)."""
        return shared_rulebooks(self.runtime.knowledge, self.preferences.rulebook)

    async def _drive(self, text: str, accepted: list[AcceptedFile], view: TeamView) -> Outcome:
        try:
            team = await self._team()
            if await team.needs_index(text, attachments=accepted):
                await wait_for_index(self.runtime.knowledge, owner=self.owner)
            await view.tasks.begin()
            stream = team.run_stream(text, attachments=accepted)
            try:
                async for event in stream:
                    await view.show(event)
                    if isinstance(event, TaskResult):
                        logger.info("run ended: %s", event.stop_reason)
            finally:
                await _close(stream)
        except Exception as error:
            logger.warning("team run failed (%s)", type(error).__name__)
            logger.debug("team run failure", exc_info=True)
            self.team = None  # a failed team is rebuilt from its saved state next time
            await cl.ErrorMessage(content=describe_failure(error, self.preferences.brain)).send()
            return "failed"
        return "failed" if view.failed else "done"

    async def _stop_worker(self, worker: asyncio.Task[Outcome]) -> Outcome:
        running = self.team is not None and self.team.running
        await self.stop()
        try:  # a team mid-turn finishes it; waiting for the index just ends
            await asyncio.wait_for(asyncio.shield(worker), STOP_GRACE_S if running else 0)
        except TimeoutError:
            logger.warning("the team did not stop within %.0f s: cancelling the run", STOP_GRACE_S)
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        return "stopped"

    async def stop(self) -> None:
        """Ask the team to end the run after the current agent's turn."""
        if self.team is not None:
            await self.team.stop()

    async def release(self) -> None:
        """Free the team's model client when the browser leaves (unless it is working);
        the next message reopens it from the thread's saved state."""
        team = self.team
        if team is not None and not team.running:
            self.team = None
            await team.close()

    async def _team(self) -> Team:
        if self.team is None:
            self.team = await self.open_team(
                self.runtime,
                thread_id=self.thread_id,
                owner=self.owner,
                preferences=self.preferences,
            )
        return self.team


async def _close(stream: AsyncIterator[Any]) -> None:
    """Close the team's stream so its own clean-up (saving the state) runs now."""
    aclose = getattr(stream, "aclose", None)
    if aclose is not None:
        await aclose()


def upload_policy(runtime: ChatRuntime) -> UploadPolicy:
    settings = runtime.settings
    return UploadPolicy(
        allowed_suffixes=tuple(s.lower() for s in settings.upload_types),
        max_bytes=settings.max_upload_bytes,
    )


async def show_results(view: TeamView, runtime: ChatRuntime, *, owner: str) -> None:
    """The report files, the chart and the findings table with its review buttons."""
    found = view.results
    settings = runtime.settings
    candidates: list[cl.Element | None] = [
        *result_elements.report_files(found.report_paths, allowed_root=settings.data_dir),
        result_elements.findings_chart(list(found.compliance.values()), list(found.risk.values())),
    ]
    if not (found.compliance or found.risk):  # the team's own charts, when we have no results
        candidates.extend(result_elements.artifact_chart(name, data) for name, data in found.charts)
    elements = [element for element in candidates if element is not None]
    title = found.report.title if found.report else "Findings"
    reviews = await document_reviews(
        runtime.knowledge, owner=owner, document_ids=list(found.compliance)
    )
    status = "draft until approved" if reviews else "draft"
    content = (
        f"**{title}** ({status}) — downloads and chart below.\n\n"
        f"{review_view.findings_table(reviews)}\n\n{review_view.score_lines(reviews)}\n\n"
        "Review a finding to confirm, dismiss (with a reason) or escalate it; the scores are "
        "recomputed without dismissed findings. Recommendations are in the report files."
    )
    await cl.Message(
        content=content, author="reporter", elements=elements,
        actions=review_view.results_actions(reviews),
    ).send()  # fmt: skip

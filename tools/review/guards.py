"""Action guards: a change to shared state waits for a person's answer, then runs.

Adding, enabling or disabling a rule (every analysis applies the rulebook) and deleting a
document are not done when the team decides to: the tool records a pending request and
the run ends. The analyst answers later (a button in the chat, `quorum actions` in the
terminal); a confirmation by someone whose role allows it runs the change and records
who confirmed it, a refusal or a decline records that. The next time the team is asked
the same thing in the thread, the tool reports the answer instead of asking again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.db.review_models import ActionRequestRecord
from knowledge.errors import KnowledgeError
from knowledge.library import KnowledgeBase
from tools.compliance import Rule, Rulebook
from tools.errors import ToolError
from tools.review.decisions import ReviewError
from tools.review.roles import PermissionDenied, allowed, require

__all__ = [
    "ActionGuard",
    "ActionStatus",
    "Executor",
    "answer_action",
    "answer_note",
    "pending_actions",
]

ANSWERED = ("executed", "declined", "refused", "failed")
_ANSWERED_AS = {"executed": "confirmed", "failed": "confirmed but it failed"}


class ActionStatus(BaseModel):
    """A guarded action as the agents and the UI see it."""

    request_id: int
    action: str
    target: str
    summary: str
    status: str
    requested_by: str
    decided_by: str | None = None
    outcome: str = ""

    @classmethod
    def of(cls, record: ActionRequestRecord) -> ActionStatus:
        return cls(
            request_id=record.id,
            action=record.action,
            target=record.target,
            summary=record.summary,
            status=record.status,
            requested_by=record.requested_by,
            decided_by=record.decided_by,
            outcome=record.outcome,
        )


class RuleChanges(Protocol):
    """What the executor needs of a rulebook store (tools.agent_tools.RulebookStore)."""

    async def add_rule(self, rule: Rule, *, owner: str) -> Rulebook: ...

    async def set_enabled(self, rule_id: str, enabled: bool, *, owner: str) -> Rulebook: ...


class Executor:
    """Runs a confirmed action against the services it changes."""

    def __init__(self, knowledge: KnowledgeBase, rulebooks: RuleChanges) -> None:
        self.knowledge = knowledge
        self.rulebooks = rulebooks

    async def run(self, record: ActionRequestRecord, *, user: str) -> str:
        if record.action == "rule.add":
            rule = Rule.model_validate(record.arguments["rule"])
            rulebook = await self.rulebooks.add_rule(rule, owner=user)
            return f"rule {rule.id} added; rulebook version {rulebook.version}"
        if record.action in ("rule.enable", "rule.disable"):
            enabled = record.action == "rule.enable"
            rulebook = await self.rulebooks.set_enabled(record.target, enabled, owner=user)
            state = "enabled" if enabled else "disabled"
            return f"rule {record.target} {state}; rulebook version {rulebook.version}"
        if record.action == "document.delete":
            info = await self.knowledge.delete_document(record.target, owner=record.owner)
            return f"document {info.filename} ({info.document_id[:8]}) deleted"
        raise ReviewError(f"unknown action {record.action!r}")


@dataclass
class ActionGuard:
    """Records the team's requests for one thread and user (bound into the tools' deps)."""

    sessions: async_sessionmaker[AsyncSession]
    owner: str
    thread_id: str | None
    role: str
    channel: str = "team"

    async def request(
        self, action: str, *, target: str, summary: str, arguments: dict[str, Any] | None = None
    ) -> ActionStatus:
        """A pending request, or the answer to the same request if it came since."""
        arguments = arguments or {}
        async with self.sessions() as session:
            earlier = await self._same(session, action, target, arguments)
            if earlier is not None:
                if earlier.status != "pending":
                    earlier.acknowledged = True
                    await session.commit()
                return ActionStatus.of(earlier)
            record = ActionRequestRecord(
                owner=self.owner, thread_id=self.thread_id, action=action, target=target,
                arguments=arguments, summary=summary, requested_by=self.owner,
                channel=self.channel,
            )  # fmt: skip
            if not allowed(self.role, action):
                try:
                    require(self.role, action, user=self.owner)
                except PermissionDenied as denied:
                    record.status, record.outcome = "refused", str(denied)
                    record.decided_at, record.acknowledged = datetime.now(UTC), True
            session.add(record)
            await session.commit()
            if record.status == "refused":
                raise PermissionDenied(record.outcome)
            return ActionStatus.of(record)

    async def acknowledge(self, request_id: int) -> ActionStatus:
        """The answer to one of this thread's requests, marked as reported."""
        async with self.sessions() as session:
            record = await session.get(ActionRequestRecord, request_id)
            if record is None or record.owner != self.owner:
                raise ReviewError(f"no action request {request_id} in this thread")
            if record.status != "pending":
                record.acknowledged = True
                await session.commit()
            return ActionStatus.of(record)

    async def _same(
        self, session: AsyncSession, action: str, target: str, arguments: dict[str, Any]
    ) -> ActionRequestRecord | None:
        """The thread's open or answered-but-unreported request for the same change."""
        rows = await session.scalars(
            select(ActionRequestRecord)
            .where(
                ActionRequestRecord.owner == self.owner,
                ActionRequestRecord.thread_id == self.thread_id,
                ActionRequestRecord.action == action,
                ActionRequestRecord.target == target,
                ActionRequestRecord.acknowledged.is_(False),
            )
            .order_by(ActionRequestRecord.id.desc())
        )
        return next((r for r in rows if r.arguments == arguments), None)


async def pending_actions(
    sessions: async_sessionmaker[AsyncSession], *, owner: str, thread_id: str | None = None
) -> list[ActionStatus]:
    """Requests still waiting for an answer (of one thread, or every one of the owner)."""
    async with sessions() as session:
        query = select(ActionRequestRecord).where(
            ActionRequestRecord.owner == owner, ActionRequestRecord.status == "pending"
        )
        if thread_id is not None:
            query = query.where(ActionRequestRecord.thread_id == thread_id)
        rows = await session.scalars(query.order_by(ActionRequestRecord.id))
        return [ActionStatus.of(row) for row in rows]


async def answer_action(
    sessions: async_sessionmaker[AsyncSession],
    executor: Executor,
    *,
    request_id: int,
    owner: str,
    user: str,
    role: str,
    confirm: bool,
) -> ActionStatus:
    """Confirm (run) or decline a pending request; refused when the role does not allow it."""
    async with sessions() as session:
        record = await session.get(ActionRequestRecord, request_id)
        if record is None or record.owner != owner:
            raise ReviewError(f"no action request {request_id}: see the pending requests")
        if record.status != "pending":
            raise ReviewError(
                f"request {request_id} was already answered ({record.status} by "
                f"{record.decided_by or 'nobody'})"
            )
        if confirm:
            require(role, record.action, user=user)  # refused: the request stays pending
        record.decided_by, record.decided_role = user, role
        record.decided_at = datetime.now(UTC)
        if not confirm:
            record.status, record.outcome = "declined", f"declined by {user}"
        else:
            try:
                record.outcome = await executor.run(record, user=user)
                record.status = "executed"
            except (ToolError, KnowledgeError) as error:
                record.status, record.outcome = "failed", str(error)
        await session.commit()
        return ActionStatus.of(record)


def answer_note(status: ActionStatus) -> str:
    """The message that resumes the team after an answer: an explicit command of the
    workflow that asked (agents.intents), whose words `agents.intents.ANSWER` reads."""
    return (
        f"/{_WORKFLOW_OF.get(status.action, 'help')} Request {status.request_id} answered: "
        f"{status.summary} — {_ANSWERED_AS.get(status.status, status.status)} by "
        f"{status.decided_by or 'nobody'} ({status.outcome}). "
        f"Report it with action_status(request_id={status.request_id})."
    )


_WORKFLOW_OF = {
    "rule.add": "rule_add",
    "rule.enable": "rule_enable",
    "rule.disable": "rule_disable",
    "document.delete": "library_delete",
}

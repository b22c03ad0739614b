"""The team's SQL records: state per thread, the audit trail, and model usage.

Keyword-only functions over the knowledge layer's session factory, in the agents layer
because only the team knows what its state and events are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from agents.errors import TeamError
from agents.metering import UsageRecord
from knowledge.db.agent_models import AgentAuditRecord, ModelUsageRecord, TeamThreadState

MAX_TEXT = 20_000


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail, before it has a run and a thread."""

    kind: str
    source: str
    content: str = ""
    tool_name: str | None = None
    call_id: str | None = None
    arguments: dict[str, Any] | None = None
    outcome: str | None = None
    is_error: bool | None = None
    at: datetime | None = None


Sessions = async_sessionmaker[AsyncSession]


async def load_state(
    sessions: Sessions, *, thread_id: str, owner: str
) -> Mapping[str, Any] | None:
    """The saved team state of a thread, None for a new thread; refuses another's thread."""
    async with sessions() as session:
        record = await session.get(TeamThreadState, thread_id)
    if record is None:
        return None
    if record.owner != owner:
        raise TeamError(f"thread {thread_id} belongs to another user; open one of your own")
    return record.state


async def save_state(
    sessions: Sessions, *, thread_id: str, owner: str, brain: str, state: Mapping[str, Any]
) -> None:
    plain = json.loads(json.dumps(state, default=str))  # datetimes and the like as text
    async with sessions.begin() as session:
        record = await session.get(TeamThreadState, thread_id)
        if record is None:
            session.add(
                TeamThreadState(thread_id=thread_id, owner=owner, brain=brain, runs=1, state=plain)
            )
            return
        if record.owner != owner:
            raise TeamError(f"thread {thread_id} belongs to another user")
        record.state, record.brain, record.runs = plain, brain, record.runs + 1


async def add_audit(
    sessions: Sessions,
    entries: Sequence[AuditEntry],
    *,
    thread_id: str,
    run_id: str,
    owner: str,
    first_seq: int = 0,
) -> None:
    async with sessions.begin() as session:
        for seq, entry in enumerate(entries, start=first_seq):
            record = AgentAuditRecord(
                thread_id=thread_id,
                run_id=run_id,
                owner=owner,
                seq=seq,
                kind=entry.kind,
                source=entry.source[:64],
                content=entry.content[:MAX_TEXT],
                tool_name=entry.tool_name,
                call_id=entry.call_id,
                arguments=entry.arguments,
                outcome=entry.outcome[:MAX_TEXT] if entry.outcome is not None else None,
                is_error=entry.is_error,
            )
            if entry.at is not None:
                record.created_at = entry.at
            session.add(record)


async def add_usage(
    sessions: Sessions,
    records: Sequence[UsageRecord],
    *,
    thread_id: str,
    run_id: str,
    owner: str,
) -> None:
    async with sessions.begin() as session:
        for usage in records:
            session.add(
                ModelUsageRecord(
                    thread_id=thread_id,
                    run_id=run_id,
                    owner=owner,
                    agent=usage.agent,
                    provider=usage.provider,
                    model=usage.model,
                    prompt_tokens=usage.prompt_tokens,
                    completion_tokens=usage.completion_tokens,
                    cost_usd=Decimal(str(usage.cost_usd)),
                    duration_ms=usage.duration_ms,
                    streamed=usage.streamed,
                    ok=usage.ok,
                    error=usage.error,
                    created_at=usage.created_at,
                )
            )


async def audit_trail(
    sessions: Sessions, *, thread_id: str, owner: str
) -> list[AgentAuditRecord]:
    """Every audit record of a thread, oldest first (for review and tests)."""
    async with sessions() as session:
        rows = await session.scalars(
            select(AgentAuditRecord)
            .where(AgentAuditRecord.thread_id == thread_id, AgentAuditRecord.owner == owner)
            .order_by(AgentAuditRecord.id)
        )
        return list(rows)


async def usage_of(sessions: Sessions, *, thread_id: str, owner: str) -> list[ModelUsageRecord]:
    async with sessions() as session:
        rows = await session.scalars(
            select(ModelUsageRecord)
            .where(ModelUsageRecord.thread_id == thread_id, ModelUsageRecord.owner == owner)
            .order_by(ModelUsageRecord.id)
        )
        return list(rows)

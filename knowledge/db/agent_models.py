"""Records of the agent team: its state per thread, an audit trail, model usage and cost.

The team's AutoGen state is saved per conversation thread after each run and loaded when
the thread resumes. Every agent message and tool call is audited (who, what, when, with
which arguments, and the outcome), and every model call leaves a usage row with tokens,
cost and duration, so a run can be explained and billed afterwards.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.db.base import Base, Timestamped, utcnow


class TeamThreadState(Timestamped, Base):
    """The saved AutoGen team state of one conversation thread."""

    __tablename__ = "team_states"

    thread_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    brain: Mapped[str] = mapped_column(String(128))
    runs: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)


class AgentAuditRecord(Base):
    """One agent message, tool call, routing decision or stop, in the order it happened."""

    __tablename__ = "agent_audit"
    __table_args__ = (Index("ix_agent_audit_thread_run", "thread_id", "run_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    thread_id: Mapped[str] = mapped_column(String(128))
    run_id: Mapped[str] = mapped_column(String(32))
    owner: Mapped[str] = mapped_column(String(128), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # message | tool_call | routing | stop | error
    source: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text, default="")
    tool_name: Mapped[str | None] = mapped_column(String(128), default=None)
    call_id: Mapped[str | None] = mapped_column(String(128), default=None)
    arguments: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    outcome: Mapped[str | None] = mapped_column(Text, default=None)
    is_error: Mapped[bool | None] = mapped_column(Boolean, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ModelUsageRecord(Base):
    """One call to the model (or the offline engine): tokens, cost, time and outcome."""

    __tablename__ = "model_usage"
    __table_args__ = (Index("ix_model_usage_thread_run", "thread_id", "run_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    thread_id: Mapped[str] = mapped_column(String(128))
    run_id: Mapped[str] = mapped_column(String(32))
    owner: Mapped[str] = mapped_column(String(128), index=True)
    agent: Mapped[str] = mapped_column(String(64))
    provider: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(128))
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[Decimal] = mapped_column(Numeric(12, 6), default=Decimal(0))
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    streamed: Mapped[bool] = mapped_column(Boolean, default=False)
    ok: Mapped[bool] = mapped_column(Boolean, default=True)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

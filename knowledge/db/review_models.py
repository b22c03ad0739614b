"""Records of the analyst's review: decisions on findings, report sign-offs, guarded actions.

Decisions are kept apart from the findings they judge: a finding row belongs to one
analysis, while a decision follows the evidence (a hash of its exact text) so that the
next analysis of the same document, or of a new version with the same text, finds it
again. Every row says who, when and in which thread; rows are only ever added or moved
from pending to answered, never rewritten, so the audit trail can be rebuilt from them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.db.base import Base, utcnow

__all__ = ["ActionRequestRecord", "FindingDecisionRecord", "ReportSignoffRecord"]


class FindingDecisionRecord(Base):
    """An analyst's decision on a finding: confirmed, dismissed (with a reason) or escalated."""

    __tablename__ = "finding_decisions"
    __table_args__ = (
        Index("ix_finding_decisions_owner_rule_evidence", "owner", "rule_id", "evidence_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    finding_id: Mapped[int] = mapped_column(Integer, index=True)
    analysis_id: Mapped[str] = mapped_column(String(32))
    document_id: Mapped[str] = mapped_column(String(32), index=True)
    filename: Mapped[str] = mapped_column(String(512), default="")
    owner: Mapped[str] = mapped_column(String(128))
    rule_id: Mapped[str] = mapped_column(String(100))
    evidence_hash: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(16))  # confirmed | dismissed | escalated
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16), default="")
    channel: Mapped[str] = mapped_column(String(16), default="")  # chat | team | cli
    thread_id: Mapped[str | None] = mapped_column(String(128), default=None, index=True)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReportSignoffRecord(Base):
    """An approved report: who approved which content (its hash), when, on what versions."""

    __tablename__ = "report_signoffs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    title: Mapped[str] = mapped_column(String(300))
    document_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    analysis_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    approved_by: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16), default="")
    rulebook_name: Mapped[str] = mapped_column(String(64), default="")
    rulebook_version: Mapped[str] = mapped_column(String(32), default="")
    knowledge_version: Mapped[str] = mapped_column(String(64), default="")
    files: Mapped[list[str]] = mapped_column(JSON, default=list)
    thread_id: Mapped[str | None] = mapped_column(String(128), default=None, index=True)
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ActionRequestRecord(Base):
    """A change to shared state (a rule, a document) waiting for, or given, a person's answer."""

    __tablename__ = "action_requests"
    __table_args__ = (Index("ix_action_requests_thread_status", "thread_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    thread_id: Mapped[str | None] = mapped_column(String(128), default=None)
    action: Mapped[str] = mapped_column(String(32))  # rule.add | rule.enable | ...
    target: Mapped[str] = mapped_column(String(128), default="")
    arguments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[str] = mapped_column(String(128))
    channel: Mapped[str] = mapped_column(String(16), default="")
    # pending | executed | declined | refused | failed
    status: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(128), default=None)
    decided_role: Mapped[str | None] = mapped_column(String(16), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    outcome: Mapped[str] = mapped_column(Text, default="")
    acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

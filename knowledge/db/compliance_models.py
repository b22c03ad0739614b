"""Records of compliance: installed rulebooks, rules, analyses and their findings.

Rules live in SQL so users can add their own and enable or disable any rule; the default
rulebook's rules are upgraded in place when a newer version ships, keeping each rule's
enabled flag. An analysis records what it was computed with (rulebook and knowledge-base
versions, time) next to its score and findings, so a report can always say so.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge.db.base import Base, Timestamped, utcnow

__all__ = ["AnalysisRecord", "FindingRecord", "RuleCheckRecord", "RuleRecord", "RulebookRecord"]


class RulebookRecord(Timestamped, Base):
    """A rulebook whose rules are installed, and the version they come from."""

    __tablename__ = "rulebooks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(32))


class RuleRecord(Timestamped, Base):
    """One rule: built in (from a rulebook) or added by a user (`rulebook` is empty)."""

    __tablename__ = "rules"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    owner: Mapped[str] = mapped_column(String(128), default="", index=True)
    rulebook: Mapped[str] = mapped_column(String(64), default="", index=True)
    rulebook_version: Mapped[str] = mapped_column(String(32), default="")
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    regulation: Mapped[str] = mapped_column(Text)
    recommendation: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    description: Mapped[str] = mapped_column(Text, default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class AnalysisRecord(Base):
    """One compliance check of one document: its score and what it was computed with."""

    __tablename__ = "analyses"
    __table_args__ = (Index("ix_analyses_document_time", "document_id", "analysed_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    owner: Mapped[str] = mapped_column(String(128), default="", index=True)
    rulebook: Mapped[str] = mapped_column(String(64), default="")
    rulebook_version: Mapped[str] = mapped_column(String(32), default="")
    knowledge_version: Mapped[str] = mapped_column(String(64), default="")
    score: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32))
    factors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    analysed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    model_reader: Mapped[str] = mapped_column(Text, default="")

    findings: Mapped[list[FindingRecord]] = relationship(
        back_populates="analysis",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="FindingRecord.id",
    )
    checks: Mapped[list[RuleCheckRecord]] = relationship(
        back_populates="analysis",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="RuleCheckRecord.id",
    )


class FindingRecord(Base):
    """One finding of an analysis, with its citation (page or sheet and row, exact text)."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    analysis_id: Mapped[str] = mapped_column(
        ForeignKey("analyses.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[str] = mapped_column(String(32), index=True)
    rule_id: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(100), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    page: Mapped[int | None] = mapped_column(Integer, default=None)
    sheet: Mapped[str | None] = mapped_column(String(256), default=None)
    row: Mapped[int | None] = mapped_column(Integer, default=None)
    evidence: Mapped[str] = mapped_column(Text)
    start: Mapped[int | None] = mapped_column(Integer, default=None)
    title: Mapped[str] = mapped_column(String(200), default="")
    recommendation: Mapped[str] = mapped_column(Text)
    regulation: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="rule")
    reading: Mapped[str] = mapped_column(Text, default="")
    disputed: Mapped[str | None] = mapped_column(Text, default=None)

    analysis: Mapped[AnalysisRecord] = relationship(back_populates="findings")


class RuleCheckRecord(Base):
    """What one enabled rule did in an analysis (passed, failed, not checked and why, not
    applicable), so a stored analysis can say which checks could not run."""

    __tablename__ = "rule_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    analysis_id: Mapped[str] = mapped_column(
        ForeignKey("analyses.id", ondelete="CASCADE"), index=True
    )
    rule_id: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[int] = mapped_column(Integer, default=0)

    analysis: Mapped[AnalysisRecord] = relationship(back_populates="checks")

"""A document's findings under review: each with its id, number and decision, and both scores.

The scores an analysis computed stay as they were ("before"); the scores after review are
computed the same way over the findings not dismissed, so a report can say
"compliance 72 → 85 after review" and anyone can redo the arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.db.compliance_models import AnalysisRecord, FindingRecord
from knowledge.documents import LedgerRow
from tools.compliance import score_compliance
from tools.compliance.store import finding_from_record
from tools.models import ComplianceStatus, Finding, RiskLevel
from tools.review.decisions import Decision, decisions_for
from tools.risk import assess_risk, risk_context_from_ledger

__all__ = [
    "DocumentReview",
    "ReviewedFinding",
    "decision_json",
    "latest_analysis",
    "review_of_analysis",
    "review_order",
]

SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


class ReviewedFinding(BaseModel):
    """A finding as the analyst reviews it: its id, its number in the list, its decision."""

    model_config = ConfigDict(frozen=True)

    finding_id: int
    number: int
    finding: Finding
    decision: Decision | None = None

    @property
    def dismissed(self) -> bool:
        return self.decision is not None and self.decision.decision == "dismissed"

    @property
    def status(self) -> str:
        return self.decision.decision if self.decision is not None else "open"


class DocumentReview(BaseModel):
    """One document's latest analysis, its decisions, and the scores before and after them."""

    document_id: str
    filename: str
    analysis_id: str
    analysed_at: datetime
    rulebook_version: str = ""
    knowledge_version: str = ""
    findings: list[ReviewedFinding]
    compliance_before: int
    status_before: ComplianceStatus
    compliance_after: int
    status_after: ComplianceStatus
    risk_before: int
    level_before: RiskLevel
    risk_after: int
    level_after: RiskLevel

    @property
    def decided(self) -> int:
        return sum(1 for f in self.findings if f.decision is not None)

    @property
    def dismissed(self) -> int:
        return sum(1 for f in self.findings if f.dismissed)

    @property
    def carried_over(self) -> int:
        return sum(1 for f in self.findings if f.decision and f.decision.carried_over)

    @property
    def kept(self) -> list[Finding]:
        """The findings that still count: every one not dismissed."""
        return [f.finding for f in self.findings if not f.dismissed]

    def score_line(self) -> str:
        """'compliance 72 → 85 after review, risk 64 → 41' (one figure when nothing changed)."""
        if not self.decided:
            return f"compliance {self.compliance_before}/100, risk {self.risk_before}/100"
        return (
            f"compliance {self.compliance_before} → {self.compliance_after} after review, "
            f"risk {self.risk_before} → {self.risk_after}"
        )


def decision_json(item: ReviewedFinding) -> dict[str, object] | None:
    """The decision on a finding as the CLI prints it (None: not decided yet)."""
    decision = item.decision
    if decision is None:
        return None
    return {
        "decision": decision.decision,
        "reason": decision.reason,
        "decided_by": decision.decided_by,
        "decided_at": decision.decided_at.isoformat(),
        "carried_over": decision.carried_over,
    }


def review_order(finding: Finding) -> tuple[int, int, str, int, str, int]:
    """Worst first, then in reading order: the order reports and the chat number findings."""
    return (
        SEVERITY_RANK[finding.severity],
        finding.page if finding.page is not None else 0,
        finding.sheet or "",
        finding.row if finding.row is not None else 0,
        finding.rule_id,
        finding.start or 0,
    )


async def latest_analysis(
    session: AsyncSession, *, owner: str, document_id: str
) -> AnalysisRecord | None:
    return await session.scalar(
        select(AnalysisRecord)
        .where(AnalysisRecord.document_id == document_id, AnalysisRecord.owner == owner)
        .order_by(AnalysisRecord.analysed_at.desc(), AnalysisRecord.id)
        .limit(1)
    )


async def review_of_analysis(
    session: AsyncSession,
    analysis: AnalysisRecord,
    *,
    filename: str,
    rows: Sequence[LedgerRow] = (),
    first_number: int = 1,
) -> DocumentReview:
    """The review of one saved analysis: its findings numbered, decisions applied, rescored."""
    records = list(
        await session.scalars(
            select(FindingRecord)
            .where(FindingRecord.analysis_id == analysis.id)
            .order_by(FindingRecord.id)
        )
    )
    decisions = await decisions_for(
        session, owner=analysis.owner, filename=filename, findings=records
    )
    pairs = sorted(
        ((r, finding_from_record(r, filename=filename)) for r in records),
        key=lambda pair: review_order(pair[1]),
    )
    reviewed = [
        ReviewedFinding(
            finding_id=record.id,
            number=first_number + index,
            finding=finding,
            decision=decisions.get(record.id),
        )
        for index, (record, finding) in enumerate(pairs)
    ]
    return _scored(analysis, filename, reviewed, rows)


def _scored(
    analysis: AnalysisRecord,
    filename: str,
    reviewed: list[ReviewedFinding],
    rows: Sequence[LedgerRow],
) -> DocumentReview:
    every = [f.finding for f in reviewed]
    kept = [f.finding for f in reviewed if not f.dismissed]
    after = score_compliance(analysis.document_id, kept)
    risk_before = _risk(analysis.document_id, every, rows)
    risk_after = _risk(analysis.document_id, kept, rows)
    return DocumentReview(
        document_id=analysis.document_id,
        filename=filename,
        analysis_id=analysis.id,
        analysed_at=analysis.analysed_at,
        rulebook_version=analysis.rulebook_version,
        knowledge_version=analysis.knowledge_version,
        findings=reviewed,
        compliance_before=analysis.score,
        status_before=score_compliance(analysis.document_id, every).status,
        compliance_after=after.score,
        status_after=after.status,
        risk_before=risk_before[0],
        level_before=risk_before[1],
        risk_after=risk_after[0],
        level_after=risk_after[1],
    )


def _risk(
    document_id: str, findings: list[Finding], rows: Sequence[LedgerRow]
) -> tuple[int, RiskLevel]:
    context = risk_context_from_ledger(findings, list(rows)) if rows else None
    risk = assess_risk(document_id, findings, context=context)
    return risk.score, risk.level

"""Decisions on findings in SQL: record one, and find the decisions that apply to findings.

A decision is keyed by the finding it was made on and by a hash of that finding's rule and
exact evidence text. It applies to any later finding of the same rule on the same
evidence in the same document, or in a document with the same file name (a new version of
it), so re-analysing carries the decision over; a finding on other evidence never matches,
so a dismissal cannot hide anything else. The latest decision on an evidence wins; earlier
ones stay in the table for the audit trail.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.db.compliance_models import AnalysisRecord, FindingRecord
from knowledge.db.models import Document
from knowledge.db.review_models import FindingDecisionRecord
from tools.errors import ToolError
from tools.models import Finding

__all__ = [
    "DECISION_VERBS",
    "Decision",
    "DecisionKind",
    "ReviewError",
    "decisions_for",
    "evidence_hash",
    "hash_of",
    "record_decision",
]

DecisionKind = Literal["confirmed", "dismissed", "escalated"]
DECISION_VERBS: dict[str, DecisionKind] = {
    "confirm": "confirmed",
    "dismiss": "dismissed",
    "escalate": "escalated",
}
DISMISS_REASONS = (
    "masked elsewhere",
    "policy text, not a transaction",
    "remediated",
    "duplicate of another finding",
)


class ReviewError(ToolError):
    """A decision or approval that cannot be made; the message says what would work."""


class Decision(BaseModel):
    """What the analyst decided on a finding, who, when, and whether it was carried over."""

    model_config = ConfigDict(frozen=True)

    decision_id: int
    decision: DecisionKind
    reason: str
    decided_by: str
    decided_at: datetime
    channel: str = ""
    finding_id: int
    carried_over: bool = False

    def describe(self) -> str:
        reason = f" ({self.reason})" if self.reason else ""
        carried = ", carried over from an earlier analysis" if self.carried_over else ""
        return f"{self.decision} by {self.decided_by}{reason}{carried}"


def evidence_hash(
    rule_id: str, evidence: str, *, sheet: str | None = None, row: int | None = None
) -> str:
    """The rule and its exact evidence, whitespace-normalised, as a sha256 hex digest.

    A ledger finding quotes one cell ("IR"), which many rows may hold: its row (and sheet)
    is part of its evidence, so a decision on one row never applies to another. Text
    evidence is a whole passage and is matched by its text wherever it moved.
    """
    text = " ".join(evidence.split())
    where = f"\n{sheet or ''}:{row}" if row is not None else ""
    return hashlib.sha256(f"{rule_id}\n{text}{where}".encode()).hexdigest()


def hash_of(finding: FindingRecord | Finding) -> str:
    return evidence_hash(finding.rule_id, finding.evidence, sheet=finding.sheet, row=finding.row)


async def record_decision(
    session: AsyncSession,
    *,
    owner: str,
    finding_id: int,
    verb: str,
    reason: str = "",
    user: str,
    role: str = "",
    channel: str = "",
    thread_id: str | None = None,
) -> FindingDecisionRecord:
    """Store a decision on one of `owner`'s findings; a dismissal needs a reason."""
    decision = DECISION_VERBS.get(verb.lower().strip())
    if decision is None:
        raise ReviewError(f"unknown decision {verb!r}: use confirm, dismiss or escalate")
    reason = " ".join(reason.split())[:500]
    if decision == "dismissed" and not reason:
        choices = "; ".join(DISMISS_REASONS)
        raise ReviewError(f"a dismissal needs a reason, e.g. {choices}")
    finding, analysis = await _owned_finding(session, finding_id, owner)
    record = FindingDecisionRecord(
        finding_id=finding.id,
        analysis_id=analysis.id,
        document_id=finding.document_id,
        filename=await _filename(session, finding.document_id),
        owner=owner,
        rule_id=finding.rule_id,
        evidence_hash=hash_of(finding),
        decision=decision,
        reason=reason,
        decided_by=user,
        role=role,
        channel=channel,
        thread_id=thread_id,
    )
    session.add(record)
    await session.flush()
    return record


async def _owned_finding(
    session: AsyncSession, finding_id: int, owner: str
) -> tuple[FindingRecord, AnalysisRecord]:
    row = (
        await session.execute(
            select(FindingRecord, AnalysisRecord)
            .join(AnalysisRecord, AnalysisRecord.id == FindingRecord.analysis_id)
            .where(FindingRecord.id == finding_id, AnalysisRecord.owner == owner)
        )
    ).first()
    if row is None:
        raise ReviewError(f"no finding with id {finding_id}: `quorum findings list` shows the ids")
    return row[0], row[1]


async def _filename(session: AsyncSession, document_id: str) -> str:
    document = await session.get(Document, document_id)
    return document.filename if document is not None else ""


async def decisions_for(
    session: AsyncSession,
    *,
    owner: str,
    filename: str,
    findings: Sequence[FindingRecord],
) -> dict[int, Decision]:
    """The decision that applies to each finding (by finding id), where there is one."""
    if not findings:
        return {}
    hashes = {f.id: hash_of(f) for f in findings}
    rows = await session.scalars(
        select(FindingDecisionRecord)
        .where(
            FindingDecisionRecord.owner == owner,
            FindingDecisionRecord.evidence_hash.in_(set(hashes.values())),
        )
        .order_by(FindingDecisionRecord.decided_at, FindingDecisionRecord.id)
    )
    latest: dict[tuple[str, str], FindingDecisionRecord] = {}
    for row in rows:
        latest[(row.document_id, row.evidence_hash)] = row
        if row.filename:
            latest[("name:" + row.filename.lower(), row.evidence_hash)] = row
    applied: dict[int, Decision] = {}
    for finding in findings:
        key = hashes[finding.id]
        candidates = [
            latest.get((finding.document_id, key)),
            latest.get(("name:" + filename.lower(), key)) if filename else None,
        ]
        found = [c for c in candidates if c is not None]
        if found:
            chosen = max(found, key=lambda r: (r.decided_at, r.id))
            applied[finding.id] = _decision(chosen, carried=chosen.finding_id != finding.id)
    return applied


def _decision(record: FindingDecisionRecord, *, carried: bool) -> Decision:
    return Decision(
        decision_id=record.id,
        decision=cast(DecisionKind, record.decision),
        reason=record.reason,
        decided_by=record.decided_by,
        decided_at=record.decided_at,
        channel=record.channel,
        finding_id=record.finding_id,
        carried_over=carried,
    )

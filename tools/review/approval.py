"""Reports under review: built from the saved analyses and decisions, hashed, signed off.

The content hash covers what a reviewer relies on (documents, findings with their
evidence, decisions with their authors and reasons, both scores, the rulebook and
knowledge-base versions) and nothing incidental (render time, row ids), so rendering the
same content again finds its sign-off, while any change makes a new draft. Approved files
are written under their own name and never overwritten.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from knowledge.db.review_models import ReportSignoffRecord
from knowledge.library import KnowledgeBase
from tools.compliance import score_compliance
from tools.reports import DocumentReport, ReportData, report_stem, write_reports
from tools.review.decisions import ReviewError
from tools.review.roles import require
from tools.review.service import document_reviews
from tools.review.signoff import SignOff, find_signoff, record_signoff
from tools.risk import assess_risk, risk_context_from_ledger

__all__ = ["Approval", "approve_report", "content_hash", "reviewed_report", "with_signoff"]


@dataclass(frozen=True)
class Approval:
    signoff: SignOff
    report: ReportData
    files: list[Path]
    already: bool = False


def content_hash(report: ReportData) -> str:
    """sha256 of the report's substance (see the module docstring)."""
    return hashlib.sha256(
        json.dumps(_substance(report), sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()


def _substance(report: ReportData) -> dict[str, Any]:
    documents = []
    for d in report.documents:
        findings = [
            {
                "rule_id": item.finding.rule_id,
                "severity": item.finding.severity,
                "page": item.finding.page,
                "sheet": item.finding.sheet,
                "row": item.finding.row,
                "evidence": item.finding.evidence,
                "decision": item.decision.decision if item.decision else None,
                "reason": item.decision.reason if item.decision else None,
                "decided_by": item.decision.decided_by if item.decision else None,
            }
            for item in d.reviewed
        ]
        documents.append(
            {
                "document_id": d.document_id,
                "filename": d.filename,
                "compliance": [d.compliance.score, d.compliance_after],
                "risk": [d.risk.score, d.risk_after],
                "findings": findings,
            }
        )
    return {
        "title": report.title,
        "rulebook": [report.rulebook_name, report.rulebook_version],
        "knowledge_version": report.knowledge_version,
        "documents": documents,
    }


async def with_signoff(knowledge: KnowledgeBase, report: ReportData, *, owner: str) -> ReportData:
    """The report with its sign-off when exactly this content was approved (else a draft)."""
    async with knowledge.database.sessions() as session:
        signoff = await find_signoff(session, owner=owner, content_hash=content_hash(report))
    return report.model_copy(update={"signoff": signoff})


async def reviewed_report(
    knowledge: KnowledgeBase,
    *,
    owner: str,
    document_ids: Sequence[str],
    rulebook_name: str,
    title: str | None = None,
) -> ReportData:
    """The report of these documents' latest analyses with the decisions made since."""
    reviews = await document_reviews(knowledge, owner=owner, document_ids=document_ids)
    if not reviews:
        raise ReviewError("none of these documents has been analysed yet: analyse them first")
    documents = []
    for review in reviews:
        info = await knowledge.get_document(review.document_id, owner=owner)
        every = [item.finding for item in review.findings]
        rows = (await knowledge.load_document(info.document_id, owner=owner)).rows
        context = risk_context_from_ledger(every, rows) if rows else None
        compliance = score_compliance(
            info.document_id,
            every,
            filename=info.filename,
            rulebook_version=review.rulebook_version,
            knowledge_version=review.knowledge_version,
            analysed_at=review.analysed_at,
        )
        documents.append(
            DocumentReport(
                document_id=info.document_id,
                filename=info.filename,
                type=info.type,
                pages=info.pages,
                compliance=compliance,
                risk=assess_risk(info.document_id, every, context=context),
                review=review,
            )
        )
    name = documents[0].filename
    return ReportData(
        title=title
        or (
            f"Compliance report: {name}"
            if len(documents) == 1
            else f"Compliance report: {len(documents)} documents"
        ),
        generated_at=datetime.now(UTC),
        documents=documents,
        rulebook_name=rulebook_name,
        rulebook_version=max((r.rulebook_version for r in reviews), default=""),
        knowledge_version=max((r.knowledge_version for r in reviews), key=_number, default=""),
    )


async def approve_report(
    knowledge: KnowledgeBase,
    *,
    owner: str,
    document_ids: Sequence[str],
    user: str,
    role: str,
    rulebook_name: str,
    out_dir: Path,
    thread_id: str | None = None,
) -> Approval:
    """Sign off the current report of these documents and write its approved files.

    Approving content that is already approved returns that sign-off (and its files).
    """
    require(role, "report.approve", user=user)
    report = await reviewed_report(
        knowledge, owner=owner, document_ids=document_ids, rulebook_name=rulebook_name
    )
    digest = content_hash(report)
    async with knowledge.database.sessions() as session:
        existing = await find_signoff(session, owner=owner, content_hash=digest)
        if existing is not None:
            record = await session.get(ReportSignoffRecord, existing.signoff_id)
            kept = [Path(p) for p in (record.files if record else [])]
            if kept and all(path.is_file() for path in kept):
                signed = report.model_copy(update={"signoff": existing})
                return Approval(signoff=existing, report=signed, files=kept, already=True)
        signoff = existing or await record_signoff(
            session,
            owner=owner,
            title=report.title,
            document_ids=[d.document_id for d in report.documents],
            analysis_ids=[d.review.analysis_id for d in report.documents if d.review],
            content_hash=digest,
            approved_by=user,
            role=role,
            rulebook_name=report.rulebook_name,
            rulebook_version=report.rulebook_version,
            knowledge_version=report.knowledge_version,
            thread_id=thread_id,
        )
        signed = report.model_copy(update={"signoff": signoff, "generated_at": signoff.approved_at})
        stem = f"{report_stem(signed)}-approved-{signoff.signoff_id[:8]}"
        files = await asyncio.to_thread(write_reports, signed, out_dir, stem=stem)
        record = await session.get(ReportSignoffRecord, signoff.signoff_id)
        if record is not None:
            record.files = [str(path) for path in files]
        await session.commit()
    return Approval(signoff=signoff, report=signed, files=files, already=existing is not None)


def _number(version: str) -> int:
    return int(version) if version.isdigit() else -1

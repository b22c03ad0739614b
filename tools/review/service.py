"""The review over a knowledge base: reviews of documents, and deciding on a finding.

What the CLI, the agents' tools and the chat call; each takes the owner explicitly, so one
user never sees or decides on another's findings.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from knowledge.db.compliance_models import AnalysisRecord, FindingRecord
from knowledge.errors import KnowledgeError
from knowledge.library import DocumentInfo, KnowledgeBase
from tools.review.decisions import ReviewError, hash_of, record_decision
from tools.review.review import (
    DocumentReview,
    ReviewedFinding,
    latest_analysis,
    review_of_analysis,
)

__all__ = ["decide", "document_reviews", "find_reviewed", "last_analysed", "review_of_finding"]


async def document_reviews(
    knowledge: KnowledgeBase, *, owner: str, document_ids: Sequence[str] | None = None
) -> list[DocumentReview]:
    """The reviews of these documents (default: every analysed one), numbered as one list."""
    infos = (
        [await knowledge.get_document(d, owner=owner) for d in document_ids]
        if document_ids is not None
        else await knowledge.list_documents(owner=owner)
    )
    reviews: list[DocumentReview] = []
    number = 1
    for info in infos:
        review = await _review(knowledge, info, owner=owner, first_number=number)
        if review is not None:
            reviews.append(review)
            number += len(review.findings)
    return reviews


async def _review(
    knowledge: KnowledgeBase, info: DocumentInfo, *, owner: str, first_number: int
) -> DocumentReview | None:
    async with knowledge.database.sessions() as session:
        analysis = await latest_analysis(session, owner=owner, document_id=info.document_id)
        if analysis is None:
            return None
        rows = (await knowledge.load_document(info.document_id, owner=owner)).rows
        return await review_of_analysis(
            session, analysis, filename=info.filename, rows=rows, first_number=first_number
        )


async def decide(
    knowledge: KnowledgeBase,
    *,
    owner: str,
    finding_id: int,
    verb: str,
    reason: str = "",
    user: str,
    role: str = "",
    channel: str = "",
    thread_id: str | None = None,
) -> tuple[ReviewedFinding, DocumentReview]:
    """Record a decision on a finding; returns the finding and its document's new review."""
    async with knowledge.database.sessions() as session:
        record = await record_decision(
            session,
            owner=owner,
            finding_id=finding_id,
            verb=verb,
            reason=reason,
            user=user,
            role=role,
            channel=channel,
            thread_id=thread_id,
        )
        await session.commit()
    try:
        reviews = await document_reviews(knowledge, owner=owner, document_ids=[record.document_id])
    except KnowledgeError as error:
        raise ReviewError(
            f"the decision was recorded, but the document is gone ({error})"
        ) from None
    return find_reviewed(reviews, record.finding_id, record.evidence_hash), reviews[0]


async def review_of_finding(
    knowledge: KnowledgeBase, *, owner: str, finding_id: int
) -> tuple[ReviewedFinding, DocumentReview]:
    """One of `owner`'s findings in its document's latest review (one document is read)."""
    async with knowledge.database.sessions() as session:
        record = await session.scalar(
            select(FindingRecord)
            .join(AnalysisRecord, AnalysisRecord.id == FindingRecord.analysis_id)
            .where(FindingRecord.id == finding_id, AnalysisRecord.owner == owner)
        )
    if record is None:
        raise ReviewError(f"no finding with id {finding_id}: `quorum findings list` shows the ids")
    reviews = await document_reviews(knowledge, owner=owner, document_ids=[record.document_id])
    return find_reviewed(reviews, finding_id, hash_of(record)), reviews[0]


async def last_analysed(knowledge: KnowledgeBase, *, owner: str) -> str | None:
    """The document of `owner`'s most recent analysis, if any."""
    async with knowledge.database.sessions() as session:
        return await session.scalar(
            select(AnalysisRecord.document_id)
            .where(AnalysisRecord.owner == owner)
            .order_by(AnalysisRecord.analysed_at.desc())
            .limit(1)
        )


def find_reviewed(
    reviews: Sequence[DocumentReview], finding_id: int, evidence: str | None = None
) -> ReviewedFinding:
    """The finding with this id in the reviews (or, from an older analysis, its successor)."""
    for review in reviews:
        for item in review.findings:
            if item.finding_id == finding_id:
                return item
    for review in reviews:
        for item in review.findings:
            if evidence and hash_of(item.finding) == evidence:
                return item
    raise ReviewError(f"finding {finding_id} is not in the latest analysis of its document")

"""Report sign-offs in SQL: who approved which report content, when, on which versions.

A sign-off names the content it approves by hash. The same content rendered again (the
same findings, decisions, scores and versions) is the approved report; any change gives
another hash, so it is a new draft and the approved one stays as it was.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.db.review_models import ReportSignoffRecord

__all__ = ["SignOff", "find_signoff", "record_signoff", "signoffs_of"]


class SignOff(BaseModel):
    """The sign-off block of an approved report."""

    model_config = ConfigDict(frozen=True)

    signoff_id: str
    approved_by: str
    role: str = ""
    approved_at: datetime
    content_hash: str
    rulebook_name: str
    rulebook_version: str
    knowledge_version: str
    document_ids: list[str]

    def describe(self) -> str:
        return (
            f"approved by {self.approved_by} on {self.approved_at:%Y-%m-%d %H:%M} UTC "
            f"(content sha256 {self.content_hash[:16]}…)"
        )


async def find_signoff(session: AsyncSession, *, owner: str, content_hash: str) -> SignOff | None:
    """The sign-off of exactly this content, if it was approved."""
    record = await session.scalar(
        select(ReportSignoffRecord)
        .where(ReportSignoffRecord.owner == owner, ReportSignoffRecord.content_hash == content_hash)
        .order_by(ReportSignoffRecord.approved_at)
        .limit(1)
    )
    return _signoff(record) if record is not None else None


async def record_signoff(
    session: AsyncSession,
    *,
    owner: str,
    title: str,
    document_ids: Sequence[str],
    analysis_ids: Sequence[str],
    content_hash: str,
    approved_by: str,
    role: str,
    rulebook_name: str,
    rulebook_version: str,
    knowledge_version: str,
    thread_id: str | None = None,
) -> SignOff:
    record = ReportSignoffRecord(
        id=uuid.uuid4().hex,
        owner=owner,
        title=title[:300],
        document_ids=list(document_ids),
        analysis_ids=list(analysis_ids),
        content_hash=content_hash,
        approved_by=approved_by,
        role=role,
        rulebook_name=rulebook_name,
        rulebook_version=rulebook_version,
        knowledge_version=knowledge_version,
        thread_id=thread_id,
    )
    session.add(record)
    await session.flush()
    return _signoff(record)


async def signoffs_of(session: AsyncSession, *, owner: str) -> list[ReportSignoffRecord]:
    rows = await session.scalars(
        select(ReportSignoffRecord)
        .where(ReportSignoffRecord.owner == owner)
        .order_by(ReportSignoffRecord.approved_at)
    )
    return list(rows)


def _signoff(record: ReportSignoffRecord) -> SignOff:
    return SignOff(
        signoff_id=record.id,
        approved_by=record.approved_by,
        role=record.role,
        approved_at=record.approved_at,
        content_hash=record.content_hash,
        rulebook_name=record.rulebook_name,
        rulebook_version=record.rulebook_version,
        knowledge_version=record.knowledge_version,
        document_ids=list(record.document_ids),
    )

"""The library's catalogue: which documents a user has, read from SQL alone.

Listing documents needs neither the chunk index nor the embedding model, so a command
that only lists (`quorum documents`) opens the database and nothing else. Documents
half-way through ingestion are never listed (their status is not visible).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from knowledge.db import Database
from knowledge.db.models import Document, DocumentStatus
from knowledge.errors import DocumentNotFoundError


@dataclass(frozen=True)
class DocumentInfo:
    """A document as listed to a user."""

    document_id: str
    filename: str
    type: str
    pages: int
    chunks: int
    status: str
    created: datetime
    size_bytes: int
    sha256: str
    owner: str
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)  # an e-mail's headers
    attached_to: str | None = None  # the message this document came with
    attachment_ids: list[str] = field(default_factory=list)  # the documents it carries


async def list_documents(database: Database, *, owner: str) -> list[DocumentInfo]:
    """The owner's documents, oldest first."""
    async with database.sessions() as session:
        documents = await session.scalars(
            select(Document)
            .where(Document.owner == owner, Document.status.in_(DocumentStatus.VISIBLE))
            .order_by(Document.created_at)
        )
        return [_info(document) for document in documents]


async def get_document(database: Database, document_id: str, *, owner: str) -> DocumentInfo:
    """A document by id or unambiguous id prefix, only if `owner` may see it."""
    async with database.sessions() as session:
        candidates = list(
            await session.scalars(
                select(Document)
                .where(
                    Document.owner == owner,
                    Document.status.in_(DocumentStatus.VISIBLE),
                    Document.id.startswith(document_id, autoescape=True),
                )
                .limit(2)
            )
        )
    if len(candidates) != 1 or not document_id:
        raise DocumentNotFoundError(f"no document {document_id!r}; list them with `documents`")
    return _info(candidates[0])


def _info(document: Document) -> DocumentInfo:
    return DocumentInfo(
        document_id=document.id,
        filename=document.filename,
        type=document.doc_type,
        pages=document.pages,
        chunks=document.chunks,
        status=document.status,
        created=document.created_at,
        size_bytes=document.size_bytes,
        sha256=document.sha256,
        owner=document.owner,
        warnings=list(document.warnings or []),
        metadata={k: str(v) for k, v in (document.meta or {}).items() if isinstance(v, str)},
        attached_to=document.parent_id,
        attachment_ids=[
            str(item["document_id"])
            for item in (document.meta or {}).get("attachment_documents", [])
            if isinstance(item, dict) and item.get("document_id")
        ],
    )

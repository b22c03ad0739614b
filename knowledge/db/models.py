"""Records of the knowledge base: documents, their pages, ledger rows, ingestion events."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge.db.base import Base, Timestamped, utcnow


class DocumentStatus:
    """Lifecycle of a document; only `searchable` and `ready` are visible to readers."""

    INGESTING = "ingesting"  # rows being written; invisible; removed if the process dies
    SEARCHABLE = "searchable"  # text, pages, rows and full-text index in place; vectors pending
    READY = "ready"  # fully indexed
    VISIBLE = (SEARCHABLE, READY)


class Document(Timestamped, Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("owner", "sha256", name="uq_documents_owner_sha256"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(512))
    doc_type: Mapped[str] = mapped_column(String(16))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    chunks: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default=DocumentStatus.INGESTING)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    # "host:pid" of the process writing the document, so a restart only cleans up
    # ingests whose writer is really gone (the CLI may ingest while the server runs).
    worker: Mapped[str | None] = mapped_column(String(128), default=None)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The e-mail this document was attached to (it goes and comes with its message).
    parent_id: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    # What the file says about itself: an e-mail's from, to, cc, date, subject and the
    # ids of its attachments.
    meta: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    page_records: Mapped[list[DocumentPage]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class DocumentPage(Base):
    """A page (PDF), a sheet (XLSX) or the whole text (other types): the unit of citation."""

    __tablename__ = "document_pages"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str | None] = mapped_column(String(256), default=None)
    text: Mapped[str] = mapped_column(Text)
    # Mean Tesseract word confidence (0-100) when the page was read by OCR.
    ocr_confidence: Mapped[float | None] = mapped_column(Float, default=None)

    document: Mapped[Document] = relationship(back_populates="page_records")


class LedgerRowRecord(Base):
    """A CSV/XLSX row kept structured for the rule engine (amounts, dates, parties)."""

    __tablename__ = "ledger_rows"
    __table_args__ = (Index("ix_ledger_rows_document_party", "document_id", "party"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    sheet: Mapped[str | None] = mapped_column(String(256), default=None)
    page_number: Mapped[int] = mapped_column(Integer, default=1)
    row_number: Mapped[int] = mapped_column(Integer)
    span_start: Mapped[int] = mapped_column(Integer, default=0)
    span_end: Mapped[int] = mapped_column(Integer, default=0)
    date: Mapped[date | None] = mapped_column(Date, default=None)
    party: Mapped[str | None] = mapped_column(String(512), default=None)
    type: Mapped[str | None] = mapped_column(String(128), default=None)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(20, 4), default=None)
    currency: Mapped[str | None] = mapped_column(String(8), default=None)
    country: Mapped[str | None] = mapped_column(String(128), default=None)
    memo: Mapped[str | None] = mapped_column(Text, default=None)
    raw: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class IngestionEvent(Base):
    """Append-only log of what happened to each file; its max id is the knowledge-base version."""

    __tablename__ = "ingestion_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    owner: Mapped[str] = mapped_column(String(128))
    filename: Mapped[str] = mapped_column(String(512))
    sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    event: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

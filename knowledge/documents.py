"""What a parsed document looks like to everything above the parsers.

The compliance engine, the chunker and the SQL records all read these types, so a
finding can always name the page (or sheet and row) and the exact text it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class DocType(StrEnum):
    """Document types, decided from the content, never from the file name."""

    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    CSV = "csv"
    TXT = "txt"
    MD = "md"
    HTML = "html"
    EMAIL = "email"
    IMAGE = "image"

    @property
    def is_ledger(self) -> bool:
        return self in (DocType.CSV, DocType.XLSX)

    @property
    def is_paginated(self) -> bool:
        """Pages a citation names: PDF pages, an HTML filing's page breaks, a thread's messages."""
        return self in (DocType.PDF, DocType.HTML, DocType.EMAIL)


@dataclass(frozen=True)
class Page:
    """One unit of citation: a PDF page, a spreadsheet sheet, or a whole text document.

    `number` is 1-based. For PDFs it is the page number a reader would cite; for sheets
    it is the sheet's position and `label` holds the sheet name.
    """

    number: int
    text: str
    label: str | None = None
    # Text for full-text search and embeddings when it differs from `text`: pypdf's
    # layout extraction re-joins words its plain extraction splits on some filings
    # ("prior ye ar"). None means search `text`. Citations always quote `text`.
    search_text: str | None = None
    # Mean Tesseract word confidence (0-100) when the page was read by OCR; None when the
    # text came from the file itself. Shown beside a citation of the page.
    ocr_confidence: float | None = None


@dataclass(frozen=True)
class LedgerRow:
    """One row of a CSV or XLSX ledger, with the fields the rule engine reasons over.

    `raw` keeps every cell as text (header -> value) so nothing is lost; the typed fields
    are best-effort interpretations and may be None. `span` is the character range of the
    row's text inside its page's text, so a finding on the row can quote it exactly.
    """

    sheet: str | None
    row_number: int
    raw: dict[str, str]
    page_number: int = 1
    span: tuple[int, int] = (0, 0)
    date: date | None = None
    party: str | None = None
    type: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    country: str | None = None
    memo: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A file carried inside another (an e-mail's attachment), ingested as its own document."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class ParsedDocument:
    """A file turned into citable pages (and ledger rows for CSV/XLSX and PDF tables).

    `warnings` name what was skipped without failing the file (a damaged page, an empty
    sheet), in words a person can act on. `metadata` holds what the file says about
    itself (an e-mail's from, to, cc, date and subject); `attachments` the files it
    carries, each to be ingested as a document linked to this one.
    """

    doc_type: DocType
    pages: list[Page]
    rows: list[LedgerRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(page.text for page in self.pages)

    @property
    def page_count(self) -> int:
        return len(self.pages)

"""Parsed text as every SQL backend can store it.

PostgreSQL refuses the NUL character in text (SQLite keeps it), and real filings carry a
few: pypdf returns them for some glyphs (8 in Best Buy's 2024 Q2 10-Q). A NUL carries no
meaning in a document, so it becomes a space: the same length, so every character span
(citations, ledger rows) stays where it was.
"""

from __future__ import annotations

from dataclasses import replace

from knowledge.documents import LedgerRow, Page, ParsedDocument

NUL = "\x00"


def _clean(value: str | None) -> str | None:
    return value.replace(NUL, " ") if value and NUL in value else value


def _page(page: Page) -> Page:
    return replace(
        page, text=_clean(page.text) or "", label=_clean(page.label),
        search_text=_clean(page.search_text),
    )  # fmt: skip


def _row(row: LedgerRow) -> LedgerRow:
    return replace(
        row,
        raw={k.replace(NUL, " "): v.replace(NUL, " ") for k, v in row.raw.items()},
        sheet=_clean(row.sheet), party=_clean(row.party), type=_clean(row.type),
        currency=_clean(row.currency), country=_clean(row.country), memo=_clean(row.memo),
    )  # fmt: skip


def storable(parsed: ParsedDocument) -> ParsedDocument:
    """The document with every NUL character replaced by a space."""
    if not _has_nul(parsed):
        return parsed
    return replace(
        parsed,
        pages=[_page(page) for page in parsed.pages],
        rows=[_row(row) for row in parsed.rows],
        metadata={k: v.replace(NUL, " ") for k, v in parsed.metadata.items()},
    )


def _has_nul(parsed: ParsedDocument) -> bool:
    texts = [p.text + (p.search_text or "") + (p.label or "") for p in parsed.pages]
    texts += [str(r.raw) + (r.memo or "") + (r.party or "") for r in parsed.rows]
    texts += list(parsed.metadata.values())
    return any(NUL in text for text in texts)

"""Citations that open: the PDF at the cited page, or the quoted rows of a ledger.

The team's tools return passages and findings that carry document, page and rows.
For each agent turn we collect them and attach one side-panel element per source:
a `cl.Pdf` opened at the page (served from the original we keep, owner-checked), or a
text element holding the quoted ledger rows or passage, escaped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import chainlit as cl

from chat.data_layer import document_url
from chat.markdown import markdown_table, quote_block
from knowledge.errors import KnowledgeError
from knowledge.library import KnowledgeBase

logger = logging.getLogger(__name__)

MAX_CITATIONS_PER_TURN = 8
MAX_ROWS = 30
FEW_ROWS = 3
LEDGER_TYPES = ("csv", "xlsx")


@dataclass(frozen=True)
class Citation:
    """One cited place: a document and a page, maybe a row range, and the quoted text."""

    document_id: str
    filename: str
    page: int | None
    quote: str
    row_start: int | None = None
    row_end: int | None = None
    ocr: str | None = None  # "read by OCR, 91%": the cited page is a scan
    table_header: str | None = None  # the header row of the table the quote is from

    @property
    def label(self) -> str:
        """The element name, also written in the message so it becomes a link."""
        if self.row_start is not None:
            if self.row_end in (None, self.row_start):
                return f"{self.filename} row {self.row_start}"
            return f"{self.filename} rows {self.row_start}-{self.row_end}"
        if self.page is not None:
            where = f"{self.filename} p.{self.page}"
            return f"{where} ({self.ocr})" if self.ocr else where
        return self.filename

    @property
    def shown_quote(self) -> str:
        """The quote, under its table's header row when it quotes table rows."""
        if self.table_header and self.table_header not in self.quote:
            return f"{self.table_header}\n…\n{self.quote}"
        return self.quote


def parse_rows(rows: str | None) -> tuple[int | None, int | None]:
    """'4-9' -> (4, 9); '7' -> (7, 7); anything else -> (None, None)."""
    if not rows:
        return None, None
    start, _, end = rows.partition("-")
    try:
        first = int(start)
        return first, int(end) if end else first
    except ValueError:
        return None, None


def unique(citations: list[Citation]) -> list[Citation]:
    seen: dict[str, Citation] = {}
    for citation in citations:
        seen.setdefault(citation.label, citation)
    return list(seen.values())[:MAX_CITATIONS_PER_TURN]


async def citation_elements(
    citations: list[Citation], *, knowledge: KnowledgeBase, owner: str
) -> list[cl.Element]:
    """One side-panel element per citation; a document the user cannot see is skipped."""
    elements: list[cl.Element] = []
    for citation in unique(citations):
        try:
            info = await knowledge.get_document(citation.document_id, owner=owner)
        except KnowledgeError:
            logger.info("citation of a document the user cannot see was skipped")
            continue
        if info.type == "pdf" and citation.page is not None:
            elements.append(
                cl.Pdf(
                    name=citation.label,
                    url=document_url(info.document_id),
                    page=citation.page,
                    display="side",
                    mime="application/pdf",
                )
            )
        elif info.type in LEDGER_TYPES:
            content = await _ledger_rows(citation, knowledge=knowledge, owner=owner)
            elements.append(cl.Text(name=citation.label, content=content, display="side"))
        else:
            content = quote_block(citation.shown_quote)
            elements.append(cl.Text(name=citation.label, content=content, display="side"))
    return elements


async def _ledger_rows(citation: Citation, *, knowledge: KnowledgeBase, owner: str) -> str:
    """The cited rows as an escaped table, or the quoted text when rows are unknown."""
    if citation.row_start is None:
        return quote_block(citation.quote)
    document = await knowledge.load_document(citation.document_id, owner=owner)
    last = citation.row_end if citation.row_end is not None else citation.row_start
    rows = [r for r in document.rows if citation.row_start <= r.row_number <= last][:MAX_ROWS]
    if not rows:
        return quote_block(citation.quote)
    columns = list(rows[0].raw.keys())
    if len(rows) <= FEW_ROWS:  # narrow side panel: one field per line reads best
        blocks = [
            f"**Row {row.row_number}**\n\n"
            + markdown_table(["field", "value"], [[c, row.raw.get(c)] for c in columns])
            for row in rows
        ]
        return "\n\n".join(blocks)
    body = [[row.row_number, *(row.raw.get(c) for c in columns)] for row in rows]
    return markdown_table(["row", *columns], body)


def sources_line(elements: list[cl.Element]) -> str:
    """'Sources: a.pdf p.3, b.csv rows 4-9' — names that Chainlit turns into links."""
    if not elements:
        return ""
    return "\n\n**Sources:** " + ", ".join(element.name for element in elements)

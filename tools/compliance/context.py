"""A parsed document seen the way rules read it: sentences, ledger cells, and what it is.

Built once per document and shared by every rule, so each rule asks "which sentence holds
this match?" or "which cell of this row is the approver?" without re-parsing anything.
Every offset is a character offset into a page's text, which is what makes evidence an
exact substring of the document.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from knowledge.documents import LedgerRow, Page, ParsedDocument
from tools.compliance.classify import classify_document
from tools.compliance.patterns import SafePattern
from tools.compliance.text import sentence_spans

__all__ = ["Cell", "DocumentView", "RowView", "Segment", "normalise_header"]


def normalise_header(name: str) -> str:
    """`requested_by`, `Requested-By` and `Requested by` all read `requested by`."""
    return re.sub(r"[\s_\-/.]+", " ", name).strip().lower()


@dataclass(frozen=True)
class Cell:
    """One cell of a ledger row and where its text sits in the page text."""

    column: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class RowView:
    """A ledger row with its cells located in the page text."""

    row: LedgerRow
    page: int
    start: int
    end: int
    cells: tuple[Cell, ...]
    line: str

    def cells_in(self, header: SafePattern) -> list[Cell]:
        """The cells whose (normalised) column name matches `header`."""
        return [c for c in self.cells if header.matches(normalise_header(c.column))]

    def cell_in(self, header: SafePattern) -> Cell | None:
        found = self.cells_in(header)
        return found[0] if found else None

    def has_column(self, header: SafePattern) -> bool:
        return any(header.matches(normalise_header(c.column)) for c in self.cells)


@dataclass(frozen=True)
class Segment:
    """A unit a text rule judges on its own: a sentence, or one cell of a ledger row."""

    page: int
    start: int
    end: int
    row: RowView | None = None


@dataclass
class DocumentView:
    """The document, its sentences and cells, and its kinds (contract, SEC filing, ...)."""

    document: ParsedDocument
    pages: dict[int, Page] = field(init=False)

    def __post_init__(self) -> None:
        self.pages = {page.number: page for page in self.document.pages}

    @property
    def paginated(self) -> bool:
        return self.document.doc_type.is_paginated

    def page_text(self, page: int) -> str:
        return self.pages[page].text

    @cached_property
    def rows(self) -> list[RowView]:
        views = [_row_view(row, self.pages) for row in self.document.rows]
        return [view for view in views if view is not None]

    @cached_property
    def kinds(self) -> frozenset[str]:
        return classify_document(self.document, has_rows=bool(self.rows))

    @cached_property
    def _segments(self) -> dict[int, list[Segment]]:
        by_page: dict[int, list[Segment]] = {}
        rows_by_page: dict[int, list[RowView]] = {}
        for view in self.rows:
            rows_by_page.setdefault(view.page, []).append(view)
        for number, page in self.pages.items():
            by_page[number] = _page_segments(number, page.text, rows_by_page.get(number, []))
        return by_page

    def segments(self, page: int) -> list[Segment]:
        return self._segments.get(page, [])

    def segment_at(self, page: int, offset: int) -> Segment | None:
        """The segment holding character `offset` of `page`."""
        segments = self._segments.get(page, [])
        index = bisect.bisect_right([s.start for s in segments], offset) - 1
        if index >= 0 and segments[index].start <= offset < segments[index].end:
            return segments[index]
        return None

    def neighbours(self, segment: Segment, radius: int) -> tuple[int, int]:
        """The span of `segment` widened by `radius` sentences on each side (prose only)."""
        if radius <= 0 or segment.row is not None:
            return segment.start, segment.end
        segments = self._segments.get(segment.page, [])
        index = segments.index(segment)
        low = max(0, index - radius)
        high = min(len(segments) - 1, index + radius)
        return segments[low].start, segments[high].end


def _row_view(row: LedgerRow, pages: dict[int, Page]) -> RowView | None:
    page = pages.get(row.page_number)
    if page is None:
        return None
    start, end = row.span
    if not 0 <= start < end <= len(page.text):
        return None
    line = page.text[start:end]
    cells: list[Cell] = []
    cursor = 0
    for column, value in row.raw.items():
        position = line.find(value, cursor) if value else -1
        if value and position == -1:
            continue
        if not value:
            cells.append(Cell(column, "", start + cursor, start + cursor))
            continue
        cells.append(Cell(column, value, start + position, start + position + len(value)))
        cursor = position + len(value)
    return RowView(row, row.page_number, start, end, tuple(cells), line)


def _page_segments(number: int, text: str, rows: list[RowView]) -> list[Segment]:
    """Cells of ledger rows, and sentences of whatever text lies between rows."""
    segments: list[Segment] = []
    position = 0
    for view in sorted(rows, key=lambda v: v.start):
        segments.extend(_prose_segments(number, text, position, view.start))
        segments.extend(
            Segment(number, cell.start, cell.end, view) for cell in view.cells if cell.value
        )
        position = max(position, view.end)
    segments.extend(_prose_segments(number, text, position, len(text)))
    return segments


def _prose_segments(number: int, text: str, start: int, end: int) -> list[Segment]:
    if start >= end:
        return []
    return [Segment(number, start + s, start + e) for s, e in sentence_spans(text[start:end])]

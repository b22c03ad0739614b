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
from knowledge.parsing.roles import TableReading, infer_roles
from tools.compliance.classify import classify_document
from tools.compliance.patterns import SafePattern
from tools.compliance.text import sentence_spans

__all__ = ["Cell", "DocumentView", "RowView", "Segment", "normalise_header", "normalise_text"]


# One character for one character, so offsets into the normalised text are offsets into
# the original: rules match "risk-free rate" whatever spaces, quotes or dashes the PDF used,
# and evidence is still cut from the original text.
_SAME_LENGTH = str.maketrans(
    {
        **dict.fromkeys(
            "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000", " "
        ),
        **dict.fromkeys("\u2018\u2019\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"),
    }
)


def normalise_text(text: str) -> str:
    """Unusual spaces, quotes and dashes as plain ASCII, keeping every offset."""
    return text.translate(_SAME_LENGTH)


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
    reading: TableReading = field(default_factory=lambda: TableReading(()))
    context: str = field(default="", repr=False)

    def cells_for(self, role: str) -> list[Cell]:
        """The cells of the columns read as `role` (see knowledge.parsing.roles)."""
        headers = {self.reading.headers[p] for p in self.reading.columns(role)}
        return [c for c in self.cells if c.column in headers]

    def cell_for(self, role: str) -> Cell | None:
        """The first filled cell of `role`, else its first (blank) cell, else None."""
        cells = self.cells_for(role)
        return next((c for c in cells if c.value.strip()), cells[0] if cells else None)

    def value_of(self, role: str) -> str:
        cell = self.cell_for(role)
        return cell.value.strip() if cell is not None else ""

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
    filename: str = ""
    pages: dict[int, Page] = field(init=False)
    original: dict[int, Page] = field(init=False)

    def __post_init__(self) -> None:
        """`pages` hold the normalised text rules match; `original` the text evidence quotes."""
        self.original = {page.number: page for page in self.document.pages}
        self.pages = {
            page.number: Page(page.number, normalise_text(page.text), page.label)
            for page in self.document.pages
        }

    @property
    def has_text(self) -> bool:
        return any(page.text.strip() for page in self.pages.values())

    @property
    def paginated(self) -> bool:
        return self.document.doc_type.is_paginated

    def page_text(self, page: int) -> str:
        """The normalised text of a page (same length and offsets as the original)."""
        return self.pages[page].text

    def original_text(self, page: int) -> str:
        return self.original[page].text

    @cached_property
    def normalised_document(self) -> ParsedDocument:
        return ParsedDocument(
            doc_type=self.document.doc_type,
            pages=[self.pages[number] for number in sorted(self.pages)],
            rows=self.document.rows,
            warnings=self.document.warnings,
        )

    @cached_property
    def rows(self) -> list[RowView]:
        tables: dict[tuple[int, str | None, tuple[str, ...]], list[LedgerRow]] = {}
        for row in self.document.rows:
            tables.setdefault((row.page_number, row.sheet, tuple(row.raw)), []).append(row)
        views: list[RowView] = []
        for (page_number, sheet, headers), rows in tables.items():
            reading = infer_roles(list(headers), [list(r.raw.values()) for r in rows])
            context = self._table_context(page_number, sheet, rows)
            views += [
                view
                for row in rows
                if not _is_total(row)
                and (view := _row_view(row, self.pages, reading, context)) is not None
            ]
        views.sort(key=lambda v: (v.page, v.start))
        return views

    @cached_property
    def tables(self) -> list[tuple[TableReading, list[RowView]]]:
        """Each table (rows sharing a page, sheet and header) with how it was read."""
        grouped: dict[int, tuple[TableReading, list[RowView]]] = {}
        for view in self.rows:
            grouped.setdefault(id(view.reading), (view.reading, []))[1].append(view)
        return list(grouped.values())

    def _table_context(self, page_number: int, sheet: str | None, rows: list[LedgerRow]) -> str:
        """What names the table: the file name, the sheet name and the lines above it."""
        page = self.pages.get(page_number)
        first = min(row.span[0] for row in rows)
        above = page.text[:first][-600:] if page is not None else ""
        return " ".join(part for part in (self.filename, sheet or "", above) if part)

    @cached_property
    def kinds(self) -> frozenset[str]:
        return classify_document(
            self.normalised_document,
            has_rows=bool(self.rows),
            reference_head=self._reference_head(),
        )

    def _reference_head(self) -> str | None:
        """The title block and header of a document whose tables record no transaction
        (no date or amount column); None when some table does."""
        if not self.rows or any(
            reading.has("date") or any(reading.has(role) for role in _MONEY_ROLES)
            for reading, _rows in self.tables
        ):
            return None
        first = min(self.rows, key=lambda v: (v.page, v.start))
        return self.pages[first.page].text[: first.start]

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

    @cached_property
    def _starts(self) -> dict[int, list[int]]:
        return {page: [s.start for s in segments] for page, segments in self._segments.items()}

    def segment_at(self, page: int, offset: int) -> Segment | None:
        """The segment holding character `offset` of `page`."""
        segments = self._segments.get(page, [])
        index = bisect.bisect_right(self._starts.get(page, []), offset) - 1
        if index >= 0 and segments[index].start <= offset < segments[index].end:
            return segments[index]
        return None

    def neighbours(self, segment: Segment, radius: int) -> tuple[int, int]:
        """The span of `segment` widened by `radius` sentences on each side (prose only)."""
        if radius <= 0 or segment.row is not None:
            return segment.start, segment.end
        segments = self._segments.get(segment.page, [])
        index = bisect.bisect_left(self._starts[segment.page], segment.start)
        low = max(0, index - radius)
        high = min(len(segments) - 1, index + radius)
        return segments[low].start, segments[high].end


_MONEY_ROLES = ("amount", "cash_in", "cash_out", "debit", "credit")
_TOTAL = re.compile(
    r"^\s*(?:grand\s+|sub-?\s*)?totals?\b|^\s*(?:sum|summe|gesamt\w*|total général|totaal|balance"
    r" (?:b/f|c/f|brought forward|carried forward)|opening balance|closing balance)\b",
    re.IGNORECASE,
)


def _is_total(row: LedgerRow) -> bool:
    """A totals or balance line of a table: not a transaction of its own."""
    first = next((value for value in row.raw.values() if value.strip()), "")
    return _TOTAL.match(first) is not None


def _row_view(
    row: LedgerRow, pages: dict[int, Page], reading: TableReading, context: str
) -> RowView | None:
    page = pages.get(row.page_number)
    if page is None:
        return None
    start, end = row.span
    if not 0 <= start < end <= len(page.text):
        return None
    line = page.text[start:end]
    cells: list[Cell] = []
    cursor = 0
    for column, raw_value in row.raw.items():
        value = normalise_text(raw_value)
        position = line.find(value, cursor) if value else -1
        if value and position == -1:
            continue
        if not value:
            cells.append(Cell(column, "", start + cursor, start + cursor))
            continue
        cells.append(Cell(column, value, start + position, start + position + len(value)))
        cursor = position + len(value)
    return RowView(row, row.page_number, start, end, tuple(cells), line, reading, context)


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

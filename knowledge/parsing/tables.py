"""Tables printed in a PDF, read back as rows of cells from pypdf's layout text.

pypdf's plain extraction puts a statement's figures on lines of their own ("Net income",
"$", "5,363", ...); its layout mode keeps each printed line on one text line with the
columns padded by spaces. A run of two or more spaces is a column gap, so a printed line
becomes a row of cells, and consecutive lines of several cells are a table. Measured on
20 statement pages of real filings against pdfplumber (`make bench`, README "Tables").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from knowledge.documents import LedgerRow
from knowledge.parsing.ledger import CELL_SEPARATOR, TableRow, render_table

_COLUMN_GAP = re.compile(r"\s{2,}")
_CURRENCY_SPACE = re.compile(r"^([$€£¥]) (?=[\d(])")
_CURRENCY_ONLY = frozenset({"$", "€", "£", "¥", "US$"})
MIN_TABLE_ROWS = 3
# Lines of one cell inside a table (a section heading, a wrapped label) keep it going,
# but this many in a row end it.
MAX_SINGLE_CELL_RUN = 2


@dataclass(frozen=True)
class PageTable:
    """A table on one page: its rows of cells, the first row with a label being the header."""

    rows: list[list[str]]


def line_cells(line: str) -> list[str]:
    """'Net income   $  4,858   $ 5,363' -> ['Net income', '$4,858', '$5,363']."""
    cells = [_CURRENCY_SPACE.sub(r"\1", cell) for cell in _COLUMN_GAP.split(line.strip()) if cell]
    merged: list[str] = []
    for cell in cells:
        if merged and merged[-1] in _CURRENCY_ONLY:
            merged[-1] = merged[-1] + cell
        else:
            merged.append(cell)
    return merged


def layout_rows(layout_text: str) -> list[list[str]]:
    """Every non-blank printed line of a page as its cells."""
    return [cells for line in layout_text.splitlines() if (cells := line_cells(line))]


def find_tables(layout_text: str) -> list[PageTable]:
    """Runs of printed lines with two or more cells (at least MIN_TABLE_ROWS of them)."""
    tables: list[PageTable] = []
    current: list[list[str]] = []
    singles: list[list[str]] = []
    for cells in layout_rows(layout_text):
        if len(cells) >= 2:
            if current:
                current.extend(singles)
            current.append(cells)
            singles = []
        elif current:
            singles.append(cells)
            if len(singles) > MAX_SINGLE_CELL_RUN:
                _close(current, tables)
                current, singles = [], []
    _close(current, tables)
    return tables


def _close(rows: list[list[str]], tables: list[PageTable]) -> None:
    if sum(1 for row in rows if len(row) >= 2) >= MIN_TABLE_ROWS:
        tables.append(PageTable(rows=list(rows)))


MIN_FIGURES = 6
MIN_FIGURE_SHARE = 0.08


def _is_figure(token: str) -> bool:
    """An amount, a date, a percentage: a token mostly made of digits."""
    digits = sum(c.isdigit() for c in token)
    return digits > 0 and digits * 2 >= sum(c.isalnum() for c in token)


def may_hold_table(plain_text: str) -> bool:
    """Cheap test on the plain text: enough figures that a table is worth looking for.

    Layout extraction costs about as much again as plain extraction, so it only runs on
    pages with at least MIN_FIGURES figures (amounts, dates) making up MIN_FIGURE_SHARE
    of the words.
    """
    tokens = plain_text.split()
    figures = sum(1 for token in tokens if _is_figure(token))
    return figures >= MIN_FIGURES and figures >= MIN_FIGURE_SHARE * len(tokens)


TABLE_TITLE = "Table {index} on this page, row by row:"
# A table is read as a ledger when most of its rows carry an amount and a party or country.
LEDGER_ROW_SHARE = 0.5


def with_tables(
    text: str, tables: list[PageTable], page_number: int
) -> tuple[str, list[LedgerRow]]:
    """The page text with each table appended as rows of cells, and the ledger rows.

    The printed text stays first and unchanged (citations already quote it); each table
    follows as one line per row ("Net income | $4,858 | $5,363"), so a line item and its
    figures can be found and cited together. Tables that read as ledgers (wire lists,
    payment annexes) also become ledger rows for the rule engine, spans into this text.
    """
    rows: list[LedgerRow] = []
    for index, table in enumerate(tables, start=1):
        text = f"{text}\n\n" if text else ""
        text += TABLE_TITLE.format(index=index) + "\n"
        offset = len(text)
        rendered = render_table(
            [TableRow(number, cells) for number, cells in enumerate(table.rows, start=1)],
            sheet=None,
            page_number=page_number,
        )
        text += rendered.text
        if _reads_as_ledger(rendered.rows):
            rows.extend(
                replace(row, span=(row.span[0] + offset, row.span[1] + offset))
                for row in rendered.rows
            )
    return text, rows


def _reads_as_ledger(rows: list[LedgerRow]) -> bool:
    if len(rows) < 2:
        return False
    with_amount = sum(1 for row in rows if row.amount is not None)
    with_party = sum(1 for row in rows if row.party or row.country)
    needed = LEDGER_ROW_SHARE * len(rows)
    return with_amount >= needed and with_party >= needed


def table_header(page_text: str, start: int, end: int) -> str | None:
    """The header row of the table a passage (`start:end` of the page) quotes rows of.

    Tables are written as a block of lines, one row per line with cells joined by " | "
    (HTML tables, PDF tables, ledgers), set off by blank lines; section labels inside a
    table ("Current assets:") are lines of one cell. The header is the block's first line
    of several cells. None when the passage quotes no table row.
    """
    lines = page_text.splitlines(keepends=True)
    offset = 0
    first_row: int | None = None
    for index, line in enumerate(lines):
        if offset >= end:
            break
        if offset + len(line) > start and CELL_SEPARATOR in line:
            first_row = index
            break
        offset += len(line)
    if first_row is None:
        return None
    top = first_row
    while top > 0 and lines[top - 1].strip():
        top -= 1
    header = next(line for line in lines[top : first_row + 1] if CELL_SEPARATOR in line)
    return header.strip()

"""XLSX workbooks: one page per sheet, and ledger rows from every table found.

Read in read-only, values-only mode so a large export streams instead of building a
cell object per cell; formulas give their cached values (what the user saw in Excel).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from knowledge.documents import DocType, LedgerRow, Page, ParsedDocument
from knowledge.parsing.ledger import TableRow, render_table

MAX_SHEET_COLUMNS = 1_000


def parse_xlsx(path: Path) -> ParsedDocument:
    """Each sheet in workbook order becomes page N (label = sheet name)."""
    pages: list[Page] = []
    rows: list[LedgerRow] = []
    warnings: list[str] = []
    with path.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True, data_only=True)
        try:
            for number, sheet in enumerate(workbook.worksheets, start=1):
                table = render_table(_sheet_rows(sheet), sheet=sheet.title, page_number=number)
                if not table.text.strip():
                    warnings.append(f"sheet {sheet.title!r} is empty")
                pages.append(Page(number=number, text=table.text, label=sheet.title))
                rows.extend(table.rows)
        finally:
            workbook.close()
    return ParsedDocument(doc_type=DocType.XLSX, pages=pages, rows=rows, warnings=warnings)


def _sheet_rows(sheet: Any) -> list[TableRow]:
    rows: list[TableRow] = []
    if not hasattr(sheet, "iter_rows"):  # chart sheets have no cells
        return rows
    # The stored dimension ("A1:XFD1048576" in some exports, or a hostile file) would
    # pad every row to that width; forgetting it yields each row as long as it is.
    sheet.reset_dimensions()
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        trimmed = list(values[:MAX_SHEET_COLUMNS])
        while trimmed and trimmed[-1] is None:
            trimmed.pop()
        if trimmed:
            rows.append(TableRow(number=number, values=trimmed))
    return _without_leading_empty_columns(rows)


def _without_leading_empty_columns(rows: list[TableRow]) -> list[TableRow]:
    """A table drawn from column C on should not render two empty cells on every line."""
    filled = [
        next((i for i, v in enumerate(row.values) if v is not None and str(v).strip()), None)
        for row in rows
    ]
    first = min((i for i in filled if i is not None), default=0)
    if first == 0:
        return rows
    return [TableRow(number=row.number, values=row.values[first:]) for row in rows]

"""CSV (and other delimited text) as one page of rendered rows plus ledger rows.

The delimiter is sniffed (`,` `;` tab `|`); the text has already been decoded, so
exports in latin-1, UTF-16 or with a BOM read the same as UTF-8 ones.
"""

from __future__ import annotations

import csv
import io

from knowledge.documents import DocType, Page, ParsedDocument
from knowledge.parsing.detect import sniff_delimiter
from knowledge.parsing.ledger import TableRow, render_table

_SNIFF_CHARS = 64 * 1024


def parse_delimited(text: str) -> ParsedDocument:
    """Rows of the CSV; a file with one column is read with `,` as its delimiter."""
    delimiter = sniff_delimiter(text[:_SNIFF_CHARS]) or ","
    csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Numbered by record, header = 1, as a spreadsheet shows the file.
    rows = [
        TableRow(number=number, values=cells)
        for number, cells in enumerate(reader, start=1)
        if any(cell.strip() for cell in cells)
    ]
    table = render_table(rows, sheet=None, page_number=1)
    warnings = [] if rows else ["the file has no rows"]
    return ParsedDocument(
        doc_type=DocType.CSV,
        pages=[Page(number=1, text=table.text)],
        rows=table.rows,
        warnings=warnings,
    )

"""Which rows of a statement page a query is about: the line items sharing its words."""

from __future__ import annotations

import re

from knowledge.retrieval.metrics import metrics_named
from tools.agent_tools.models import TableRow
from tools.statement_rows import statement_rows

MIN_ROWS = 5
MAX_LABEL = 90
MAX_ROWS = 3
_WORD = re.compile(r"[a-z]{3,}")
_IGNORED_TEXT = """the and for from with total net year years ended what how much was were are
    fiscal amount usd millions million billions thousands company"""
_IGNORED = frozenset(_IGNORED_TEXT.split())


def _stems(text: str) -> set[str]:
    return {w[:6] for w in _WORD.findall(text.lower()) if w not in _IGNORED}


def matching_rows(page_text: str, query: str) -> list[TableRow]:
    """Up to three rows whose labels share the most words with the query (none when the
    page is not a table of amounts under column headings)."""
    rows = [
        row
        for row in statement_rows(page_text)
        if len(row.columns) >= 2 and len(row.amounts) >= 2 and len(row.label) <= MAX_LABEL
    ]
    if len(rows) < MIN_ROWS:
        return []  # a page of prose with a few figures in it is not a table
    wanted = _stems(" ".join([query, *metrics_named(query).line_items]))
    scored = [(len(wanted & _stems(row.label)), -index, row) for index, row in enumerate(rows)]
    best = sorted((item for item in scored if item[0] > 0), reverse=True)[:MAX_ROWS]
    return [
        TableRow(label=row.label, amounts=list(row.amounts), columns=list(row.columns))
        for _, _, row in best
    ]

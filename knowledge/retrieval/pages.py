"""What a page is about, read from its top lines: its heading and, for statement pages,
which primary statement it shows.

A chunk from the middle of a balance sheet holds numbers and line items but not the
words "balance sheet"; the page's heading does. The heading is what a reader sees first,
so it is what the indexes get as the context of every chunk of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.retrieval.statements import Statement, statement_in_title

HEADING_ZONE_LINES = 8
MAX_HEADING_CHARS = 100
MAX_CONTEXT_CHARS = 200

# Lines that carry no heading: running headers, page numbers, unit captions, dates.
_NOISE = re.compile(
    r"^(?:table\s*of\s*contents|index|page\s*\d+|\d+|[ivxlc]+|[-–—\s\d]+|\(.*\)|"
    r"\$?\s*in\s+(?:millions|thousands|billions).*)$",
    re.IGNORECASE,
)
# An amount as statements print it: 1,234 / (1,234) / 12.5 / (12)
_AMOUNT = re.compile(r"\(?\$?\s?\d{1,3}(?:,\d{3})+(?:\.\d+)?\)?|\b\d+\.\d+\b|\(\d+\)")
_LETTERS = re.compile(r"[^\W\d_]")
_NOTE = re.compile(r"^note\s*\d+|^\d+\.\s", re.IGNORECASE)
TITLE_CASE_SHARE = 0.6
MIN_AMOUNT_LINES = 6
MIN_AMOUNT_SHARE = 0.25


@dataclass(frozen=True)
class PageContext:
    """A page's heading lines and the statement it shows (None for any other page)."""

    heading: str
    statement: Statement | None


def page_context(text: str) -> PageContext:
    """Heading and statement of one page of plain extracted text."""
    heading_lines = _heading_lines(text)
    statement = None
    for line in heading_lines:
        if _NOTE.match(line):
            break  # a note's table named after a statement, not the statement itself
        statement = statement_in_title(line) if _title_like(line) else None
        if statement is not None:
            break
    if statement is not None and not _mostly_amounts(text):
        statement = None  # a contents page or a note that only mentions the statement
    heading = " | ".join(heading_lines)[:MAX_CONTEXT_CHARS]
    return PageContext(heading=heading, statement=statement)


def _title_like(line: str) -> bool:
    """Short, or with most long words capitalised: a title, not a sentence naming one."""
    if line.rstrip().endswith(":"):
        return False
    words = [word for word in re.findall(r"[^\W\d_]{4,}", line)]
    if len(words) <= 3:
        return True
    capitalised = sum(1 for word in words if word[0].isupper())
    return capitalised >= TITLE_CASE_SHARE * len(words)


def _heading_lines(text: str) -> list[str]:
    """The title-like lines at the top of the page, before the body starts."""
    lines: list[str] = []
    for raw in text.splitlines()[: HEADING_ZONE_LINES * 2]:
        line = " ".join(raw.split())
        if not line or _NOISE.match(line):
            continue
        if len(line) > MAX_HEADING_CHARS or _AMOUNT.search(line) or not _LETTERS.search(line):
            break  # body text or a table row: the heading is over
        lines.append(line)
        if len(lines) >= HEADING_ZONE_LINES // 2:
            break
    return lines


def _mostly_amounts(text: str) -> bool:
    """True for a page of figures (a statement), false for prose or a contents page."""
    lines = [line for line in text.splitlines() if line.strip()]
    with_amounts = sum(1 for line in lines if _AMOUNT.search(line))
    return with_amounts >= MIN_AMOUNT_LINES and with_amounts >= MIN_AMOUNT_SHARE * len(lines)

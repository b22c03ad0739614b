"""What a page is about, read from its top lines: its heading and, for statement pages,
which primary statement it shows.

A chunk from the middle of a balance sheet holds numbers and line items but not the
words "balance sheet"; the page's heading does. The heading is what a reader sees first,
so it is what the indexes get as the context of every chunk of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.retrieval.statements import Statement, squeeze, statement_title_match

HEADING_ZONE_LINES = 8
MAX_HEADING_CHARS = 100
MAX_CONTEXT_CHARS = 160

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
# Words around a statement's name that make it a table about the statement, not the
# statement ("selected income statement data", "parent company balance sheet").
_PARTIAL_BEFORE = re.compile(
    r"(?:selected|certain|supplemental|parentcompany\W*|(?:in|on|to|from|of)(?:the|our))"
    r"(?:condensed|consolidated|combined)*$"
)
# A contents page lists the statements with their page numbers under an "Index" heading.
_INDEX = re.compile(r"index|financialstatementspage")
_PARTIAL_AFTER = re.compile(
    r"(?:data|information|location|items?|impact|classification|analysis|highlights)"
)
_PARENTHESES = re.compile(r"\([^)]*\)")
_QUALIFIERS = re.compile(r"consolidated|condensed|combined|interim|unaudited|continued|\W")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w])")
_WORDS = re.compile(r"[^\W\d_]{2,}")
MIN_AMOUNTS = 15
MIN_AMOUNT_SHARE = 0.2


@dataclass(frozen=True)
class PageContext:
    """A page's heading lines and the statement it shows (None for any other page)."""

    heading: str
    statement: Statement | None


def page_context(text: str) -> PageContext:
    """Heading and statement of one page of plain extracted text."""
    heading_lines = _heading_lines(text)
    statement = _statement_titled(heading_lines)
    if statement is not None and not _mostly_amounts(text):
        statement = None  # a contents page or a note that only mentions the statement
    heading = " | ".join(heading_lines)[:MAX_CONTEXT_CHARS]
    return PageContext(heading=heading, statement=statement)


def _statement_titled(lines: list[str]) -> Statement | None:
    """The statement the heading names as the page's title.

    The lines are joined first, because extraction breaks titles anywhere
    ("CONSOLIDATED STATEMENTS OF" / "OPERATIONS", "Balance Shee" / "t"). A title that
    is part of a larger phrase ("Selected Income Statement Data", "Statement of
    Earnings Location") or follows a note's heading is not the statement itself.
    """
    joined = ""
    starts = []
    for line in lines:
        if _NOTE.match(line):
            break
        starts.append(len(joined))
        joined += squeeze(line)
    found = statement_title_match(joined)
    if found is None:
        return None
    statement, begin, end = found
    before = joined[:begin]
    if (
        _INDEX.search(before)
        or _PARTIAL_BEFORE.search(before)
        or _PARTIAL_AFTER.match(joined[end:])
    ):
        return None
    title_line = max(i for i, start in enumerate(starts) if start <= begin)
    if _only_the_title(lines[title_line]) or all(
        _title_like(line) for line in lines[: title_line + 1]
    ):
        return statement
    return None  # a sentence or a table caption comes first: the page is about something else


def _only_the_title(line: str) -> bool:
    """A line that is a statement's name and little else ("Consolidated balance sheets
    (unaudited)"), whatever its capitalisation."""
    squeezed = _PARENTHESES.sub("", squeeze(line))
    found = statement_title_match(squeezed)
    if found is None:
        return False
    rest = squeezed[: found[1]] + squeezed[found[2] :]
    return len(_QUALIFIERS.sub("", rest)) <= 3


def _title_like(line: str) -> bool:
    """Short, or with most long words capitalised: a title, not a sentence naming one."""
    if line.rstrip().endswith(":"):
        return False
    words = re.findall(r"[^\W\d_]{4,}", line)
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
        if sum(1 for kept in lines if len(kept) > 2) >= HEADING_ZONE_LINES * 3 // 4:
            break
    return lines


def _mostly_amounts(text: str) -> bool:
    """True for a page of figures (a statement), false for prose or a contents page.

    Counted per token, not per line: some filings extract every figure on a line of
    its own, between lines holding only "$" or "(".
    """
    numbers = len(_NUMBER.findall(text))
    words = len(_WORDS.findall(text))
    return numbers >= MIN_AMOUNTS and numbers >= MIN_AMOUNT_SHARE * words

"""Split pages into citable chunks without losing a character.

Chunks never cross a page (a citation names one page), prefer paragraph, then line, then
sentence, then word boundaries, and tile the page: every non-blank character of a page
lies inside exactly one chunk, whose `start:end` span points back into the page text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from knowledge.documents import LedgerRow, Page

T = TypeVar("T")

TARGET_CHARS = 800
MAX_CHARS = 1100

# Boundary kinds, strongest first: a cut after one of these is preferred.
_BOUNDARIES = (
    re.compile(r"\n\s*\n"),  # paragraph
    re.compile(r"\n"),  # line (also ledger rows)
    re.compile(r"(?<=[.!?;:])\s+"),  # sentence
    re.compile(r"\s+"),  # word
)


@dataclass(frozen=True)
class Chunk:
    """A span of one page's text; `text == page.text[start:end]`."""

    index: int
    page: int
    start: int
    end: int
    text: str
    label: str | None = None
    row_start: int | None = None
    row_end: int | None = None


def chunk_pages(
    pages: Sequence[Page],
    rows: Sequence[LedgerRow] = (),
    *,
    target: int = TARGET_CHARS,
    maximum: int = MAX_CHARS,
) -> list[Chunk]:
    """Chunk every page; ledger chunks also name the rows they contain."""
    rows_by_page: dict[int, list[LedgerRow]] = {}
    for row in rows:
        rows_by_page.setdefault(row.page_number, []).append(row)
    chunks: list[Chunk] = []
    for page in pages:
        for start, end in split_spans(page.text, target=target, maximum=maximum):
            first, last = _rows_within(rows_by_page.get(page.number, []), start, end)
            chunks.append(
                Chunk(
                    index=len(chunks),
                    page=page.number,
                    start=start,
                    end=end,
                    text=page.text[start:end],
                    label=page.label,
                    row_start=first,
                    row_end=last,
                )
            )
    return chunks


def split_spans(
    text: str, *, target: int = TARGET_CHARS, maximum: int = MAX_CHARS
) -> list[tuple[int, int]]:
    """Spans (start, end) that tile `text`, trimmed of surrounding blanks, each ≤ `maximum`."""
    if maximum < target or target < 1:
        raise ValueError("need 1 <= target <= maximum")
    spans = []
    position = 0
    while position < len(text):
        cut = _next_cut(text, position, target, maximum)
        span = _trim(text, position, cut)
        if span is not None:
            spans.append(span)
        position = cut
    return spans


def _next_cut(text: str, start: int, target: int, maximum: int) -> int:
    """The end of the chunk that starts at `start`: the best boundary near `target`."""
    if len(text) - start <= maximum:
        return len(text)
    window = text[start : start + maximum]
    floor = target // 2  # never cut so early that chunks become crumbs
    for boundary in _BOUNDARIES:
        cuts = [m.end() for m in boundary.finditer(window) if m.end() >= floor]
        if cuts:
            return start + min(cuts, key=lambda cut: abs(cut - target))
    return start + maximum


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _rows_within(rows: Sequence[LedgerRow], start: int, end: int) -> tuple[int | None, int | None]:
    numbers = [row.row_number for row in rows if row.span[0] < end and row.span[1] > start]
    return (min(numbers), max(numbers)) if numbers else (None, None)


def iter_batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Fixed-size slices, so embedding can report progress and yield the CPU between them."""
    for offset in range(0, len(items), size):
        yield items[offset : offset + size]

"""A figure the question defines ("… is defined as: cash from operations / total current
liabilities", "define net working capital as total current assets less total current
liabilities"), read by its form: a definition, two line items and one operator between
them, either of them possibly an average over two years. Nothing is known of any
particular metric here: the question says what to compute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Operator = Literal["/", "-", "+", "*"]
_DEFINITION = re.compile(
    r"\b(?:is\s+)?defined\s+as:?\s*(?P<a>[^.?;]+)|\bdefine\s+(?P<name>[^.?;]{2,60}?)\s+as:?\s*"
    r"(?P<b>[^.?;]+)",
    re.IGNORECASE,
)
_OPERATORS: tuple[tuple[re.Pattern[str], Operator], ...] = (
    (re.compile(r"\s+/\s+|\s+divided\s+by\s+", re.I), "/"),
    (re.compile(r"\s+(?:less|minus)\s+|\s+-\s+", re.I), "-"),
    (re.compile(r"\s+(?:plus)\s+|\s+\+\s+", re.I), "+"),
    (re.compile(r"\s+(?:times)\s+|\s+\*\s+", re.I), "*"),
)
_AVERAGE = re.compile(
    r"\baverage\s+(?P<item>.+?)\s+between\s+(?:fy\s*)?(?P<y1>(?:19|20)?\d\d)\s+and\s+"
    r"(?:fy\s*)?(?P<y2>(?:19|20)?\d\d)\b",
    re.IGNORECASE,
)
_NOTE = re.compile(r"\[[^\]]*\]?|\bfrom\s+(?:the\s+)?[\w\s]*statements?\b.*", re.IGNORECASE)
_YEAR_MARK = re.compile(r"\(?\b(?:fy\s*)?(?:19|20)\d\d\b\)?", re.IGNORECASE)


@dataclass(frozen=True)
class Operand:
    """A line item, at the year asked or averaged over two years."""

    item: str
    average_of: tuple[str, str] | None = None


@dataclass(frozen=True)
class Formula:
    left: Operand
    operator: Operator
    right: Operand


def _year(text: str) -> str:
    return text if len(text) == 4 else f"20{text}"


def _operand(text: str) -> Operand | None:
    text = _NOTE.sub(" ", text).strip(" ()[]:,")
    average = _AVERAGE.search(text)
    if average:
        item = _YEAR_MARK.sub(" ", average.group("item")).strip(" ()")
        years = (_year(average.group("y1")), _year(average.group("y2")))
        return Operand(" ".join(item.split()), years) if item else None
    item = " ".join(_YEAR_MARK.sub(" ", text).split()).strip(" ()")
    return Operand(item) if re.search(r"[A-Za-z]{3,}", item) else None


def formula_in(question: str) -> Formula | None:
    """The figure the question defines as one operation on two line items, if it does."""
    match = _DEFINITION.search(question)
    if match is None:
        return None
    expression = (match.group("a") or match.group("b") or "").strip()
    for pattern, operator in _OPERATORS:
        parts = pattern.split(expression, maxsplit=1)
        if len(parts) == 2 and not any(p.search(part) for part in parts for p, _ in _OPERATORS):
            left, right = _operand(parts[0]), _operand(parts[1])
            if left and right:
                return Formula(left, operator, right)
    return None

"""The primary financial statements: how filings title them and how people name them.

Companies title the same statement differently ("Consolidated Statements of Earnings",
"Statement of Operations", "Income Statement"), and analysts use yet other names ("P&L").
Both sides are mapped to one `Statement` so a question naming the cash flow statement
finds the page titled "Consolidated Statement of Cash Flows" whatever its wording.

Matching runs on text with the spaces squeezed out, because pypdf splits words on many
filings ("Cash Flow s", "BALANCE SHEE TS").
"""

from __future__ import annotations

import re
from enum import StrEnum


class Statement(StrEnum):
    """A primary statement; the value is the canonical name added to indexed text."""

    BALANCE = "balance sheet"
    INCOME = "income statement"
    CASH_FLOW = "cash flow statement"
    EQUITY = "statement of shareholders equity"
    COMPREHENSIVE = "statement of comprehensive income"


# Other names of each statement, added to the indexed text of its pages, so full-text
# search and embeddings meet every wording a question may use.
SYNONYMS: dict[Statement, str] = {
    Statement.BALANCE: "balance sheet, statement of financial position",
    Statement.INCOME: "income statement, statement of operations, statement of earnings, P&L",
    Statement.CASH_FLOW: "cash flow statement, statement of cash flows",
    Statement.EQUITY: "statement of shareholders equity, changes in equity",
    Statement.COMPREHENSIVE: "statement of comprehensive income",
}

# Patterns over lower-case text with all whitespace removed. Order matters: the
# comprehensive-income title also contains "income", so it is tried before INCOME.
_OF = r"(?:consolidated|combined|condensed|unaudited|\W)*"
_TITLES: tuple[tuple[Statement, re.Pattern[str]], ...] = (
    (
        Statement.COMPREHENSIVE,
        re.compile(rf"statements?of{_OF}comprehensive(?:income|earnings|loss)"),
    ),
    (Statement.CASH_FLOW, re.compile(rf"statements?of{_OF}cashflows?|cashflowsstatements?")),
    (
        Statement.EQUITY,
        re.compile(
            rf"statements?of{_OF}(?:changesin)?{_OF}(?:stockholders|shareholders|shareowners)"
            r"\W*(?:equity|deficit|investment)|statements?ofchangesinequity|statements?ofequity"
        ),
    ),
    (
        Statement.BALANCE,
        re.compile(rf"balancesheets?|statements?of{_OF}financial(?:position|condition)"),
    ),
    (
        Statement.INCOME,
        re.compile(
            rf"statements?of{_OF}(?:income|operations|earnings)|incomestatements?"
            r"|statements?ofprofitorloss|profitandloss"
        ),
    ),
)

# How a question names a statement: the titles plus analysts' shorthand.
_QUESTION_EXTRA: tuple[tuple[Statement, re.Pattern[str]], ...] = (
    (Statement.INCOME, re.compile(r"\bp\s?&\s?l\b|\bp\s?and\s?l\b|\bpnl\b")),
    (Statement.CASH_FLOW, re.compile(r"\bcash\s?flows?\s+statements?\b")),
)


def squeeze(text: str) -> str:
    """Lower case without whitespace: the form the title patterns read."""
    return re.sub(r"\s+", "", text.lower())


def statement_in_title(line: str) -> Statement | None:
    """The statement a heading line names, if any."""
    found = statement_title_match(squeeze(line))
    return found[0] if found else None


def statement_title_match(squeezed: str) -> tuple[Statement, int, int] | None:
    """The first statement title in squeezed text, with where it starts and ends."""
    best: tuple[Statement, int, int] | None = None
    for statement, pattern in _TITLES:
        match = pattern.search(squeezed)
        if match and (best is None or match.start() < best[1]):
            best = (statement, match.start(), match.end())
    return best


def statements_named(text: str) -> list[Statement]:
    """Every statement a question names, in order of first mention, without repeats."""
    found: dict[Statement, int] = {}
    lowered = text.lower()
    for statement, pattern in _QUESTION_EXTRA:
        match = pattern.search(lowered)
        if match:
            found[statement] = len(squeeze(lowered[: match.start()]))
    squeezed = squeeze(text)
    for statement, pattern in _TITLES:
        for match in pattern.finditer(squeezed):
            if statement is Statement.INCOME and squeezed[: match.start()].endswith(
                ("comprehensive", "comprehensiveincomeand")
            ):
                continue
            if match.start() < found.get(statement, len(squeezed)):
                found[statement] = match.start()
    return sorted(found, key=lambda s: found[s])

"""Rows of a financial statement page, read the way an analyst reads the table.

pypdf gives a statement page as lines: a line item, then its amounts (often one per line,
with "$" and blanks in between), under column headings that are usually fiscal years. A
row here is the line item with its amounts in column order, and the headings are the
years printed at the top of the page, so "the 2018 value of capital expenditure" is
the amount under the 2018 heading, quoted as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_AMOUNT = re.compile(r"^\(?-?\$?\s*\(?\d[\d,]*(?:\.\d+)?\)?%?$|^[—–-]$")
_TRAILING_AMOUNTS = re.compile(
    r"^(?P<label>.*?[A-Za-z)][^\d$()]*?)\s+(?P<amounts>(?:\(?\$?\s*\d[\d,]*(?:\.\d+)?\)?%?\s*)+)$"
)
_YEAR = re.compile(r"(?<![\d,.$])((?:19|20)\d\d)(?![\d,])")
_LETTERS = re.compile(r"[A-Za-z]{2,}")
HEADING_LINES = 25
MAX_LABEL_CHARS = 120


@dataclass(frozen=True)
class StatementRow:
    """One line item and its amounts as printed, with the page's column headings."""

    label: str
    amounts: tuple[str, ...]
    columns: tuple[str, ...]

    def amount_for(self, column: str) -> str | None:
        """The amount printed under `column` (a year), when the columns line up."""
        if column in self.columns and len(self.amounts) >= len(self.columns):
            return self.amounts[self.columns.index(column)]
        return None

    @property
    def text(self) -> str:
        """The row as one readable line: `label: a | b | c (columns x | y | z)`."""
        values = " | ".join(self.amounts)
        heads = f" (columns {' | '.join(self.columns)})" if self.columns else ""
        return f"{self.label}: {values}{heads}"


def column_years(text: str) -> tuple[str, ...]:
    """The years printed at the top of the page, in order, each once."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:HEADING_LINES]
    years: list[str] = []
    for line in lines:
        if len(_LETTERS.findall(line)) > 6:
            continue  # a sentence that mentions a year is not a column heading
        for year in _YEAR.findall(line):
            if year not in years:
                years.append(year)
    return tuple(years)


def statement_rows(text: str) -> list[StatementRow]:
    """Every line item of the page that has amounts, in page order."""
    columns = column_years(text)
    rows: list[StatementRow] = []
    label: str | None = None
    amounts: list[str] = []

    def close() -> None:
        if label and amounts:
            rows.append(StatementRow(label, tuple(amounts), columns))

    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line or line == "$":
            continue
        if _AMOUNT.match(line):
            if label is not None:
                amounts.append(line.replace("$", "").replace(" ", ""))
            continue
        close()
        inline = _TRAILING_AMOUNTS.match(line)
        if inline and _LETTERS.search(inline.group("label")):
            label = inline.group("label").strip(" .:$")[:MAX_LABEL_CHARS]
            amounts = [a.replace("$", "").strip() for a in _split_amounts(inline.group("amounts"))]
        else:
            label, amounts = line.strip(" .:")[:MAX_LABEL_CHARS], []
    close()
    return [row for row in rows if not _is_year_row(row)]


def _split_amounts(text: str) -> list[str]:
    return re.findall(r"\(?\$?\s*\d[\d,]*(?:\.\d+)?\)?%?", text)


def _is_year_row(row: StatementRow) -> bool:
    return all(_YEAR.fullmatch(a) for a in row.amounts)


def amount_value(printed: str) -> Decimal | None:
    """`(1,577)` -> -1577, `1,577.5` -> 1577.5, `—` -> None."""
    text = printed.strip().replace(",", "").replace("$", "").rstrip("%")
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return -value if negative else value

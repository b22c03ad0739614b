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

_AMOUNT = re.compile(r"^\(?-?\$?\s*\(?\d(?:[\d,]*\d)?(?:\.\d+)?\)?%?$|^[—–-]$")
_SPACED = re.compile(r"\(\s+(?=[\d$])|(?<=\d)\s+\)|\$\s+(?=[\d(])")
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
    """Every line item of the page that has amounts, in page order.

    Read three ways pypdf lays statements out: `label | a | b` rows of a table the parser
    found; a label with its amounts after it on the line; and amounts that open a line,
    closing the label before them, followed by the next row's label ("$ 118,573 $ 141,915
    Net service sales"). A label wrapped onto a line that starts in lower case is joined.
    """
    columns = column_years(text)
    rows: list[StatementRow] = []
    found: list[StatementRow] = []  # rows of the tables the parser found: their labels are whole
    label: str | None = None
    amounts: list[str] = []

    def close() -> None:
        if label and amounts:
            rows.append(StatementRow(label[:MAX_LABEL_CHARS], tuple(amounts), columns))

    for raw in text.splitlines():
        if "|" in raw:
            close()
            label, amounts = None, []
            cells_label, values = _cells_row(raw)
            if cells_label:
                found.append(StatementRow(cells_label[:MAX_LABEL_CHARS], tuple(values), columns))
            continue
        for kind, part in _segments(raw):
            if kind == "amounts":
                if label is not None:
                    amounts.extend(part)
            elif label is not None and not amounts and part[0][:1].islower():
                label = f"{label} {' '.join(part)}"  # a label wrapped onto the next line
            else:
                close()
                label, amounts = " ".join(part).strip(" .:"), []
    close()
    # a row the text and a found table both give is kept once, as the table has it
    known = {row.amounts[-n:] for row in found for n in range(1, len(row.amounts) + 1)}
    rows = found + [row for row in rows if row.amounts not in known]
    return [row for row in rows if not _is_year_row(row) and _LETTERS.search(row.label)]


def _cells_row(line: str) -> tuple[str | None, list[str]]:
    """A `label | a | b` row of a table the parser found (its label, its amounts)."""
    cells = [cell.strip() for cell in line.split("|")]
    values = [_printed(cell) for cell in cells[1:] if _is_amount(cell)]
    if not cells[0] or not _LETTERS.search(cells[0]) or not values:
        return None, []
    return cells[0].strip(" .:"), values


def _segments(line: str) -> list[tuple[str, list[str]]]:
    """The line as runs of words and runs of amounts; a run of figures inside a sentence
    ("authorized — 400,000 shares") stays words: amounts end the line or precede a label."""
    line = _SPACED.sub(lambda m: m.group(0).replace(" ", ""), line)
    tokens = line.split()
    runs: list[tuple[str, list[str]]] = []
    for token in tokens:
        kind = "amounts" if _is_amount(token) else "words"
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(token)
        else:
            runs.append((kind, [token]))
    merged: list[tuple[str, list[str]]] = []
    for index, (kind, part) in enumerate(runs):
        after = runs[index + 1][1][0] if index + 1 < len(runs) else ""
        if kind == "amounts" and after and not after[:1].isupper() and after[:1] != "(":
            kind = "words"
        if kind == "amounts":
            part = [_printed(t) for t in part if t != "$"]
            if not part:
                continue
        if merged and merged[-1][0] == kind == "words":
            merged[-1][1].extend(part)
        else:
            merged.append((kind, part))
    return merged


def _is_amount(token: str) -> bool:
    token = token.strip()
    return token == "$" or (bool(_AMOUNT.match(token)) and _balanced(token))


def _balanced(token: str) -> bool:
    return token.count("(") == token.count(")")


def _printed(token: str) -> str:
    return token.replace("$", "").replace(" ", "")


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

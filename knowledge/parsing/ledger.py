"""Tables (CSV rows, sheet rows) turned into citable text and typed ledger rows.

The rule engine reasons over dates, parties, amounts and countries, but headers differ
from one export to the next ("Value date", "txn_date", "Beneficiary / Party"), so they
are mapped by meaning. The page text renders every row on its own line with the cells
verbatim, so a cell's text is always an exact substring and a row can be cited by span.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from knowledge.amounts import Money, parse_amount, parse_number
from knowledge.documents import LedgerRow
from knowledge.parsing.dates import DayOrder, column_day_order, parse_date
from knowledge.parsing.headers import LedgerColumns, map_headers
from knowledge.parsing.numbers import column_decimal_comma, currency_from_header
from knowledge.parsing.roles import names_a_role

CELL_SEPARATOR = " | "
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class TableRow:
    """One source row: its 1-based number in the file or sheet, and its cell values."""

    number: int
    values: Sequence[object]


@dataclass(frozen=True)
class RenderedTable:
    text: str
    rows: list[LedgerRow]


def cell_text(value: object) -> str:
    """A cell as a person reads it (dates without a midnight time, 12.0 as 12)."""
    if type(value) is str:  # the common case (every CSV cell), checked first for speed
        return value
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def render_table(rows: Sequence[TableRow], *, sheet: str | None, page_number: int) -> RenderedTable:
    """Page text for a table and a LedgerRow (with its span) for each data row."""
    texts = [[cell_text(v) for v in row.values] for row in rows]
    header_index = find_header(rows, texts)
    lines: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for cells in texts:
        line = CELL_SEPARATOR.join(_trim_trailing_empty(cells))
        spans.append((offset, offset + len(line)))
        lines.append(line)
        offset += len(line) + 1
    text = "\n".join(lines)
    if header_index is None:
        return RenderedTable(text, [])
    headers = unique_headers(texts[header_index])
    data = [(i, row) for i, row in enumerate(rows) if i > header_index and any(texts[i])]
    ledger_rows = _ledger_rows(
        headers, [(row, texts[i], spans[i]) for i, row in data], sheet, page_number
    )
    return RenderedTable(text, ledger_rows)


def _trim_trailing_empty(cells: list[str]) -> list[str]:
    end = len(cells)
    while end > 0 and not cells[end - 1]:
        end -= 1
    return cells[:end]


def find_header(rows: Sequence[TableRow], texts: list[list[str]]) -> int | None:
    """Index of the header row: of the rows of 2+ cells, mostly labels, that rows follow,
    the first that names the most column roles ("Date", "Cash In", "Approved by").

    Title blocks above a table ("Branch: Main Office | Week of 3/4/2024", "Prepared by
    ...") are passed over; a header may hold a few non-labels ("Item | 2023 | 2024") as
    long as most of its cells are words.
    """
    candidates: list[tuple[int, int]] = []
    seen = 0
    for index, row in enumerate(rows):
        filled = [v for v in row.values if v is not None and cell_text(v).strip()]
        if not filled:
            continue
        seen += 1
        if seen > HEADER_SEARCH_ROWS:
            break
        has_rows_below = any(any(t.strip() for t in later) for later in texts[index + 1 :])
        if _mostly_labels(filled) and has_rows_below:
            named = sum(1 for v in filled if isinstance(v, str) and names_a_role(v))
            candidates.append((named, index))
    if not candidates:
        return None
    best = max(named for named, _ in candidates)
    return next(index for named, index in candidates if named == best)


def _mostly_labels(filled: list[object]) -> bool:
    labels = sum(1 for value in filled if _is_label(value))
    return len(filled) >= 2 and labels >= 2 and labels * 2 > len(filled)


def _is_label(value: object) -> bool:
    if not isinstance(value, str):
        return False
    stripped = value.strip()
    return parse_amount(stripped) is None and parse_date(stripped) is None


def unique_headers(cells: list[str]) -> list[str]:
    """Header names usable as dict keys: blanks get a column letter, repeats a suffix."""
    headers: list[str] = []
    for position, cell in enumerate(cells):
        name = " ".join(cell.split()) or column_letter(position)
        candidate, suffix = name, 2
        while candidate in headers:
            candidate, suffix = f"{name} ({suffix})", suffix + 1
        headers.append(candidate)
    return headers


def column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _ledger_rows(
    headers: list[str],
    data: list[tuple[TableRow, list[str], tuple[int, int]]],
    sheet: str | None,
    page_number: int,
) -> list[LedgerRow]:
    columns = map_headers(headers)
    reader = _ColumnReader(columns, headers, [row.values for row, _, _ in data])
    result: list[LedgerRow] = []
    for row, cells, span in data:
        width = max(len(headers), len(cells))
        names = headers + [column_letter(i) for i in range(len(headers), width)]
        raw = {names[i]: (cells[i] if i < len(cells) else "") for i in range(width)}
        result.append(reader.ledger_row(row, raw, sheet, page_number, span))
    return result


class _ColumnReader:
    """Typed values for a row, using decisions made once per column."""

    def __init__(
        self, columns: LedgerColumns, headers: list[str], values: list[Sequence[object]]
    ) -> None:
        self.columns = columns
        self.headers = headers
        self.day_order = self._day_order(columns.date, values)
        self.decimal_comma = {
            index: column_decimal_comma([_at(v, index) for v in values])
            for index in (columns.amount, columns.debit, columns.credit)
            if index is not None
        }

    @staticmethod
    def _day_order(index: int | None, values: list[Sequence[object]]) -> DayOrder:
        if index is None:
            return DayOrder.MONTH_FIRST
        column = [_at(v, index) for v in values]
        order = column_day_order(column)
        if _numeric_dates_decide(column):
            return order
        return _tighter_order(column, default=order)

    def ledger_row(
        self,
        row: TableRow,
        raw: dict[str, str],
        sheet: str | None,
        page_number: int,
        span: tuple[int, int],
    ) -> LedgerRow:
        columns, values = self.columns, row.values
        money, direction = self._money(values)
        row_date = None
        if columns.date is not None:
            row_date = parse_date(_at(values, columns.date), self.day_order)
        return LedgerRow(
            sheet=sheet,
            row_number=row.number,
            raw=raw,
            page_number=page_number,
            span=span,
            date=row_date,
            party=_text_at(values, columns.party),
            type=_text_at(values, columns.type) or direction,
            amount=money.amount if money else None,
            currency=self._currency(values, money),
            country=_text_at(values, columns.country),
            memo=_text_at(values, columns.memo),
        )

    def _money(self, values: Sequence[object]) -> tuple[Money | None, str | None]:
        columns = self.columns
        if columns.amount is not None:
            return self._money_at(values, columns.amount), None
        for index, direction in ((columns.credit, "credit"), (columns.debit, "debit")):
            if index is None:
                continue
            money = self._money_at(values, index)
            if money is not None and money.amount != 0:
                return Money(abs(money.amount), money.currency), direction
        return None, None

    def _money_at(self, values: Sequence[object], index: int) -> Money | None:
        value = _at(values, index)
        if isinstance(value, bool) or value is None:
            return None
        if isinstance(value, int | float | Decimal):
            return Money(Decimal(cell_text(value)), None)
        text = str(value).strip()
        comma = self.decimal_comma.get(index)
        money = parse_amount(text, decimal_comma=comma)
        if money is None and (number := parse_number(text, decimal_comma=comma)) is not None:
            money = Money(number, None)
        return money

    def _currency(self, values: Sequence[object], money: Money | None) -> str | None:
        code = _text_at(values, self.columns.currency)
        if code:
            return code.upper()
        if money is not None and money.currency:
            return money.currency
        for index in (self.columns.amount, self.columns.debit, self.columns.credit):
            if index is not None and (found := currency_from_header(self.headers[index])):
                return found
        return None


_NUMERIC_DATE = re.compile(r"\s*(\d{1,2})[-/.](\d{1,2})[-/.]\d{2,4}\b")


def _numeric_dates_decide(column: Sequence[object]) -> bool:
    """Whether some cell settles the day/month order (a part above 12)."""
    for value in column:
        match = _NUMERIC_DATE.match(value) if isinstance(value, str) else None
        if match and max(int(match.group(1)), int(match.group(2))) > 12:
            return True
    return False


def _tighter_order(column: Sequence[object], *, default: DayOrder) -> DayOrder:
    """With no cell to decide, the order under which the dates span the shorter period:
    a log of 04/03, 05/03 and 07/03 covers four days in March, not four months."""
    spans: dict[DayOrder, int] = {}
    for order in (DayOrder.MONTH_FIRST, DayOrder.DAY_FIRST):
        days = [d for v in column if (d := parse_date(v, order)) is not None]
        spans[order] = (max(days) - min(days)).days if len(days) > 1 else 0
    other = DayOrder.DAY_FIRST if default is DayOrder.MONTH_FIRST else DayOrder.MONTH_FIRST
    return other if spans[other] < spans[default] else default


def _at(values: Sequence[object], index: int) -> object:
    return values[index] if index < len(values) else None


def _text_at(values: Sequence[object], index: int | None) -> str | None:
    if index is None:
        return None
    text = cell_text(_at(values, index)).strip()
    return text or None

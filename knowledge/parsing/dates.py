"""Dates in ledger cells, read consistently down a column.

`05/03/2024` is 5 March in Europe and May 3 in the US. One cell cannot say which, but
a column usually can (`13/03/2024` settles it), so the order is decided once per column
and applied to every cell; with no evidence either way the US order is assumed, except
for dotted dates (`05.03.2024`), which are European by convention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from enum import Enum

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(rf"(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}")
_NUMERIC = re.compile(rf"(\d{{1,2}})([-/.])(\d{{1,2}})\2(\d{{2}}|\d{{4}}){_TIME}")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[- ]([A-Za-z]{3,9})\.?,?[- ](\d{2}|\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})")
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_SERIAL_RANGE = (20_000, 80_000)  # 1954 .. 2119


class DayOrder(Enum):
    MONTH_FIRST = "month_first"
    DAY_FIRST = "day_first"


def column_day_order(values: Sequence[object]) -> DayOrder:
    """The day/month order the column's numeric dates are consistent with."""
    dotted = False
    for value in values:
        match = _NUMERIC.fullmatch(value.strip()) if isinstance(value, str) else None
        if match is None:
            continue
        first, separator, second = int(match.group(1)), match.group(2), int(match.group(3))
        if first > 12 >= second:
            return DayOrder.DAY_FIRST
        if second > 12 >= first:
            return DayOrder.MONTH_FIRST
        dotted = dotted or separator == "."
    return DayOrder.DAY_FIRST if dotted else DayOrder.MONTH_FIRST


def parse_date(value: object, order: DayOrder = DayOrder.MONTH_FIRST) -> date | None:
    """A calendar date from a cell (text, datetime, or an Excel serial number)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(value)
    if not isinstance(value, str):
        return None
    return _parse_date_text(value.strip(), order)


def _excel_serial(value: float) -> date | None:
    low, high = _EXCEL_SERIAL_RANGE
    if not low <= value <= high:
        return None
    return _EXCEL_EPOCH + timedelta(days=int(value))


def _parse_date_text(text: str, order: DayOrder) -> date | None:
    if match := _ISO.fullmatch(text):
        return _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _NUMERIC.fullmatch(text):
        first, second = int(match.group(1)), int(match.group(3))
        day, month = (first, second) if order is DayOrder.DAY_FIRST else (second, first)
        return _safe_date(_full_year(match.group(4)), month, day)
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        named = _MONTHS.get(match.group(2).lower())
        return _safe_date(_full_year(match.group(3)), named, int(match.group(1)))
    if match := _MONTH_DAY_YEAR.fullmatch(text):
        named = _MONTHS.get(match.group(1).lower())
        return _safe_date(int(match.group(3)), named, int(match.group(2)))
    return None


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        return 2000 + year if year < 70 else 1900 + year
    return year


def _safe_date(year: int, month: int | None, day: int) -> date | None:
    if month is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None

"""Column-level decisions about numbers in ledgers.

`1.234` is one thousand two hundred and thirty-four in a German export and a little
over one in a US one. A column says which as soon as any cell is unambiguous
(`1.234,56`, `12,5`, `84312.55`), so the choice is made once for the whole column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge.amounts import CURRENCY_CODES, SYMBOLS

_COMMA_DECIMAL = re.compile(r"\d,\d{1,2}(?!\d)|\d\.\d{3},\d")
_DOT_DECIMAL = re.compile(r"\d\.\d{1,2}(?!\d)|\d,\d{3}\.\d")


def column_decimal_comma(values: Sequence[object]) -> bool | None:
    """True if the column writes decimals with a comma, False with a dot, None unknown."""
    comma = dot = 0
    for value in values:
        if not isinstance(value, str):
            continue
        if _COMMA_DECIMAL.search(value):
            comma += 1
        elif _DOT_DECIMAL.search(value):
            dot += 1
    if comma == dot:
        return None
    return comma > dot


def currency_from_header(header: str) -> str | None:
    """The currency a header names: "Amount (USD)", "amount_eur", "Betrag €"."""
    for token in re.findall(r"[A-Za-z]{3}", header):
        if token.isupper() and token in CURRENCY_CODES:
            return token
    for word in re.findall(r"[a-z]+", header.lower()):
        if word.upper() in CURRENCY_CODES and word != "amount":
            return word.upper()
    for symbol, code in SYMBOLS.items():
        if symbol in header and not symbol[0].isalpha():
            return code
    return None

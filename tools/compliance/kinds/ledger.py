"""What ledger rules share: is a row cash, which way did it go, who, when, how much in USD.

Ledger exports name their columns differently, so rules find columns by patterns over the
normalised header ("type|method|channel") and fall back on the parser's typed fields.
Amounts are compared in USD; other currencies are converted with the approximate rates
the rulebook gives, and a row in a currency without a rate is left alone rather than
guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from knowledge.amounts import parse_amount
from tools.compliance.context import Cell, RowView
from tools.compliance.kinds.base import Hit, Regex
from tools.compliance.patterns import compile_pattern

__all__ = ["CashRows", "memo_cell", "party_cell", "party_key", "row_hit", "usd_amount"]


class CashRows(BaseModel):
    """How to tell cash rows and their direction, and how to read their amount in USD."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cash: Regex = r"\bcash\b|\bcurrency\b|\bbanknotes?\b|\bcoins?\b"
    not_cash: Regex = (
        r"\bche(?:que|ck)s?\b|\bwire\b|\bach\b|\bcards?\b|\btransfer\b|\bzelle\b|\bmoney order"
        r"|\bcashier'?s\b|\bcash advance\b|\bcash equivalents?\b"
    )
    withdrawal: Regex = r"withdraw|\bout\b|\bdebit\b|\bdr\b|payout|paid out|disburse|cash back"
    currency: str = Field(default="USD", description="Currency assumed when a row names none")
    fx_to_usd: dict[str, Decimal] = Field(
        default_factory=dict, description="Approximate USD value of one unit, per ISO code"
    )

    type_columns: Regex = (
        r"type|method|channel|instrument|tender|transaction|\bcash\b|\bmode\b|\bform\b"
    )
    description_columns: Regex = r"descr|memo|narrative|details|particulars|note"

    def type_text(self, view: RowView) -> str:
        """What kind of transaction the row is: its type cells, and when they do not say
        cash or not (a "Teller" channel), its description too."""
        cells = [c.value for c in view.cells_in(compile_pattern(self.type_columns)) if c.value]
        text = " ".join(cells) or (view.row.type or "")
        if self._says_cash_or_not(text):
            return text
        described = view.cells_in(compile_pattern(self.description_columns))
        return " ".join([text, *(c.value for c in described if c.value)])

    def _says_cash_or_not(self, text: str) -> bool:
        return compile_pattern(self.cash).matches(text) or compile_pattern(self.not_cash).matches(
            text
        )

    def is_cash(self, view: RowView) -> bool:
        kind = self.type_text(view)
        return compile_pattern(self.cash).matches(kind) and not compile_pattern(
            self.not_cash
        ).matches(kind)

    def direction(self, view: RowView) -> str:
        return "out" if compile_pattern(self.withdrawal).matches(self.type_text(view)) else "in"

    def usd(self, view: RowView) -> Decimal | None:
        return usd_amount(view, self.currency, self.fx_to_usd)


def usd_amount(view: RowView, default_currency: str, fx: dict[str, Decimal]) -> Decimal | None:
    """The row's amount in USD, or None when it has none or its currency has no rate."""
    amount, currency = view.row.amount, view.row.currency
    if amount is None:
        cell = view.cell_in(compile_pattern(r"amount|value|sum|total"))
        money = parse_amount(cell.value) if cell is not None and cell.value else None
        if money is None:
            return None
        amount, currency = money.amount, money.currency or currency
    code = (currency or default_currency).upper()
    if code == "USD":
        return abs(amount)
    rate = fx.get(code)
    return None if rate is None else abs(amount) * rate


def party_key(view: RowView) -> str | None:
    """Who the row is about, normalised so "ACME Corp." and "Acme Corp" group together."""
    name = view.row.party
    if not name:
        cell = view.cell_in(compile_pattern(r"customer|client|party|name|account"))
        name = cell.value if cell is not None else None
    if not name:
        return None
    return re.sub(r"[^\w]+", " ", name).strip().lower() or None


def row_date(view: RowView) -> date | None:
    return view.row.date


def row_hit(view: RowView, prefer: Sequence[Cell | None] = ()) -> Hit:
    """Cite one cell of the row: the first filled one of `prefer`, else the first filled.

    One cell, because a cell's text is the same in every reading of the file (the raw CSV,
    the spreadsheet, our page text); the finding also names the sheet and row.
    """
    for cell in (*prefer, *view.cells):
        if cell is not None and cell.value.strip():
            return Hit(view.page, cell.start, cell.end, view)
    return Hit(view.page, view.start, view.end, view)


def party_cell(view: RowView) -> Cell | None:
    """The cell naming who the row is about (customer, party, beneficiary, name)."""
    pattern = compile_pattern(
        r"customer|client|party|beneficiary|payee|vendor|supplier|counterparty|name|employee"
        r"|merchant"
    )
    return next((c for c in view.cells_in(pattern) if c.value.strip()), None)


def memo_cell(view: RowView) -> Cell | None:
    """The free-text cell that describes the row (memo, description, notes, purpose)."""
    pattern = compile_pattern(r"memo|descr|note|narrative|purpose|comment|details|reference")
    return next((c for c in view.cells_in(pattern) if c.value.strip()), None)

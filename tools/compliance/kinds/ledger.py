"""What ledger rules share: is a row cash, which way did it go, who, when, how much in USD.

Ledger exports name their columns differently, so rules read columns by their role
(knowledge.parsing.roles: "Cust #" is the customer id, "Cash In" the cash received,
"Teller" is who served, not who paid) and fall back on header patterns and the parser's
typed fields. A table named as cash ("Teller cash log", a "Cash In" column) makes its
deposits and withdrawals cash unless a row says otherwise (a cheque, a wire). Amounts are
compared in USD; other currencies are converted with the approximate rates the rulebook
gives, and a row in a currency without a rate is left alone rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from knowledge.amounts import parse_amount
from knowledge.parsing.dates import parse_date
from tools.compliance.context import Cell, DocumentView, RowView
from tools.compliance.kinds.base import Coverage, Hit, Regex
from tools.compliance.patterns import compile_pattern

__all__ = [
    "CASH_ROLES",
    "CashRows",
    "cash_coverage",
    "memo_cell",
    "party_cell",
    "party_key",
    "row_day",
    "row_hit",
    "usd_amount",
]

CASH_ROLES = ("customer_id", "party", "date", "amount", "cash_in", "cash_out", "type", "ctr")


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

    cash_table: Regex = Field(
        default=r"\bcash\b|\bteller\b|\btill\b|\bbanknotes?\b|\bctr\b",
        description="Words naming a table (title, sheet, file, headers) as a cash record",
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
        """Cash when a cash-in/out column holds the amount, the row's type says cash, or
        the table is a cash record and the row does not say it is something else."""
        if any(c.value.strip() for role in ("cash_in", "cash_out") for c in view.cells_for(role)):
            return True
        kind = self.type_text(view)
        if compile_pattern(self.not_cash).matches(kind):
            return False
        return compile_pattern(self.cash).matches(kind) or self.is_cash_table(view)

    def is_cash_table(self, view: RowView) -> bool:
        return (
            view.reading.has("cash_in")
            or view.reading.has("cash_out")
            or (compile_pattern(self.cash_table).matches(view.context))
        )

    def direction(self, view: RowView) -> str:
        if _filled(view, "cash_out") and not _filled(view, "cash_in"):
            return "out"
        if _filled(view, "cash_in"):
            return "in"
        if view.row.type == "debit" or (_filled(view, "debit") and not _filled(view, "credit")):
            return "out"
        return "out" if compile_pattern(self.withdrawal).matches(self.type_text(view)) else "in"

    def usd(self, view: RowView) -> Decimal | None:
        for role in ("cash_in", "cash_out"):
            cell = next((c for c in view.cells_for(role) if c.value.strip()), None)
            if cell is not None:
                return _cell_usd(view, cell, self.currency, self.fx_to_usd)
        return usd_amount(view, self.currency, self.fx_to_usd)


def _filled(view: RowView, role: str) -> bool:
    return any(_nonzero(c.value) for c in view.cells_for(role))


def _nonzero(value: str) -> bool:
    money = parse_amount(value.strip()) if value.strip() else None
    return money is not None and money.amount != 0


def _cell_usd(
    view: RowView, cell: Cell, default_currency: str, fx: dict[str, Decimal]
) -> Decimal | None:
    money = parse_amount(cell.value.strip())
    if money is None or money.amount == 0:
        return None
    code = money.currency or view.value_of("currency") or view.row.currency or default_currency
    return _in_usd(money.amount, code, fx)


def _in_usd(amount: Decimal, code: str, fx: dict[str, Decimal]) -> Decimal | None:
    code = code.upper()
    if code in ("USD", "US$", "$"):
        return abs(amount)
    rate = fx.get(code)
    return None if rate is None else abs(amount) * rate


def usd_amount(view: RowView, default_currency: str, fx: dict[str, Decimal]) -> Decimal | None:
    """The row's amount in USD, or None when it has none or its currency has no rate."""
    amount, currency = view.row.amount, view.row.currency
    if amount is None:
        cell = view.cell_for("amount") or view.cell_in(compile_pattern(r"amount|value|sum|total"))
        money = parse_amount(cell.value) if cell is not None and cell.value else None
        if money is None:
            return None
        amount, currency = money.amount, money.currency or currency
    return _in_usd(amount, view.value_of("currency") or currency or default_currency, fx)


def party_key(view: RowView) -> str | None:
    """Who the row is about: the customer id when the table has one (names are spelt
    differently by different tellers), else the name, normalised so "ACME Corp." and
    "Acme Corp" group together. Tellers and branches are never the party."""
    name = view.value_of("customer_id") or view.value_of("party")
    if not name and not view.reading.has("teller"):
        name = view.row.party or ""
    if not name:
        staff = {
            view.reading.headers[p] for r in ("teller", "branch") for p in view.reading.columns(r)
        }
        cell = next(
            (
                c
                for c in view.cells_in(compile_pattern(r"customer|client|party|name|account"))
                if c.column not in staff and c.value.strip()
            ),
            None,
        )
        name = cell.value if cell is not None else ""
    return re.sub(r"[^\w]+", " ", name).strip().lower() or None


def row_day(view: RowView) -> date | None:
    """The business day of the row: the parser's date, else the date column's cell."""
    if view.row.date is not None:
        return view.row.date
    cell = view.cell_for("date")
    return parse_date(cell.value.strip()) if cell is not None and cell.value.strip() else None


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
    for role in ("party", "customer_id", "requester"):
        cell = view.cell_for(role)
        if cell is not None and cell.value.strip():
            return cell
    pattern = compile_pattern(
        r"customer|client|party|beneficiary|payee|vendor|supplier|counterparty|name|employee"
        r"|merchant"
    )
    return next((c for c in view.cells_in(pattern) if c.value.strip()), None)


def memo_cell(view: RowView) -> Cell | None:
    """The free-text cell that describes the row (memo, description, notes, purpose)."""
    cell = view.cell_for("memo")
    if cell is not None and cell.value.strip():
        return cell
    pattern = compile_pattern(r"memo|descr|note|narrative|purpose|comment|details|reference")
    return next((c for c in view.cells_in(pattern) if c.value.strip()), None)


_MONEY_ROLES = ("amount", "cash_in", "cash_out", "debit", "credit")


def cash_coverage(view: DocumentView, rows: CashRows, *, needs_day_and_party: bool) -> Coverage:
    """Cash rules apply to tables of money with cash rows, and to tables named as cash
    records; say which columns they could not find or which currencies they could not read.
    """
    cash = [
        row
        for row in view.rows
        if rows.is_cash(row)
        and (rows.is_cash_table(row) or any(row.reading.has(r) for r in _MONEY_ROLES))
    ]
    if not cash:
        return Coverage.not_applicable()
    missing: list[str] = []
    with_amount = [row for row in cash if _has_amount(row)]
    if not with_amount:
        missing.append("no amount column")
    elif all(rows.usd(row) is None for row in with_amount):
        codes = sorted({(r.value_of("currency") or r.row.currency or "?") for r in with_amount})
        missing.append(f"no USD rate for {', '.join(codes)}")
    if needs_day_and_party and all(row_day(row) is None for row in cash):
        missing.append("no date column, so same-day totals were not added up")
    if needs_day_and_party and all(party_key(row) is None for row in cash):
        missing.append("no customer column, so totals per customer were not added up")
    return Coverage(missing=tuple(missing), roles=CASH_ROLES)


def _has_amount(row: RowView) -> bool:
    return row.row.amount is not None or any(
        c.value.strip() for role in _MONEY_ROLES for c in row.cells_for(role)
    )

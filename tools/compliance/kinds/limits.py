"""Approval limits over approval logs: nobody may approve more than their authority.

A limit is read from the row ("Approver limit" beside the amount) or from a table of
authorities elsewhere in the document (a delegation-of-authority sheet: approver and
limit), matched to the approver by name or employee id. Without any limit in the
document the rule does not apply: limits kept in a policy elsewhere cannot be guessed.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from pydantic import Field

from knowledge.amounts import parse_amount
from tools.compliance.context import DocumentView, RowView
from tools.compliance.kinds.approvals import same_person
from tools.compliance.kinds.base import Coverage, Hit, KindParams, RuleKind
from tools.compliance.kinds.ledger import CashRows, memo_cell, row_hit

__all__ = ["ApprovalLimit", "ApprovalLimitParams"]

_ROLES = ("approver", "amount", "approval_limit")


class ApprovalLimitParams(KindParams):
    rows: CashRows = Field(default_factory=CashRows, description="Currency and USD rates")
    tolerance: Decimal = Field(
        default=Decimal(0), ge=0, description="USD an approval may exceed the limit by"
    )


class ApprovalLimit(RuleKind):
    name = "approval_limit"
    params_model = ApprovalLimitParams

    def coverage(self, view: DocumentView, params: ApprovalLimitParams) -> Coverage:
        approvals = [row for row in view.rows if _approves_money(row)]
        if not approvals or not (_authorities(view) or any(_own_limit(r) for r in approvals)):
            return Coverage.not_applicable()
        return Coverage(roles=_ROLES)

    def find(self, view: DocumentView, params: ApprovalLimitParams) -> Iterator[Hit]:
        authorities = _authorities(view)
        for row in view.rows:
            if not _approves_money(row):
                continue
            approver = row.cell_for("approver")
            if approver is None or not approver.value.strip():
                continue
            own = _own_limit(row)
            # A limit beside the amount is in the row's currency; a table of authorities
            # is compared in USD.
            amount = _raw_amount(row) if own is not None else params.rows.usd(row)
            limit = own if own is not None else _limit_of(approver.value, authorities)
            if amount is not None and limit is not None and amount > limit + params.tolerance:
                yield row_hit(row, [approver, memo_cell(row)])


def _approves_money(row: RowView) -> bool:
    return row.reading.has("approver") and (row.reading.has("amount") or row.row.amount is not None)


def _raw_amount(row: RowView) -> Decimal | None:
    if row.row.amount is not None:
        return abs(row.row.amount)
    return _money(row.value_of("amount"))


def _own_limit(row: RowView) -> Decimal | None:
    if not row.reading.has("amount") and row.row.amount is None:
        return None
    return _money(row.value_of("approval_limit"))


def _authorities(view: DocumentView) -> list[tuple[str, Decimal]]:
    """(person, limit) from tables that list limits but no payments."""
    found: list[tuple[str, Decimal]] = []
    for reading, rows in view.tables:
        if not reading.has("approval_limit") or reading.has("amount"):
            continue
        for row in rows:
            person = row.value_of("approver") or row.value_of("party") or row.line.split("|")[0]
            limit = _money(row.value_of("approval_limit"))
            if person.strip() and limit is not None:
                found.append((person.strip(), limit))
    return found


def _limit_of(person: str, authorities: list[tuple[str, Decimal]]) -> Decimal | None:
    return next((limit for name, limit in authorities if same_person(name, person)), None)


def _money(text: str) -> Decimal | None:
    money = parse_amount(text) if text else None
    return None if money is None or money.amount <= 0 else money.amount

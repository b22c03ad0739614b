"""Amount thresholds over ledger rows: cash of USD 10,000 or more with no report noted.

The Bank Secrecy Act asks for a Currency Transaction Report on cash over the threshold,
whether in one transaction or in several by the same customer on the same day, so rows
are summed per (party, day, direction). A row that notes a filed report ("CTR filed",
a BSA ID, a filled CTR-reference column) clears its group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from pydantic import Field

from tools.compliance.context import DocumentView, RowView
from tools.compliance.kinds.base import Coverage, Hit, KindParams, Regex, RuleKind
from tools.compliance.kinds.ledger import (
    CashRows,
    cash_coverage,
    memo_cell,
    party_cell,
    party_key,
    row_day,
    row_hit,
)
from tools.compliance.patterns import compile_pattern
from tools.compliance.text import NEGATION, clause_prefix, is_negated

_NEAR = 25

__all__ = ["AmountThreshold", "AmountThresholdParams"]


class AmountThresholdParams(KindParams):
    threshold: Decimal = Field(gt=0, description="USD amount at or above which a row counts")
    rows: CashRows = Field(default_factory=CashRows)
    cash_only: bool = True
    aggregate_same_day: bool = True
    reported: Regex = Field(
        default=r"\bCTR\b.{0,30}\b(?:filed|submitted|ref|reference|no|number|id)\b|\bBSA ID\b"
        r"|currency transaction report.{0,20}\b(?:filed|submitted)",
        description="Text in a row that shows the report was filed",
    )
    report_columns: Regex = Field(
        default=r"\bctr\b|currency transaction report|\bbsa\b|fincen|form 112",
        description="Columns that, when filled, show the report was filed",
    )
    not_yet: Regex = Field(
        default=r"\b(?:to be|pending|not yet|will be|needs? to be|required|missing|overdue|due)\b",
        description="Words that say a report is only planned, not filed",
    )
    not_reported_values: Regex = Field(
        default=r"^\s*(?:no|n|non|nein|nee|none|nil|false|0|pending|not\b|required|tbd|to do"
        r"|-|—|n/?a|\?|outstanding|open|overdue|due)(?:\W|$)|^\s*$",
        description="Report-column values that mean no report was filed (in any language)",
    )


class AmountThreshold(RuleKind):
    name = "amount_threshold"
    params_model = AmountThresholdParams

    def coverage(self, view: DocumentView, params: AmountThresholdParams) -> Coverage:
        return cash_coverage(view, params.rows, needs_day_and_party=params.aggregate_same_day)

    def find(self, view: DocumentView, params: AmountThresholdParams) -> Iterator[Hit]:
        groups: dict[tuple[object, ...], list[tuple[RowView, Decimal]]] = defaultdict(list)
        for row in view.rows:
            if params.cash_only and not params.rows.is_cash(row):
                continue
            amount = params.rows.usd(row)
            if amount is None:
                continue
            party, day = party_key(row), row_day(row)
            key: tuple[object, ...] = (party, day, params.rows.direction(row))
            if not params.aggregate_same_day or party is None or day is None:
                key = ("row", row.row.sheet, row.row.row_number)
            groups[key].append((row, amount))
        for members in groups.values():
            total = sum((amount for _, amount in members), Decimal(0))
            if total < params.threshold or any(_reported(row, params) for row, _ in members):
                continue
            largest = max(members, key=lambda member: member[1])[0]
            yield row_hit(largest, [party_cell(largest), memo_cell(largest)])


def _reported(view: RowView, params: AmountThresholdParams) -> bool:
    """The row notes a filed report: a "CTR filed" note that is neither negated nor only
    planned ("CTR to be filed"), or a filled report column."""
    not_yet = compile_pattern(params.not_yet)
    for start, end in compile_pattern(params.reported).finditer(view.line):
        near = view.line[max(0, start - _NEAR) : end + _NEAR]
        negated = NEGATION.search(view.line[start:end]) or is_negated(
            clause_prefix(view.line[:start])
        )
        if not negated and not not_yet.matches(near):
            return True
    empty = compile_pattern(params.not_reported_values)
    columns = {*view.cells_in(compile_pattern(params.report_columns)), *view.cells_for("ctr")}
    return any(
        cell.value and not empty.matches(cell.value) and not not_yet.matches(cell.value)
        for cell in columns
    )

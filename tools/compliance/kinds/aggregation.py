"""Aggregation over time windows per party: cash kept just under the reporting threshold.

Structuring is a pattern, not a transaction: several cash deposits (or withdrawals) by
the same party, each in the band just below the threshold, within a few days, adding up
to more than the threshold. One $9,500 deposit is not structuring; neither are two small
deposits that total $9,500.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from pydantic import Field, model_validator

from tools.compliance.context import DocumentView, RowView
from tools.compliance.kinds.base import Coverage, Hit, KindParams, RuleKind
from tools.compliance.kinds.ledger import (
    CashRows,
    cash_coverage,
    party_cell,
    party_key,
    row_day,
    row_hit,
)

__all__ = ["WindowAggregation", "WindowAggregationParams"]


class WindowAggregationParams(KindParams):
    band_min: Decimal = Field(gt=0, description="Smallest USD amount that counts")
    band_max: Decimal = Field(gt=0, description="Largest USD amount that counts")
    window_days: int = Field(ge=0, le=366)
    min_count: int = Field(default=2, ge=2)
    min_total: Decimal = Field(
        default=Decimal(0), ge=0, description="The rows must add up to more than this"
    )
    rows: CashRows = Field(default_factory=CashRows)
    cash_only: bool = True

    @model_validator(mode="after")
    def _band_is_ordered(self) -> WindowAggregationParams:
        if self.band_min > self.band_max:
            raise ValueError("band_min must not be larger than band_max")
        return self


class WindowAggregation(RuleKind):
    name = "window_aggregation"
    params_model = WindowAggregationParams

    def coverage(self, view: DocumentView, params: WindowAggregationParams) -> Coverage:
        return cash_coverage(view, params.rows, needs_day_and_party=True)

    def find(self, view: DocumentView, params: WindowAggregationParams) -> Iterator[Hit]:
        by_party: dict[tuple[str, str], list[tuple[RowView, Decimal]]] = defaultdict(list)
        for row in view.rows:
            if params.cash_only and not params.rows.is_cash(row):
                continue
            amount = params.rows.usd(row)
            party = party_key(row)
            if amount is None or party is None or row_day(row) is None:
                continue
            if params.band_min <= amount <= params.band_max:
                by_party[(party, params.rows.direction(row))].append((row, amount))
        for members in by_party.values():
            members.sort(key=lambda member: (row_day(member[0]) or date.min, member[0].start))
            yield from _clusters(members, params)


def _clusters(
    members: list[tuple[RowView, Decimal]], params: WindowAggregationParams
) -> Iterator[Hit]:
    """One hit per run of rows inside the window that meets count and total."""
    index = 0
    while index < len(members):
        first_day = row_day(members[index][0]) or date.min
        window = [
            member
            for member in members[index:]
            if (day := row_day(member[0])) is not None
            and (day - first_day).days <= params.window_days
        ]
        total = sum((amount for _, amount in window), Decimal(0))
        if len(window) >= params.min_count and total > params.min_total:
            yield row_hit(window[0][0], [party_cell(window[0][0])])
            index += len(window)
        else:
            index += 1

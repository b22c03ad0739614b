"""Conditions over the columns of register rows (KYC onboarding, customer files).

"A legal entity opened with its beneficial owners blank" or "a PEP whose enhanced due
diligence was not performed" are tests on a few columns of one row. Columns are found by
patterns over their headers, so `beneficial_owners`, `UBO` and `Beneficial ownership`
all answer to `beneficial|ubo`.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from tools.compliance.context import Cell, DocumentView, RowView
from tools.compliance.kinds.base import Coverage, Hit, KindParams, Regex, RuleKind
from tools.compliance.kinds.ledger import memo_cell, party_cell, row_hit
from tools.compliance.patterns import compile_pattern

__all__ = ["AnyOf", "ColumnTest", "RowCondition", "RowConditionParams"]


class ColumnTest(BaseModel):
    """Holds when a column matching `column` has a cell that passes every given check."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: Regex
    label: str = Field(default="", description='What the column holds, for "no … column"')
    empty: bool | None = Field(default=None, description="True: blank; False: filled")
    matches: Regex | None = None
    not_matches: Regex | None = None

    def column_in(self, row: RowView) -> bool:
        return row.has_column(compile_pattern(self.column))

    def cells(self, row: RowView) -> list[Cell]:
        """The cells of `row` that pass this test."""
        return [cell for cell in row.cells_in(compile_pattern(self.column)) if self._passes(cell)]

    def _passes(self, cell: Cell) -> bool:
        value = cell.value.strip()
        if self.empty is not None and (not value) != self.empty:
            return False
        if self.matches is not None and not compile_pattern(self.matches).matches(value):
            return False
        return self.not_matches is None or not compile_pattern(self.not_matches).matches(value)


class AnyOf(BaseModel):
    """Holds when at least one of its tests holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    any: list[ColumnTest] = Field(min_length=1)

    def cells(self, row: RowView) -> list[Cell]:
        return [cell for test in self.any for cell in test.cells(row)]

    def column_in(self, row: RowView) -> bool:
        return any(test.column_in(row) for test in self.any)

    @property
    def label(self) -> str:
        return next((test.label for test in self.any if test.label), "")


class RowConditionParams(KindParams):
    all: list[ColumnTest | AnyOf] = Field(min_length=1)
    none: list[ColumnTest] = Field(
        default_factory=list, description="Exemptions: a row passing any of these is fine"
    )


class RowCondition(RuleKind):
    name = "row_condition"
    params_model = RowConditionParams

    def coverage(self, view: DocumentView, params: RowConditionParams) -> Coverage:
        """Applies to registers with rows the first test picks (legal entities, PEPs); not
        checked when the columns the other tests read are missing."""
        subjects = [row for row in view.rows if params.all[0].cells(row)]
        if not subjects:
            return Coverage.not_applicable()
        missing = [
            f"no {test.label or 'matching'} column"
            for test in params.all[1:]
            if not any(test.column_in(row) for row in subjects)
        ]
        return Coverage(missing=tuple(missing))

    def find(self, view: DocumentView, params: RowConditionParams) -> Iterator[Hit]:
        for row in view.rows:
            passed = [test.cells(row) for test in params.all]
            if all(passed) and not any(test.cells(row) for test in params.none):
                yield row_hit(row, _telling(row, passed))


def _telling(row: RowView, passed: list[list[Cell]]) -> list[Cell | None]:
    """What shows the condition best: the filled cells of the last test (the first tests
    usually pick who the rule is about), then the row's notes, then the rest, then a name."""
    last = [c for c in passed[-1] if c.value.strip()]
    earlier = [c for cells in passed[:-1] for c in cells if c.value.strip()]
    return [*last, memo_cell(row), *earlier, party_cell(row)]

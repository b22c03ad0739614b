"""A condition that calls for a control, with the control not recorded as done.

A politically exposed person (a minister, or a minister's brother, spouse or business
partner) calls for enhanced due diligence; a screening vendor's "no match" or a field
that reads "EDD: not required" is not enhanced due diligence. The subject is found in a
register row (any of its cells, however the column is called) or in a sentence of a file;
the control counts only when a row's control column, or an affirmative sentence of the
document, says it was done. A negated subject ("not a PEP", "no PEP connections") is no
subject. The finding cites the subject: who makes the control necessary.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from tools.compliance.context import Cell, DocumentView, RowView, normalise_header
from tools.compliance.kinds.base import Coverage, Hit, Regex, RuleKind, ScopedParams, compiled
from tools.compliance.kinds.ledger import row_hit
from tools.compliance.patterns import SafePattern, compile_pattern
from tools.compliance.text import (
    affirmed,
    clause_prefix,
    is_definition,
    is_hypothetical,
    is_negated,
    is_normative,
)

__all__ = ["MissingControl", "MissingControlParams"]

MAX_EVIDENCE = 300


class MissingControlParams(ScopedParams):
    subject: list[Regex] = Field(min_length=1, description="What calls for the control")
    not_subject: list[Regex] = Field(
        default_factory=list, description="Text in the cell or clause that cancels the subject"
    )
    control_done: list[Regex] = Field(
        min_length=1, description="Affirmative statements that the control was performed"
    )
    control_columns: Regex = Field(description="Columns that record the control")
    control_not_done: Regex = Field(
        description="A control cell meaning not done: blank, not required, waived, pending"
    )
    in_rows: bool = True
    in_prose: bool = True


class MissingControl(RuleKind):
    name = "missing_control"
    params_model = MissingControlParams

    def coverage(self, view: DocumentView, params: MissingControlParams) -> Coverage:
        if not params.applies_to(view):
            return Coverage.not_applicable()
        return Coverage(roles=("party", "memo"))

    def find(self, view: DocumentView, params: MissingControlParams) -> Iterator[Hit]:
        if not params.applies_to(view):
            return
        if params.in_rows:
            for row in view.rows:
                subject = _subject_cell(row, params)
                if subject is not None and not _row_control_done(row, params):
                    yield row_hit(row, [subject])
        if params.in_prose and not _prose_control_done(view, params):
            yield from _prose_subjects(view, params)


def _subject_cell(row: RowView, params: MissingControlParams) -> Cell | None:
    controls = compile_pattern(params.control_columns)
    for cell in row.cells:
        if not cell.value.strip() or controls.matches(normalise_header(cell.column)):
            continue
        if _names_subject(cell.value, params):
            return cell
    return None


def _names_subject(text: str, params: MissingControlParams) -> bool:
    cancelled = compiled(params.not_subject)
    for pattern in compiled(params.subject):
        for start, _end in pattern.finditer(text):
            prefix = clause_prefix(text[:start])
            if is_negated(prefix) or any(p.matches(text) for p in cancelled):
                continue
            return True
    return False


def _row_control_done(row: RowView, params: MissingControlParams) -> bool:
    """The row's control column says it was done; without such a column, any cell does."""
    controls = compile_pattern(params.control_columns)
    not_done = compile_pattern(params.control_not_done)
    cells = [c for c in row.cells if controls.matches(normalise_header(c.column))]
    if cells:
        return any(c.value.strip() and not not_done.matches(c.value.strip()) for c in cells)
    return _done_in(row.line, compiled(params.control_done))


def _prose_control_done(view: DocumentView, params: MissingControlParams) -> bool:
    done = compiled(params.control_done)
    return any(_done_in(view.page_text(number), done) for number in view.pages)


def _done_in(text: str, done: list[SafePattern]) -> bool:
    return any(affirmed(p, text, negation_inside=True) for p in done)


def _prose_subjects(view: DocumentView, params: MissingControlParams) -> Iterator[Hit]:
    """The first sentence outside tables that affirms the subject as a fact."""
    for number, page in view.pages.items():
        for pattern in compiled(params.subject):
            for start, end in pattern.finditer(page.text):
                segment = view.segment_at(number, start)
                if segment is None or segment.row is not None:
                    continue
                sentence = page.text[segment.start : max(segment.end, end)]
                prefix = clause_prefix(page.text[segment.start : start])
                if (
                    is_negated(prefix)
                    or is_hypothetical(prefix)
                    or is_normative(sentence)
                    or is_definition(sentence)
                    or any(p.matches(sentence) for p in compiled(params.not_subject))
                ):
                    continue
                if len(sentence) <= MAX_EVIDENCE:
                    yield Hit(number, segment.start, max(segment.end, end))
                else:
                    yield Hit(number, start, end)
                return

"""Text patterns that read their sentence: negation, possibility and rules of conduct.

"We identified a material weakness" is a finding; "no material weakness was identified",
"we could identify a material weakness" and "employees must report any material weakness"
are not. A match counts only when its sentence (or, in a ledger, its row) passes the
rule's filters; `require` and `exclude` add words that must or must not be near it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from tools.compliance.context import DocumentView, RowView, Segment
from tools.compliance.kinds.base import Hit, Regex, RuleKind, ScopedParams, compiled
from tools.compliance.kinds.text_amounts import AmountFilter
from tools.compliance.text import (
    affirmed,
    clause_prefix,
    is_definition,
    is_hypothetical,
    is_negated,
    is_normative,
    is_remediated,
)

__all__ = ["TextPattern", "TextPatternParams", "judge_match"]

MAX_SENTENCE_EVIDENCE = 300
# How far after a match a "has been remediated" still speaks of it (its paragraph).
REMEDIATION_SENTENCES = 3


class TextPatternParams(ScopedParams):
    patterns: list[Regex] = Field(min_length=1)
    require: list[list[Regex]] = Field(
        default_factory=list,
        description="Groups of patterns; each group needs a match near the hit",
    )
    exclude: list[Regex] = Field(
        default_factory=list, description="A match of any of these near the hit cancels it"
    )
    context_sentences: int = Field(default=0, ge=0, le=3)
    require_window: int = Field(
        default=0,
        ge=0,
        description="When set, `require` must match within this many characters of the "
        "match (in prose; a ledger row is always its own context)",
    )
    skip_negated: bool = True
    skip_hypothetical: bool = True
    skip_normative: bool = True
    skip_described: bool = Field(
        default=True,
        description="Skip definitions of the term and conditions stated as remediated",
    )
    normative_outside_match: bool = Field(
        default=False,
        description="Judge rules of conduct only outside the match, for patterns that hold "
        'modal words themselves ("can never lose", "should no longer be relied upon")',
    )
    in_prose: bool = True
    in_cells: bool = True
    amounts: AmountFilter | None = Field(
        default=None, description="The sentence (or row) must state amounts in this range"
    )
    evidence: Literal["sentence", "match"] = "sentence"


class TextPattern(RuleKind):
    name = "text_pattern"
    params_model = TextPatternParams

    def find(self, view: DocumentView, params: TextPatternParams) -> Iterator[Hit]:
        if not params.applies_to(view):
            return
        patterns = compiled(params.patterns)
        for number, page in view.pages.items():
            seen: set[int] = set()
            matches = sorted({span for p in patterns for span in p.finditer(page.text)})
            for start, end in matches:
                segment = view.segment_at(number, start)
                if segment is None:
                    continue
                place = segment.row.start if segment.row is not None else segment.start
                if place in seen or not judge_match(view, segment, start, end, params):
                    continue
                seen.add(place)
                if segment.row is not None:
                    yield _cell_hit(segment.row, params)
                else:
                    yield _hit(segment, start, end, params)


def judge_match(
    view: DocumentView, segment: Segment, start: int, end: int, params: TextPatternParams
) -> bool:
    """Whether the match at [start, end) in `segment` shows the condition."""
    in_cell = segment.row is not None
    if (in_cell and not params.in_cells) or (not in_cell and not params.in_prose):
        return False
    if in_cell and end > segment.end:
        return False
    text = view.page_text(segment.page)
    prefix = clause_prefix(text[segment.start : start])
    sentence = text[segment.start : max(segment.end, end)]
    if params.normative_outside_match:
        sentence = text[segment.start : start] + " " + text[end : max(segment.end, end)]
    if params.skip_negated and is_negated(prefix):
        return False
    if params.skip_hypothetical and is_hypothetical(prefix):
        return False
    if params.skip_normative and is_normative(sentence):
        return False
    if params.skip_described and not in_cell and _described(view, segment, sentence):
        return False
    context = _context(view, segment, params.context_sentences, end)
    if any(affirmed(p, context) for p in compiled(params.exclude)):
        return False
    if params.amounts is not None and not params.amounts.holds(context):
        return False
    if params.require_window and segment.row is None:
        # Within the window, and within the sentence or its neighbours ("the Fund (Class
        # A). It returned 11.8% last year").
        near_low, near_high = view.neighbours(segment, 1)
        low = max(near_low, start - params.require_window)
        context = text[low : min(max(near_high, end), end + params.require_window)]
    return all(any(p.matches(context) for p in compiled(group)) for group in params.require)


def _described(view: DocumentView, segment: Segment, sentence: str) -> bool:
    """A definition, or a condition the sentence or the next one says was remediated."""
    if is_definition(sentence):
        return True
    _low, high = view.neighbours(segment, REMEDIATION_SENTENCES)
    return is_remediated(view.page_text(segment.page)[segment.start : high])


def _context(view: DocumentView, segment: Segment, radius: int, end: int) -> str:
    text = view.page_text(segment.page)
    if segment.row is not None:
        return segment.row.line
    low, high = view.neighbours(segment, radius)
    return text[low : max(high, end)]


def _hit(segment: Segment, start: int, end: int, params: TextPatternParams) -> Hit:
    whole = (segment.start, max(segment.end, end))
    if params.evidence == "sentence" and whole[1] - whole[0] <= MAX_SENTENCE_EVIDENCE:
        start, end = whole
    return Hit(segment.page, start, end, segment.row)


def _cell_hit(row: RowView, params: TextPatternParams) -> Hit:
    """Cite the most telling cell: the longest one that any of the rule's patterns finds."""
    patterns = compiled(params.patterns) + [p for group in params.require for p in compiled(group)]
    cells = [c for c in row.cells if c.value and any(p.matches(c.value) for p in patterns)]
    best = max(cells, key=lambda c: len(c.value)) if cells else row.cells[0]
    return Hit(row.page, best.start, best.end, row)

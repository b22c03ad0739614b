"""Required clauses and disclosures: a condition that is met by something being absent.

A commercial contract must limit liability, say how it ends and which law governs it; a
contract under which the supplier handles personal data must say how; a piece of
marketing that shows performance must say that past performance does not guarantee
future results. The requirement applies to documents of the named kinds and, when a
`trigger` is given, only when the trigger is present (and not negated: "the files
contain no account identifiers" is no trigger). The finding cites the trigger or the
document's title.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from tools.compliance.classify import contract_title
from tools.compliance.context import DocumentView
from tools.compliance.kinds.base import Hit, Regex, RuleKind, ScopedParams, compiled
from tools.compliance.kinds.text_pattern import TextPattern, TextPatternParams

__all__ = ["RequiredClause", "RequiredClauseParams"]


class RequiredClauseParams(ScopedParams):
    clauses: list[Regex] = Field(
        min_length=1, description="Any of these anywhere in the document meets the requirement"
    )
    trigger: TextPatternParams | None = Field(
        default=None, description="When set, the requirement applies only if this is found"
    )
    evidence: Literal["title", "trigger"] = "title"
    max_findings: int = Field(default=1, ge=1, le=1000)


class RequiredClause(RuleKind):
    name = "required_clause"
    params_model = RequiredClauseParams

    def find(self, view: DocumentView, params: RequiredClauseParams) -> Iterator[Hit]:
        if not params.applies_to(view):
            return
        clauses = compiled(params.clauses)
        if any(clause.matches(page.text) for page in view.pages.values() for clause in clauses):
            return
        trigger_hit = None
        if params.trigger is not None:
            trigger_hit = next(iter(TextPattern().find(view, params.trigger)), None)
            if trigger_hit is None:
                return
        if params.evidence == "trigger" and trigger_hit is not None:
            yield trigger_hit
            return
        yield _title_hit(view) or trigger_hit or _first_sentence(view)


def _title_hit(view: DocumentView) -> Hit | None:
    title = contract_title(view.normalised_document)
    return None if title is None else Hit(*title)


def _first_sentence(view: DocumentView) -> Hit:
    for number in sorted(view.pages):
        segments = view.segments(number)
        if segments:
            return Hit(number, segments[0].start, segments[0].end, segments[0].row)
    first = min(view.pages)
    return Hit(first, 0, len(view.page_text(first)))

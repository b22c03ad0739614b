"""What every rule kind shares: validated parameters, hits, and the registry of kinds.

A kind is a way of finding a condition (a pattern in sentences, a threshold over ledger
rows, a missing clause ...). Its parameters are a pydantic model, so a rulebook with a
typo or an unsafe pattern is refused when it loads, not when a document is checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tools.compliance.context import DocumentView, RowView
from tools.compliance.patterns import PatternError, SafePattern, compile_pattern

__all__ = [
    "Coverage",
    "DocumentKind",
    "Hit",
    "KindParams",
    "Regex",
    "RuleKind",
    "ScopedParams",
    "compiled",
]

DocumentKind = Literal[
    "contract",
    "sec_filing",
    "ledger",
    "prose",
    "policy",
    "training",
    "guidance",
    "glossary",
    "audit_report",
]


def _check_pattern(source: str) -> str:
    try:
        compile_pattern(source)
    except PatternError as error:
        raise ValueError(str(error)) from None
    return source


Regex = Annotated[str, AfterValidator(_check_pattern)]


def compiled(sources: Iterable[str]) -> list[SafePattern]:
    """Compile validated pattern sources (cached by the pattern module)."""
    return [compile_pattern(source) for source in sources]


@dataclass(frozen=True)
class Hit:
    """Where a rule saw its condition: a span of one page's text, and the row if any."""

    page: int
    start: int
    end: int
    row: RowView | None = None


@dataclass(frozen=True)
class Coverage:
    """Whether a rule applies to a document, and what it needed but did not find.

    `missing` names, in words for the analyst, the columns or sections the rule could not
    find ("no approver column"); a rule that applies but misses what it needs is reported
    as not checked, never as passed.
    """

    applies: bool = True
    missing: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()

    @staticmethod
    def not_applicable() -> Coverage:
        return Coverage(applies=False)


class KindParams(BaseModel):
    """Base of every kind's parameters: unknown keys are mistakes, so they are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_findings: int = Field(default=25, ge=1, le=1000)


class ScopedParams(KindParams):
    """Parameters of kinds that apply only to some kinds of documents."""

    document_kinds: list[DocumentKind] = Field(
        default_factory=list, description="Apply only to documents of one of these kinds"
    )
    exclude_document_kinds: list[DocumentKind] = Field(default_factory=list)

    def applies_to(self, view: DocumentView) -> bool:
        if self.document_kinds and not view.kinds.intersection(self.document_kinds):
            return False
        return not view.kinds.intersection(self.exclude_document_kinds)


class RuleKind:
    """A way of finding a condition; subclasses set `name`, `params_model` and `find`."""

    name: ClassVar[str]
    params_model: ClassVar[type[KindParams]]

    def validate(self, params: dict[str, Any]) -> KindParams:
        return self.params_model.model_validate(params)

    def find(self, view: DocumentView, params: Any) -> Iterable[Hit]:
        raise NotImplementedError

    def coverage(self, view: DocumentView, params: Any) -> Coverage:
        """Whether the rule applies here and can run; text kinds need readable text."""
        if isinstance(params, ScopedParams) and not params.applies_to(view):
            return Coverage.not_applicable()
        if not view.has_text:
            return Coverage(missing=("no readable text",))
        return Coverage()

"""What a report is made of, and the executive summary derived from it.

The summary is computed from the assessments rather than written by an agent, so the
numbers at the top of the report can never disagree with the tables below them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast

from pydantic import BaseModel, Field, computed_field

from tools.models import (
    SEVERITY_WEIGHTS,
    ComplianceAssessment,
    Finding,
    RiskAssessment,
    Severity,
)
from tools.review.review import DocumentReview, ReviewedFinding
from tools.review.signoff import SignOff

SEVERITY_ORDER: tuple[Severity, ...] = ("critical", "high", "medium", "low")
STATUS_RANK = {"non-compliant": 0, "needs attention": 1, "not fully checked": 2, "compliant": 3}
MAX_ACTIONS = 5
R = TypeVar("R")


def computed(getter: Callable[[Any], R]) -> R:
    """pydantic's `@computed_field @property`, typed as the value it computes (mypy cannot
    type a decorated property)."""
    return cast(R, computed_field(property(getter)))


class DocumentReport(BaseModel):
    """One analysed document: what it is and how it scored."""

    document_id: str
    filename: str
    type: str = Field(description="Document type, e.g. pdf, xlsx, csv")
    pages: int = Field(ge=0)
    compliance: ComplianceAssessment
    risk: RiskAssessment
    review: DocumentReview | None = Field(
        default=None, description="The analyst's decisions and the scores after them"
    )

    @property
    def findings(self) -> list[Finding]:
        """Findings worst first, then in reading order."""
        return sorted(self.compliance.findings, key=finding_order)

    @property
    def reviewed(self) -> list[ReviewedFinding]:
        """Findings with their decisions, numbered as the chat and the CLI number them."""
        if self.review is not None:
            return self.review.findings
        return [
            ReviewedFinding(finding_id=0, number=n, finding=f)
            for n, f in enumerate(self.findings, start=1)
        ]

    @property
    def counted(self) -> list[Finding]:
        """The findings that count after review (every one not dismissed)."""
        return self.review.kept if self.review is not None else list(self.compliance.findings)

    @property
    def compliance_after(self) -> int:
        return self.review.compliance_after if self.review else self.compliance.score

    @property
    def status_after(self) -> str:
        return self.review.status_after if self.review else self.compliance.status

    @property
    def risk_after(self) -> int:
        return self.review.risk_after if self.review else self.risk.score

    @property
    def level_after(self) -> str:
        return self.review.level_after if self.review else self.risk.level

    @property
    def decided(self) -> int:
        return self.review.decided if self.review else 0


class DocumentScore(BaseModel):
    """A document named in the summary with the score that put it there."""

    filename: str
    score: int
    label: str


class ExecutiveSummary(BaseModel):
    """The numbers and sentences at the top of every report."""

    document_count: int
    finding_count: int
    severity_counts: dict[str, int]
    worst_compliance: DocumentScore | None
    highest_risk: DocumentScore | None
    headline: str
    actions: list[str]


class ReportData(BaseModel):
    """Everything a report shows; renderers only lay it out."""

    title: str
    generated_at: datetime
    documents: list[DocumentReport]
    rulebook_name: str
    rulebook_version: str
    knowledge_version: str
    signoff: SignOff | None = Field(
        default=None, description="Who approved this content; None while it is a draft"
    )

    @property
    def is_draft(self) -> bool:
        return self.signoff is None

    @computed
    def summary(self) -> ExecutiveSummary:
        return summarise(self.documents)


def finding_order(finding: Finding) -> tuple[int, int, int, str]:
    return (
        SEVERITY_ORDER.index(finding.severity),
        finding.page if finding.page is not None else 0,
        finding.row if finding.row is not None else 0,
        finding.rule_id,
    )


def severity_counts(findings: list[Finding]) -> dict[str, int]:
    counts = Counter(finding.severity for finding in findings)
    return {severity: counts.get(severity, 0) for severity in SEVERITY_ORDER}


def _worst_compliance(documents: list[DocumentReport]) -> DocumentScore | None:
    if not documents:
        return None
    worst = min(documents, key=lambda d: (STATUS_RANK[d.status_after], d.compliance_after))
    return DocumentScore(
        filename=worst.filename, score=worst.compliance_after, label=worst.status_after
    )


def _highest_risk(documents: list[DocumentReport]) -> DocumentScore | None:
    if not documents:
        return None
    top = max(documents, key=lambda d: d.risk_after)
    return DocumentScore(filename=top.filename, score=top.risk_after, label=top.level_after)


def _headline(documents: list[DocumentReport], counts: dict[str, int]) -> str:
    total = sum(counts.values())
    noun = "document" if len(documents) == 1 else "documents"
    dismissed = sum(d.review.dismissed for d in documents if d.review is not None)
    set_aside = f" ({dismissed} more dismissed on review)" if dismissed else ""
    unchecked = sum(len(d.compliance.not_checked) for d in documents)
    if total == 0 and dismissed:
        return (
            f"{len(documents)} {noun} reviewed; all {dismissed} findings were dismissed on review."
        )
    if total == 0 and unchecked:
        return (
            f"{len(documents)} {noun} reviewed; no breach found by the rules that ran, but "
            f"{unchecked} applicable rule{'s' if unchecked != 1 else ''} could not be checked."
        )
    if total == 0:
        return f"{len(documents)} {noun} reviewed; no rule in the rulebook was breached."
    failing = sum(1 for d in documents if d.status_after != "compliant")
    worst = next(s for s in SEVERITY_ORDER if counts[s])
    parts = [f"{counts[s]} {s}" for s in SEVERITY_ORDER if counts[s]]
    return (
        f"{len(documents)} {noun} reviewed: {total} finding{'s' if total != 1 else ''}"
        f" ({', '.join(parts)}); {failing} of {len(documents)} need action,"
        f" the most serious issue being {worst}{set_aside}."
    )


def _actions(documents: list[DocumentReport]) -> list[str]:
    """The recommendations of the most severe findings, once each, worst first."""
    ranked = sorted(
        ((f, d.filename) for d in documents for f in d.counted),
        key=lambda pair: (-SEVERITY_WEIGHTS[pair[0].severity], *finding_order(pair[0])),
    )
    actions: list[str] = []
    seen: set[str] = set()
    for finding, filename in ranked:
        if finding.severity not in ("critical", "high") or finding.recommendation in seen:
            continue
        seen.add(finding.recommendation)
        actions.append(f"{finding.recommendation} ({filename}, {finding.rule_id})")
        if len(actions) == MAX_ACTIONS:
            break
    return actions


def summarise(documents: list[DocumentReport]) -> ExecutiveSummary:
    """Counts, the worst documents and the first actions, from the assessments alone."""
    findings = [f for d in documents for f in d.counted]
    counts = severity_counts(findings)
    return ExecutiveSummary(
        document_count=len(documents),
        finding_count=len(findings),
        severity_counts=counts,
        worst_compliance=_worst_compliance(documents),
        highest_risk=_highest_risk(documents),
        headline=_headline(documents, counts),
        actions=_actions(documents),
    )

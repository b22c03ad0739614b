"""What a report is made of, and the executive summary derived from it.

The summary is computed from the assessments rather than written by an agent, so the
numbers at the top of the report can never disagree with the tables below them.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from pydantic import BaseModel, Field, computed_field

from tools.models import (
    SEVERITY_WEIGHTS,
    ComplianceAssessment,
    Finding,
    RiskAssessment,
    Severity,
)

SEVERITY_ORDER: tuple[Severity, ...] = ("critical", "high", "medium", "low")
STATUS_RANK = {"non-compliant": 0, "needs attention": 1, "not fully checked": 2, "compliant": 3}
MAX_ACTIONS = 5


class DocumentReport(BaseModel):
    """One analysed document: what it is and how it scored."""

    document_id: str
    filename: str
    type: str = Field(description="Document type, e.g. pdf, xlsx, csv")
    pages: int = Field(ge=0)
    compliance: ComplianceAssessment
    risk: RiskAssessment

    @property
    def findings(self) -> list[Finding]:
        """Findings worst first, then in reading order."""
        return sorted(self.compliance.findings, key=finding_order)


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

    @computed_field  # type: ignore[prop-decorator]
    @property
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
    worst = min(documents, key=lambda d: (STATUS_RANK[d.compliance.status], d.compliance.score))
    return DocumentScore(
        filename=worst.filename, score=worst.compliance.score, label=worst.compliance.status
    )


def _highest_risk(documents: list[DocumentReport]) -> DocumentScore | None:
    if not documents:
        return None
    top = max(documents, key=lambda d: d.risk.score)
    return DocumentScore(filename=top.filename, score=top.risk.score, label=top.risk.level)


def _headline(documents: list[DocumentReport], counts: dict[str, int]) -> str:
    total = sum(counts.values())
    noun = "document" if len(documents) == 1 else "documents"
    unchecked = sum(len(d.compliance.not_checked) for d in documents)
    if total == 0 and unchecked:
        return (
            f"{len(documents)} {noun} reviewed; no breach found by the rules that ran, but "
            f"{unchecked} applicable rule{'s' if unchecked != 1 else ''} could not be checked."
        )
    if total == 0:
        return f"{len(documents)} {noun} reviewed; no rule in the rulebook was breached."
    failing = sum(1 for d in documents if d.compliance.status != "compliant")
    worst = next(s for s in SEVERITY_ORDER if counts[s])
    parts = [f"{counts[s]} {s}" for s in SEVERITY_ORDER if counts[s]]
    return (
        f"{len(documents)} {noun} reviewed: {total} finding{'s' if total != 1 else ''}"
        f" ({', '.join(parts)}); {failing} of {len(documents)} need action,"
        f" the most serious issue being {worst}."
    )


def _actions(documents: list[DocumentReport]) -> list[str]:
    """The recommendations of the most severe findings, once each, worst first."""
    ranked = sorted(
        ((f, d.filename) for d in documents for f in d.compliance.findings),
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
    findings = [f for d in documents for f in d.compliance.findings]
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

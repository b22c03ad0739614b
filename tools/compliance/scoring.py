"""Compliance score: 100 minus 5 points per unit of severity weight, counted per issue.

score = max(0, 100 - 5 * sum of weights), weights critical 10, high 5, medium 2, low 1;
>= 90 compliant, >= 70 needs attention, else non-compliant (DESIGN.md §5), except that a
document with any finding is at best "needs attention": a breach is never compliant.

What counts once: each (document, category) pair, at the highest severity among its
findings. A ledger that repeats one issue on 40 rows has one issue, seen 40 times; the
score must not collapse because of the repetition, and two rules that detect the same
condition (a pattern in prose and a test over ledger rows) must not count it twice. The
evaluation labels issues at the same level. All findings stay listed; only the score
counts them once, and its factors say so.

Never a silent all-clear: when a rule that applies to the document could not run (the
columns or sections it needs were not found), a score that would read "compliant" reads
"not fully checked" instead, and the checks list says which rules and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tools.models import (
    SEVERITY_WEIGHTS,
    ComplianceAssessment,
    ComplianceStatus,
    Finding,
    RuleCheck,
    ScoreFactor,
)

__all__ = ["POINTS_PER_WEIGHT", "compliance_status", "score_compliance"]

POINTS_PER_WEIGHT = 5
COMPLIANT_FROM = 90
NEEDS_ATTENTION_FROM = 70


def compliance_status(
    score: int, *, fully_checked: bool = True, has_findings: bool = False
) -> ComplianceStatus:
    """The status of a score; a document with any finding is never "compliant" (a missing
    governing-law clause scores 95 and still needs someone to act)."""
    if score >= COMPLIANT_FROM and has_findings:
        return "needs attention"
    if score >= COMPLIANT_FROM and not fully_checked:
        return "not fully checked"
    if score >= COMPLIANT_FROM:
        return "compliant"
    if score >= NEEDS_ATTENTION_FROM:
        return "needs attention"
    return "non-compliant"


def score_compliance(
    document_id: str,
    findings: Sequence[Finding],
    *,
    filename: str = "",
    rulebook_version: str = "",
    knowledge_version: str = "",
    analysed_at: datetime | None = None,
    checks: Sequence[RuleCheck] = (),
    model_reader: str = "",
) -> ComplianceAssessment:
    """The score of one document (or of a set: findings may come from several documents)."""
    factors = _factors(findings)
    deducted = sum(-factor.points for factor in factors)
    score = max(0, round(100 - deducted))
    fully_checked = not any(check.outcome == "not checked" for check in checks)
    return ComplianceAssessment(
        document_id=document_id,
        filename=filename,
        score=score,
        status=compliance_status(score, fully_checked=fully_checked, has_findings=bool(findings)),
        checks=list(checks),
        model_reader=model_reader,
        findings=list(findings),
        factors=factors,
        rulebook_version=rulebook_version,
        knowledge_version=knowledge_version,
        analysed_at=analysed_at,
    )


def _factors(findings: Sequence[Finding]) -> list[ScoreFactor]:
    """One factor per (document, category), heaviest first, worth -5 x its top weight."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.document_id, finding.category), []).append(finding)
    several_documents = len({document for document, _ in groups}) > 1
    factors: list[tuple[int, ScoreFactor]] = []
    for (document_id, category), members in groups.items():
        top = max(members, key=lambda f: SEVERITY_WEIGHTS[f.severity])
        weight = SEVERITY_WEIGHTS[top.severity]
        label = f"{document_id}: {category}" if several_documents else category
        factors.append(
            (
                weight,
                ScoreFactor(
                    label=label,
                    points=-POINTS_PER_WEIGHT * weight,
                    detail=_detail(top, members, weight),
                ),
            )
        )
    factors.sort(key=lambda item: (-item[0], item[1].label))
    return [factor for _, factor in factors]


def _detail(top: Finding, members: list[Finding], weight: int) -> str:
    first = min(members, key=lambda f: (f.page or 0, f.sheet or "", f.row or 0, f.start or 0))
    where = (
        f"page {first.page}"
        if first.page is not None
        else (f"row {first.row}" if first.row else "")
    )
    repeats = len(members)
    counted = f"{repeats} findings, counted once" if repeats > 1 else "1 finding"
    rules = ", ".join(sorted({f.rule_id for f in members}))
    location = f"; first at {where}" if where else ""
    return f"{top.severity} (weight {weight}) x {POINTS_PER_WEIGHT}: {counted} ({rules}){location}"

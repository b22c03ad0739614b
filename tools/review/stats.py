"""How each rule fares under review: findings raised, decisions, and the dismissal rate.

A rule whose findings analysts keep dismissing is noisy: whoever manages the rulebook
sees it here. Counts cover every user (the rulebook is shared) but carry no evidence
text, so nobody sees another's documents. Each evidence counts once, at its latest
decision; findings are counted in each document's latest analysis.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.db.compliance_models import AnalysisRecord, FindingRecord
from knowledge.db.review_models import FindingDecisionRecord

__all__ = ["RuleStats", "rule_stats"]


class RuleStats(BaseModel):
    rule_id: str
    findings: int
    decided: int
    confirmed: int
    dismissed: int
    escalated: int
    top_reasons: list[str]

    @property
    def dismissal_rate(self) -> float | None:
        """Dismissed over decided; None before any decision."""
        return self.dismissed / self.decided if self.decided else None


async def rule_stats(session: AsyncSession) -> list[RuleStats]:
    """Every rule with findings or decisions, noisiest (highest dismissal rate) first."""
    findings = await _findings_per_rule(session)
    latest: dict[tuple[str, str, str], FindingDecisionRecord] = {}
    rows = await session.scalars(
        select(FindingDecisionRecord).order_by(
            FindingDecisionRecord.decided_at, FindingDecisionRecord.id
        )
    )
    for row in rows:
        latest[(row.owner, row.document_id, row.evidence_hash)] = row
    decisions: dict[str, Counter[str]] = {}
    reasons: dict[str, Counter[str]] = {}
    for row in latest.values():
        decisions.setdefault(row.rule_id, Counter())[row.decision] += 1
        if row.decision == "dismissed" and row.reason:
            reasons.setdefault(row.rule_id, Counter())[row.reason.lower()] += 1
    stats = [
        RuleStats(
            rule_id=rule_id,
            findings=findings.get(rule_id, 0),
            decided=sum(decisions.get(rule_id, Counter()).values()),
            confirmed=decisions.get(rule_id, Counter())["confirmed"],
            dismissed=decisions.get(rule_id, Counter())["dismissed"],
            escalated=decisions.get(rule_id, Counter())["escalated"],
            top_reasons=[r for r, _ in reasons.get(rule_id, Counter()).most_common(3)],
        )
        for rule_id in sorted(set(findings) | set(decisions))
    ]
    stats.sort(key=lambda s: (-(s.dismissal_rate or 0.0), -s.dismissed, -s.findings, s.rule_id))
    return stats


async def _findings_per_rule(session: AsyncSession) -> dict[str, int]:
    """Findings per rule in the latest analysis of each (owner, document)."""
    newest = (
        select(
            AnalysisRecord.document_id,
            AnalysisRecord.owner,
            func.max(AnalysisRecord.analysed_at).label("at"),
        )
        .group_by(AnalysisRecord.document_id, AnalysisRecord.owner)
        .subquery()
    )
    latest_ids = select(AnalysisRecord.id).join(
        newest,
        (AnalysisRecord.document_id == newest.c.document_id)
        & (AnalysisRecord.owner == newest.c.owner)
        & (AnalysisRecord.analysed_at == newest.c.at),
    )
    rows = await session.execute(
        select(FindingRecord.rule_id, func.count())
        .where(FindingRecord.analysis_id.in_(latest_ids))
        .group_by(FindingRecord.rule_id)
    )
    return {rule_id: int(count) for rule_id, count in rows.all()}

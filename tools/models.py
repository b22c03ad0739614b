"""Results the compliance engine, risk model and report renderer exchange.

These are the shapes of TAXONOMY.md and DESIGN.md §5; the CLI prints them as JSON and the
agents read them as tool results, so field names are part of the contract.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["critical", "high", "medium", "low"]
ComplianceStatus = Literal["compliant", "needs attention", "non-compliant", "not fully checked"]
CheckOutcome = Literal["passed", "failed", "not checked", "not applicable"]
FindingSource = Literal["rule", "model"]
RiskLevel = Literal["high", "medium", "low"]
RiskCategory = Literal["financial", "regulatory", "operational", "reputational"]

SEVERITY_WEIGHTS: dict[str, int] = {"critical": 10, "high": 5, "medium": 2, "low": 1}
RISK_WEIGHTS: dict[str, float] = {
    "financial": 0.3,
    "regulatory": 0.4,
    "operational": 0.2,
    "reputational": 0.1,
}


class Finding(BaseModel):
    """One rule that a document breaks, with the exact text that shows it."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    category: str
    severity: Severity
    document_id: str
    filename: str = ""
    page: int | None = Field(default=None, description="1-based page for PDFs, else None")
    sheet: str | None = None
    row: int | None = None
    evidence: str = Field(description="An exact substring of the document text")
    start: int | None = Field(default=None, description="Character offset of evidence in its page")
    title: str = ""
    recommendation: str
    regulation: str
    source: FindingSource = Field(
        default="rule", description="Who found it: a rule of the rulebook or the model reader"
    )
    reading: str = Field(
        default="", description="How the table was read, e.g. \"read 'Approved by' as approver\""
    )
    disputed: str | None = Field(
        default=None, description="The model reader's reason for doubting this rule hit"
    )


class RuleCheck(BaseModel):
    """What one rule did with one document: passed, failed, could not run, or not relevant."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    category: str
    title: str = ""
    outcome: CheckOutcome
    reason: str = Field(default="", description='Why, e.g. "no approver column"')
    findings: int = 0


class ScoreFactor(BaseModel):
    """One reason a score is what it is (a finding, a category, a weight)."""

    label: str
    points: float
    detail: str = ""


class ComplianceAssessment(BaseModel):
    """The compliance score of one document (or a set) and the findings behind it."""

    document_id: str
    filename: str = ""
    score: int = Field(ge=0, le=100)
    status: ComplianceStatus
    findings: list[Finding]
    factors: list[ScoreFactor] = Field(default_factory=list)
    rulebook_version: str = ""
    knowledge_version: str = ""
    analysed_at: datetime | None = None
    checks: list[RuleCheck] = Field(
        default_factory=list, description="Every enabled rule's outcome on this document"
    )
    model_reader: str = Field(
        default="", description="What the model second reader did, when one was configured"
    )

    @property
    def not_checked(self) -> list[RuleCheck]:
        return [check for check in self.checks if check.outcome == "not checked"]

    def check_counts(self) -> dict[str, int]:
        """Rules applied (ran), passed, failed and not checked, for the summary line."""
        counts = {outcome: 0 for outcome in ("passed", "failed", "not checked", "not applicable")}
        for check in self.checks:
            counts[check.outcome] += 1
        return {
            "applied": counts["passed"] + counts["failed"],
            "passed": counts["passed"],
            "failed": counts["failed"],
            "not checked": counts["not checked"],
            "not applicable": counts["not applicable"],
        }

    def checks_summary(self) -> str:
        """ "Rules: 21 applied, 19 passed, 2 failed, 1 not checked (…)": the chat's line."""
        if not self.checks:
            return ""
        counts = self.check_counts()
        line = (
            f"Rules: {counts['applied']} applied, {counts['passed']} passed, "
            f"{counts['failed']} failed, {counts['not checked']} not checked"
        )
        reasons = [f"{c.rule_id}: {c.reason}" for c in self.not_checked]
        return line + (f" ({'; '.join(reasons)})" if reasons else "")


class RiskScore(BaseModel):
    """One of the four risk categories."""

    category: RiskCategory
    score: int = Field(ge=0, le=100)
    weight: float
    factors: list[ScoreFactor] = Field(default_factory=list)


class RiskAssessment(BaseModel):
    """Weighted risk over the four categories, each with the factors that made it."""

    document_id: str
    score: int = Field(ge=0, le=100)
    level: RiskLevel
    categories: list[RiskScore]
    factors: list[ScoreFactor] = Field(
        default_factory=list, description="Each category's weighted share of the score"
    )

    @property
    def breakdown(self) -> dict[str, int]:
        return {item.category: item.score for item in self.categories}

"""Risk model: turns compliance findings into four explained risk scores and one overall score.

Why this shape: a compliance officer must be able to redo the arithmetic by hand, more
findings must never lower the risk, and twenty copies of one issue must not outweigh a
handful of different ones.

Formula (DESIGN.md §5, TAXONOMY.md last paragraph)

1. Each finding feeds every risk category its taxonomy category belongs to:
   regulatory   <- aml.*, sanctions.*, kyc.*, abc.*, disclosure.*
   financial    <- disclosure.going_concern, disclosure.restatement, aml.structuring
   operational  <- governance.*, contract.*, privacy.*
   reputational <- marketing.*, abc.*, sanctions.*, privacy.*
   A category outside the taxonomy still breaks a rule, so it counts as regulatory.
2. Its weight is the compliance severity weight (critical 10, high 5, medium 2, low 1),
   halved for each earlier finding of the same rule in that category:
   w_k = severity_weight * 0.5 ** k for the k-th repeat (k = 0, 1, ...). Repeats of one
   rule can therefore at most double its weight.
3. A category's exposure E is the sum of its weights (plus the amount-at-stake weight,
   below, for the financial category). Its score is 100 * (1 - exp(-E / 5)): one critical
   finding alone gives 86 (high), one high finding 63, one medium 33, one low 18; the
   score only grows with E and never passes 100.
4. Overall = sum(category weight * category score) with weights financial 0.3,
   regulatory 0.4, operational 0.2, reputational 0.1; >= 70 high, >= 40 medium, else low.

Every score carries its factors: one per finding (the points it added, in the order
applied, so a category's factor points add up to its score) and, for the overall score,
one per category (score * weight).

Optional context (RiskContext) adds the money at stake in flagged ledger rows to the
financial exposure: 2 * log10(amount / 10,000) for amounts above 10,000 (USD 100,000 adds
2, 1 million adds 4), because the CTR threshold is where an amount starts to matter.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from knowledge.documents import LedgerRow
from tools.models import (
    RISK_WEIGHTS,
    SEVERITY_WEIGHTS,
    Finding,
    RiskAssessment,
    RiskCategory,
    RiskLevel,
    RiskScore,
    ScoreFactor,
)

__all__ = [
    "CATEGORY_GROUPS",
    "RiskContext",
    "assess_risk",
    "category_groups_of",
    "exposure_to_score",
    "risk_context_from_ledger",
    "risk_level",
]

SATURATION = 5.0
"""Exposure at which a category reaches 63 % of its maximum (1 - 1/e)."""
REPEAT_DECAY = 0.5
"""Each repeat of the same rule weighs half the previous one."""
AMOUNT_FLOOR = Decimal(10_000)
"""Amounts at stake below the CTR threshold add nothing."""

CATEGORY_GROUPS: dict[RiskCategory, tuple[str, ...]] = {
    "financial": ("disclosure.going_concern", "disclosure.restatement", "aml.structuring"),
    "regulatory": ("aml", "sanctions", "kyc", "abc", "disclosure"),
    "operational": ("governance", "contract", "privacy"),
    "reputational": ("marketing", "abc", "sanctions", "privacy"),
}
_ORDER: tuple[RiskCategory, ...] = ("financial", "regulatory", "operational", "reputational")


class RiskContext(BaseModel):
    """Signals beyond the findings themselves; every field is optional."""

    model_config = ConfigDict(frozen=True)

    amount_at_stake: Decimal | None = None
    currency: str = "USD"


def _matches(taxonomy_category: str, prefix: str) -> bool:
    return taxonomy_category == prefix or taxonomy_category.startswith(prefix + ".")


def category_groups_of(taxonomy_category: str) -> list[RiskCategory]:
    """The risk categories a finding's taxonomy category feeds (regulatory if unknown)."""
    groups = [
        risk
        for risk in _ORDER
        if any(_matches(taxonomy_category, prefix) for prefix in CATEGORY_GROUPS[risk])
    ]
    return groups or ["regulatory"]


def exposure_to_score(exposure: float) -> float:
    """Saturating map from summed weights to 0-100: monotone, 0 at 0, below 100 always."""
    return 100.0 * (1.0 - math.exp(-max(exposure, 0.0) / SATURATION))


def risk_level(score: float) -> RiskLevel:
    if score >= 70:
        return "high"
    if score >= 40:
        return "medium"
    return "low"


def _where(finding: Finding) -> str:
    """'payments.pdf, page 3' or 'ledger.xlsx, sheet March, row 14' or just the file."""
    parts = [finding.filename or finding.document_id]
    if finding.sheet:
        parts.append(f"sheet {finding.sheet}")
    if finding.row is not None:
        parts.append(f"row {finding.row}")
    elif finding.page is not None and not finding.sheet:
        parts.append(f"page {finding.page}")
    return ", ".join(parts)


def _quote(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _severity_order(finding: Finding) -> tuple[int, str, int]:
    return (-SEVERITY_WEIGHTS[finding.severity], finding.rule_id, finding.page or 0)


def _amount_weight(amount: Decimal) -> float:
    if amount <= AMOUNT_FLOOR:
        return 0.0
    return 2.0 * math.log10(float(amount / AMOUNT_FLOOR))


def _category_weights(
    findings: Iterable[Finding],
) -> list[tuple[str, float, str]]:
    """(label, weight, detail) per finding, repeats of a rule decayed, biggest first."""
    seen: Counter[str] = Counter()
    weights: list[tuple[str, float, str]] = []
    for finding in sorted(findings, key=_severity_order):
        repeat = seen[finding.rule_id]
        seen[finding.rule_id] += 1
        weight = SEVERITY_WEIGHTS[finding.severity] * REPEAT_DECAY**repeat
        label = f"{finding.rule_id} ({finding.severity})"
        if repeat:
            label += f", repeat {repeat + 1}"
        name = finding.title or finding.category
        detail = (
            f"{name}: rule {finding.rule_id} at {_where(finding)}:"
            f" '{_quote(finding.evidence)}'"
            f" (weight {weight:g})"
        )
        weights.append((label, weight, detail))
    return weights


def _score_category(
    category: RiskCategory, findings: Sequence[Finding], context: RiskContext | None
) -> RiskScore:
    weights = _category_weights(f for f in findings if category in category_groups_of(f.category))
    if category == "financial" and context and context.amount_at_stake is not None:
        amount_weight = _amount_weight(context.amount_at_stake)
        if amount_weight > 0:
            shown = f"{context.currency} {context.amount_at_stake:,.0f}"
            detail = f"{shown} in flagged ledger rows (weight {amount_weight:.2f})"
            weights.append(("Amount at stake", amount_weight, detail))
    factors: list[ScoreFactor] = []
    exposure = 0.0
    for label, weight, detail in weights:
        before = exposure_to_score(exposure)
        exposure += weight
        points = round(exposure_to_score(exposure) - before, 2)
        factors.append(ScoreFactor(label=label, points=points, detail=detail))
    return RiskScore(
        category=category,
        score=round(exposure_to_score(exposure)),
        weight=RISK_WEIGHTS[category],
        factors=factors,
    )


def assess_risk(
    document_id: str,
    findings: Sequence[Finding],
    *,
    context: RiskContext | None = None,
) -> RiskAssessment:
    """Score the four risk categories of one document (or a set) from its findings."""
    categories = [_score_category(category, findings, context) for category in _ORDER]
    overall = sum(item.score * item.weight for item in categories)
    factors = [
        ScoreFactor(
            label=item.category,
            points=round(item.score * item.weight, 2),
            detail=f"{item.category} {item.score} x weight {item.weight:g}",
        )
        for item in categories
    ]
    score = round(overall)
    return RiskAssessment(
        document_id=document_id,
        score=score,
        level=risk_level(score),
        categories=categories,
        factors=factors,
    )


def risk_context_from_ledger(
    findings: Sequence[Finding], rows: Sequence[LedgerRow], *, currency: str = "USD"
) -> RiskContext:
    """The money in the ledger rows that findings cite (each row once, one currency)."""
    cited = {(f.sheet, f.row) for f in findings if f.row is not None}
    amounts = [
        abs(row.amount)
        for row in rows
        if row.amount is not None
        and (row.sheet, row.row_number) in cited
        and (row.currency or currency).upper() == currency.upper()
    ]
    total = sum(amounts, Decimal(0)) if amounts else None
    return RiskContext(amount_at_stake=total, currency=currency)

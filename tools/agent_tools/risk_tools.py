"""Agent tool of the risk agent: the four risk scores of a document, with their drivers."""

from __future__ import annotations

from tools.agent_tools.analysis import risk_of
from tools.agent_tools.deps import ToolDeps
from tools.agent_tools.documents import document_ref, resolve_document
from tools.agent_tools.errors import agent_tool
from tools.agent_tools.models import RiskResult
from tools.models import ScoreFactor

MAX_DRIVERS = 5


@agent_tool
async def assess_risk(deps: ToolDeps, document: str) -> RiskResult:
    """Score a document's financial, regulatory, operational and reputational risk (0-100).

    document: the document id (or its file name). Uses the document's compliance findings;
    returns the overall score and level, the four category scores, and the findings that
    raised them most.
    """
    info = await resolve_document(deps, document)
    assessment = await risk_of(deps, info)
    contributions: dict[str, ScoreFactor] = {}
    for category in assessment.categories:
        for factor in category.factors:
            points = factor.points * category.weight
            known = contributions.get(factor.label)
            total = points + (known.points if known else 0.0)
            contributions[factor.label] = ScoreFactor(
                label=factor.label, points=round(total, 2), detail=factor.detail
            )
    drivers = sorted(contributions.values(), key=lambda factor: factor.points, reverse=True)
    return RiskResult(
        document=document_ref(info),
        score=assessment.score,
        level=assessment.level,
        breakdown=assessment.breakdown,
        drivers=drivers[:MAX_DRIVERS],
    )

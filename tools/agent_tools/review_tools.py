"""Agent tools for the analyst's review: record their decision on a finding, delete a document.

The team records a decision only when the analyst asks for it ("dismiss the second
finding, it is a policy definition"): the decision is the analyst's, recorded in their
name. Deleting a document changes shared state, so it waits for a confirmation. The team
has no tool to approve a report: only a person signs off.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from tools.agent_tools.deps import ToolDeps
from tools.agent_tools.documents import resolve_documents
from tools.agent_tools.errors import ToolArgumentError, agent_tool
from tools.review.guards import ActionStatus
from tools.review.review import ReviewedFinding
from tools.review.roles import require
from tools.review.service import decide, document_reviews, last_analysed

_FINDING_ID = re.compile(r"^\s*(?:id\s*[:#]?\s*|finding\s+id\s*)(\d+)\s*$", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*#?\s*(\d+)\s*$")


class FindingDecided(BaseModel):
    """A decision recorded on a finding, and its document's scores before and after review."""

    finding_id: int
    number: int
    document_id: str
    filename: str
    rule_id: str
    evidence: str
    decision: str
    reason: str
    decided_by: str
    compliance_before: int
    compliance_after: int
    risk_before: int
    risk_after: int
    summary: str


@agent_tool
async def review_finding(
    deps: ToolDeps,
    finding: str,
    decision: Literal["confirm", "dismiss", "escalate"],
    reason: str = "",
    documents: list[str] | None = None,
) -> FindingDecided:
    """Record the analyst's decision on a finding, in their name, when they ask for one.

    finding: its number in the findings list of `documents` (1 = the first, worst first,
    as the findings table shows it), "last", or "id:123" for a finding id. decision: confirm,
    dismiss (a reason is required, e.g. "policy text, not a transaction") or escalate.
    documents: ids or file names the list covers (omit for the last analysed document).
    """
    require(deps.role, "finding.decide", user=deps.owner)
    chosen = await _resolve(deps, finding, documents)
    item, review = await decide(
        deps.knowledge, owner=deps.owner, finding_id=chosen.finding_id, verb=decision,
        reason=reason, user=deps.owner, role=deps.role, channel="team",
        thread_id=deps.thread_id,
    )  # fmt: skip
    deps.memo.analyses.clear()
    assert item.decision is not None
    return FindingDecided(
        finding_id=item.finding_id,
        number=chosen.number,
        document_id=review.document_id,
        filename=review.filename,
        rule_id=item.finding.rule_id,
        evidence=item.finding.evidence,
        decision=item.decision.decision,
        reason=item.decision.reason,
        decided_by=item.decision.decided_by,
        compliance_before=review.compliance_before,
        compliance_after=review.compliance_after,
        risk_before=review.risk_before,
        risk_after=review.risk_after,
        summary=review.score_line(),
    )


async def _resolve(deps: ToolDeps, finding: str, documents: list[str] | None) -> ReviewedFinding:
    if documents:
        ids = [info.document_id for info in await resolve_documents(deps, documents)]
    else:
        ids = await _last_analysed(deps)
    reviews = await document_reviews(deps.knowledge, owner=deps.owner, document_ids=ids)
    listed = [item for review in reviews for item in review.findings]
    if not listed:
        raise ToolArgumentError("no findings to decide on: check a document first")
    by_id = _FINDING_ID.match(finding)
    if finding.strip().lower() == "last":
        return listed[-1]
    if by_id:
        wanted = int(by_id.group(1))
        found = next((i for i in listed if i.finding_id == wanted), None)
    else:
        number = _NUMBER.match(finding)
        if number is None:
            raise ToolArgumentError(
                f"finding {finding!r}: give its number in the list (1-{len(listed)}) or id:N"
            )
        wanted = int(number.group(1))
        found = next((i for i in listed if i.number == wanted), None)
    if found is None:
        raise ToolArgumentError(f"there is no finding {finding}: the list has 1-{len(listed)}")
    return found


async def _last_analysed(deps: ToolDeps) -> list[str]:
    latest = await last_analysed(deps.knowledge, owner=deps.owner)
    if latest is None:
        raise ToolArgumentError("no document has been checked yet: check one first")
    return [latest]


@agent_tool
async def action_status(deps: ToolDeps, request_id: int) -> ActionStatus:
    """The answer to a change that waited for confirmation (executed, declined, pending...).

    request_id: the number of the request, given when the change was asked for.
    """
    if deps.guard is None:
        raise ToolArgumentError("no change waits for a confirmation here")
    return await deps.guard.acknowledge(request_id)

"""Agent tool of the debaters and the judge: the findings (and what passed) per document."""

from __future__ import annotations

from tools.agent_tools.analysis import compliance_of, current_rulebook
from tools.agent_tools.deps import ToolDeps
from tools.agent_tools.documents import document_ref, resolve_documents
from tools.agent_tools.errors import ToolArgumentError, agent_tool
from tools.agent_tools.models import DocumentFindings, FindingsResult, PassedRule
from tools.models import Severity

MAX_DOCUMENTS = 5


@agent_tool
async def get_findings(
    deps: ToolDeps,
    document: str | None = None,
    severity: Severity | None = None,
    page: int | None = None,
) -> FindingsResult:
    """The compliance findings of a document (or of the most recent documents), worst first.

    document: id or file name (omit for the five most recent documents). severity and page
    narrow the findings. Also lists the rules each document was checked against and met.
    """
    infos = await resolve_documents(deps, [document] if document else None)
    if not infos:
        raise ToolArgumentError("the library is empty: attach a file first")
    rulebook = await current_rulebook(deps)
    results = []
    for info in infos[-MAX_DOCUMENTS:]:
        assessment = await compliance_of(deps, info)
        broken = {f.rule_id for f in assessment.findings}
        findings = [
            f
            for f in assessment.findings
            if (severity is None or f.severity == severity) and (page is None or f.page == page)
        ]
        results.append(
            DocumentFindings(
                document=document_ref(info),
                score=assessment.score,
                status=assessment.status,
                findings=findings,
                passed=[
                    PassedRule(rule_id=r.id, title=r.title, category=r.category)
                    for r in rulebook.enabled_rules
                    if r.id not in broken
                ],
            )
        )
    return FindingsResult(documents=results)

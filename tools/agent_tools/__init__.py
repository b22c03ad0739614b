"""The typed async tools Quorum's agents call, and the dependencies they run with.

Each tool is `async def tool(deps: ToolDeps, **arguments) -> <pydantic model>`; its
docstring is what the model reads. `bind_tool(tool, deps)` binds one to the run (which
role gets which tools is said in `agents.roles`).
A bad argument raises `ToolArgumentError` with a message the agent can act on; AutoGen
hands that back to the model as an error result, so a tool never crashes the run.
"""

from __future__ import annotations

from tools.agent_tools.compliance_tools import (
    add_rule,
    check_compliance,
    list_rules,
    set_rule_enabled,
)
from tools.agent_tools.deps import AttachedFile, RunMemo, ToolDeps
from tools.agent_tools.errors import ToolArgumentError, agent_tool
from tools.agent_tools.findings_tools import get_findings
from tools.agent_tools.knowledge_tools import (
    delete_document,
    ingest_file,
    list_documents,
    search_knowledge,
    select_documents,
)
from tools.agent_tools.models import (
    Artifact,
    ComplianceResult,
    DeletedDocument,
    DocumentFindings,
    DocumentList,
    DocumentRef,
    DocumentSelection,
    FindingsResult,
    IngestedFile,
    Passage,
    PassedRule,
    ReportedDocument,
    ReportResult,
    RiskResult,
    RuleChange,
    RuleInfo,
    RuleList,
    SearchResults,
)
from tools.agent_tools.registry import ToolFunction, bind_tool
from tools.agent_tools.report_tools import build_report
from tools.agent_tools.risk_tools import assess_risk
from tools.agent_tools.rules import RulebookStore, SqlRulebooks
from tools.agent_tools.summary_tools import compare_documents, summarise_document

__all__ = [
    "Artifact",
    "AttachedFile",
    "ComplianceResult",
    "DeletedDocument",
    "DocumentFindings",
    "DocumentList",
    "DocumentRef",
    "DocumentSelection",
    "FindingsResult",
    "IngestedFile",
    "Passage",
    "PassedRule",
    "ReportResult",
    "ReportedDocument",
    "RiskResult",
    "RuleChange",
    "RuleInfo",
    "RuleList",
    "RulebookStore",
    "RunMemo",
    "SearchResults",
    "SqlRulebooks",
    "ToolArgumentError",
    "ToolDeps",
    "ToolFunction",
    "add_rule",
    "agent_tool",
    "assess_risk",
    "bind_tool",
    "build_report",
    "check_compliance",
    "compare_documents",
    "delete_document",
    "get_findings",
    "ingest_file",
    "list_documents",
    "list_rules",
    "search_knowledge",
    "select_documents",
    "set_rule_enabled",
    "summarise_document",
]

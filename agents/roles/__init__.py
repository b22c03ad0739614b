"""The seven agent roles, one module each (`build_<role>_agent(model_client, tools)`),
the tools each role is given, and their names (`agents.roles.names`, the one list)."""

from __future__ import annotations

from collections.abc import Callable

from autogen_agentchat.agents import AssistantAgent
from autogen_core.tools import FunctionTool

from agents.roles.advocate import build_advocate_agent
from agents.roles.compliance import build_compliance_agent
from agents.roles.ingestion import build_ingestion_agent
from agents.roles.judge import build_judge_agent
from agents.roles.names import ROLE_NAMES, SELECTOR, RoleName
from agents.roles.reporter import build_reporter_agent
from agents.roles.risk import build_risk_agent
from agents.roles.skeptic import build_skeptic_agent
from tools.agent_tools import (
    ToolDeps,
    ToolFunction,
    add_rule,
    assess_risk,
    bind_tool,
    build_report,
    check_compliance,
    compare_documents,
    delete_document,
    get_findings,
    ingest_file,
    list_documents,
    list_rules,
    search_knowledge,
    set_rule_enabled,
    summarise_document,
)
from tools.agent_tools.review_tools import action_status, review_finding

ROLE_BUILDERS: dict[RoleName, Callable[..., AssistantAgent]] = {
    "ingestion": build_ingestion_agent,
    "compliance": build_compliance_agent,
    "risk": build_risk_agent,
    "reporter": build_reporter_agent,
    "advocate": build_advocate_agent,
    "skeptic": build_skeptic_agent,
    "judge": build_judge_agent,
}

ROLE_TOOLS: dict[RoleName, tuple[ToolFunction, ...]] = {
    "ingestion": (ingest_file, list_documents, search_knowledge, delete_document, action_status),
    "compliance": (
        check_compliance,
        list_rules,
        add_rule,
        set_rule_enabled,
        review_finding,
        action_status,
        search_knowledge,
    ),
    "risk": (assess_risk, search_knowledge),
    "reporter": (
        build_report, search_knowledge, get_findings, summarise_document, compare_documents
    ),
    "advocate": (search_knowledge, get_findings, list_documents),
    "skeptic": (search_knowledge, get_findings, list_documents),
    "judge": (get_findings,),
}


def tools_for_role(role: RoleName, deps: ToolDeps) -> list[FunctionTool]:
    """The bound tools of one agent role (see DESIGN.md §2)."""
    return [bind_tool(func, deps) for func in ROLE_TOOLS[role]]


__all__ = [
    "ROLE_BUILDERS",
    "ROLE_NAMES",
    "ROLE_TOOLS",
    "SELECTOR",
    "RoleName",
    "build_advocate_agent",
    "build_compliance_agent",
    "build_ingestion_agent",
    "build_judge_agent",
    "build_reporter_agent",
    "build_risk_agent",
    "build_skeptic_agent",
    "tools_for_role",
]

"""The seven agent roles, one module each (`build_<role>_agent(model_client, tools)`)."""

from __future__ import annotations

from collections.abc import Callable

from autogen_agentchat.agents import AssistantAgent

from agents.roles.advocate import build_advocate_agent
from agents.roles.compliance import build_compliance_agent
from agents.roles.ingestion import build_ingestion_agent
from agents.roles.judge import build_judge_agent
from agents.roles.reporter import build_reporter_agent
from agents.roles.risk import build_risk_agent
from agents.roles.skeptic import build_skeptic_agent

ROLE_BUILDERS: dict[str, Callable[..., AssistantAgent]] = {
    "ingestion": build_ingestion_agent,
    "compliance": build_compliance_agent,
    "risk": build_risk_agent,
    "reporter": build_reporter_agent,
    "advocate": build_advocate_agent,
    "skeptic": build_skeptic_agent,
    "judge": build_judge_agent,
}

__all__ = [
    "ROLE_BUILDERS",
    "build_advocate_agent",
    "build_compliance_agent",
    "build_ingestion_agent",
    "build_judge_agent",
    "build_reporter_agent",
    "build_risk_agent",
    "build_skeptic_agent",
]

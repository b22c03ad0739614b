"""Which tools each agent gets, bound to the run's dependencies.

A tool is written `async def tool(deps, **arguments)`; binding hides `deps` from the
schema the model sees, so the model can only fill the arguments, while the function's
docstring becomes the tool's description.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable
from typing import Any

from autogen_core.tools import FunctionTool

from tools.agent_tools.compliance_tools import (
    add_rule,
    check_compliance,
    list_rules,
    set_rule_enabled,
)
from tools.agent_tools.deps import ToolDeps
from tools.agent_tools.findings_tools import get_findings
from tools.agent_tools.knowledge_tools import ingest_file, list_documents, search_knowledge
from tools.agent_tools.report_tools import build_report
from tools.agent_tools.review_tools import action_status, delete_document, review_finding
from tools.agent_tools.risk_tools import assess_risk

ToolFunction = Callable[..., Awaitable[Any]]

ROLE_TOOLS: dict[str, tuple[ToolFunction, ...]] = {
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
    "reporter": (build_report, search_knowledge, get_findings),
    "advocate": (search_knowledge, get_findings, list_documents),
    "skeptic": (search_knowledge, get_findings, list_documents),
    "judge": (get_findings,),
}


def bind_tool(func: ToolFunction, deps: ToolDeps) -> FunctionTool:
    """A FunctionTool whose schema is `func`'s signature without its first (deps) parameter."""
    hints = typing.get_type_hints(func)
    signature = inspect.signature(func)
    parameters = [
        parameter.replace(annotation=hints[parameter.name])
        for parameter in list(signature.parameters.values())[1:]
    ]

    async def bound(**arguments: Any) -> Any:
        return await func(deps, **arguments)

    bound.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=parameters, return_annotation=hints["return"]
    )
    bound.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": hints["return"]}
    bound.__name__ = func.__name__
    bound.__qualname__ = func.__name__
    description = inspect.cleandoc(func.__doc__ or func.__name__)
    return FunctionTool(bound, description=description, name=func.__name__)


def tools_for_role(role: str, deps: ToolDeps) -> list[FunctionTool]:
    """The bound tools of one agent role (see DESIGN.md §2)."""
    try:
        functions = ROLE_TOOLS[role]
    except KeyError:
        raise ValueError(f"unknown agent role {role!r}; roles: {', '.join(ROLE_TOOLS)}") from None
    return [bind_tool(func, deps) for func in functions]

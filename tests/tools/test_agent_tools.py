"""The agents' tools called directly, as AutoGen calls them: typed results, readable errors
for bad arguments, and only attached files can be ingested."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from autogen_core import CancellationToken
from autogen_core.tools import BaseTool, StaticWorkbench
from fpdf import FPDF

from knowledge.library import KnowledgeBase
from quorum.settings import Settings
from tools.agent_tools import (
    AttachedFile,
    SqlRulebooks,
    ToolArgumentError,
    ToolDeps,
    add_rule,
    assess_risk,
    bind_tool,
    build_report,
    check_compliance,
    get_findings,
    ingest_file,
    list_documents,
    list_rules,
    search_knowledge,
    set_rule_enabled,
)
from tools.agent_tools.models import RuleChange
from tools.compliance.store import latest_assessment
from tools.compliance.store import list_rules as stored_rules

pytestmark = pytest.mark.asyncio(loop_scope="module")

PAGES = (
    "MASTER SERVICES AGREEMENT between Acme Corp and Northwind Logistics Ltd.",
    "Settlement of invoices will be wired to the Supplier's account at Bank Melli, Tehran, Iran.",
)


def write_pdf(path: Path) -> Path:
    pdf = FPDF()
    for text in PAGES:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def deps(
    tmp_path_factory: pytest.TempPathFactory, module_database_url: str
) -> AsyncIterator[ToolDeps]:
    root = tmp_path_factory.mktemp("agent-tools")
    settings = Settings(
        _env_file=None, data_dir=root / "data", database_url=module_database_url
    )
    knowledge = await KnowledgeBase.open(settings.knowledge_config())
    contract = write_pdf(root / "acme contract.pdf")
    deps = ToolDeps(
        knowledge=knowledge, owner="analyst", reports_dir=root / "reports",
        rulebooks=SqlRulebooks(knowledge.database.sessions),
    )
    deps.begin_run((AttachedFile(contract, "acme contract.pdf"),))
    ingested = await ingest_file(deps, "acme contract.pdf")
    assert ingested.status == "ingested" and ingested.document is not None
    yield deps
    await knowledge.close()


async def document_id(deps: ToolDeps) -> str:
    listing = await list_documents(deps)
    return listing.documents[0].document_id


async def test_only_attached_files_can_be_ingested(deps: ToolDeps, tmp_path: Path) -> None:
    outside = write_pdf(tmp_path / "secret.pdf")
    with pytest.raises(ToolArgumentError, match="not attached to this message"):
        await ingest_file(deps, str(outside))
    with pytest.raises(ToolArgumentError, match=r"attached: acme contract\.pdf"):
        await ingest_file(deps, "../../etc/passwd")
    again = await ingest_file(deps, "ACME CONTRACT.PDF")
    assert again.status == "duplicate"


async def test_search_cites_document_and_page_and_narrows_to_one_page(deps: ToolDeps) -> None:
    results = await search_knowledge(deps, "Iran")
    top = results.passages[0]
    assert top.filename == "acme contract.pdf" and top.page == 2 and "Bank Melli" in top.text
    only_page_one = await search_knowledge(deps, "Iran", document="acme", page=1)
    assert {p.page for p in only_page_one.passages} == {1}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"query": "  "}, "query is empty"),
        ({"query": "iran", "k": 50}, "k must be between 1 and 10"),
        ({"query": "iran", "page": 0}, "page is 1-based"),
        ({"query": "iran", "document": "globex"}, "no document matches 'globex'; documents: "),
    ],
)
async def test_bad_search_arguments_say_what_would_work(
    deps: ToolDeps, arguments: dict[str, object], message: str
) -> None:
    with pytest.raises(ToolArgumentError, match=message):
        await search_knowledge(deps, **arguments)  # type: ignore[arg-type]


async def test_check_assess_and_findings_agree_and_cite_the_page(deps: ToolDeps) -> None:
    document = await document_id(deps)
    checked = await check_compliance(deps, document[:8])
    [sanctions] = [f for f in checked.findings if f.category == "sanctions.jurisdiction"]
    assert sanctions.page == 2 and "Tehran" in sanctions.evidence
    assert checked.status == "non-compliant" and checked.rules_checked > 20
    async with deps.knowledge.database.sessions() as session:
        saved = await latest_assessment(session, document)
    assert saved is not None and saved.score == checked.score
    assert [(f.rule_id, f.page, f.evidence) for f in saved.findings] == [
        (f.rule_id, f.page, f.evidence) for f in checked.findings
    ]
    assert saved.rulebook_version == checked.rulebook_version
    assert saved.knowledge_version == str(await deps.knowledge.version())
    risk = await assess_risk(deps, "acme contract.pdf")
    assert risk.breakdown["regulatory"] > 0 and risk.drivers[0].label.startswith("sanctions")
    on_page_two = await get_findings(deps, document, page=2)
    assert [f.rule_id for f in on_page_two.documents[0].findings] == [sanctions.rule_id]
    assert on_page_two.documents[0].passed


async def test_rules_are_added_toggled_and_bad_patterns_refused(deps: ToolDeps) -> None:
    change = await add_rule(deps, "Crypto custody", [r"crypto\W+custody"], severity="high")
    assert isinstance(change, RuleChange)  # no guard in these deps: the change is made at once
    assert change.rule.rule_id == "user.crypto_custody" and change.action == "added"
    listed = await list_rules(deps, category="custom")
    assert [r.rule_id for r in listed.rules] == ["user.crypto_custody"]
    off = await set_rule_enabled(deps, "user.crypto_custody", False)
    assert isinstance(off, RuleChange)
    assert off.action == "disabled" and off.rule.enabled is False
    async with deps.knowledge.database.sessions() as session:  # what `quorum rules` lists
        stored = {rule.id: rule.enabled for rule in await stored_rules(session)}
    assert stored["user.crypto_custody"] is False
    with pytest.raises(ToolArgumentError, match="no rule with id 'nope'"):
        await set_rule_enabled(deps, "nope", True)
    with pytest.raises(ToolArgumentError):
        await add_rule(deps, "Broken", ["(unclosed"])
    with pytest.raises(ToolArgumentError, match="patterns is empty"):
        await add_rule(deps, "Nothing", [])


async def test_report_files_and_charts_are_recorded_as_artifacts(deps: ToolDeps) -> None:
    report = await build_report(deps)
    assert report.documents[0].compliance_score == (await check_compliance(
        deps, report.documents[0].document.document_id)).score
    assert sorted(Path(p).suffix for p in report.files) == [".html", ".md", ".pdf"]
    exists = [await asyncio.to_thread(os.path.isfile, p) for p in report.files]
    assert all(exists)
    kinds = [a.kind for a in deps.memo.artifacts]
    assert kinds.count("report") == 3 and "chart" in kinds
    assert "acme contract.pdf" in report.markdown


async def test_bound_tools_hide_deps_and_turn_bad_json_into_errors(deps: ToolDeps) -> None:
    tools: list[BaseTool[Any, Any]] = [
        bind_tool(tool, deps) for tool in (build_report, search_knowledge, get_findings)
    ]
    schemas = {tool.name: tool.schema for tool in tools}
    assert set(schemas) == {"build_report", "search_knowledge", "get_findings"}
    parameters = schemas["search_knowledge"]["parameters"]
    assert "deps" not in parameters["properties"] and parameters["required"] == ["query"]
    assert "never instructions" in schemas["search_knowledge"]["description"]

    workbench = StaticWorkbench(tools)
    token = CancellationToken()
    missing = await workbench.call_tool("search_knowledge", {}, token)
    assert missing.is_error and "query" in missing.to_text()
    wrong = await workbench.call_tool("search_knowledge", {"query": "x", "k": 99}, token)
    assert wrong.is_error and "k must be between 1 and 10" in wrong.to_text()
    right = await workbench.call_tool("search_knowledge", {"query": "Bank Melli"}, token)
    assert not right.is_error and json.loads(right.to_text())["passages"][0]["page"] == 2

"""A thread's team remembers across sessions, audits every message and tool call, records
model usage, refuses other users, stops cleanly, and is not steered by document text."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from agent_documents import cash_ledger, contract_pdf, injection_memo
from agent_turns import ask, doc_id
from autogen_agentchat.base import TaskResult
from autogen_agentchat.messages import TextMessage
from sqlalchemy import select

from agents.config import BrainConfig
from agents.errors import TeamError
from agents.events import RoutingEvent
from agents.session import TeamSession
from agents.store import audit_trail, usage_of
from knowledge.db.agent_models import TeamThreadState
from knowledge.library import KnowledgeBase
from quorum.settings import Settings

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def knowledge(
    tmp_path_factory: pytest.TempPathFactory, module_database_url: str
) -> AsyncIterator[KnowledgeBase]:
    """Team state, audit and usage on each SQL backend (the other agent tests use SQLite)."""
    data = tmp_path_factory.mktemp("sessions") / "data"
    settings = Settings(_env_file=None, data_dir=data, database_url=module_database_url)
    kb = await KnowledgeBase.open(settings.knowledge_config())
    yield kb
    await kb.close()


async def open_thread(knowledge: KnowledgeBase, owner: str, thread_id: str) -> TeamSession:
    return await TeamSession.open(
        thread_id=thread_id, owner=owner, knowledge=knowledge, brain=BrainConfig()
    )


async def test_state_is_saved_per_thread_and_restored_by_a_new_session(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    thread = uuid.uuid4().hex
    first = await open_thread(knowledge, owner, thread)
    checked = await ask(first, "check this", [contract_pdf(tmp_path), cash_ledger(tmp_path)])
    ledger = doc_id(checked, "cash_ledger.csv")
    await ask(first, "anything about Iran?")

    resumed = await open_thread(knowledge, owner, thread)  # as after a restart
    turn = await ask(resumed, "and the second file?")
    searched = [a for s, n, a in turn.calls if n == "search_knowledge"]
    assert searched and all(a["query"] == "anything about Iran?" for a in searched)
    assert all(ledger.startswith(a["document"]) for a in searched)

    async with knowledge.database.sessions() as session:
        record = await session.get(TeamThreadState, thread)
    assert record is not None and record.owner == owner and record.runs == 3
    assert record.brain == "offline:quorum-offline"


async def test_every_message_and_tool_call_is_audited_and_every_model_call_metered(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    thread = uuid.uuid4().hex
    session = await open_thread(knowledge, owner, thread)
    await ask(session, "check this", [contract_pdf(tmp_path)])

    trail = await audit_trail(knowledge.database.sessions, thread_id=thread, owner=owner)
    kinds = {record.kind for record in trail}
    assert {"message", "tool_call", "routing", "stop"} <= kinds
    [ingest] = [r for r in trail if r.tool_name == "ingest_file"]
    assert ingest.source == "ingestion" and ingest.arguments == {"filename": "acme_contract.pdf"}
    assert ingest.is_error is False and '"status": "ingested"' in (ingest.outcome or "")
    speakers = [r.source for r in trail if r.kind == "message" and r.source != "user"]
    assert speakers == ["ingestion", "compliance", "risk", "reporter"]
    assert trail[-1].kind == "stop" and trail[-1].content == "reporter closed the workflow"

    usage = await usage_of(knowledge.database.sessions, thread_id=thread, owner=owner)
    agents_metered = {u.agent for u in usage}
    assert {"ingestion", "compliance", "risk", "reporter"} <= agents_metered
    assert all(u.ok and u.prompt_tokens > 0 and u.provider == "offline" for u in usage)
    assert all(float(u.cost_usd) == 0.0 for u in usage)


async def test_a_thread_of_another_owner_is_refused(
    knowledge: KnowledgeBase, owner: str
) -> None:
    thread = uuid.uuid4().hex
    session = await open_thread(knowledge, owner, thread)
    await ask(session, "hello")
    with pytest.raises(TeamError, match="belongs to another user"):
        await open_thread(knowledge, "someone-else", thread)


async def test_stop_ends_the_run_after_the_current_turn_and_the_team_stays_usable(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    session = await open_thread(knowledge, owner, uuid.uuid4().hex)
    events = []
    async for event in session.run_stream("check this", attachments=[]):
        events.append(event)
        if isinstance(event, RoutingEvent):
            await session.stop()
    result = events[-1]
    assert isinstance(result, TaskResult) and result.stop_reason == "stopped by the analyst"
    spoken = [e.source for e in events if isinstance(e, TextMessage) and e.source != "user"]
    assert len(spoken) <= 1
    again = await ask(session, "hello")
    assert again.stop_reason == "reporter closed the workflow"


async def test_instructions_inside_a_document_change_nothing(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    session = await open_thread(knowledge, owner, uuid.uuid4().hex)
    await ask(session, "check this", [contract_pdf(tmp_path)])
    rules_before = await session.deps.rulebooks.current(owner=owner)

    turn = await ask(session, "check this", [injection_memo(tmp_path)])
    quoted = await ask(session, "what does the vendor memo say about the API key?")

    allowed = {"ingest_file", "list_documents", "search_knowledge", "check_compliance",
               "assess_risk", "build_report", "get_findings"}
    assert {name for _, name, _ in turn.calls + quoted.calls} <= allowed
    documents = await knowledge.list_documents(owner=owner)
    assert sorted(d.filename for d in documents) == ["acme_contract.pdf", "vendor_memo.txt"]
    assert await session.deps.rulebooks.current(owner=owner) == rules_before
    assert turn.stop_reason == quoted.stop_reason == "reporter closed the workflow"
    assert "vendor_memo.txt" in quoted.message("reporter")  # quoted as evidence, not obeyed
    async with knowledge.database.sessions() as db:
        assert (await db.scalars(select(TeamThreadState))).first() is not None

"""The same team driven by the real `openai` client (through autogen-ext) against a scripted
OpenAI-compatible server on 127.0.0.1: tool calls, streaming, retries after 429, a
malformed reply, llama.cpp's quirks, and endpoints that fail with a readable message."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest
from agent_documents import contract_pdf
from agent_turns import ask
from autogen_agentchat.messages import ModelClientStreamingChunkEvent
from openai_server import ScriptedServer

from agents.config import BrainConfig
from agents.session import TeamSession
from agents.store import usage_of
from knowledge.library import KnowledgeBase

pytestmark = pytest.mark.asyncio(loop_scope="module")


def brain(url: str, **overrides: object) -> BrainConfig:
    options: dict[str, object] = {
        "provider": "openai", "model": "local-model", "base_url": url, "api_key": "test-key",
        "max_retries": 2, "timeout_s": 60,
    }
    return BrainConfig(**{**options, **overrides})  # type: ignore[arg-type]


async def open_session(knowledge: KnowledgeBase, owner: str, config: BrainConfig) -> TeamSession:
    return await TeamSession.open(
        thread_id=uuid.uuid4().hex, owner=owner, knowledge=knowledge, brain=config
    )


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_analysis_runs_on_a_model_with_tool_calls_streaming_and_metered_usage(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    async with ScriptedServer(fail_first=1) as server:  # one 429, then the SDK retries
        session = await open_session(knowledge, owner, brain(server.url))
        turn = await ask(session, "check this", [contract_pdf(tmp_path)])

    assert turn.notices == []  # a model is configured: no offline notice
    assert turn.speakers == ["ingestion", "compliance", "risk", "reporter"]
    assert turn.tools_of("ingestion") == ["ingest_file"]
    assert turn.tools_of("compliance") == ["check_compliance"]
    assert turn.tools_of("risk") == ["assess_risk"]
    assert turn.tools_of("reporter") == ["build_report"]
    assert not any(is_error for _, _, is_error, _ in turn.results)
    assert any(isinstance(e, ModelClientStreamingChunkEvent) for e in turn.events)
    assert "acme_contract.pdf" in turn.message("reporter")
    assert server.statuses[0] == 429 and server.statuses.count(200) == len(server.bodies) - 1
    assert any(a.kind == "report" for a in turn.artifacts)

    usage = await usage_of(knowledge.database.sessions, thread_id=session.thread_id, owner=owner)
    assert {u.agent for u in usage} >= {"ingestion", "compliance", "risk", "reporter"}
    assert all(u.ok and u.provider == "openai" and u.model == "local-model" for u in usage)
    assert sum(u.prompt_tokens for u in usage) == 50 * len(usage)
    assert any(u.streamed for u in usage)


async def test_a_malformed_tool_call_is_an_error_the_agent_reads_and_retries(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    await knowledge.ingest([contract_pdf(tmp_path)], owner=owner)
    async with ScriptedServer(malformed_first_call=True) as server:
        session = await open_session(knowledge, owner, brain(server.url))
        turn = await ask(session, "anything about Iran?")

    assert turn.speakers == ["ingestion", "reporter"]
    ingestion = [(name, is_error) for source, name, is_error, _ in turn.results
                 if source == "ingestion"]
    assert ingestion[0] == ("search_knowledge", True)
    assert ("search_knowledge", False) in ingestion[1:]
    [(_, _, _, found)] = [r for r in turn.results if r[0] == "reporter"]
    assert '"page": 2' in found and "Bank Melli" in found
    assert "acme_contract.pdf" in turn.message("reporter")
    assert turn.stop_reason == "reporter closed the workflow"


async def test_a_llama_cpp_style_server_is_tolerated(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    async with ScriptedServer(llama_cpp=True) as server:
        session = await open_session(
            knowledge, owner, brain(server.url, stream_tool_calls=False)
        )
        turn = await ask(session, "check this", [contract_pdf(tmp_path)])

    assert turn.speakers == ["ingestion", "compliance", "risk", "reporter"]
    assert not any(is_error for _, _, is_error, _ in turn.results)
    assert set(server.statuses) == {200}
    assert not any(b.get("stream") and b.get("tools") for b in server.bodies)


@pytest.mark.parametrize(
    ("status", "words"),
    [(None, "cannot be reached"), (401, "refused the API key (401)"),
     (429, "rate-limiting requests (429)")],
)
async def test_a_failing_endpoint_ends_the_run_with_a_readable_message(
    knowledge: KnowledgeBase, owner: str, status: int | None, words: str
) -> None:
    if status is None:
        config = brain(f"http://127.0.0.1:{closed_port()}/v1", max_retries=0)
        session = await open_session(knowledge, owner, config)
        turn = await ask(session, "anything about Iran?")
    else:
        async with ScriptedServer(fail_first=100, fail_status=status) as server:
            session = await open_session(knowledge, owner, brain(server.url, max_retries=1))
            turn = await ask(session, "anything about Iran?")
    [notice] = [n for n in turn.notices if n.level == "error"]
    assert words in notice.content and "Traceback" not in notice.content
    assert turn.stop_reason.startswith("error: ") and words in turn.stop_reason
    assert session.last_outcome is not None and session.last_outcome.failed
    assert words in (session.last_outcome.error or "")
    usage = await usage_of(knowledge.database.sessions, thread_id=session.thread_id, owner=owner)
    assert usage and not usage[-1].ok and words in (usage[-1].error or "")


async def test_the_model_decides_each_turn_and_may_change_the_default_plan(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    async with ScriptedServer(selector_overrides={"risk": "reporter"}) as server:
        session = await open_session(knowledge, owner, brain(server.url))
        turn = await ask(session, "check this", [contract_pdf(tmp_path)])

    assert turn.speakers == ["ingestion", "compliance", "reporter"]  # the model skipped risk
    assert [r.decided_by for r in turn.routing] == ["model", "model", "model"]
    kept, _, changed = turn.routing
    assert kept.reason == (
        "the model kept the plan (1 file attached: take them in first): the plan fits the request"
    )
    assert changed.reason == (
        "the model chose reporter (plan: risk): the analyst only asked for the findings"
    )
    prompts = [str(b["messages"]) for b in server.bodies if "plan for this request" in str(b)]
    assert len(prompts) == 3


async def test_a_quote_the_model_invented_is_removed_and_the_answer_says_so(
    knowledge: KnowledgeBase, owner: str, tmp_path: Path
) -> None:
    await knowledge.ingest([contract_pdf(tmp_path)], owner=owner)
    real = "Settlement of invoices will be wired to the Supplier's account at Bank Melli"
    invented = "The Supplier guarantees a 12% annual return to the Customer."
    text = (
        f"Payments go to Iran: “{real}” (acme_contract.pdf, p. 2). "
        f"Also: “{invented}” (acme_contract.pdf, p. 2)."
    )
    async with ScriptedServer(reporter_text=text) as server:
        session = await open_session(knowledge, owner, brain(server.url))
        turn = await ask(session, "anything about Iran?")

    answer = turn.message("reporter")
    assert f"“{real}” (acme_contract.pdf, p. 2)" in answer
    assert invented not in answer
    assert "[quote removed: not found on the cited page]" in answer
    assert "1 quote was not found word for word on the cited page" in answer

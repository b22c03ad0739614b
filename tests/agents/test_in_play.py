"""The documents a run is about are the ones its tools' typed results acted on, read back as
the models the tools declared; labels in the agents' prose no longer decide the scope."""

from __future__ import annotations

from typing import Any, cast

from autogen_agentchat.messages import BaseAgentEvent, BaseChatMessage, TextMessage
from autogen_agentchat.messages import ToolCallExecutionEvent as Executed
from autogen_core import FunctionCall
from autogen_core.models import (
    FunctionExecutionResult,
    LLMMessage,
    UserMessage,
)
from pydantic import TypeAdapter

from agents.in_play import DocumentsInPlay, documents_by_run, result_readers
from agents.intent_model import IntentReading
from agents.intents import Request, Workflow
from agents.offline import OfflineChatClient
from agents.offline.conversation import Conversation
from agents.offline.scope import resolve_scope
from tools.agent_tools import (
    ComplianceResult,
    DocumentList,
    DocumentRef,
    IngestedFile,
    ToolDeps,
    bind_tool,
    check_compliance,
    ingest_file,
    list_documents,
)
from tools.agent_tools.models import ActsOnDocuments

ACME = DocumentRef(document_id="a1" * 16, filename="acme.pdf", pages=2)
BETA = DocumentRef(document_id="b2" * 16, filename="beta.csv")
Thread = list[BaseAgentEvent | BaseChatMessage]


UNUSED = cast(ToolDeps, object())  # the tools are bound but never called here


def _readers() -> dict[str, TypeAdapter[Any]]:
    tools = (ingest_file, list_documents, check_compliance)
    return result_readers(bind_tool(f, UNUSED) for f in tools)


def _result(name: str, content: str, *, error: bool = False) -> FunctionExecutionResult:
    return FunctionExecutionResult(content=content, name=name, call_id="c", is_error=error)


def _task(text: str) -> TextMessage:
    return TextMessage(content=text, source="user")


def test_each_run_holds_the_documents_its_tool_results_acted_on() -> None:
    ingested = IngestedFile(filename="acme.pdf", status="ingested", document=ACME)
    listing = DocumentList(documents=[ACME, BETA])
    checked = ComplianceResult(document=BETA, score=90, status="compliant", findings=[])
    thread: Thread = [
        _task("check acme.pdf"),
        Executed(source="ingestion", content=[_result("ingest_file", ingested.model_dump_json())]),
        TextMessage(content="beta.csv (doc b2b2b2b2) is mentioned, not acted on", source="risk"),
        _task("what do we have?"),
        Executed(
            source="ingestion", content=[_result("list_documents", listing.model_dump_json())]
        ),
        _task("and check beta"),
        Executed(
            source="compliance",
            content=[
                _result("check_compliance", checked.model_dump_json()),
                _result("check_compliance", "no document matches 'gamma'", error=True),
                _result("unknown_tool", ingested.model_dump_json()),
            ],
        ),
    ]
    runs = documents_by_run(thread, _readers())
    assert [[ref.filename for ref in run] for run in runs] == [["acme.pdf"], [], ["beta.csv"]]
    assert isinstance(checked, ActsOnDocuments)
    assert listing.documents and not isinstance(listing, ActsOnDocuments)


async def test_the_offline_engine_scopes_from_the_state_not_from_labels() -> None:
    in_play = DocumentsInPlay()
    compliance = OfflineChatClient().for_role("compliance", in_play=in_play)
    messages: list[LLMMessage] = [
        UserMessage(content="check the contract", source="user"),
        UserMessage(content="In scope: **beta.csv** (doc b2b2b2b2)", source="ingestion"),
    ]
    tools = [bind_tool(check_compliance, UNUSED)]
    unscoped = await compliance.create(messages, tools=tools)
    assert isinstance(unscoped.content, str) and "nothing to check" in unscoped.content

    in_play.runs = [[ACME]]
    scoped = await compliance.create(messages, tools=tools)
    assert isinstance(scoped.content, list)
    assert [call.arguments for call in scoped.content if isinstance(call, FunctionCall)] == [
        '{"document": "a1a1a1a1"}'
    ]


def _request(text: str, workflow: Workflow) -> Request:
    reading = IntentReading(intent="question", confidence=1.0, ranked=(), explicit=True)
    return Request(text=text, attachments=(), workflow=workflow, reading=reading)


def test_the_third_file_after_a_listing_is_the_listings_third() -> None:
    library = [{"document_id": f"{n}" * 32, "filename": f"file{n}.pdf"} for n in (1, 2, 3)]
    acted_on_earlier = [[library[1]["document_id"][:8]], []]
    conversation = Conversation(
        role="ingestion",
        requests=[_request("what is in my library?", "library_list"), _request("", "analyse")],
        said=[],
        turn=[],
        tools=frozenset(),
        may_call_tools=False,
        in_play=acted_on_earlier,
        documents={library[1]["document_id"][:8]: "file2.pdf"},
    )
    conversation.requests[-1] = _request("check the third one", "analyse")
    assert [d["filename"] for d in resolve_scope(conversation, library)] == ["file3.pdf"]
    conversation.requests[0] = _request("check file2", "analyse")
    assert resolve_scope(conversation, library) == []  # the thread knows one document only

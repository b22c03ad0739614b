"""After a load run: did everything that was sent land, and only where it belongs?

Counts in SQL and LanceDB against what the analysts sent and were shown: each analyst's
two documents ready with every chunk embedded, one thread each, every step their socket
received saved in that thread, each checked document's findings saved as shown; and no
analyst's socket received another analyst's party names or thread.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from benchmarks.load_analyst import TimedClient, Workload, messages, tool_outputs
from knowledge.db.chat_models import ChatElement, ChatStep, ChatThread
from knowledge.library import KnowledgeBase
from tools.compliance.store import latest_assessment

STEPS_LAND_WITHIN_S = 30.0  # Chainlit saves steps in background tasks


@dataclass
class Completeness:
    """What was checked, and every problem found (empty when all landed)."""

    documents: int = 0
    threads: int = 0
    steps: int = 0
    elements: int = 0
    findings: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.problems


async def check_completeness(
    knowledge: KnowledgeBase, work: Sequence[Workload], clients: Sequence[TimedClient]
) -> Completeness:
    result = Completeness()
    for workload, client in zip(work, clients, strict=True):
        await _documents(knowledge, workload, result)
        await _thread_and_steps(knowledge, workload, client, result)
        await _elements(knowledge, client, workload, result)
        await _findings(knowledge, workload, client, result)
    _no_cross_delivery(work, clients, result)
    return result


async def _documents(knowledge: KnowledgeBase, work: Workload, result: Completeness) -> None:
    documents = await knowledge.list_documents(owner=work.user)
    names = sorted(d.filename for d in documents)
    if names != sorted([work.filing.name, work.ledger.name]):
        result.problems.append(f"{work.user}: documents {names}")
    for document in documents:
        chunks, vectors = await asyncio.to_thread(knowledge.store.count, document.document_id)
        if document.status != "ready" or not chunks == vectors == document.chunks > 0:
            result.problems.append(
                f"{work.user}: {document.filename} {document.status}, {document.chunks} chunks "
                f"in SQL, {chunks} in LanceDB, {vectors} vectors"
            )
        result.documents += 1


async def _thread_and_steps(
    knowledge: KnowledgeBase, work: Workload, client: TimedClient, result: Completeness
) -> None:
    async with knowledge.database.sessions() as session:
        threads = list(
            await session.scalars(
                select(ChatThread.id).where(ChatThread.user_identifier == work.user)
            )
        )
    if threads != [client.thread_id]:
        result.problems.append(f"{work.user}: threads {threads}, socket saw {client.thread_id}")
        return
    result.threads += 1
    shown = {i for i, s in messages(client.events).items() if s.get("threadId") == threads[0]}
    deadline = time.monotonic() + STEPS_LAND_WITHIN_S
    while True:
        async with knowledge.database.sessions() as session:
            saved = set(
                await session.scalars(select(ChatStep.id).where(ChatStep.thread_id == threads[0]))
            )
        if shown <= saved or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    if missing := shown - saved:
        result.problems.append(f"{work.user}: {len(missing)} of {len(shown)} steps not saved")
    result.steps += len(shown & saved)


async def _elements(
    knowledge: KnowledgeBase, client: TimedClient, work: Workload, result: Completeness
) -> None:
    """Every file, PDF page and chart the socket was shown is saved with the thread."""
    shown = {
        str(p["id"]) for name, p in client.events
        if name == "element" and isinstance(p, dict) and p.get("threadId") == client.thread_id
        and p.get("forId") and p.get("type") != "tasklist"
    }  # fmt: skip
    async with knowledge.database.sessions() as session:
        saved = set(
            await session.scalars(
                select(ChatElement.id).where(ChatElement.thread_id == client.thread_id)
            )
        )
    if missing := shown - saved:
        result.problems.append(f"{work.user}: {len(missing)} of {len(shown)} elements not saved")
    result.elements += len(shown & saved)


async def _findings(
    knowledge: KnowledgeBase, work: Workload, client: TimedClient, result: Completeness
) -> None:
    checked = [o for o in tool_outputs(client, "check_compliance") if isinstance(o, dict)]
    if not checked:
        result.problems.append(f"{work.user}: no compliance check was shown")
    for output in checked:
        document_id = output["document"]["document_id"]
        async with knowledge.database.sessions() as session:
            saved = await latest_assessment(session, document_id)
        shown = len(output.get("findings", []))
        if saved is None or len(saved.findings) != shown:
            count = None if saved is None else len(saved.findings)
            result.problems.append(f"{work.user}: {shown} findings shown, {count} saved")
        else:
            result.findings += shown


def _no_cross_delivery(
    work: Sequence[Workload], clients: Sequence[TimedClient], result: Completeness
) -> None:
    """No analyst's socket carried another's party name or a step of another's thread."""
    own_threads = {client.thread_id for client in clients}
    for workload, client in zip(work, clients, strict=True):
        received = json.dumps(client.events, default=str).lower()
        for other in work:
            if other.user != workload.user and other.marker.lower() in received:
                result.problems.append(f"{workload.user} received {other.user}'s ledger")
        foreign = {
            s.get("threadId")
            for s in messages(client.events).values()
            if s.get("threadId") not in (None, "", client.thread_id)
        }
        if foreign & own_threads:
            result.problems.append(f"{workload.user} received steps of another analyst's thread")


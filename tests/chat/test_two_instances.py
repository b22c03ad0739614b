"""Two `quorum serve` on one PostgreSQL database and one data dir, as a team would run them
behind a load balancer: what one takes in the other finds, checks and resumes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from chat_harness import ChatClient, Server, messages, run_finished, running_server

from benchmarks.postgres_server import PostgresServer

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

RUN_TIMEOUT_S = 240
CSV = "text/csv"


@pytest.fixture(scope="module")
def database(postgres_server: PostgresServer) -> Iterator[str]:
    """An empty database: the first server to start migrates it."""
    name = asyncio.run(postgres_server.create_database(prefix="serve"))
    yield name
    asyncio.run(postgres_server.drop_database(name))


@pytest.fixture(scope="module")
def servers(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: PostgresServer, database: str
) -> Iterator[tuple[Server, Server]]:
    """Both started at the same moment on a fresh database and data dir: they agree on the
    schema (one migrates), the login secret and the index without stepping on each other."""
    data = tmp_path_factory.mktemp("shared") / "data"
    url = postgres_server.url(database)
    managers = [running_server(data, database_url=url) for _ in range(2)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        starting = [pool.submit(manager.__enter__) for manager in managers]
        wait(starting)
    try:
        first, second = (future.result() for future in starting)
        yield first, second
    finally:
        for manager, future in zip(managers, starting, strict=True):
            if future.exception() is None:
                manager.__exit__(None, None, None)


async def sql(server: PostgresServer, database: str, query: str) -> list[tuple[Any, ...]]:
    connection = await asyncpg.connect(server.dsn(database))
    try:
        return [tuple(row) for row in await connection.fetch(query)]
    finally:
        await connection.close()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield session


async def open_chat(
    server: Server, http: aiohttp.ClientSession, resume: str | None = None
) -> ChatClient:
    chat = ChatClient(server, http)
    await chat.login_local()
    await chat.connect(resume_thread=resume)
    return chat


async def say(
    chat: ChatClient, text: str, files: list[tuple[Path, str]] | None = None
) -> list[dict[str, Any]]:
    """Send a message and wait for its run; the agents' messages it produced."""
    mark = len(chat.events)
    await chat.send(text, files=files or [])
    await chat.wait_for(run_finished(mark), RUN_TIMEOUT_S)
    steps = messages(chat.events[mark:]).values()
    return [s for s in steps if s.get("type") == "assistant_message"]


async def test_a_file_taken_in_by_one_is_searchable_and_checkable_on_the_other(
    servers: tuple[Server, Server], http: aiohttp.ClientSession, cash_ledger: Path
) -> None:
    first, second = servers
    uploader = await open_chat(first, http)
    try:
        said = await say(uploader, "Analyse this ledger.", files=[(cash_ledger, CSV)])
        assert any("✓ added" in m["output"] for m in said)
    finally:
        await uploader.close()

    reader = await open_chat(second, http)
    try:
        answers = await say(reader, "Where do our documents mention Harbor Imports cash deposits?")
        cited = " ".join(m["output"] for m in answers if m["name"] in ("ingestion", "reporter"))
        assert "branch\\_cash\\_ledger" in cited or "branch_cash_ledger" in cited, cited
        checked = await say(reader, "Check branch_cash_ledger.csv against the rulebook.")
        names = [m["name"] for m in checked]
        assert "compliance" in names, names
        findings = " ".join(m["output"] for m in checked if m["name"] == "compliance")
        assert "structuring" in findings.lower() or "threshold" in findings.lower(), findings
    finally:
        await reader.close()


async def test_a_thread_started_on_one_resumes_on_the_other_with_its_team_state(
    servers: tuple[Server, Server],
    http: aiohttp.ClientSession,
    cash_ledger: Path,
    postgres_server: PostgresServer,
    database: str,
) -> None:
    first, second = servers
    starter = await open_chat(first, http)
    try:
        await say(starter, "Analyse this ledger.", files=[(cash_ledger, CSV)])
        thread_id = starter.thread_id
        assert thread_id
    finally:
        await starter.close()

    resumed = await open_chat(second, http, resume=thread_id)
    try:
        await resumed.wait_for(lambda events: any(n == "resume_thread" for n, _ in events), 30)
        thread = next(p for n, p in resumed.events if n == "resume_thread")
        assert thread["id"] == thread_id
        assert {"compliance", "reporter"} <= {s["name"] for s in thread["steps"]}
        resumed.thread_id = thread_id
        follow_up = await say(resumed, "What did the report find?")
        reporter = [m for m in follow_up if m["name"] == "reporter"]
        assert reporter and reporter[-1]["output"].strip()
    finally:
        await resumed.close()
    state = await sql(
        postgres_server,
        database,
        f"SELECT owner, runs FROM team_states WHERE thread_id = '{thread_id}'",
    )
    assert state == [("local", 2)]  # the second server continued the first one's team

"""Password login: each user sees only their own threads, files and documents."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
import socketio
from chat_harness import ChatClient, Server, run_finished, running_server

from chat.passwords import hash_password

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

USERS = {"alice": "alice-pw-1", "bob": "bob-pw-2"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    users = {name: hash_password(pw, iterations=1_000) for name, pw in USERS.items()}
    data = tmp_path_factory.mktemp("login") / "data"
    with running_server(data, auth="password", users=json.dumps(users)) as running:
        yield running


def one(server: Server, query: str) -> tuple[object, ...]:
    with sqlite3.connect(server.data_dir / "quorum.sqlite3") as connection:
        row = connection.execute(query).fetchone()
    assert row is not None, query
    return tuple(row)


async def status_of(http: aiohttp.ClientSession, method: str, url: str, **kw: object) -> int:
    async with http.request(method, url, **kw) as response:  # type: ignore[arg-type]
        await response.read()
        return response.status


async def test_a_wrong_password_is_refused(server: Server) -> None:
    async with aiohttp.ClientSession() as http:
        chat = ChatClient(server, http)
        assert await chat.login_password("bob", "not-bobs") == 401
        assert await chat.login_password("mallory", "x") == 401


async def test_one_user_cannot_see_another_users_thread_files_or_documents(
    server: Server, cash_ledger: Path
) -> None:
    base = server.base_url
    async with (
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as alice_http,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as bob_http,
    ):
        alice = ChatClient(server, alice_http)
        assert await alice.login_password("alice", USERS["alice"]) == 200
        await alice.connect()
        mark = len(alice.events)
        await alice.send("Analyse this ledger.", files=[(cash_ledger, "text/csv")])
        await alice.wait_for(run_finished(mark), 240)
        await alice.close()
        thread_id = alice.thread_id
        assert thread_id
        element_id, object_key = one(
            server,
            f'SELECT id, "objectKey" FROM elements WHERE "threadId" = \'{thread_id}\' '
            "AND name = 'branch_cash_ledger.csv'",
        )
        (document_id,) = one(server, "SELECT id FROM documents WHERE owner = 'alice'")

        bob = ChatClient(server, bob_http)
        assert await bob.login_password("bob", USERS["bob"]) == 200
        thread_url = f"{base}/project/thread/{thread_id}"
        assert await status_of(alice_http, "GET", thread_url) == 200
        assert await status_of(bob_http, "GET", thread_url) in (401, 403, 404)
        element_url = f"{thread_url}/element/{element_id}"
        assert await status_of(bob_http, "GET", element_url) in (401, 403, 404)
        async with bob_http.post(
            f"{base}/project/threads", json={"pagination": {"first": 20}, "filter": {}}
        ) as response:
            assert response.status == 200
            assert (await response.json())["data"] == []

        file_url = f"{base}/quorum/files/{object_key}"
        assert await status_of(alice_http, "GET", file_url) == 200
        assert await status_of(bob_http, "GET", file_url) == 404
        original = f"{base}/quorum/documents/{document_id}/original"
        assert await status_of(alice_http, "GET", original) == 200
        assert await status_of(bob_http, "GET", original) == 404
        async with aiohttp.ClientSession() as anonymous:
            assert await status_of(anonymous, "GET", file_url) == 401

        with pytest.raises(socketio.exceptions.ConnectionError):
            await bob.connect(resume_thread=thread_id)

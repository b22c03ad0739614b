"""The analyst's review in the real chat, over HTTP and socket.io like the browser: triage a
finding, see the score change, re-analyse and find the decision carried, approve and fetch
the signed file; guarded rule changes declined, refused for a role, and resumed later."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from chat_harness import ChatClient, Server, messages, run_finished, running_server

from chat.passwords import hash_password

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

RUN_TIMEOUT_S = 240
CSV = "text/csv"
GUARDED_RULE = "privacy.unmasked_ssn"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("review") / "data") as running:
        yield running



def rows(server: Server, query: str, *args: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(server.data_dir / "quorum.sqlite3") as connection:
        return connection.execute(query, args).fetchall()


def said(client: ChatClient, mark: int) -> list[str]:
    return [m.get("output") or "" for m in messages(client.events[mark:]).values()]


async def wait_said(client: ChatClient, mark: int, pattern: str) -> str:
    """The first message since `mark` that matches `pattern` (waits for it)."""
    found = re.compile(pattern)
    await client.wait_for(lambda _: any(found.search(t) for t in said(client, mark)), 120)
    return next(t for t in said(client, mark) if found.search(t))


async def button(
    client: ChatClient, mark: int, name: str, wanted: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """The last button called `name` since `mark` that is `wanted` (buttons arrive one by
    one after their message: wait for it)."""

    def found() -> list[dict[str, Any]]:
        return [a for a in client.actions(mark, name) if wanted(a)]

    await client.wait_for(lambda _: bool(found()), 30)
    return found()[-1]


def anything(_: dict[str, Any]) -> bool:
    return True


async def analyse(client: ChatClient, ledger: Path) -> int:
    mark = len(client.events)
    await client.send("Analyse this file.", files=[(ledger, CSV)])
    await client.wait_for(run_finished(mark), RUN_TIMEOUT_S)
    await wait_said(client, mark, r"Review a finding")
    return mark


def rule_of(server: Server, finding_id: int) -> str:
    return str(rows(server, "SELECT rule_id FROM findings WHERE id = ?", finding_id)[0][0])


async def test_dismiss_rescore_reanalyse_carry_then_approve_and_fetch_the_signed_file(
    client: ChatClient, server: Server, cash_ledger: Path
) -> None:
    mark = await analyse(client, cash_ledger)
    table = await wait_said(client, mark, r"Review a finding")
    assert "| decision |" in table and "| open |" in table
    sanctions = await button(
        client, mark, "quorum_review",
        lambda a: rule_of(server, a["payload"]["finding_id"]).startswith("sanctions"),
    )  # fmt: skip
    before = len(client.events)
    await client.press(sanctions)
    await wait_said(client, before, r"Pick a decision below")
    dismiss = await button(
        client, before, "quorum_decide",
        lambda a: a["label"] == "Dismiss: policy text, not a transaction",
    )  # fmt: skip
    before = len(client.events)
    await client.press(dismiss)
    decided = await wait_said(client, before, r"after review")
    scores = re.search(r"compliance (\d+) → (\d+) after review", decided)
    assert scores and int(scores.group(2)) > int(scores.group(1)), decided
    assert "dismissed by local: policy text, not a transaction" in decided
    stored = rows(server, "SELECT decision, reason, decided_by, evidence_hash, channel "
                          "FROM finding_decisions")  # fmt: skip
    assert stored[-1][:3] == ("dismissed", "policy text, not a transaction", "local")
    assert len(stored[-1][3]) == 64 and stored[-1][4] == "chat"

    again = await analyse(client, cash_ledger)
    table = await wait_said(client, again, r"Review a finding")
    assert r"dismissed by local: policy text, not a transaction \(carried over\)" in table
    assert "1 decision carried over" in table and " → " in table

    before = len(client.events)
    await client.press(await button(client, again, "quorum_approve", anything))
    await wait_said(client, before, r"Approve “")
    confirm = await button(client, before, "quorum_approve_confirm", anything)
    before = len(client.events)
    await client.press(confirm)
    await wait_said(client, before, r"\*\*Approved\*\*: approved by local")
    await client.wait_for(
        lambda events: any(n == "element" and p["name"].endswith(".html")
                           for n, p in events[before:]), 30,
    )  # fmt: skip
    signed = next(p for n, p in client.events[before:] if n == "element"
                  and p["name"].endswith(".html"))  # fmt: skip
    assert "-approved-" in signed["name"]
    html = await client.element_text(signed)
    assert "Sign-off" in html and "Approved by" in html and 'class="watermark"' not in html
    assert confirm["payload"]["content_hash"] in html
    assert rows(server, "SELECT approved_by FROM report_signoffs") == [("local",)]


async def ask_for_change(client: ChatClient, text: str) -> int:
    mark = len(client.events)
    await client.send(text)
    await client.wait_for(run_finished(mark), RUN_TIMEOUT_S)
    return mark


async def test_a_guarded_rule_change_the_analyst_declines_changes_nothing(
    client: ChatClient, server: Server
) -> None:
    mark = await ask_for_change(client, f"disable rule {GUARDED_RULE}")
    await wait_said(client, mark, r"waits for your confirmation")
    decline = await button(client, mark, "quorum_guard", lambda a: not a["payload"]["confirm"])
    before = len(client.events)
    await client.press(decline)
    await wait_said(client, before, r"was declined by local")
    assert rows(server, "SELECT enabled FROM rules WHERE id = ?", GUARDED_RULE) == [(1,)]
    request = rows(server, "SELECT status, decided_by, action FROM action_requests "
                           "WHERE id = ?", decline["payload"]["request_id"])  # fmt: skip
    assert request == [("declined", "local", "rule.disable")]


async def test_a_thread_left_waiting_resumes_and_the_confirmation_runs_the_change(
    client: ChatClient, server: Server
) -> None:
    mark = await ask_for_change(client, f"disable rule {GUARDED_RULE}")
    await wait_said(client, mark, r"waits for your confirmation")
    thread_id = client.thread_id
    assert thread_id
    await client.close()

    resumed = ChatClient(server, client.http)
    await resumed.connect(resume_thread=thread_id)
    try:
        resumed.thread_id = thread_id
        await wait_said(resumed, 0, r"Waiting for your confirmation")
        confirm = await button(resumed, 0, "quorum_guard", lambda a: a["payload"]["confirm"])
        before = len(resumed.events)
        await resumed.press(confirm)
        done = await wait_said(resumed, before, r"Done: rule")
        assert f"rule {GUARDED_RULE} disabled" in done and "confirmed by local" in done
        assert rows(server, "SELECT enabled FROM rules WHERE id = ?", GUARDED_RULE) == [(0,)]
        assert rows(server, "SELECT status, decided_by FROM action_requests WHERE id = ?",
                    confirm["payload"]["request_id"]) == [("executed", "local")]  # fmt: skip
    finally:
        await resumed.close()


USERS = {"alice": "alice-pw-1", "rita": "rita-pw-2"}


@pytest.fixture(scope="module")
def team_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    users = {name: hash_password(pw, iterations=1_000) for name, pw in USERS.items()}
    data = tmp_path_factory.mktemp("roles") / "data"
    roles = {"alice": "analyst", "rita": "reviewer"}
    with running_server(data, auth="password", users=json.dumps(users),
                        roles=json.dumps(roles)) as running:  # fmt: skip
        yield running


async def test_a_reviewer_only_change_is_refused_for_an_analyst(team_server: Server) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        alice = ChatClient(team_server, http)
        assert await alice.login_password("alice", USERS["alice"]) == 200
        await alice.connect()
        try:
            mark = await ask_for_change(alice, f"disable rule {GUARDED_RULE}")
            refused = await wait_said(alice, mark, r"needs the")
            assert "alice is an analyst" in refused and "reviewer" in refused
            assert alice.actions(0, "quorum_guard") == []
        finally:
            await alice.close()
    assert rows(team_server, "SELECT enabled FROM rules WHERE id = ?", GUARDED_RULE) == [(1,)]
    assert rows(team_server, "SELECT status, requested_by FROM action_requests") == [
        ("refused", "alice")
    ]

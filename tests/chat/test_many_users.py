"""Several analysts on one `quorum serve` at once: a long upload and run of one user
neither blocks nor leaks into the others' chats."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from chat_harness import ChatClient, Server, messages, run_finished, running_server
from fpdf import FPDF

from chat.passwords import hash_password

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

USERS = {"alice": "alice-pw-1", "bob": "bob-pw-2", "carol": "carol-pw-3"}
RUN_TIMEOUT_S = 300
# The promise to a second analyst: her first agent message comes within this, whatever
# the others are doing. Generous on purpose (a shared 2-core CI machine); the load
# benchmark measures the real figures (p95 well under 3 s).
FIRST_MESSAGE_BOUND_S = 10.0
AGENTS = {"ingestion", "compliance", "risk", "reporter", "advocate", "skeptic", "judge"}


def long_filing(path: Path, pages: int = 80) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=9)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.multi_cell(
            0,
            4,
            f"Item {number}. Segment results of the industrial division for the quarter. "
            + "Net sales, operating income, capital expenditure and working capital. " * 30,
        )
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    users = {name: hash_password(pw, iterations=1_000) for name, pw in USERS.items()}
    data = tmp_path_factory.mktemp("many") / "data"
    with running_server(data, auth="password", users=json.dumps(users)) as running:
        yield running


@pytest.fixture
async def chats(server: Server) -> AsyncIterator[dict[str, ChatClient]]:
    sessions = {
        name: aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) for name in USERS
    }
    clients = {name: ChatClient(server, http) for name, http in sessions.items()}
    try:
        for name, chat in clients.items():
            assert await chat.login_password(name, USERS[name]) == 200
            await chat.connect()
        yield clients
    finally:
        for name, chat in clients.items():
            await chat.close()
            await sessions[name].close()


def said(events: list[tuple[str, Any]], mark: int = 0) -> list[dict[str, Any]]:
    steps = messages(events[mark:]).values()
    return [s for s in steps if s.get("type") == "assistant_message"]


def board(events: list[tuple[str, Any]], mark: int) -> str:
    """The latest text of this message's upload board."""
    boards = [m["output"] for m in said(events, mark) if m["output"].startswith("Files attached")]
    return boards[-1] if boards else ""


def first_team_turn_before_indexed(events: list[tuple[str, Any]], mark: int) -> bool:
    """The team's first message came while the board still showed the embedding going on."""
    board_id, embedding = None, False
    for name, payload in events[mark:]:
        if name not in ("new_message", "update_message") or not isinstance(payload, dict):
            continue
        output = str(payload.get("output", ""))
        if output.startswith("Files attached"):
            board_id, embedding = payload["id"], "embedding" in output or "indexing" in output
        elif payload.get("name") in AGENTS and payload["id"] != board_id and name == "new_message":
            return embedding
    return False


async def test_one_users_long_run_neither_blocks_nor_reaches_the_others(
    chats: dict[str, ChatClient], tmp_path: Path, cash_ledger: Path
) -> None:
    alice, bob, carol = chats["alice"], chats["bob"], chats["carol"]
    filing = long_filing(tmp_path / "industrial_10k.pdf")
    alice_mark = len(alice.events)
    await alice.send("Analyse this filing.", files=[(filing, "application/pdf")])
    await alice.wait_for(lambda events: "reading" in board(events, alice_mark), 60)

    bob_mark = len(bob.events)  # a second upload while the first is going in
    await bob.send("Analyse this ledger.", files=[(cash_ledger, "text/csv")])
    await bob.wait_for(lambda events: "✓ added" in board(events, bob_mark), RUN_TIMEOUT_S)
    bob_lines = [m["output"] for m in said(bob.events, bob_mark) if "Files attached" in m["output"]]
    assert all("industrial" not in line for line in bob_lines)  # his board, his file only

    carol_mark = len(carol.events)  # a question while alice's run is still going
    asked = time.monotonic()
    await carol.send("Where do our documents mention cash deposits?")
    await carol.wait_for(
        lambda events: any(m["name"] in AGENTS for m in said(events, carol_mark)),
        RUN_TIMEOUT_S,
    )
    first_message_s = time.monotonic() - asked
    assert not run_finished(alice_mark)(alice.events), "alice's run ended too soon to tell"
    assert first_message_s < FIRST_MESSAGE_BOUND_S

    await bob.wait_for(run_finished(bob_mark), RUN_TIMEOUT_S)
    await alice.wait_for(run_finished(alice_mark), RUN_TIMEOUT_S)
    assert first_team_turn_before_indexed(alice.events, alice_mark), "the team waited for vectors"
    mark = len(alice.events)  # a question waits for her filing's index (if still going)
    await alice.send("Where does the filing discuss working capital?")
    await alice.wait_for(run_finished(mark), RUN_TIMEOUT_S)
    assert "✓ added" in board(alice.events, alice_mark)
    assert "indexing" not in board(alice.events, alice_mark)
    reporters = [m for m in said(alice.events, alice_mark) if m["name"] == "reporter"]
    assert reporters, "alice's analysis reached the report"

    seen = {name: json.dumps(chat.events, default=str) for name, chat in chats.items()}
    assert "industrial" in seen["alice"].lower() and "harbor imports" in seen["bob"].lower()
    assert "industrial" not in (seen["bob"] + seen["carol"]).lower()  # alice's file and text
    assert "harbor imports" not in (seen["alice"] + seen["carol"]).lower()  # bob's ledger
    threads = {chat.thread_id for chat in chats.values()}
    assert len(threads) == 3 and None not in threads

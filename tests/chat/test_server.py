"""The real chat server driven like the browser drives it, over HTTP and socket.io.

One server (local mode, offline engine) is shared by the tests of this module; each test
opens its own session and thread.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from chat_harness import (
    ChatClient,
    Server,
    free_port,
    messages,
    run_finished,
    running_server,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

RUN_TIMEOUT_S = 240
PDF = "application/pdf"
CSV = "text/csv"
AGENTS = ("ingestion", "compliance", "risk", "reporter")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("chat") / "data") as running:
        yield running


def ended_after(mark: int) -> Any:
    return run_finished(mark)


def authored(events: list[tuple[str, Any]], mark: int = 0) -> list[dict[str, Any]]:
    return [
        step for step in messages(events[mark:]).values() if step.get("type") == "assistant_message"
    ]


def elements(events: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    return [payload for name, payload in events if name == "element"]


def rows(server: Server, query: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(server.data_dir / "quorum.sqlite3") as connection:
        return connection.execute(query).fetchall()


async def test_an_analysis_run_shows_every_agent_tool_steps_report_and_chart(
    client: ChatClient, server: Server, filing_pdf: Path, cash_ledger: Path
) -> None:
    mark = len(client.events)
    await client.send("Analyse these files.", files=[(filing_pdf, PDF), (cash_ledger, CSV)])
    await client.wait_for(ended_after(mark), RUN_TIMEOUT_S)
    steps = messages(client.events[mark:])
    said = authored(client.events, mark)
    order = [m["name"] for m in said if m["name"] in AGENTS]
    for agent in AGENTS:
        assert agent in order, f"{agent} never spoke: {order}"
    assert order.index("ingestion") < order.index("compliance") < order.index("risk")
    assert order.index("risk") < order.index("reporter")
    empty = [m["name"] for m in said if m["name"] in AGENTS and not m["output"].strip()]
    assert not empty, f"an agent's message was shown empty: {empty}"
    routing = [m["output"] for m in said if m["name"] == "manager"]
    assert any(text.startswith("→ ") for text in routing)
    upload_board = next(m for m in said if m["output"].startswith("Files attached"))
    assert "brightline\\_letter\\_q2\\.pdf" in upload_board["output"]
    assert upload_board["output"].count("✓") == 2

    tools = [s for s in steps.values() if s.get("type") == "tool"]
    assert tools, "no tool step was shown"
    parents = {s["id"] for s in said}
    assert all(t.get("parentId") in parents for t in tools)
    assert all(t.get("input") and t.get("output") for t in tools)

    shown = elements(client.events[mark:])
    names = {e["name"] for e in shown}
    assert {".html", ".pdf", ".md"} <= {Path(n).suffix for n in names if e_is_file(shown, n)}
    assert any(e["type"] == "plotly" for e in shown)
    assert any(e["type"] == "tasklist" for e in shown)
    assert all("<img" not in m["output"] for m in said)

    thread_id = client.thread_id
    assert thread_id
    assert rows(server, f"SELECT COUNT(*) FROM steps WHERE \"threadId\" = '{thread_id}'")[0][0] > 5
    query = f'SELECT name, "objectKey" FROM elements WHERE "threadId" = \'{thread_id}\''
    # Chainlit persists elements in background tasks: give the last ones time to land.
    deadline = asyncio.get_running_loop().time() + 30
    while not any(name.endswith(".html") and key for name, key in rows(server, query)):
        assert asyncio.get_running_loop().time() < deadline, rows(server, query)
        await asyncio.sleep(0.25)
    empty_query = (
        f"SELECT name FROM steps WHERE \"threadId\" = '{thread_id}' "
        "AND type = 'assistant_message' AND COALESCE(output, '') = ''"
    )
    assert rows(server, empty_query) == [], "an agent's message was stored empty"


async def test_an_unclear_message_gets_a_question_with_buttons_and_a_button_runs_it(
    client: ChatClient,
) -> None:
    mark = len(client.events)
    await client.send("banana")
    await client.wait_for(ended_after(mark), RUN_TIMEOUT_S)
    question = [m for m in authored(client.events, mark) if "Which is it?" in m["output"]]
    assert question, authored(client.events, mark)
    buttons = [p for n, p in client.events[mark:] if n == "action"]
    assert len(buttons) == 3 and all(b["forId"] == question[0]["id"] for b in buttons)
    assert all(b["payload"]["message"].startswith("/") for b in buttons)
    assert not [m for m in authored(client.events, mark) if m["name"] in AGENTS]

    help_button = next((b for b in buttons if b["payload"]["message"].startswith("/help")), None)
    chosen = help_button or buttons[0]
    pressed = len(client.events)
    await client.press(chosen)
    # An action callback runs outside a task: wait for the closing agent's message.
    await client.wait_for(
        lambda events: any(
            m["name"] in AGENTS and m.get("output") for m in authored(events, pressed)
        ),
        RUN_TIMEOUT_S,
    )
    said = authored(client.events, pressed)
    assert [m for m in said if m["name"] == "manager" and m["output"].startswith("→ ")]
    assert not [m for m in said if "Which is it?" in m["output"]]  # a command is not re-asked


def e_is_file(shown: list[dict[str, Any]], name: str) -> bool:
    return any(e["name"] == name and e["type"] == "file" for e in shown)


async def test_stop_ends_the_run_and_the_thread_stays_usable(
    client: ChatClient, filing_pdf: Path
) -> None:
    mark = len(client.events)
    await client.send("Analyse this filing.", files=[(filing_pdf, PDF)])
    await client.wait_for(
        lambda events: any(s.get("type") == "tool" for s in messages(events[mark:]).values()),
        RUN_TIMEOUT_S,
    )
    await client.sio.emit("stop")
    await client.wait_for(ended_after(mark), 60)
    said = authored(client.events, mark)
    assert any(m["output"] == "Task manually stopped." for m in said)
    stopped = [e for e in elements(client.events[mark:]) if e["type"] == "tasklist"]
    assert stopped, "a run with files shows its task list"
    final = await client.element_text(stopped[-1])
    assert any(f'"status": "{status}"' in final for status in ("Stopped", "Done")), final

    again = len(client.events)
    await client.send("What documents do we have?")
    await client.wait_for(ended_after(again), RUN_TIMEOUT_S)
    answers = [m for m in authored(client.events, again) if m["name"] not in ("manager", "Quorum")]
    assert answers and any("brightline" in m["output"].lower() for m in answers)
    errors = [m for m in authored(client.events, again) if m.get("isError")]
    assert not errors, errors


async def test_a_resumed_thread_shows_its_history_and_the_team_remembers(
    client: ChatClient, server: Server, cash_ledger: Path
) -> None:
    mark = len(client.events)
    await client.send("Analyse this ledger.", files=[(cash_ledger, CSV)])
    await client.wait_for(ended_after(mark), RUN_TIMEOUT_S)
    thread_id = client.thread_id
    assert thread_id
    await client.close()

    resumed = ChatClient(server, client.http)
    await resumed.connect(resume_thread=thread_id)
    try:
        await resumed.wait_for(lambda events: any(n == "resume_thread" for n, _ in events), 30)
        thread = next(p for n, p in resumed.events if n == "resume_thread")
        assert thread["id"] == thread_id
        names = [s["name"] for s in thread["steps"]]
        assert "compliance" in names and "reporter" in names
        assert any(e["name"].endswith(".html") for e in thread["elements"])
        resumed.thread_id = thread_id
        mark = len(resumed.events)
        await resumed.send("What did the report find?")
        await resumed.wait_for(ended_after(mark), RUN_TIMEOUT_S)
        follow_up = [m for m in authored(resumed.events, mark) if m["name"] == "reporter"]
        assert follow_up and follow_up[-1]["output"].strip()
        # The resumed thread continued the same team state: two runs saved under it.
        state = rows(server, f"SELECT owner, runs FROM team_states WHERE thread_id = '{thread_id}'")
        assert state == [("local", 2)]
    finally:
        await resumed.close()


async def test_a_failing_model_endpoint_says_so_and_the_run_ends(
    client: ChatClient,
) -> None:
    closed_port = free_port()
    mark = len(client.events)
    await client.sio.emit(
        "chat_settings_change",
        {
            "brain": "openai",
            "base_url": f"http://127.0.0.1:{closed_port}/v1",
            "model": "m",
            "api_key": "sk-test-not-a-real-key",
            "debate_rounds": 2,
            "rulebook": "financial",
        },
    )
    await client.wait_for(ended_after(mark), 30)  # the settings were applied
    saved = authored(client.events, mark)
    assert saved[-1]["output"].startswith("Settings saved: the team now runs on m at")
    assert "sk-test" not in str(client.events[mark:])
    mark = len(client.events)
    await client.send("Where do our documents mention cash deposits?")
    await client.wait_for(ended_after(mark), RUN_TIMEOUT_S)
    said = authored(client.events, mark)
    failures = [m for m in said if m.get("isError")]
    assert failures, [m["output"] for m in said]
    assert "sk-test" not in " ".join(m["output"] for m in said)
    log = client.server.log.read_text(errors="replace")
    assert "sk-test-not-a-real-key" not in log


async def test_a_bad_file_says_why_in_one_line_and_the_others_go_on(
    client: ChatClient, tmp_path: Path, cash_ledger: Path
) -> None:
    broken = tmp_path / "scanned_contract.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n" + bytes(range(256)) * 4)
    mark = len(client.events)
    await client.send("Check these.", files=[(broken, PDF), (cash_ledger, CSV)])
    await client.wait_for(ended_after(mark), RUN_TIMEOUT_S)
    board = next(m for m in authored(client.events, mark) if m["output"].startswith("Files"))
    lines = board["output"].splitlines()
    [bad] = [line for line in lines if "scanned\\_contract" in line]
    assert "✗ not added:" in bad and len(bad) < 300
    assert any("branch\\_cash\\_ledger" in line and "✓" in line for line in lines)
    said = [m["name"] for m in authored(client.events, mark)]
    assert "compliance" in said  # the good file went on through the workflow


async def test_the_composer_refuses_types_the_settings_do_not_allow(
    client: ChatClient, tmp_path: Path
) -> None:
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ\x90\x00")
    form = aiohttp.FormData()
    form.add_field(
        "file", program.read_bytes(), filename=program.name, content_type="application/x-msdownload"
    )
    url = f"{client.server.base_url}/project/file?session_id={client.session_id}"
    async with client.http.post(url, data=form) as response:
        assert response.status == 400
        assert "not allowed" in (await response.text())
    async with client.http.get(f"{client.server.base_url}/project/settings") as response:
        spec = (await response.json())["features"]["spontaneous_file_upload"]
    assert spec["max_size_mb"] == 50
    assert "*/*" not in spec["accept"] and spec["accept"]["application/pdf"] == [".pdf"]


async def test_a_log_the_rules_cannot_read_is_not_an_all_clear(
    client: ChatClient, tmp_path: Path
) -> None:
    """An approval log without a requester column: the compliance agent says which rule
    could not run, and the score does not read "compliant"."""
    log = tmp_path / "wire_releases.csv"
    log.write_text(
        "Payment,Vendor,Amount,Released by\nP-1,Acme Ltd,48000,K. Mortlock\n"
        "P-2,Quill Co,9000,K. Mortlock\n",
        encoding="utf-8",
    )
    mark = len(client.events)
    await client.send("check this", files=[(log, CSV)])
    await client.wait_for(ended_after(mark), RUN_TIMEOUT_S)
    [checked] = [m["output"] for m in authored(client.events, mark) if m["name"] == "compliance"]
    assert "(not fully checked)" in checked and "compliant)" not in checked
    assert "not an all-clear" in checked
    assert "Rules: " in checked and "1 not checked" in checked
    assert "governance.self\\_approval.log" in checked or "governance.self_approval.log" in checked
    assert "no requester column" in checked

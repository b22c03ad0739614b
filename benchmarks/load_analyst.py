"""One simulated analyst of the load benchmark: a real socket.io session on `quorum serve`.

The analyst logs in, uploads a real filing and a ledger of their own ("check these"),
then asks two questions, and records when each thing arrived. Everything the server
sent to this socket is kept, so the checks afterwards can tell whether anything of
another analyst's reached it.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "chat"))
from chat_harness import ChatClient, Server, messages, running_server

__all__ = ["Server", "TimedClient", "Workload", "messages", "run_analyst", "running_server"]

AGENTS = frozenset({"ingestion", "compliance", "risk", "reporter", "advocate", "skeptic", "judge"})
UPLOAD_BOARD = "Files attached"
RESULTS = "downloads and chart below"


@dataclass(frozen=True)
class Workload:
    """What one analyst sends: two files and two questions (one names their own party)."""

    user: str
    password: str
    filing: Path
    ledger: Path
    marker: str  # a party name only this analyst's ledger contains
    questions: tuple[str, str]


@dataclass
class Timings:
    """Seconds from sending, per step of the workload; None when it never came."""

    first_message: float | None = None  # the first agent message (the ingestion board)
    first_turn: float | None = None  # the team's first agent turn
    report: float | None = None
    answers: list[float | None] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    thread_id: str | None = None


@dataclass
class TimedClient(ChatClient):
    """The tests' socket.io client, with the arrival time of every event."""

    arrivals: list[float] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def _recorder(self, name: str) -> Callable[..., Any]:
        record = super()._recorder(name)

        async def timed(*args: Any) -> None:
            self.arrivals.append(time.monotonic())
            await record(*args)
            self.arrived.set()

        return timed


def _agent_messages(client: TimedClient, mark: int) -> list[tuple[float, dict[str, Any]]]:
    """(first arrival, latest state) of each agent message sent after event `mark`."""
    first_seen: dict[str, float] = {}
    for index in range(mark, len(client.events)):
        name, payload = client.events[index]
        if name in ("new_message", "stream_start") and isinstance(payload, dict):
            first_seen.setdefault(payload["id"], client.arrivals[index])
    latest = messages(client.events[mark:])
    return [
        (first_seen[step_id], step)
        for step_id, step in latest.items()
        if step_id in first_seen
        and step.get("type") == "assistant_message"
        and step.get("name") in AGENTS
    ]


def _run_end(client: TimedClient, mark: int) -> float | None:
    started = False
    for index in range(mark, len(client.events)):
        name = client.events[index][0]
        started = started or name == "task_start"
        if started and name == "task_end":
            return client.arrivals[index]
    return None


async def _send_and_wait(client: TimedClient, text: str, files: list[tuple[Path, str]]) -> int:
    mark = len(client.events)
    await client.send(text, files=files)
    while _run_end(client, mark) is None:
        client.arrived.clear()
        await client.arrived.wait()
    return mark


async def run_analyst(client: TimedClient, work: Workload, timings: Timings) -> None:
    """The whole workload; timings are filled in as they happen (a timeout keeps them)."""
    status = await client.login_password(work.user, work.password)
    if status != 200:
        timings.errors.append(f"login refused ({status})")
        return
    await client.connect()
    sent = time.monotonic()
    files = [(work.filing, "application/pdf"), (work.ledger, "text/csv")]
    mark = await _send_and_wait(client, "Check these files.", files)
    timings.thread_id = client.thread_id
    said = _agent_messages(client, mark)
    timings.first_message = said[0][0] - sent if said else None
    turns = [t for t, m in said if not str(m.get("output", "")).startswith(UPLOAD_BOARD)]
    timings.first_turn = turns[0] - sent if turns else None
    reports = [t for t, m in said if RESULTS in str(m.get("output", ""))]
    timings.report = reports[0] - sent if reports else None
    _note_errors(client, mark, timings)
    for question in work.questions:
        asked = time.monotonic()
        mark = await _send_and_wait(client, question, [])
        end = _run_end(client, mark)
        answered = bool(_agent_messages(client, mark))
        timings.answers.append(end - asked if end is not None and answered else None)
        _note_errors(client, mark, timings)


def _note_errors(client: TimedClient, mark: int, timings: Timings) -> None:
    """Error messages, and files the upload board says were not added."""
    for step in messages(client.events[mark:]).values():
        output = str(step.get("output", ""))
        if step.get("isError"):
            timings.errors.append(output[:200])
        elif output.startswith(UPLOAD_BOARD):
            timings.errors += [line[:200] for line in output.splitlines() if "✗" in line]


def tool_outputs(client: TimedClient, tool: str) -> list[Any]:
    """The parsed JSON outputs of one tool's steps, as this socket was shown them."""
    found = []
    for step in messages(client.events).values():
        if step.get("type") == "tool" and step.get("name") == tool:
            try:
                found.append(json.loads(step.get("output") or ""))
            except ValueError:
                continue
    return found

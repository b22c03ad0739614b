"""`quorum ask` and `quorum chat`: the agent team from the terminal, one thread at a time."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agents import Attachment, TeamError
from quorum.cli.main import app, settings_of
from quorum.cli.running import USAGE_ERROR, emit_json, fail, run
from quorum.services import open_knowledge

if TYPE_CHECKING:  # the team is imported when a command runs it
    from agents.session import TeamSession
    from knowledge.library import KnowledgeBase
    from quorum.settings import Settings

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
FileOption = Annotated[
    list[Path] | None,
    typer.Option("--file", "-f", help="Attach a file to the message (repeatable)."),
]
ThreadOption = Annotated[
    str | None, typer.Option("--thread", help="Continue this conversation thread.")
]
QUIT = {"exit", "quit", ":q", "/quit", "/exit"}
RESULT_PREVIEW = 160


def attachments_of(paths: Sequence[Path]) -> list[Attachment]:
    """The files to attach, or a usage error naming the first one that is not a file."""
    attached = []
    for path in paths:
        if not path.is_file():
            fail(f"{path} is not a file; check the path", USAGE_ERROR)
        attached.append(Attachment(path=path.resolve(), filename=path.name))
    return attached


async def open_session(settings: Settings, knowledge: KnowledgeBase, thread_id: str) -> TeamSession:
    from agents.session import TeamSession

    try:
        return await TeamSession.open(
            thread_id=thread_id,
            owner=settings.local_user,
            knowledge=knowledge,
            brain=settings.brain_config(),
            rulebook=settings.rulebook,
        )
    except TeamError as error:
        fail(str(error))
        raise


def print_event(event: Any) -> None:
    """The dialogue as it happens: routing, tool calls, each agent's message."""
    from autogen_agentchat.messages import (
        BaseChatMessage,
        ToolCallExecutionEvent,
        ToolCallRequestEvent,
    )

    from agents.events import ArtifactEvent, ClarifyEvent, NoticeEvent, RoutingEvent
    from agents.transcript import call_text

    if isinstance(event, NoticeEvent):
        mark = {"info": "ℹ", "warning": "⚠", "error": "✗"}[event.level]
        typer.echo(f"{mark} {event.content}\n", err=event.level == "error")
    elif isinstance(event, RoutingEvent):
        typer.echo(f"  {event.to_text()}")
    elif isinstance(event, ClarifyEvent):
        choices = "\n".join(f"  - {o['label']}: send “{o['message']}”" for o in event.options)
        typer.echo(f"? {event.content}\n{choices}\n")
    elif isinstance(event, ToolCallRequestEvent):
        for call in event.content:
            typer.echo(f"  [{event.source}] ⚙ {call_text(call.name, call.arguments)}")
    elif isinstance(event, ToolCallExecutionEvent):
        for result in event.content:
            status = "✗" if result.is_error else "↳"
            preview = " ".join(result.content.split())[:RESULT_PREVIEW]
            typer.echo(f"  [{event.source}] {status} {result.name}: {preview}")
    elif isinstance(event, ArtifactEvent):
        if event.kind == "report":
            typer.echo(f"  📄 {event.path}")
    elif isinstance(event, BaseChatMessage) and event.source != "user":
        typer.echo(f"\n{event.source}:\n{event.to_text()}\n")


async def run_turn(
    session: TeamSession, message: str, attachments: Sequence[Attachment], *, echo: bool
) -> dict[str, Any]:
    """One run of the team; returns the JSON of `quorum ask`."""
    from autogen_agentchat.base import TaskResult

    from agents.transcript import transcript_entries

    transcript: list[dict[str, str]] = []
    stop_reason: str | None = None
    async for event in session.run_stream(message, attachments=attachments):
        if isinstance(event, TaskResult):
            stop_reason = event.stop_reason
            continue
        transcript += transcript_entries(event)
        if echo:
            print_event(event)
    return {
        "thread_id": session.thread_id,
        "brain": session.brain.provider,
        "notice": session.notice,
        "transcript": transcript,
        "stop_reason": stop_reason,
        "outcome": session.last_outcome.status if session.last_outcome else "failed",
        "artifacts": [artifact.model_dump() for artifact in session.last_artifacts],
    }


@app.command()
def ask(
    ctx: typer.Context,
    message: Annotated[str, typer.Argument(help="What to ask the team.")],
    files: FileOption = None,
    thread: ThreadOption = None,
    json_output: JsonFlag = False,
) -> None:
    """Run one turn of the agent team and print the dialogue (or JSON with --json)."""
    settings = settings_of(ctx)
    attachments = attachments_of(files or [])
    thread_id = thread or uuid.uuid4().hex[:12]

    async def command() -> dict[str, Any]:
        knowledge = await open_knowledge(settings)
        try:
            session = await open_session(settings, knowledge, thread_id)
            try:
                return await run_turn(session, message, attachments, echo=not json_output)
            finally:
                await session.close()
        finally:
            await knowledge.close()

    outcome = run(command)
    failed = outcome["outcome"] == "failed"
    if json_output:
        emit_json(outcome)
    else:
        reason = "the run stopped on an error" if failed else outcome["stop_reason"]
        typer.echo(f"— {reason} (thread {thread_id}; continue with --thread {thread_id})")
    if failed:
        raise typer.Exit(1)


@app.command()
def chat(
    ctx: typer.Context,
    thread: ThreadOption = None,
) -> None:
    """Talk with the team in the terminal; `/attach PATH` adds a file to the next message."""
    settings = settings_of(ctx)
    thread_id = thread or uuid.uuid4().hex[:12]

    async def command() -> None:
        knowledge = await open_knowledge(settings)
        try:
            session = await open_session(settings, knowledge, thread_id)
            typer.echo(f"Thread {thread_id}. Type a message, /attach PATH, or exit.")
            try:
                await _loop(session)
            finally:
                await session.close()
        finally:
            await knowledge.close()

    run(command)


async def _loop(session: TeamSession) -> None:
    pending: list[Attachment] = []
    while True:
        try:
            line = (await asyncio.to_thread(input, "you> ")).strip()
        except EOFError:
            return
        if line.lower() in QUIT:
            return
        if line.startswith("/attach "):
            attached = _attachment(line.removeprefix("/attach ").strip())
            if attached is not None:
                pending.append(attached)
            continue
        if not line and not pending:
            continue
        outcome = await run_turn(session, line, pending, echo=True)
        pending = []
        typer.echo(f"— {outcome['stop_reason']}")


def _attachment(text: str) -> Attachment | None:
    path = Path(text).expanduser()
    if not path.is_file():
        typer.echo(f"  {path} is not a file; check the path")
        return None
    typer.echo(f"  attached {path.name} (sent with your next message)")
    return Attachment(path=path.resolve(), filename=path.name)

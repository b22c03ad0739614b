"""Chainlit's data layer on our migrated schema, on SQLite and PostgreSQL: every row it
writes really lands.

Chainlit only logs SQL failures, so each test reads the rows back with plain SQL.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from chainlit.context import init_http_context
from chainlit.element import File, Pdf
from chainlit.types import Feedback, Pagination, ThreadFilter
from chainlit.user import User
from sqlalchemy import text

from chat.data_layer import QuorumDataLayer, document_url
from chat.storage import LocalStorageClient
from knowledge.db import Database


@pytest.fixture
async def layer(tmp_path: Path, database: Database):
    storage = LocalStorageClient(tmp_path / "chat_files")
    data_layer = QuorumDataLayer(database.url, storage, database.engine)  # as the app shares it
    yield data_layer, database
    await data_layer.close()


async def count(database: Database, table: str) -> int:
    async with database.engine.connect() as connection:
        return int((await connection.execute(text(f"SELECT COUNT(*) FROM {table}"))).scalar_one())


async def new_thread(data_layer: QuorumDataLayer, identifier: str) -> tuple[str, str]:
    init_http_context()  # Chainlit's data layer asks for a session context (HTTP: no queueing)
    user = await data_layer.create_user(User(identifier=identifier, metadata={"mode": "test"}))
    assert user is not None
    thread_id = str(uuid.uuid4())
    await data_layer.update_thread(thread_id, name="first", user_id=user.id, metadata={"a": 1})
    return user.id, thread_id


def step(thread_id: str, **extra: object) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "threadId": thread_id,
        "name": "compliance",
        "type": "assistant_message",
        "output": "Two findings.",
        "streaming": False,
        "createdAt": "2026-01-01T00:00:00Z",
        "start": "2026-01-01T00:00:00Z",
        "end": "2026-01-01T00:00:01Z",
        "metadata": {},
        "showInput": "json",
        "defaultOpen": False,
        "autoCollapse": False,
        "language": "json",
        "isError": False,
        **extra,
    }


async def test_users_threads_and_steps_land(layer) -> None:
    data_layer, database = layer
    user_id, thread_id = await new_thread(data_layer, "alice")
    message = step(thread_id, command=None, waitForAnswer=False)
    tool = step(
        thread_id,
        type="tool",
        name="check_compliance",
        parentId=message["id"],
        input='{"document": "a.pdf"}',
    )
    await data_layer.create_step(message)
    await data_layer.create_step(tool)
    assert await count(database, "users") == 1
    assert await count(database, "threads") == 1
    assert await count(database, "steps") == 2

    thread = await data_layer.get_thread(thread_id)
    assert thread is not None
    assert thread["userIdentifier"] == "alice"
    assert [s["name"] for s in thread["steps"]] == ["compliance", "check_compliance"]
    assert thread["steps"][1]["parentId"] == message["id"]
    listed = await data_layer.list_threads(Pagination(first=10), ThreadFilter(userId=user_id))
    assert [t["id"] for t in listed.data] == [thread_id]
    assert await data_layer.get_thread_author(thread_id) == "alice"


async def test_file_elements_go_to_storage_and_linked_pdfs_do_not(layer, tmp_path: Path) -> None:
    data_layer, database = layer
    user_id, thread_id = await new_thread(data_layer, "bob")
    message = step(thread_id)
    await data_layer.create_step(message)
    report = File(
        name="report.html",
        content=b"<h1>report</h1>",
        mime="text/html",
        thread_id=thread_id,
        for_id=str(message["id"]),
    )
    cited = Pdf(
        name="filing.pdf p.3",
        url=document_url("abc123"),
        page=3,
        thread_id=thread_id,
        for_id=str(message["id"]),
        display="side",
    )
    await data_layer.create_element(report)
    await data_layer.create_element(cited)
    assert await count(database, "elements") == 2

    stored = await data_layer.get_element(thread_id, report.id)
    assert stored is not None
    assert stored["objectKey"] == f"{user_id}/{report.id}/report.html"
    assert data_layer.storage_provider is not None
    assert (tmp_path / "chat_files" / user_id / report.id / "report.html").read_bytes() == (
        b"<h1>report</h1>"
    )
    linked = await data_layer.get_element(thread_id, cited.id)
    assert linked is not None
    assert linked["url"] == "/quorum/documents/abc123/original"
    assert linked["page"] == 3 and linked["objectKey"] is None


async def test_feedback_and_thread_deletion(layer, tmp_path: Path) -> None:
    data_layer, database = layer
    _, thread_id = await new_thread(data_layer, "carol")
    message = step(thread_id)
    await data_layer.create_step(message)
    await data_layer.upsert_feedback(
        Feedback(forId=str(message["id"]), value=1, threadId=thread_id)
    )
    element = File(
        name="notes.md",
        content=b"# n",
        mime="text/markdown",
        thread_id=thread_id,
        for_id=str(message["id"]),
    )
    await data_layer.create_element(element)
    assert await count(database, "feedbacks") == 1
    await data_layer.delete_thread(thread_id)
    for table in ("threads", "steps", "elements", "feedbacks"):
        assert await count(database, table) == 0
    assert not any((tmp_path / "chat_files").rglob("notes.md"))

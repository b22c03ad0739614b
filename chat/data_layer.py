"""Chainlit's SQLAlchemy data layer on the project's database, with our storage client.

The schema is ours (knowledge/db/chat_models.py, migrated at start-up), and so is the
connection pool: the data layer uses the knowledge base's engine, so a process keeps one
pool of connections, not two. Elements are
written by our own `create_element` (the data layer's public interface): element files
are stored under their owner's id, and an element whose URL points at a document original
we already keep (a cited PDF page) is recorded as a link instead of being copied again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chainlit.context import ChainlitContextException, context
from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.data.utils import queue_until_user_message
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from chat.storage import LocalStorageClient

if TYPE_CHECKING:
    from chainlit.element import Element

logger = logging.getLogger(__name__)

DOCUMENTS_ROUTE = "/quorum/documents"
SQLITE_BUSY_TIMEOUT_S = 30


def document_url(document_id: str) -> str:
    """The URL of a document's original, served only to its owner."""
    return f"{DOCUMENTS_ROUTE}/{document_id}/original"


class QuorumDataLayer(SQLAlchemyDataLayer):
    """Threads, steps and elements in SQL; element bytes in the local storage client."""

    def __init__(
        self, database_url: str, storage: LocalStorageClient, engine: AsyncEngine | None = None
    ) -> None:
        connect_args: dict[str, Any] = {}
        if database_url.startswith("sqlite"):
            # The knowledge base writes to the same file while a run is shown.
            connect_args["timeout"] = SQLITE_BUSY_TIMEOUT_S
        super().__init__(conninfo=database_url, connect_args=connect_args, storage_provider=storage)
        if engine is not None:  # share the process's pool (Chainlit's own has no connection yet)
            self.engine = engine
            self.async_session = async_sessionmaker(
                bind=engine, expire_on_commit=False, class_=AsyncSession
            )
        self.storage = storage
        self._threads: set[str] = set()  # threads known to have their row

    async def update_thread(
        self,
        thread_id: str,
        name: str | None = None,
        user_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        tags: list[str] | None = None,
    ) -> None:
        """Chainlit calls this before writing every step, to make sure the thread row is
        there (a query each time); a thread this process has written is known to exist."""
        changes = (name, user_id, metadata, tags)
        if thread_id in self._threads and all(value is None for value in changes):
            return
        await super().update_thread(thread_id, name, user_id, metadata, tags)
        self._threads.add(thread_id)

    async def delete_thread(self, thread_id: str) -> None:
        self._threads.discard(thread_id)
        await super().delete_thread(thread_id)

    async def thread_owner(self, thread_id: str) -> str | None:
        """The id of the user whose thread this is; for the first message's files, whose
        thread row may not be written yet, the user of the session sending them."""
        rows = await self.execute_sql(
            'SELECT "userId" FROM threads WHERE id = :thread_id', {"thread_id": thread_id}
        )
        if isinstance(rows, list) and rows and rows[0]["userId"]:
            return str(rows[0]["userId"])
        try:
            user = context.session.user
        except ChainlitContextException:
            return None
        return getattr(user, "id", None)

    @queue_until_user_message()
    async def create_element(self, element: Element) -> None:
        """Our own element writer: files go to storage under their owner's id (Chainlit's
        says "unknown" before the thread row exists, and nobody could open them again);
        a document original we already keep is recorded as a link, not copied."""
        if not element.for_id:
            return
        if element.url and element.url.startswith(DOCUMENTS_ROUTE + "/"):
            await self._upsert_element(element, {})
            return
        content = await _element_bytes(element)
        owner = await self.thread_owner(element.thread_id)
        if content is None or owner is None:
            logger.warning("element %s not saved: no content or no owner", element.id)
            return
        key = f"{owner}/{element.id}" + (f"/{element.name}" if element.name else "")
        element.mime = element.mime or "application/octet-stream"
        stored = await self.storage.upload_file(
            object_key=key, data=content, mime=element.mime, overwrite=True
        )
        await self._upsert_element(
            element, {"url": stored.get("url"), "objectKey": stored.get("object_key")}
        )

    async def _ensure_thread(self, thread_id: str | None) -> None:
        """The first message's files arrive before Chainlit writes the thread row; write it
        first, or PostgreSQL refuses the element (its foreign key to the thread holds)."""
        if not thread_id or thread_id in self._threads:
            return
        rows = await self.execute_sql(
            "SELECT id FROM threads WHERE id = :thread_id", {"thread_id": thread_id}
        )
        if not (isinstance(rows, list) and rows):
            await self.update_thread(thread_id, user_id=await self.thread_owner(thread_id))

    async def _upsert_element(self, element: Element, stored: dict[str, Any]) -> None:
        await self._ensure_thread(element.thread_id)
        fields: dict[str, Any] = {**element.to_dict(), **stored}
        row = {k: v for k, v in fields.items() if v is not None}
        row.pop("path", None)
        if "props" in row:
            row["props"] = json.dumps(row["props"])
        columns = ", ".join(f'"{column}"' for column in row)
        values = ", ".join(f":{column}" for column in row)
        updates = ", ".join(f'"{column}" = :{column}' for column in row if column != "id")
        await self.execute_sql(
            f"INSERT INTO elements ({columns}) VALUES ({values}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}",
            row,
        )


async def _element_bytes(element: Element) -> bytes | None:
    """An element's bytes from its file or its content (never fetched from a URL)."""
    if element.path:
        return await asyncio.to_thread(Path(element.path).read_bytes)
    if isinstance(element.content, str):
        return element.content.encode("utf-8")
    return element.content or None

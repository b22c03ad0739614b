"""Chainlit's SQLAlchemy data layer on the project's database, with our storage client.

The schema is ours (knowledge/db/chat_models.py, migrated at start-up). One addition to
Chainlit's behaviour: an element whose URL points at a document original we already keep
(a cited PDF page) is recorded as a link instead of being copied into storage again.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from chainlit.context import ChainlitContextException, context
from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.data.utils import queue_until_user_message

from chat.storage import LocalStorageClient

if TYPE_CHECKING:
    from chainlit.element import Element

DOCUMENTS_ROUTE = "/quorum/documents"
SQLITE_BUSY_TIMEOUT_S = 30


def document_url(document_id: str) -> str:
    """The URL of a document's original, served only to its owner."""
    return f"{DOCUMENTS_ROUTE}/{document_id}/original"


class QuorumDataLayer(SQLAlchemyDataLayer):
    """Threads, steps and elements in SQL; element bytes in the local storage client."""

    def __init__(self, database_url: str, storage: LocalStorageClient) -> None:
        connect_args: dict[str, Any] = {}
        if database_url.startswith("sqlite"):
            # The knowledge base writes to the same file while a run is shown.
            connect_args["timeout"] = SQLITE_BUSY_TIMEOUT_S
        super().__init__(conninfo=database_url, connect_args=connect_args, storage_provider=storage)

    async def _get_user_id_by_thread(self, thread_id: str) -> str | None:
        """The thread's owner; for the first message's files, whose thread row may not be
        written yet, the user of the session sending them (Chainlit would say "unknown",
        and nobody could open those files again)."""
        owner = await super()._get_user_id_by_thread(thread_id)
        if owner:
            return owner
        try:
            user = context.session.user
        except ChainlitContextException:
            return None
        return getattr(user, "id", None)

    @queue_until_user_message()
    async def create_element(self, element: Element) -> None:
        if element.url and element.url.startswith(DOCUMENTS_ROUTE + "/") and element.for_id:
            await self._record_linked_element(element)
            return
        await super().create_element(element)

    async def _record_linked_element(self, element: Element) -> None:
        row = {k: v for k, v in element.to_dict().items() if v is not None}
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

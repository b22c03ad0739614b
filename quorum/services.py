"""Assembles the services of Quorum from the settings (used by the CLI and the chat app)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.db import Database
    from knowledge.library import KnowledgeBase
    from quorum.settings import Settings


async def open_knowledge(settings: Settings) -> KnowledgeBase:
    """The knowledge base under the settings' data dir, migrated and repaired."""
    from knowledge.library import KnowledgeBase  # the whole stack: only when a command runs

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return await KnowledgeBase.open(settings.knowledge_config())


async def open_catalog(settings: Settings) -> Database:
    """Only the database, migrated: enough to list documents, and quick to open."""
    from knowledge.db import Database

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database(settings.knowledge_config().database_url)
    await database.migrate()
    return database

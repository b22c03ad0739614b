"""Assembles the services of Quorum from the settings (used by the CLI and the chat app)."""

from __future__ import annotations

from knowledge.library import KnowledgeBase
from quorum.settings import Settings


async def open_knowledge(settings: Settings) -> KnowledgeBase:
    """The knowledge base under the settings' data dir, migrated and repaired."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return await KnowledgeBase.open(settings.knowledge_config())

"""The services of the chat app, built once per process from the settings.

The entry point (`quorum serve`) hands its settings over with `configure`; started
directly with `chainlit run chat/app.py`, the app builds them itself, once. Handlers
reach the services through `current_runtime()`, never by reading configuration.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

from chat.data_layer import QuorumDataLayer
from chat.storage import LocalStorageClient
from knowledge.library import KnowledgeBase
from quorum.services import open_knowledge
from quorum.settings import Settings, load_settings

logger = logging.getLogger(__name__)


@dataclass
class ChatRuntime:
    """Settings and the long-lived services every chat session shares."""

    settings: Settings
    knowledge: KnowledgeBase
    storage: LocalStorageClient

    @cached_property
    def data_layer(self) -> QuorumDataLayer:
        return QuorumDataLayer(
            self.settings.resolved_database_url, self.storage, self.knowledge.database.engine
        )


class _State:
    settings: Settings | None = None
    runtime: ChatRuntime | None = None


def configure(settings: Settings) -> None:
    """Use these settings when the app starts (called by the entry point)."""
    _State.settings = settings


def configured_settings() -> Settings:
    """The settings handed over by the entry point, else built once from the environment."""
    if _State.settings is None:
        _State.settings = load_settings()
    return _State.settings


async def start_runtime() -> ChatRuntime:
    """Open the knowledge base (which migrates the whole schema) and the file storage."""
    if _State.runtime is None:
        settings = configured_settings()
        knowledge = await open_knowledge(settings)
        storage = LocalStorageClient(settings.data_dir / "chat_files")
        _State.runtime = ChatRuntime(settings=settings, knowledge=knowledge, storage=storage)
        logger.info("chat runtime ready (data dir %s)", settings.data_dir)
    return _State.runtime


def current_runtime() -> ChatRuntime:
    if _State.runtime is None:
        raise RuntimeError("the chat runtime is not started (on_app_startup has not run)")
    return _State.runtime


async def stop_runtime() -> None:
    runtime, _State.runtime = _State.runtime, None
    if runtime is not None:
        await runtime.knowledge.close()

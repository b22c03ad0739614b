"""One knowledge base per test module (each test has its own owner)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from knowledge.library import KnowledgeBase
from quorum.settings import Settings


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def knowledge(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[KnowledgeBase]:
    data = tmp_path_factory.mktemp("agents") / "data"
    settings = Settings(_env_file=None, data_dir=data)
    kb = await KnowledgeBase.open(settings.knowledge_config())
    yield kb
    await kb.close()


@pytest.fixture
def owner() -> str:
    """A fresh owner per test: its own documents and rulebook in the shared knowledge base."""
    return f"analyst-{uuid.uuid4().hex[:8]}"

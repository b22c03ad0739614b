"""Frozen configuration handed to the knowledge layer by the entry points."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class EmbeddingConfig:
    """Which embedding model to use; `local` runs the packaged MiniLM offline."""

    provider: Literal["local", "openai"] = "local"
    model: str = "all-MiniLM-L6-v2"
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class KnowledgeConfig:
    """Where the knowledge base lives and what it accepts."""

    data_dir: Path
    database_url: str
    max_file_bytes: int = 50 * 1024 * 1024
    embedding: EmbeddingConfig = field(default_factory=EmbeddingConfig)
    model_cache_dir: Path = field(default_factory=lambda: Path.home() / ".cache" / "quorum")
    lancedb_uri: str | None = None  # object storage (s3://bucket/path) instead of the folder

    @property
    def lancedb_dir(self) -> Path:
        return self.data_dir.resolve() / "lancedb"

    @property
    def lancedb_location(self) -> Path | str:
        """Where the chunk store lives: the configured URI, else the data dir's folder."""
        return self.lancedb_uri or self.lancedb_dir

    @property
    def files_dir(self) -> Path:
        """Uploaded originals, content-addressed by sha256."""
        return self.data_dir.resolve() / "files"

"""Text embeddings: packaged all-MiniLM-L6-v2 offline (default) or an OpenAI-compatible endpoint.

Usage, with the frozen KnowledgeConfig the entry points build:

    embedder = build_embedder(config.embedding, cache_dir=config.model_cache_dir)
    vectors = embedder.embed_documents(["...", "..."])  # float32 (n, 384), unit rows
"""

from __future__ import annotations

from knowledge.embeddings.base import Embedder
from knowledge.embeddings.errors import (
    EmbeddingConfigError,
    EmbeddingEndpointError,
    EmbeddingError,
    EmbeddingModelBuildError,
    EmbeddingModelMissingError,
)
from knowledge.embeddings.factory import build_embedder
from knowledge.embeddings.local import LocalMiniLMEmbedder
from knowledge.embeddings.openai_embedder import OpenAIEmbedder

__all__ = [
    "Embedder",
    "EmbeddingConfigError",
    "EmbeddingEndpointError",
    "EmbeddingError",
    "EmbeddingModelBuildError",
    "EmbeddingModelMissingError",
    "LocalMiniLMEmbedder",
    "OpenAIEmbedder",
    "build_embedder",
]

"""Choosing the embedder the configuration asks for."""

from __future__ import annotations

from pathlib import Path

from knowledge.config import EmbeddingConfig
from knowledge.embeddings.base import Embedder
from knowledge.embeddings.errors import EmbeddingConfigError
from knowledge.embeddings.local import LOCAL_MODEL_NAMES, LocalMiniLMEmbedder
from knowledge.embeddings.openai_embedder import OpenAIEmbedder


def build_embedder(
    config: EmbeddingConfig, *, cache_dir: Path, threads: int | None = None
) -> Embedder:
    """The configured embedder, ready to use (may build the local encoder once, ~10 s).

    `cache_dir` holds derived model files (KnowledgeConfig.model_cache_dir); `threads`
    bounds the local model's CPU threads (default: the cores available, at most 4).
    """
    if config.provider == "local":
        if config.model not in LOCAL_MODEL_NAMES:
            raise EmbeddingConfigError(
                f"the local embedding provider only has all-MiniLM-L6-v2, not '{config.model}': "
                "set QUORUM_EMBEDDING_MODEL=all-MiniLM-L6-v2 or QUORUM_EMBEDDING_PROVIDER=openai"
            )
        return LocalMiniLMEmbedder.load(cache_dir, threads=threads)
    if config.provider == "openai":
        return OpenAIEmbedder(config.model, base_url=config.base_url, api_key=config.api_key)
    raise EmbeddingConfigError(
        f"unknown embedding provider '{config.provider}': "
        "set QUORUM_EMBEDDING_PROVIDER to local or openai"
    )

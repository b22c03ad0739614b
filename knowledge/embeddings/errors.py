"""Errors of the embedding models, each with a one-line message a person can act on."""

from __future__ import annotations

from knowledge.errors import KnowledgeError


class EmbeddingError(KnowledgeError):
    """Base of every error raised while turning text into vectors."""


class EmbeddingConfigError(EmbeddingError):
    """The embedding settings ask for something that cannot work (unknown provider, no key)."""


class EmbeddingModelMissingError(EmbeddingError):
    """The packaged MiniLM weights are not installed or incomplete."""


class EmbeddingModelBuildError(EmbeddingError):
    """The ONNX encoder could not be built or loaded from the model cache."""


class EmbeddingEndpointError(EmbeddingError):
    """The OpenAI-compatible embedding endpoint failed or answered something unusable."""

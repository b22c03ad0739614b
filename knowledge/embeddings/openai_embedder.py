"""Embeddings from an OpenAI-compatible `/embeddings` endpoint (OpenAI, vLLM, Ollama, ...).

Used only when configured. The dimension is known for OpenAI's own models and otherwise
learnt from a first request made when the embedder is built (the chunk table needs it to
open); every later answer must keep it, since the table refuses vectors of another size.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import openai

from knowledge.embeddings.base import check_texts, l2_normalise
from knowledge.embeddings.errors import EmbeddingConfigError, EmbeddingEndpointError

logger = logging.getLogger(__name__)

OPENAI_BASE_URL = "https://api.openai.com/v1"
KNOWN_DIMENSIONS = {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
}
DEFAULT_BATCH_SIZE = 128
# Local servers rarely check the key, but the client insists on one.
PLACEHOLDER_KEY = "not-needed"


class OpenAIEmbedder:
    """Vectors from an OpenAI-compatible endpoint, L2-normalised whatever the server sends."""

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        timeout: float = 60.0,
        max_retries: int = 2,
    ) -> None:
        if api_key is None and base_url is None:
            raise EmbeddingConfigError(
                "the openai embedding provider needs an API key: set QUORUM_OPENAI_API_KEY, "
                "or QUORUM_EMBEDDING_BASE_URL for a local OpenAI-compatible server"
            )
        self.model_name = model
        self.base_url = base_url or OPENAI_BASE_URL
        self.batch_size = batch_size
        # Passing every setting keeps the client from reading OPENAI_* variables itself.
        self._client = openai.OpenAI(
            api_key=api_key or PLACEHOLDER_KEY,
            base_url=self.base_url,
            timeout=timeout,
            max_retries=max_retries,
        )
        self.dimension = KNOWN_DIMENSIONS.get(model) or self._discover_dimension()

    def _discover_dimension(self) -> int:
        dimension = int(self._fetch(["dimension probe"]).shape[1])
        logger.info("embedding model %s has %d dimensions", self.model_name, dimension)
        return dimension

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        items = check_texts(texts)
        batches = [
            self._request(items[start : start + self.batch_size])
            for start in range(0, len(items), self.batch_size)
        ]
        if not batches:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.concatenate(batches)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]

    def _request(self, texts: list[str]) -> np.ndarray:
        vectors = self._fetch(texts)
        if vectors.shape[1] != self.dimension:
            raise EmbeddingEndpointError(
                f"embedding endpoint {self.base_url} returned {vectors.shape[1]}-dimension "
                f"vectors for model '{self.model_name}', expected {self.dimension}: "
                "check QUORUM_EMBEDDING_MODEL"
            )
        return l2_normalise(vectors)

    def _fetch(self, texts: list[str]) -> np.ndarray:
        """The raw vectors for `texts`, in their order, or an error that says what to fix."""
        # The OpenAI API rejects empty strings; a space embeds as "nothing" just the same.
        inputs = [text if text.strip() else " " for text in texts]
        try:
            response = self._client.embeddings.create(
                model=self.model_name, input=inputs, encoding_format="float"
            )
            rows = sorted(response.data, key=lambda item: item.index)
            vectors = np.asarray([row.embedding for row in rows], dtype=np.float32)
        except openai.OpenAIError as error:
            raise EmbeddingEndpointError(self._explain(error)) from error
        except (TypeError, ValueError) as error:  # ragged or non-numeric vectors
            raise self._malformed(f"malformed vectors ({error.__class__.__name__})") from error
        if len(rows) != len(inputs):
            raise self._malformed(f"{len(rows)} vectors for {len(inputs)} texts")
        if vectors.ndim != 2 or vectors.shape[1] == 0:
            raise self._malformed("empty vectors")
        return vectors

    def _malformed(self, what: str) -> EmbeddingEndpointError:
        return EmbeddingEndpointError(
            f"embedding endpoint {self.base_url} returned {what} for model "
            f"'{self.model_name}': check that it is OpenAI-compatible"
        )

    def _explain(self, error: openai.OpenAIError) -> str:
        """One actionable line for each way the endpoint can fail."""
        where = f"embedding endpoint {self.base_url}"
        if isinstance(error, openai.APITimeoutError):
            return f"{where} timed out: check that the server is up and not overloaded"
        if isinstance(error, openai.APIConnectionError):
            return f"cannot reach {where}: check QUORUM_EMBEDDING_BASE_URL and that the server runs"
        if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
            return (
                f"{where} rejected the API key (HTTP {error.status_code}): "
                "set QUORUM_OPENAI_API_KEY"
            )
        if isinstance(error, openai.NotFoundError):
            return (
                f"{where} has no model '{self.model_name}' (HTTP 404): "
                "set QUORUM_EMBEDDING_MODEL to a model it serves"
            )
        if isinstance(error, openai.APIStatusError):
            return f"{where} failed (HTTP {error.status_code}): {_server_message(error)}"
        return f"{where} answered something unusable ({error.__class__.__name__}): {error}"


def _server_message(error: openai.APIStatusError, limit: int = 200) -> str:
    """The first line of what the server said, without the client's "Error code" prefix."""
    body = error.body
    message = body.get("message") if isinstance(body, dict) else None
    text = str(message) if message else error.message
    text = text.removeprefix(f"Error code: {error.status_code} - ").strip()
    return text.splitlines()[0][:limit] if text else "no message"

"""What every embedding model offers the rest of Quorum."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Turns text into unit-length float32 vectors; safe to call from several threads.

    `model_name` and `dimension` are recorded by the chunk table, which refuses vectors
    from another model or of another size.
    """

    model_name: str
    dimension: int

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, shape (len(texts), dimension), float32, L2-normalised."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """One vector, shape (dimension,), float32, L2-normalised."""
        ...


def check_texts(texts: Sequence[str]) -> list[str]:
    """The texts as a list; a lone string is a caller's mistake, not a list of characters."""
    if isinstance(texts, str):
        raise TypeError("embed_documents takes a sequence of texts; use embed_query for one text")
    return list(texts)


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length as float32 (a zero row stays zero)."""
    rows = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.ascontiguousarray(rows / np.maximum(norms, 1e-12), dtype=np.float32)

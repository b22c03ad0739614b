"""Hybrid retrieval over the chunk store: full text and vectors, fused.

Plain reciprocal-rank fusion of BM25 and MiniLM was measured worse than the vectors alone
on real filings, so the fusion here is a weighted combination of normalised scores, in
which each retriever only adds what it is sure of.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from knowledge.embeddings import Embedder
from knowledge.store import ChunkStore, StoredChunk

SearchMode = Literal["hybrid", "text", "vector"]
CANDIDATES = 50
VECTOR_WEIGHT = 0.7
TEXT_WEIGHT = 0.3


@dataclass(frozen=True)
class SearchFilter:
    owner: str | None = None
    document_ids: Sequence[str] | None = None


class Retriever:
    """Finds the chunks that answer a query, by text, by meaning, or both."""

    def __init__(self, store: ChunkStore, embedder: Embedder) -> None:
        self.store = store
        self.embedder = embedder

    def search(
        self, query: str, *, k: int, where: SearchFilter, mode: SearchMode = "hybrid"
    ) -> list[StoredChunk]:
        if not query.strip() or k < 1:
            return []
        if mode == "text":
            return self._text(query, k, where)
        if mode == "vector":
            return self._vector(query, k, where)
        return self._hybrid(query, k, where)

    def _text(self, query: str, limit: int, where: SearchFilter) -> list[StoredChunk]:
        return self.store.text_search(
            query, limit=limit, owner=where.owner, document_ids=where.document_ids
        )

    def _vector(self, query: str, limit: int, where: SearchFilter) -> list[StoredChunk]:
        vector = self.embedder.embed_query(query)
        hits = self.store.vector_search(
            vector, limit=limit, owner=where.owner, document_ids=where.document_ids
        )
        chunks = self.store.chunks_by_id([chunk_id for chunk_id, _ in hits])
        return [replace(chunks[cid], score=score) for cid, score in hits if cid in chunks]

    def _hybrid(self, query: str, k: int, where: SearchFilter) -> list[StoredChunk]:
        pool = max(CANDIDATES, k * 4)
        by_text = self._text(query, pool, where)
        by_vector = self._vector(query, pool, where)
        scores: dict[str, float] = {}
        chunks: dict[str, StoredChunk] = {}
        for weight, hits in ((TEXT_WEIGHT, by_text), (VECTOR_WEIGHT, by_vector)):
            for chunk, normalised in zip(hits, _normalise([h.score for h in hits]), strict=True):
                chunks.setdefault(chunk.chunk_id, chunk)
                scores[chunk.chunk_id] = scores.get(chunk.chunk_id, 0.0) + weight * normalised
        ranked = sorted(scores, key=lambda cid: scores[cid], reverse=True)[:k]
        return [replace(chunks[cid], score=round(scores[cid], 4)) for cid in ranked]


def _normalise(scores: Sequence[float]) -> list[float]:
    """Scale to 0..1 by the best score in the list (scores of one retriever, one query)."""
    if not scores:
        return []
    best = max(scores)
    low = min(scores)
    if best <= 0:
        return [0.0 for _ in scores]
    spread = best - low
    if spread == 0:
        return [1.0 for _ in scores]
    return [(score - low) / spread for score in scores]

"""Retrieval over the chunk store: full text, vectors, or both fused per page.

Every mode first reads the question (`knowledge.retrieval.query`): instruction words
out, fiscal years as years, the statements it names and the line items of the figures
it asks for. Full text searches the question's words, then (at lower weight) those line
items and the names of the statements it names. Vectors search the question's content.
Hybrid pools both per page and adds what the question says about where to look: pages
showing the statements it names, and, across documents, the filings of the company,
year and form it names (`knowledge.retrieval.routing`). Plain reciprocal-rank fusion was
measured worse than the vectors alone on real filings; see `knowledge.retrieval.fusion`.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Literal

from knowledge.embeddings import Embedder
from knowledge.retrieval.fusion import Weights, page_hits, pool_pages, rank_pages
from knowledge.retrieval.profile import DocumentProfile, parse_header
from knowledge.retrieval.query import QueryAnalysis, analyse
from knowledge.retrieval.routing import best_documents, document_priors, named_documents
from knowledge.retrieval.statements import SYNONYMS
from knowledge.store import ChunkStore, StoredChunk

SearchMode = Literal["hybrid", "text", "vector"]
Profiles = dict[str, DocumentProfile]
CANDIDATES = 50
ROUTED_DOCUMENTS = 3
EXPANSION_BOOST = 0.5


@dataclass(frozen=True)
class SearchFilter:
    owner: str | None = None
    document_ids: Sequence[str] | None = None


class Retriever:
    """Finds the chunks that answer a query, by text, by meaning, or both."""

    def __init__(
        self, store: ChunkStore, embedder: Embedder, weights: Weights | None = None
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.weights = weights or Weights()
        self._workers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="retrieval")
        self._profiles_cache: dict[str | None, Profiles] = {}
        self._profiles_version = -1

    def search(
        self, query: str, *, k: int, where: SearchFilter, mode: SearchMode = "hybrid"
    ) -> list[StoredChunk]:
        """Chunks, best page first (one chunk per page, then the pages' other chunks).

        Every mode reads the question and uses what the index knows about pages and
        documents; the modes differ in which retrievers find and score the candidates.
        """
        if not query.strip() or k < 1:
            return []
        analysis = analyse(query)
        pool = max(CANDIDATES, k)
        priors = self._priors(analysis, where)
        scopes = [where]
        routed = self._routed(priors, where)
        if routed is not None:
            scopes.append(routed)
        text_future = None
        if mode in ("text", "hybrid"):  # full text runs beside the embedding and vectors
            text_future = self._workers.submit(self._text, analysis, pool, scopes)
        by_vector = self._vector(analysis, pool, scopes) if mode != "text" else []
        by_text = text_future.result() if text_future is not None else []
        weights = self.weights.for_mode(mode)
        return page_hits(rank_pages(pool_pages(by_text, by_vector), analysis, weights, priors), k)

    # -- single retrievers -----------------------------------------------------------------
    def _text(
        self, analysis: QueryAnalysis, limit: int, scopes: Sequence[SearchFilter]
    ) -> list[StoredChunk]:
        query = text_query(analysis)
        found: list[StoredChunk] = []
        for scope in scopes:
            found += self.store.text_search(
                query, limit=limit, owner=scope.owner, document_ids=scope.document_ids
            )
        return found

    def _vector(
        self, analysis: QueryAnalysis, limit: int, scopes: Sequence[SearchFilter]
    ) -> list[StoredChunk]:
        vector = self.embedder.embed_query(vector_query(analysis))
        hits: list[tuple[str, float]] = []
        for scope in scopes:
            hits += self.store.vector_search(
                vector, limit=limit, owner=scope.owner, document_ids=scope.document_ids
            )
        chunks = self.store.chunks_by_id(list(dict.fromkeys(chunk_id for chunk_id, _ in hits)))
        return [replace(chunks[cid], score=score) for cid, score in hits if cid in chunks]

    # -- where to look ---------------------------------------------------------------------
    def _priors(self, analysis: QueryAnalysis, where: SearchFilter) -> dict[str, float] | None:
        """Per-document priors when the search spans several documents, else None."""
        if where.document_ids is not None and len(where.document_ids) <= 1:
            return None
        profiles = self.profiles(where)
        if len(profiles) <= 1:
            return None
        return document_priors(analysis, profiles)

    def _routed(self, priors: dict[str, float] | None, where: SearchFilter) -> SearchFilter | None:
        """A second, narrower scope: the documents of the company the question names."""
        if not priors:
            return None
        named = named_documents(priors)
        if not named:
            return None
        best = [d for d in best_documents(priors, ROUTED_DOCUMENTS) if d in named]
        return SearchFilter(owner=where.owner, document_ids=best)

    def profiles(self, where: SearchFilter) -> Profiles:
        """The profile of every document in scope, read from its indexed header (cached
        per owner until the chunk table changes)."""
        version = self.store.text_version()
        if version != self._profiles_version:
            self._profiles_cache = {}
            self._profiles_version = version
        if where.owner not in self._profiles_cache:
            headers = self.store.document_headers(owner=where.owner)
            parsed = {doc: parse_header(header) for doc, header in headers.items()}
            self._profiles_cache[where.owner] = {d: p for d, p in parsed.items() if p is not None}
        profiles = self._profiles_cache[where.owner]
        if where.document_ids is None:
            return profiles
        return {d: profiles[d] for d in where.document_ids if d in profiles}


def text_query(analysis: QueryAnalysis) -> list[tuple[str, float]]:
    """The full-text query: the question's words, then (weighted lower, as one part, which
    keeps the query fast) the line items of its figures and the names of its statements."""
    extra = list(analysis.expansions)
    extra += [SYNONYMS[statement] for statement in analysis.statements]
    if not analysis.statements:
        extra += [SYNONYMS[statement] for statement in analysis.implied_statements]
    parts = [(analysis.content or analysis.text, 1.0)]
    if extra:
        parts.append(("; ".join(extra), EXPANSION_BOOST))
    return parts


def vector_query(analysis: QueryAnalysis) -> str:
    """What is embedded for the vector search: the question without its instructions."""
    return analysis.content or analysis.text

"""Retrieval over the chunk store: full text, vectors, or both, ranked per page.

Every query is first read like an analyst would (`knowledge.retrieval.query`): the
instruction wrapper out, fiscal years as years, the statements it names and the line
items of the figures it asks for. Full text searches the question's words and, at lower
weight, those line items and statement names; vectors search the question's content.
Candidates are pooled per page and ranked with what the question says about where to
look: pages showing the statements it names, and, across documents, the filings of the
company, year and form it names (`knowledge.retrieval.routing`). The modes differ only
in which retrievers find and score the candidates: "text" works as soon as a document's
text is written, before its vectors; "hybrid" fuses both (`knowledge.retrieval.fusion`;
plain reciprocal-rank fusion was measured worse than the vectors alone on real filings).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from knowledge.embeddings import Embedder
from knowledge.retrieval.fusion import Scored, Weights, page_hits, pool_pages, rank_pages
from knowledge.retrieval.profile import DocumentProfile
from knowledge.retrieval.query import QueryAnalysis, analyse
from knowledge.retrieval.routing import best_documents, document_priors, named_documents
from knowledge.retrieval.statements import SYNONYMS
from knowledge.store import ChunkStore, StoredChunk

SearchMode = Literal["hybrid", "text", "vector"]
Profiles = dict[str, DocumentProfile]
CANDIDATES = 50  # chunks each retriever proposes
DEPTH = 1000  # chunks each retriever scores, so most candidates get both scores
ROUTED_DOCUMENTS = 5


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
        self._workers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="retrieval")
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
        priors = self._priors(analysis, where)
        routed = self._routed(priors, where)
        scope = routed if routed is not None else where
        text_future = None
        if mode in ("text", "hybrid"):  # full text runs beside the embedding and vectors
            text_future = self._workers.submit(self._text_scores, analysis, scope)
        vector_scores = self._vector_scores(analysis, scope) if mode != "text" else {}
        text_scores = text_future.result() if text_future is not None else {}
        by_text, by_vector = self._candidates(text_scores, vector_scores, max(CANDIDATES, k))
        weights = self.weights.for_mode(mode)
        return page_hits(rank_pages(pool_pages(by_text, by_vector), analysis, weights, priors), k)

    # -- the two retrievers ----------------------------------------------------------------
    def _text_scores(self, analysis: QueryAnalysis, scope: SearchFilter) -> dict[str, float]:
        found = self.store.text_scores(
            text_query(analysis), limit=DEPTH, owner=scope.owner, document_ids=scope.document_ids
        )
        return dict(found)

    def _vector_scores(self, analysis: QueryAnalysis, scope: SearchFilter) -> dict[str, float]:
        vector = self.embedder.embed_query(vector_query(analysis))
        found = self.store.vector_search(
            vector, limit=DEPTH, owner=scope.owner, document_ids=scope.document_ids
        )
        return dict(found)

    def _candidates(
        self, text_scores: dict[str, float], vector_scores: dict[str, float], pool: int
    ) -> tuple[list[Scored], list[Scored]]:
        """The best `pool` chunks of each retriever, each scored by both where it can be.

        Each retriever ranks deeper (DEPTH) than the candidates it proposes, so a chunk
        one retriever proposes usually has the other's score too, instead of counting as
        a miss there; fusion then judges every candidate by both.
        """
        proposed = _best(text_scores, pool) + _best(vector_scores, pool)
        chunks = self.store.chunks_by_id(list(dict.fromkeys(proposed)))
        by_text = [(c, text_scores[i]) for i, c in chunks.items() if i in text_scores]
        by_vector = [(c, vector_scores[i]) for i, c in chunks.items() if i in vector_scores]
        return by_text, by_vector

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
        """The scope narrowed to the filings of the company the question names (the best
        few by period and form), or None when it names none of the documents in scope.

        Searching only there (instead of beside the whole scope) was measured as good
        or better across the collection, and it halves the work of such queries.
        """
        if not priors:
            return None
        named = named_documents(priors)
        if not named:
            return None
        best = [d for d in best_documents(priors, len(priors)) if d in named][:ROUTED_DOCUMENTS]
        return SearchFilter(owner=where.owner, document_ids=best)

    def profiles(self, where: SearchFilter) -> Profiles:
        """The profile of every document in scope, from the store's profile columns (cached
        per owner until the chunk table changes)."""
        version = self.store.text_version()
        if version != self._profiles_version:
            self._profiles_cache = {}
            self._profiles_version = version
        if where.owner not in self._profiles_cache:
            self._profiles_cache[where.owner] = self.store.document_profiles(owner=where.owner)
        profiles = self._profiles_cache[where.owner]
        if where.document_ids is None:
            return profiles
        return {d: profiles[d] for d in where.document_ids if d in profiles}


def text_query(analysis: QueryAnalysis) -> str:
    """The full-text query: the question's words, then the line items of its figures and
    the names of its statements, which count half as much (BM25 adds up repeated query
    words, so the question's own words are given twice: one query, half the work of a
    boolean query of weighted parts)."""
    content = analysis.content or analysis.text
    extra = list(analysis.expansions)
    extra += [SYNONYMS[statement] for statement in analysis.statements]
    if not analysis.statements:
        extra += [SYNONYMS[statement] for statement in analysis.implied_statements]
    return " ".join([content, content, *extra])


def vector_query(analysis: QueryAnalysis) -> str:
    """What is embedded for the vector search: the question without its instructions."""
    return analysis.content or analysis.text


def _best(scores: dict[str, float], count: int) -> list[str]:
    return heapq.nlargest(count, scores, key=scores.__getitem__)

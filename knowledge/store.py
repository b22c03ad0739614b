"""The LanceDB chunk store: text with a native full-text index, and vectors beside it.

Two tables, so full-text search works as soon as a document's text is written, while its
vectors are still being computed: `chunks` (text + metadata, FTS index) and `vectors`
(chunk id + vector, tagged with the embedding model and dimension, which it refuses to
mix). Every write of a document is a single LanceDB commit, so readers never see half
of one.

Several processes may share one store. Reads check for other writers' commits (strong
read consistency), so a document ingested by one `quorum serve` is found by the next
search of another. On a local folder writers take a file lock, so one process writes at
a time; on object storage (`s3://...`, where there is no lock) LanceDB resolves
concurrent appends itself and reports a conflicting index refresh or compaction as a
retryable commit conflict, which is retried after a short random pause.
"""

from __future__ import annotations

import fcntl
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import lancedb
import numpy as np
import pyarrow as pa
from lancedb.index import FTS, Bitmap, BTree, IvfPq
from lancedb.query import FullTextOperator, MatchQuery

from knowledge.chunking import Chunk
from knowledge.errors import EmbeddingMismatchError
from knowledge.retrieval.profile import DocumentProfile
from knowledge.store_profile import (
    PROFILE_COLUMN,
    PROFILE_TYPE,
    profile_of,
    profile_record,
    with_profile_column,
)

logger = logging.getLogger(__name__)

CHUNKS = "chunks"
SEARCH_COLUMN = "search_text"
# Scalar indexes that keep look-ups by id and filters by document/owner off full scans.
_LOOKUP_INDEXES = (("chunk_id", BTree()), ("document_id", Bitmap()), ("owner", Bitmap()))
VECTORS = "vectors"
# Below this many vectors a flat scan is fast enough; above it an IVF-PQ index pays off.
VECTOR_INDEX_MIN_ROWS = 20_000
# Searches within this many documents compare every vector of them (no index needed).
EXACT_SEARCH_DOCUMENTS = 20
# Retries of a write that lost a commit race to another writer (object storage).
COMMIT_ATTEMPTS = 8
COMMIT_BACKOFF_S = 0.05

T = TypeVar("T")


def is_commit_conflict(error: BaseException) -> bool:
    """LanceDB reports a lost commit race as a RuntimeError saying so (lance 'Retryable')."""
    message = str(error).lower()
    return isinstance(error, RuntimeError) and (
        "commit conflict" in message or "write contention" in message
    )


def retry_commit_conflicts(operation: Callable[[], T], *, what: str) -> T:
    """Run a write again when another writer committed first; other errors go through."""
    for attempt in range(1, COMMIT_ATTEMPTS + 1):
        try:
            return operation()
        except RuntimeError as error:
            if not is_commit_conflict(error) or attempt == COMMIT_ATTEMPTS:
                raise
            logger.info("%s lost a commit race (attempt %d); retrying", what, attempt)
            time.sleep(COMMIT_BACKOFF_S * attempt * (0.5 + random.random()))
    raise AssertionError("unreachable")  # pragma: no cover


def is_object_store(location: str | Path) -> bool:
    """True for a URI such as s3://bucket/path (and file://), False for a plain folder."""
    return "://" in str(location)


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as it comes back from a search, with its score in that search."""

    chunk_id: str
    document_id: str
    page: int
    start: int
    end: int
    text: str
    label: str | None
    row_start: int | None
    row_end: int | None
    score: float
    search_text: str = ""  # what the indexes saw: the chunk with its context (never cited)


@dataclass(frozen=True)
class _TableState:
    version: int
    rows: int
    vector_index: bool


_SCALAR_KINDS = frozenset({"FTS", "BTree", "Bitmap", "LabelList"})


def _indexed_columns(table: Any) -> set[tuple[str, ...]]:
    return {tuple(index.columns) for index in table.list_indices()}


def _add_lookup_indexes(
    table: Any, existing: set[tuple[str, ...]], indexes: Sequence[tuple[str, Any]]
) -> None:
    for column, config in indexes:
        if (column,) not in existing:
            table.create_index(column, config=config)


def chunk_id(document_id: str, index: int) -> str:
    return f"{document_id}:{index:06d}"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _filter(owner: str | None, document_ids: Sequence[str] | None) -> str | None:
    clauses = []
    if owner is not None:
        clauses.append(f"owner = {_quote(owner)}")
    if document_ids is not None:
        listed = ", ".join(_quote(d) for d in document_ids) or "''"
        clauses.append(f"document_id IN ({listed})")
    return " AND ".join(clauses) or None


class ChunkStore:
    """Chunks and vectors of every document, in one LanceDB folder (always an absolute path)
    or at an object-storage URI."""

    def __init__(self, root: Path | str, *, embedding_model: str, dimension: int) -> None:
        self.location = str(root) if is_object_store(root) else str(Path(root).resolve())
        self._lock_file = None if is_object_store(root) else Path(self.location) / ".write.lock"
        if self._lock_file is not None:
            self._lock_file.parent.mkdir(parents=True, exist_ok=True)
        self.embedding_model = embedding_model
        self.dimension = dimension
        self._db = lancedb.connect(self.location, read_consistency_interval=timedelta(0))
        self._thread_lock = threading.RLock()
        self._table_states: dict[str, _TableState] = {}
        self._chunks = self._open_or_create(CHUNKS, self._chunk_schema())
        if PROFILE_COLUMN not in self._chunks.schema.names:
            self._add_profile_column()
        self._vectors = self._open_or_create(VECTORS, self._vector_schema())
        self._check_embedding_model()

    # -- schema ---------------------------------------------------------------------------
    @staticmethod
    def _chunk_schema() -> pa.Schema:
        return pa.schema(
            [
                pa.field("chunk_id", pa.string(), nullable=False),
                pa.field("document_id", pa.string(), nullable=False),
                pa.field("owner", pa.string(), nullable=False),
                pa.field("page", pa.int32(), nullable=False),
                pa.field("start", pa.int32(), nullable=False),
                pa.field("end", pa.int32(), nullable=False),
                pa.field("label", pa.string()),
                pa.field("row_start", pa.int32()),
                pa.field("row_end", pa.int32()),
                pa.field("text", pa.string(), nullable=False),
                pa.field("search_text", pa.string(), nullable=False),
                pa.field(PROFILE_COLUMN, PROFILE_TYPE),
            ]
        )

    def _vector_schema(self) -> pa.Schema:
        return pa.schema(
            [
                pa.field("chunk_id", pa.string(), nullable=False),
                pa.field("document_id", pa.string(), nullable=False),
                pa.field("owner", pa.string(), nullable=False),
                pa.field("vector", pa.list_(pa.float32(), self.dimension), nullable=False),
            ],
            metadata={"embedding_model": self.embedding_model, "dimension": str(self.dimension)},
        )

    def _open_or_create(self, name: str, schema: pa.Schema) -> Any:
        if name in self._db.list_tables().tables:
            return self._db.open_table(name)
        with self._write_lock():
            return self._db.create_table(name, schema=schema, exist_ok=True)

    def _add_profile_column(self) -> None:
        """Rewrite a chunk table written before the profile columns (one commit), with the
        profiles read from its old header lines, and rebuild its indexes."""
        with self._write_lock():
            self._chunks = self._db.open_table(CHUNKS)
            if PROFILE_COLUMN in self._chunks.schema.names:  # another process did it meanwhile
                return
            rows = with_profile_column(self._chunks.to_arrow(), self._chunk_schema())
            logger.info("adding profile columns to %d chunks in %s", rows.num_rows, self.location)
            self._chunks = self._db.create_table(
                CHUNKS, rows, schema=self._chunk_schema(), mode="overwrite"
            )
            if rows.num_rows:
                retry_commit_conflicts(self._refresh_text_index, what="rebuilding the text index")

    def _check_embedding_model(self) -> None:
        metadata = self._vectors.schema.metadata or {}
        model = metadata.get(b"embedding_model", b"").decode()
        dimension = metadata.get(b"dimension", b"0").decode()
        if model != self.embedding_model or dimension != str(self.dimension):
            raise EmbeddingMismatchError(
                f"the index in {self.location} was built with {model} ({dimension} dimensions), "
                f"not {self.embedding_model} ({self.dimension}): use the same embedding "
                "settings or a new data dir"
            )

    # -- locking --------------------------------------------------------------------------
    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """One writer per store across threads, and across processes on a local folder."""
        with self._thread_lock:
            if self._lock_file is None:
                yield
                return
            with self._lock_file.open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)

    # -- writes ---------------------------------------------------------------------------
    def add_chunks(
        self,
        document_id: str,
        owner: str,
        chunks: Sequence[Chunk],
        search_texts: Sequence[str] | None = None,
        *,
        profile: DocumentProfile | None = None,
    ) -> None:
        """Write a document's chunks in one commit, then bring the full-text index up to date.

        `search_texts` is what the full-text index sees for each chunk (the chunk text with
        context such as the section heading); citations always use `text`. `profile` is
        stored in the profile columns of every row (read by `document_profiles`).
        """
        if not chunks:
            return
        texts = search_texts or [chunk.text for chunk in chunks]
        rows = [
            {
                "chunk_id": chunk_id(document_id, chunk.index),
                "document_id": document_id,
                "owner": owner,
                "page": chunk.page,
                "start": chunk.start,
                "end": chunk.end,
                "label": chunk.label,
                "row_start": chunk.row_start,
                "row_end": chunk.row_end,
                "text": chunk.text,
                "search_text": search_text,
                PROFILE_COLUMN: profile_record(profile) if profile else None,
            }
            for chunk, search_text in zip(chunks, texts, strict=True)
        ]
        data = pa.Table.from_pylist(rows, schema=self._chunk_schema())
        with self._write_lock():
            retry_commit_conflicts(lambda: self._chunks.add(data), what="adding chunks")
            retry_commit_conflicts(self._refresh_text_index, what="refreshing the text index")

    def _refresh_text_index(self) -> None:
        """Build the full-text and lookup indexes once data exists, then keep them current."""
        existing = _indexed_columns(self._chunks)
        if (SEARCH_COLUMN,) not in existing:
            self._chunks.create_index(SEARCH_COLUMN, config=FTS(with_position=False))
        _add_lookup_indexes(self._chunks, existing, _LOOKUP_INDEXES)
        if len(existing) > 0:
            self._chunks.optimize()

    def add_vectors(
        self, document_id: str, owner: str, chunk_ids: Sequence[str], vectors: np.ndarray
    ) -> None:
        """Write a document's vectors in one commit; build a vector index once it pays off."""
        if vectors.shape != (len(chunk_ids), self.dimension):
            raise ValueError(f"expected {len(chunk_ids)} vectors of {self.dimension} dimensions")
        if not chunk_ids:
            return
        column = pa.FixedSizeListArray.from_arrays(
            pa.array(vectors.astype(np.float32).ravel()), self.dimension
        )
        table = pa.Table.from_arrays(
            [
                pa.array(chunk_ids),
                pa.array([document_id] * len(chunk_ids)),
                pa.array([owner] * len(chunk_ids)),
                column,
            ],
            schema=self._vector_schema(),
        )
        with self._write_lock():
            retry_commit_conflicts(lambda: self._vectors.add(table), what="adding vectors")
            retry_commit_conflicts(self._maintain_vector_index, what="refreshing the vector index")

    def _maintain_vector_index(self) -> None:
        existing = _indexed_columns(self._vectors)
        _add_lookup_indexes(self._vectors, existing, _LOOKUP_INDEXES[1:])
        rows = self._vectors.count_rows()
        has_index = ("vector",) in existing
        if has_index:
            self._vectors.optimize()
        elif rows >= VECTOR_INDEX_MIN_ROWS:
            logger.info("building the vector index over %d vectors", rows)
            self._vectors.create_index(
                "vector",  # with a config, the first argument is the column (not the metric)
                config=IvfPq(distance_type="dot", num_sub_vectors=self.dimension // 8),
            )

    def delete_document(self, document_id: str) -> None:
        where = f"document_id = {_quote(document_id)}"
        with self._write_lock():
            retry_commit_conflicts(lambda: self._vectors.delete(where), what="deleting vectors")
            retry_commit_conflicts(lambda: self._chunks.delete(where), what="deleting chunks")

    def delete_vectors(self, document_id: str) -> None:
        where = f"document_id = {_quote(document_id)}"
        with self._write_lock():
            retry_commit_conflicts(lambda: self._vectors.delete(where), what="deleting vectors")

    # -- reads ----------------------------------------------------------------------------
    def text_search(
        self,
        query: str,
        *,
        limit: int,
        owner: str | None = None,
        document_ids: Sequence[str] | None = None,
    ) -> list[StoredChunk]:
        """BM25 over `search_text`; empty when the index does not exist yet or nothing matches.

        The query is plain words (no query syntax); a word given twice counts twice.
        """
        search = self._text_query(query, owner, document_ids)
        if search is None:
            return []
        rows = search.limit(limit).to_list()
        return [self._stored(row, float(row["_score"])) for row in rows]

    def text_scores(
        self,
        query: str,
        *,
        limit: int,
        owner: str | None = None,
        document_ids: Sequence[str] | None = None,
    ) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the best matches, without reading their text (fast)."""
        search = self._text_query(query, owner, document_ids)
        if search is None:
            return []
        rows = search.select(["chunk_id", "_score"]).limit(limit).to_list()
        return [(row["chunk_id"], float(row["_score"])) for row in rows]

    def _text_query(
        self, query: str, owner: str | None, document_ids: Sequence[str] | None
    ) -> Any | None:
        if not query.strip() or not self._searchable(self._chunks).rows:
            return None
        match = MatchQuery(
            query,
            SEARCH_COLUMN,
            boost=1.0,
            fuzziness=0,
            max_expansions=50,
            operator=FullTextOperator.OR,
            prefix_length=0,
            document_granularity=None,
        )  # LanceDB's defaults, written out: mypy cannot see a pydantic dataclass's defaults
        search = self._chunks.search(match, query_type="fts")
        where = _filter(owner, document_ids)
        return search.where(where, prefilter=True) if where else search

    def _searchable(self, table: Any) -> _TableState:
        """Row count and vector-index presence of a table, asked again only after a write."""
        version = int(table.version)
        known = self._table_states.get(table.name)
        if known is None or known.version != version:
            indexes = table.list_indices()
            known = _TableState(
                version=version,
                rows=table.count_rows(),
                vector_index=any(index.index_type not in _SCALAR_KINDS for index in indexes),
            )
            self._table_states[table.name] = known
        return known

    def text_version(self) -> int:
        """Changes with every write to the chunks table (to invalidate caches of it)."""
        return int(self._chunks.version)

    def document_profiles(
        self, *, owner: str | None = None, document_ids: Sequence[str] | None = None
    ) -> dict[str, DocumentProfile]:
        """The stored profile of each document that has one, by document."""
        first = f"chunk_id LIKE '%:000000' AND {PROFILE_COLUMN} IS NOT NULL"
        where = " AND ".join(filter(None, [first, _filter(owner, document_ids)]))
        rows = (
            self._chunks.search()
            .where(where)
            .select(["document_id", PROFILE_COLUMN])
            .limit(max(self._chunks.count_rows(), 1))
            .to_list()
        )
        return {row["document_id"]: profile_of(row[PROFILE_COLUMN]) for row in rows}

    def vector_search(
        self,
        vector: np.ndarray,
        *,
        limit: int,
        owner: str | None = None,
        document_ids: Sequence[str] | None = None,
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the nearest vectors; vectors are L2-normalised."""
        state = self._searchable(self._vectors)
        if not state.rows:
            return []
        search = self._vectors.search(vector.astype(np.float32), vector_column_name="vector")
        search = search.distance_type("dot").select(["chunk_id", "_distance"])
        where = _filter(owner, document_ids)
        if where:
            search = search.where(where, prefilter=True)
        if document_ids is not None and len(document_ids) <= EXACT_SEARCH_DOCUMENTS:
            search = search.bypass_vector_index()  # a few documents: exact, and cheaper
        elif state.vector_index:
            search = search.nprobes(20).refine_factor(10)
        rows = search.limit(limit).to_list()
        return [(row["chunk_id"], 1.0 - float(row["_distance"])) for row in rows]

    def chunks_by_id(self, chunk_ids: Sequence[str]) -> dict[str, StoredChunk]:
        if not chunk_ids:
            return {}
        where = f"chunk_id IN ({', '.join(_quote(c) for c in chunk_ids)})"
        rows = self._chunks.search().where(where).limit(len(chunk_ids)).to_list()
        return {row["chunk_id"]: self._stored(row, 0.0) for row in rows}

    def document_chunks(self, document_id: str) -> list[StoredChunk]:
        rows = (
            self._chunks.search()
            .where(f"document_id = {_quote(document_id)}")
            .limit(self._chunks.count_rows() or 1)
            .to_list()
        )
        return sorted((self._stored(row, 0.0) for row in rows), key=lambda c: c.chunk_id)

    def search_texts_of(self, chunk_ids: Sequence[str]) -> list[str]:
        """The indexed text of chunks, in the order asked (to resume embedding them)."""
        if not chunk_ids:
            return []
        where = f"chunk_id IN ({', '.join(_quote(c) for c in chunk_ids)})"
        rows = (
            self._chunks.search()
            .where(where)
            .select(["chunk_id", "search_text"])
            .limit(len(chunk_ids))
            .to_list()
        )
        by_id = {row["chunk_id"]: row["search_text"] for row in rows}
        return [by_id[c] for c in chunk_ids]

    def document_ids(self) -> set[str]:
        """Every document id present in either table (for consistency checks at start-up)."""
        found: set[str] = set()
        for table in (self._chunks, self._vectors):
            rows = table.count_rows()
            if rows:
                data = table.search().select(["document_id"]).limit(rows).to_arrow()
                found.update(data.column("document_id").unique().to_pylist())
        return found

    def count(self, document_id: str) -> tuple[int, int]:
        """(chunks, vectors) stored for a document."""
        where = f"document_id = {_quote(document_id)}"
        return self._chunks.count_rows(where), self._vectors.count_rows(where)

    @staticmethod
    def _stored(row: dict[str, Any], score: float) -> StoredChunk:
        return StoredChunk(
            chunk_id=row["chunk_id"],
            document_id=row["document_id"],
            page=int(row["page"]),
            start=int(row["start"]),
            end=int(row["end"]),
            text=row["text"],
            label=row.get("label"),
            row_start=row.get("row_start"),
            row_end=row.get("row_end"),
            score=score,
            search_text=row.get("search_text") or "",
        )

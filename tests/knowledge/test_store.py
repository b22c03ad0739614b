"""The LanceDB chunk store on a real temp folder: text first, vectors after, one model only."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from knowledge.chunking import Chunk
from knowledge.errors import EmbeddingMismatchError
from knowledge.store import ChunkStore, chunk_id


def _chunks(texts: list[str], page: int = 1) -> list[Chunk]:
    return [Chunk(index=i, page=page, start=0, end=len(t), text=t) for i, t in enumerate(texts)]


def _unit(vectors: list[list[float]]) -> np.ndarray:
    array = np.array(vectors, dtype=np.float32)
    return array / np.linalg.norm(array, axis=1, keepdims=True)


def test_full_text_search_works_before_vectors_and_filters(tmp_path: Path) -> None:
    store = ChunkStore(tmp_path / "lancedb", embedding_model="test", dimension=3)
    store.add_chunks(
        "doc1", "alice", _chunks(["Consolidated statement of cash flows", "Risk factors"])
    )
    store.add_chunks("doc2", "bob", _chunks(["Cash dividends paid to shareholders"]))
    assert [c.document_id for c in store.text_search("cash", limit=5, owner="alice")] == ["doc1"]
    assert {c.document_id for c in store.text_search("cash", limit=5)} == {"doc1", "doc2"}
    assert store.text_search("cash", limit=5, document_ids=["doc2"])[0].text.startswith("Cash div")
    assert store.vector_search(_unit([[1, 0, 0]])[0], limit=3) == []
    assert store.count("doc1") == (2, 0)


def test_vectors_search_by_similarity_and_delete_removes_everything(tmp_path: Path) -> None:
    store = ChunkStore(tmp_path / "lancedb", embedding_model="test", dimension=3)
    store.add_chunks("doc1", "alice", _chunks(["alpha", "beta"]))
    ids = [chunk_id("doc1", 0), chunk_id("doc1", 1)]
    store.add_vectors("doc1", "alice", ids, _unit([[1, 0, 0], [0, 1, 0]]))
    hits = store.vector_search(_unit([[0.9, 0.1, 0]])[0], limit=2, owner="alice")
    assert hits[0][0] == ids[0] and hits[0][1] > hits[1][1]
    assert store.vector_search(_unit([[1, 0, 0]])[0], limit=2, owner="bob") == []
    assert store.chunks_by_id([ids[1]])[ids[1]].text == "beta"
    assert store.document_ids() == {"doc1"}
    store.delete_document("doc1")
    assert store.count("doc1") == (0, 0)
    assert store.document_ids() == set()


def test_refuses_to_mix_embedding_models(tmp_path: Path) -> None:
    ChunkStore(tmp_path / "lancedb", embedding_model="model-a", dimension=3)
    with pytest.raises(EmbeddingMismatchError, match="model-a"):
        ChunkStore(tmp_path / "lancedb", embedding_model="model-b", dimension=3)
    with pytest.raises(EmbeddingMismatchError):
        ChunkStore(tmp_path / "lancedb", embedding_model="model-a", dimension=4)


def test_quotes_in_filters_cannot_escape(tmp_path: Path) -> None:
    store = ChunkStore(tmp_path / "lancedb", embedding_model="test", dimension=3)
    store.add_chunks("doc1", "alice", _chunks(["cash ledger"]))
    assert store.text_search("cash", limit=5, owner="x' OR '1'='1") == []


def test_a_second_process_handle_sees_the_first_ones_writes(tmp_path: Path) -> None:
    """Two `quorum serve` share a folder: each reads what the other wrote, without reopening."""
    reader = ChunkStore(tmp_path / "lancedb", embedding_model="test", dimension=3)
    assert reader.text_search("structuring", limit=5) == []
    writer = ChunkStore(tmp_path / "lancedb", embedding_model="test", dimension=3)
    writer.add_chunks("doc1", "alice", _chunks(["cash structuring below the threshold"]))
    writer.add_vectors("doc1", "alice", [chunk_id("doc1", 0)], _unit([[0, 0, 1]]))
    assert [c.document_id for c in reader.text_search("structuring", limit=5)] == ["doc1"]
    assert reader.vector_search(_unit([[0, 0, 1]])[0], limit=1)[0][0] == chunk_id("doc1", 0)


def test_writers_without_a_shared_lock_retry_conflicts_and_lose_no_rows(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """As on object storage (a URI, no file lock): index refreshes and compactions of two
    writers collide, are retried, and every document ends up in both indexes."""
    uri = f"file://{tmp_path / 'shared'}"
    stores = [ChunkStore(uri, embedding_model="test", dimension=3) for _ in range(2)]
    per_writer = 12

    def write(writer: int) -> None:
        for n in range(per_writer):
            document = f"w{writer}d{n}"
            store = stores[writer]
            store.add_chunks(document, "team", _chunks([f"memo {document} wire transfer"]))
            store.add_vectors(document, "team", [chunk_id(document, 0)], _unit([[1, writer, n]]))

    caplog.set_level("INFO", logger="knowledge.store")
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(write, range(2)))

    check = ChunkStore(uri, embedding_model="test", dimension=3)
    expected = {f"w{w}d{n}" for w in range(2) for n in range(per_writer)}
    assert check.document_ids() == expected
    assert all(check.count(document) == (1, 1) for document in expected)
    found = {c.document_id for c in check.text_search("wire transfer", limit=100)}
    assert found == expected  # the full-text index covers every writer's rows
    assert any("lost a commit race" in r.message for r in caplog.records)  # conflicts did occur

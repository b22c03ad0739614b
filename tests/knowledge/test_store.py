"""The LanceDB chunk store on a real temp folder: text first, vectors after, one model only."""

from __future__ import annotations

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

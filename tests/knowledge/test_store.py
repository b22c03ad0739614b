"""The LanceDB chunk store on a real temp folder: text first, vectors after, one model only."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import lancedb
import numpy as np
import pyarrow as pa
import pytest
from lancedb.index import FTS

from knowledge.chunking import Chunk
from knowledge.errors import EmbeddingMismatchError
from knowledge.retrieval.profile import DocumentProfile
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


def _old_format_table(root: Path) -> None:
    """A chunks table as the version before the profile columns wrote it: the profile only
    as the first line of a document's first indexed text, and a full-text index."""
    schema = pa.schema(
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
        ]
    )
    header = "Document: 3M 2018 10K · company: 3M · ticker: MMM · form: 10-K · fiscal period: " + (
        "FY2018"
    )
    texts = {
        chunk_id("mmm", 0): (header + "\nNet sales rose", "Net sales rose"),
        chunk_id("mmm", 1): ("3M 2018 10K\nCash dividends paid", "Cash dividends paid"),
        chunk_id("memo", 0): ("memo\nwire transfer cash", "wire transfer cash"),
    }
    rows = [
        {
            "chunk_id": cid, "document_id": cid.split(":")[0], "owner": "alice", "page": 1,
            "start": 0, "end": len(text), "label": None, "row_start": None, "row_end": None,
            "text": text, "search_text": indexed,
        }
        for cid, (indexed, text) in texts.items()
    ]
    db = lancedb.connect(str(root))
    table = db.create_table("chunks", pa.Table.from_pylist(rows, schema=schema))
    table.create_index("search_text", config=FTS(with_position=False))


def test_a_table_written_before_the_profile_columns_is_rewritten_with_them(
    tmp_path: Path,
) -> None:
    _old_format_table(tmp_path / "lancedb")
    store = ChunkStore(tmp_path / "lancedb", embedding_model="test", dimension=3)
    profiles = store.document_profiles(owner="alice")
    assert set(profiles) == {"mmm"}  # the memo had no profile line
    mmm = profiles["mmm"]
    assert (mmm.title, mmm.names, mmm.tickers, mmm.form, mmm.year) == (
        "3M 2018 10K", ("3M",), ("MMM",), "10-K", 2018
    )
    assert [c.document_id for c in store.text_search("dividends", limit=3)] == ["mmm"]
    assert store.count("mmm") == (2, 0) and store.count("memo") == (1, 0)
    store.add_vectors("memo", "alice", [chunk_id("memo", 0)], _unit([[1, 0, 0]]))
    assert store.vector_search(_unit([[1, 0, 0]])[0], limit=1)[0][0] == chunk_id("memo", 0)

    version = store.text_version()
    again = ChunkStore(tmp_path / "lancedb", embedding_model="test", dimension=3)
    assert again.text_version() == version  # upgraded once
    assert again.document_profiles(document_ids=["mmm"]) == {"mmm": mmm}


def test_a_profile_is_stored_in_columns_with_the_chunks(tmp_path: Path) -> None:
    store = ChunkStore(tmp_path / "lancedb", embedding_model="test", dimension=3)
    profile = DocumentProfile(
        title="Acme 2023 10-Q", names=("Acme",), form="10-Q", year=2023, quarter=2
    )
    store.add_chunks("acme", "alice", _chunks(["revenue", "cash"]), profile=profile)
    store.add_chunks("note", "alice", _chunks(["a note"]))
    assert store.document_profiles(owner="alice") == {"acme": profile}
    assert store.document_profiles(owner="bob") == {}

"""Embeddings: the int8 MiniLM encoder against a NumPy reference, its model cache, and the
OpenAI-compatible path through the real openai client and a scripted server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import socket
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pypdf import PdfReader
from shared_data import shared_path

from benchmarks.minilm_reference import NumpyMiniLM, blas_threads
from knowledge.config import EmbeddingConfig
from knowledge.embeddings import (
    Embedder,
    EmbeddingConfigError,
    EmbeddingEndpointError,
    EmbeddingModelBuildError,
    EmbeddingModelMissingError,
    LocalMiniLMEmbedder,
    OpenAIEmbedder,
    build_embedder,
    encoder_build,
    model_cache,
)
from knowledge.embeddings.encoder_build import EncoderRecipe
from knowledge.embeddings.model_cache import build_once, encoder_file_name
from knowledge.embeddings.weights import locate_minilm

SENTENCES = [
    "Net sales increased 9% compared with the prior year, driven by organic growth.",
    "The company repurchased $2.1 billion of its common stock during the quarter.",
    "Wire transfers above $10,000 must be reported to the compliance officer.",
    "The cat slept on the warm windowsill all afternoon.",
]


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(scope="session")
def int8_embedder(cache_dir: Path) -> LocalMiniLMEmbedder:
    """Built once per session through the public factory, into a fresh cache."""
    embedder = build_embedder(EmbeddingConfig(), cache_dir=cache_dir, threads=2)
    assert isinstance(embedder, LocalMiniLMEmbedder)
    return embedder


@pytest.fixture(scope="session")
def real_texts() -> list[str]:
    """Three 800-character chunks from the middle of a real 10-K (pypdf), and a few sentences."""
    folder = shared_path("data", "financebench-dev")
    reader = PdfReader(sorted(folder.glob("*.pdf"))[0])
    middle = len(reader.pages) // 2
    chunks: list[str] = []
    for page in reader.pages[middle : middle + 3]:
        text = re.sub(r"\s+", " ", page.extract_text() or "").strip()
        chunks += [text[start : start + 800] for start in range(0, len(text) - 400, 800)]
    assert len(chunks) >= 3, "too little text on the sampled pages"
    return chunks[:3] + SENTENCES


@pytest.fixture(scope="session")
def reference_vectors(real_texts: list[str]) -> np.ndarray:
    """The NumPy fp32 reference, computed once (one BLAS thread: fast on shared cores)."""
    with blas_threads(1):
        return NumpyMiniLM(locate_minilm().model_dir).embed(real_texts)


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


# --- the local encoder ---------------------------------------------------------------


def test_int8_encoder_matches_the_numpy_reference_on_filing_text(
    int8_embedder: LocalMiniLMEmbedder, real_texts: list[str], reference_vectors: np.ndarray
) -> None:
    similarity = cosines(int8_embedder.embed_documents(real_texts), reference_vectors)
    assert similarity.min() >= 0.99, similarity


def test_fp32_encoder_reproduces_the_reference_exactly(
    cache_dir: Path, real_texts: list[str], reference_vectors: np.ndarray
) -> None:
    """The hand-written graph is the model: any wiring mistake would show here."""
    fp32 = LocalMiniLMEmbedder.load(cache_dir, quantized=False, threads=2)
    similarity = cosines(fp32.embed_documents(real_texts), reference_vectors)
    assert similarity.min() >= 0.9999, similarity
    assert fp32.model_name == "all-MiniLM-L6-v2-onnx-fp32"


def test_a_query_is_closer_to_its_paraphrase_than_to_unrelated_text(
    int8_embedder: LocalMiniLMEmbedder,
) -> None:
    query = int8_embedder.embed_query("How much cash did the company return to shareholders?")
    paraphrase, unrelated = int8_embedder.embed_documents(
        [
            "The firm paid dividends and bought back shares worth $3 billion.",
            "Heavy rain is expected across the northern mountains this weekend.",
        ]
    )
    assert float(query @ paraphrase) > float(query @ unrelated) + 0.2


def test_vectors_are_unit_float32_rows_in_input_order(
    int8_embedder: LocalMiniLMEmbedder,
) -> None:
    texts = [
        "Who audits the company?",
        "a much longer sentence about quarterly revenue " * 8,
        "",
        "Capital expenditures rose to $1.6 billion.",
    ]
    vectors = int8_embedder.embed_documents(texts)
    assert int8_embedder.dimension == 384
    assert int8_embedder.model_name == "all-MiniLM-L6-v2-onnx-int8"
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    alone = np.stack([int8_embedder.embed_query(text) for text in texts])
    assert alone.shape == (4, 384) and alone.dtype == np.float32
    # Batching (sorted by length, padded) must not move a text's vector or its row.
    assert cosines(vectors, alone)[[0, 1, 3]].min() > 0.99
    assert list(np.argmax(vectors @ alone.T, axis=1)) == [0, 1, 2, 3]
    assert int8_embedder.embed_documents([]).shape == (0, 384)


def test_long_text_is_truncated_at_256_word_pieces(int8_embedder: LocalMiniLMEmbedder) -> None:
    head = " ".join(f"revenue{n % 50} grew" for n in range(300))
    both = int8_embedder.embed_documents([head, head + " unrelated weather report " * 50])
    assert float(both[0] @ both[1]) > 0.9999


def test_a_lone_string_is_refused(int8_embedder: LocalMiniLMEmbedder) -> None:
    with pytest.raises(TypeError, match="embed_query"):
        int8_embedder.embed_documents("not a list")


def test_concurrent_calls_give_the_same_vectors(int8_embedder: LocalMiniLMEmbedder) -> None:
    expected = int8_embedder.embed_documents(SENTENCES)
    results: list[np.ndarray] = []
    workers = [
        threading.Thread(target=lambda: results.append(int8_embedder.embed_documents(SENTENCES)))
        for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(results) == 3
    for result in results:
        assert np.allclose(result, expected, atol=1e-6)


def test_the_embedder_satisfies_the_protocol(int8_embedder: LocalMiniLMEmbedder) -> None:
    assert isinstance(int8_embedder, Embedder)


# --- the model cache ------------------------------------------------------------------


def test_a_second_load_reuses_the_cached_encoder(
    int8_embedder: LocalMiniLMEmbedder, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [cached] = cache_dir.glob("all-MiniLM-L6-v2-int8-*.onnx")
    stamp = cached.stat().st_mtime_ns

    def no_rebuild(*args: object) -> None:
        raise AssertionError("the encoder was rebuilt")

    monkeypatch.setattr(model_cache, "write_encoder", no_rebuild)
    again = build_embedder(EmbeddingConfig(), cache_dir=cache_dir, threads=1)
    assert np.allclose(again.embed_query(SENTENCES[0]), int8_embedder.embed_query(SENTENCES[0]))
    assert cached.stat().st_mtime_ns == stamp
    assert not list(cache_dir.glob(".building-*"))


def test_the_cache_name_follows_the_builder_version(monkeypatch: pytest.MonkeyPatch) -> None:
    files = locate_minilm()
    before = encoder_file_name(files, EncoderRecipe())
    assert before.startswith("all-MiniLM-L6-v2-int8-") and before.endswith(".onnx")
    assert encoder_file_name(files, EncoderRecipe(quantized=False)) != before
    monkeypatch.setattr(encoder_build, "BUILDER_VERSION", "next")
    assert encoder_file_name(files, EncoderRecipe()) != before


def test_a_cached_file_that_does_not_load_is_rebuilt(
    int8_embedder: LocalMiniLMEmbedder,
    cache_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [good] = cache_dir.glob("all-MiniLM-L6-v2-int8-*.onnx")
    broken = tmp_path / good.name
    broken.write_bytes(b"truncated")
    rebuilt: list[Path] = []

    def copy_good(files: object, recipe: object, destination: Path) -> None:
        rebuilt.append(destination)
        destination.write_bytes(good.read_bytes())

    monkeypatch.setattr(model_cache, "write_encoder", copy_good)
    embedder = LocalMiniLMEmbedder.load(tmp_path, threads=1)
    assert len(rebuilt) == 1
    assert np.allclose(embedder.embed_query("x"), int8_embedder.embed_query("x"))


def test_concurrent_builders_build_once(tmp_path: Path) -> None:
    target = tmp_path / "cache" / "model.onnx"
    calls: list[int] = []
    started = threading.Barrier(4)

    def slow_write(partial: Path) -> None:
        calls.append(1)
        partial.write_bytes(b"model")
        threading.Event().wait(0.2)

    def build() -> None:
        started.wait()
        build_once(target, slow_write)

    workers = [threading.Thread(target=build) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert calls == [1]
    assert target.read_bytes() == b"model"
    left = sorted(path.name for path in target.parent.iterdir())
    assert left == ["model.onnx", "model.onnx.lock"]


def test_a_failed_build_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "model.onnx"

    def failing_write(partial: Path) -> None:
        partial.write_bytes(b"half")
        raise RuntimeError("quantiser crashed")

    with pytest.raises(RuntimeError):
        build_once(target, failing_write)
    assert [path.name for path in tmp_path.iterdir()] == ["model.onnx.lock"]


def test_an_unwritable_cache_says_which_setting_to_change(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(EmbeddingModelBuildError, match="QUORUM_MODEL_CACHE_DIR") as caught:
        LocalMiniLMEmbedder.load(blocker / "cache")
    assert "\n" not in str(caught.value)


def test_missing_weights_say_to_reinstall(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelMissingError, match="make install") as caught:
        LocalMiniLMEmbedder.load(tmp_path / "cache", model_dir=tmp_path)
    assert "model.safetensors" in str(caught.value)


def test_the_local_provider_refuses_other_models(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingConfigError, match="QUORUM_EMBEDDING_MODEL"):
        build_embedder(EmbeddingConfig(model="bge-large"), cache_dir=tmp_path)


# --- the OpenAI-compatible endpoint ---------------------------------------------------

Reply = tuple[int, dict[str, Any]]


def bag_of_words(text: str, dimension: int = 8) -> list[float]:
    """A deterministic, deliberately unnormalised vector, so normalisation can be checked."""
    vector = [0.0] * dimension
    for word in text.lower().split():
        vector[zlib.crc32(word.encode()) % dimension] += 3.0
    return vector


def embeddings_reply(body: dict[str, Any], dimension: int = 8) -> Reply:
    """What an OpenAI-compatible server answers, listed in reverse to test the `index` sort."""
    rows = [
        {"object": "embedding", "index": index, "embedding": bag_of_words(text, dimension)}
        for index, text in enumerate(body["input"])
    ]
    return 200, {
        "object": "list",
        "data": rows[::-1],
        "model": body["model"],
        "usage": {"prompt_tokens": 1, "total_tokens": 1},
    }


@dataclass
class ScriptedServer:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    reply: Callable[[dict[str, Any]], Reply] = embeddings_reply


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            scripted.requests.append(
                {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
            )
            status, payload = scripted.reply(body)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    scripted.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield scripted
    httpd.shutdown()
    httpd.server_close()


def test_openai_embedder_batches_orders_and_normalises(server: ScriptedServer) -> None:
    embedder = OpenAIEmbedder(
        "local-embedder", base_url=server.url, api_key="sk-test", batch_size=2, max_retries=0
    )
    assert embedder.dimension == 8  # learnt from a first request
    assert len(server.requests) == 1
    texts = ["alpha beta", "gamma", "", "delta delta", "epsilon"]
    vectors = embedder.embed_documents(texts)
    assert vectors.shape == (5, 8) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[[0, 1, 3, 4]], axis=1), 1.0)
    expected = np.array([bag_of_words(text) for text in texts], dtype=np.float32)
    for row, want in zip(vectors[[0, 1, 3, 4]], expected[[0, 1, 3, 4]], strict=True):
        assert np.allclose(row, want / np.linalg.norm(want), atol=1e-6)
    batches = [request["body"]["input"] for request in server.requests[1:]]
    assert batches == [["alpha beta", "gamma"], [" ", "delta delta"], ["epsilon"]]
    first = server.requests[1]
    assert first["path"] == "/v1/embeddings" and first["auth"] == "Bearer sk-test"
    assert first["body"]["model"] == "local-embedder"
    assert first["body"]["encoding_format"] == "float"
    assert embedder.embed_query("gamma").shape == (8,)


def test_a_known_openai_model_needs_no_probe(server: ScriptedServer) -> None:
    embedder = OpenAIEmbedder("text-embedding-3-small", base_url=server.url, api_key="k")
    assert embedder.dimension == 1536
    assert server.requests == []


def test_build_embedder_uses_the_configured_endpoint(
    server: ScriptedServer, tmp_path: Path
) -> None:
    config = EmbeddingConfig(provider="openai", model="nomic-embed", base_url=server.url)
    embedder = build_embedder(config, cache_dir=tmp_path)
    assert isinstance(embedder, OpenAIEmbedder)
    assert (embedder.model_name, embedder.dimension) == ("nomic-embed", 8)
    assert embedder.embed_documents(["one", "two"]).shape == (2, 8)
    assert server.requests[0]["auth"] == "Bearer not-needed"
    assert not list(tmp_path.iterdir())  # the local model was not built


@pytest.mark.parametrize(
    ("status", "error", "advice"),
    [
        (500, {"error": {"message": "model overloaded\ntrace"}}, "HTTP 500): model overloaded"),
        (401, {"error": {"message": "bad key"}}, "QUORUM_OPENAI_API_KEY"),
        (404, {"error": {"message": "no such model"}}, "QUORUM_EMBEDDING_MODEL"),
    ],
)
def test_endpoint_failures_become_one_actionable_line(
    server: ScriptedServer, status: int, error: dict[str, Any], advice: str
) -> None:
    embedder = OpenAIEmbedder(
        "text-embedding-3-small", base_url=server.url, api_key="k", max_retries=0
    )
    server.reply = lambda body: (status, error)
    with pytest.raises(EmbeddingEndpointError, match=re.escape(advice)) as caught:
        embedder.embed_documents(["text"])
    assert server.url in str(caught.value)
    assert "\n" not in str(caught.value)


def test_an_unreachable_endpoint_says_to_check_the_url() -> None:
    with socket.socket() as probe:  # a port nobody listens on once this closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    closed = f"http://127.0.0.1:{port}/v1"
    with pytest.raises(EmbeddingEndpointError, match="QUORUM_EMBEDDING_BASE_URL") as caught:
        OpenAIEmbedder("some-model", base_url=closed, api_key="k", max_retries=0, timeout=5)
    assert closed in str(caught.value)


def test_answers_that_break_the_contract_are_refused(server: ScriptedServer) -> None:
    embedder = OpenAIEmbedder("local", base_url=server.url, api_key="k", max_retries=0)
    server.reply = lambda body: embeddings_reply(body, dimension=4)
    with pytest.raises(EmbeddingEndpointError, match=r"4-dimension vectors.*expected 8"):
        embedder.embed_documents(["text"])

    def one_row_short(body: dict[str, Any]) -> Reply:
        status, payload = embeddings_reply(body)
        payload["data"] = payload["data"][1:]
        return status, payload

    server.reply = one_row_short
    with pytest.raises(EmbeddingEndpointError, match="1 vectors for 2 texts"):
        embedder.embed_documents(["one", "two"])


def test_openai_without_key_or_url_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingConfigError, match="QUORUM_OPENAI_API_KEY"):
        build_embedder(EmbeddingConfig(provider="openai", model="m"), cache_dir=tmp_path)

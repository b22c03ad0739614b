"""A plain NumPy fp32 forward pass of all-MiniLM-L6-v2: the yardstick for the ONNX encoders.

Written independently of knowledge/embeddings/onnx_graph.py (weights used as stored, one
text at a time, no padding) so that a mistake in the graph or in batching shows up as a
low cosine. Too slow for the runtime path; used by the tests and the benchmark only.
"""

from __future__ import annotations

import ctypes
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer


@contextmanager
def blas_threads(count: int) -> Iterator[None]:
    """Run NumPy's bundled OpenBLAS on `count` threads for a while.

    On two shared cores OpenBLAS's spinning worker threads make this reference crawl
    (0.3 chunks/s with 2 threads vs 2/s with 1 under load). Without a bundled OpenBLAS
    (another NumPy build) this does nothing.
    """
    library = _bundled_openblas()
    if library is None:
        yield
        return
    before = library.scipy_openblas_get_num_threads64_()
    library.scipy_openblas_set_num_threads64_(count)
    try:
        yield
    finally:
        library.scipy_openblas_set_num_threads64_(before)


def _bundled_openblas() -> ctypes.CDLL | None:
    folder = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(folder.glob("libscipy_openblas64_*.so")):
        library = ctypes.CDLL(str(path))  # the already-loaded copy NumPy uses
        if hasattr(library, "scipy_openblas_set_num_threads64_"):
            return library
    return None


def erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7: float32 precision)."""
    sign = np.sign(x)
    a = np.abs(x).astype(np.float64)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return (sign * (1.0 - poly * np.exp(-a * a))).astype(np.float32)


class NumpyMiniLM:
    """BERT encoder + mean pooling + L2 normalisation, straight from model.safetensors."""

    def __init__(self, model_dir: Path, max_seq_length: int = 256) -> None:
        self.weights = {
            k.removeprefix("bert."): v
            for k, v in load_file(str(model_dir / "model.safetensors")).items()
        }
        self.config = json.loads((model_dir / "config.json").read_text())
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_seq_length)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self.embed_one(text) for text in texts])

    def embed_one(self, text: str) -> np.ndarray:
        ids = np.array(self.tokenizer.encode(text).ids)
        w = self.weights
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: len(ids)]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._layer_norm(x, "embeddings.LayerNorm")
        for layer in range(self.config["num_hidden_layers"]):
            x = self._layer(x, f"encoder.layer.{layer}")
        pooled = x.mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)

    def _layer(self, x: np.ndarray, prefix: str) -> np.ndarray:
        heads = self.config["num_attention_heads"]
        size = x.shape[1] // heads

        def split(name: str) -> np.ndarray:
            projected = self._linear(x, f"{prefix}.attention.self.{name}")
            return projected.reshape(len(x), heads, size).transpose(1, 0, 2)

        q, k, v = split("query"), split("key"), split("value")
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probabilities = scores / scores.sum(axis=-1, keepdims=True)
        context = (probabilities @ v).transpose(1, 0, 2).reshape(len(x), -1)
        x = self._layer_norm(
            x + self._linear(context, f"{prefix}.attention.output.dense"),
            f"{prefix}.attention.output.LayerNorm",
        )
        hidden = self._linear(x, f"{prefix}.intermediate.dense")
        hidden = 0.5 * hidden * (1.0 + erf(hidden / np.sqrt(2.0)))
        return self._layer_norm(
            x + self._linear(hidden, f"{prefix}.output.dense"), f"{prefix}.output.LayerNorm"
        )

    def _linear(self, x: np.ndarray, prefix: str) -> np.ndarray:
        return x @ self.weights[f"{prefix}.weight"].T + self.weights[f"{prefix}.bias"]

    def _layer_norm(self, x: np.ndarray, prefix: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        normalised = (x - mean) / np.sqrt(variance + self.config["layer_norm_eps"])
        return normalised * self.weights[f"{prefix}.weight"] + self.weights[f"{prefix}.bias"]

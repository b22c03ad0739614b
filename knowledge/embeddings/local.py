"""The default embedder: packaged all-MiniLM-L6-v2 run by onnxruntime, offline, without torch.

Texts are tokenised with the model's own tokenizer.json (truncated at 256 word pieces,
as sentence-transformers does for this model), sorted by length and batched so a batch
pads little, then run through the cached ONNX encoder, which returns mean-pooled,
L2-normalised sentence vectors.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Encoding, Tokenizer

from knowledge.embeddings.base import check_texts
from knowledge.embeddings.encoder_build import EncoderRecipe
from knowledge.embeddings.errors import EmbeddingModelBuildError, EmbeddingModelMissingError
from knowledge.embeddings.model_cache import ensure_encoder
from knowledge.embeddings.onnx_graph import ATTENTION_MASK, INPUT_IDS
from knowledge.embeddings.weights import MiniLMFiles, locate_minilm

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 32
MAX_DEFAULT_THREADS = 4
LOCAL_MODEL_NAMES = frozenset({"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"})


def default_threads() -> int:
    """The cores this process may use, capped: more threads than that only contend."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_THREADS))


class LocalMiniLMEmbedder:
    """all-MiniLM-L6-v2 sentence embeddings (384 dimensions) from the packaged weights."""

    def __init__(
        self,
        session: ort.InferenceSession,
        tokenizer: Tokenizer,
        *,
        model_name: str,
        dimension: int,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self.model_name = model_name
        self.dimension = dimension
        self.batch_size = batch_size

    @classmethod
    def load(
        cls,
        cache_dir: Path,
        *,
        threads: int | None = None,
        quantized: bool = True,
        model_dir: Path | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> LocalMiniLMEmbedder:
        """Open the cached encoder (building it once from the packaged weights if needed).

        `threads` bounds onnxruntime's intra-op pool; pass 1 when embedding runs beside
        other CPU work (parsing) on a small machine.
        """
        files = locate_minilm(model_dir)
        recipe = EncoderRecipe(quantized=quantized)
        session = _open_session(files, cache_dir, recipe, threads or default_threads())
        return cls(
            session,
            _load_tokenizer(files),
            model_name=f"all-MiniLM-L6-v2-onnx-{recipe.tag}",
            dimension=files.bert_shape().hidden_size,
            batch_size=batch_size,
        )

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per text, in the order given."""
        items = check_texts(texts)
        vectors = np.zeros((len(items), self.dimension), dtype=np.float32)
        if not items:
            return vectors
        # One at a time: as fast here (0.25 ms a chunk) as encode_batch, whose Rayon pool would
        # compete for the cores and warn in every process forked afterwards.
        encodings = [self._tokenizer.encode(text) for text in items]
        for batch in _length_sorted_batches(encodings, self.batch_size):
            ids, mask = _padded([encodings[i] for i in batch])
            outputs = self._session.run(None, {INPUT_IDS: ids, ATTENTION_MASK: mask})
            vectors[batch] = outputs[0]
        return vectors

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


def _length_sorted_batches(encodings: Sequence[Encoding], batch_size: int) -> list[list[int]]:
    """Indices grouped so each batch holds texts of similar token length.

    A batch also closes when a text is over twice as long as its shortest: that bounds
    padding, and int8 activations are quantised over the whole batch, so a short text
    (a query) batched with long ones would be quantised more coarsely than alone.
    """
    order = sorted(range(len(encodings)), key=lambda index: len(encodings[index].ids))
    batches: list[list[int]] = []
    for index in order:
        length = len(encodings[index].ids)
        current = batches[-1] if batches else None
        if (
            current is None
            or len(current) >= batch_size
            or length > 2 * len(encodings[current[0]].ids)
        ):
            batches.append([index])
        else:
            current.append(index)
    return batches


def _padded(encodings: Sequence[Encoding]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids and attention mask, right-padded with 0 to the longest in the batch."""
    longest = max(len(encoding.ids) for encoding in encodings)
    ids = np.zeros((len(encodings), longest), dtype=np.int64)
    mask = np.zeros((len(encodings), longest), dtype=np.int64)
    for row, encoding in enumerate(encodings):
        ids[row, : len(encoding.ids)] = encoding.ids
        mask[row, : len(encoding.ids)] = 1
    return ids, mask


def _load_tokenizer(files: MiniLMFiles) -> Tokenizer:
    try:
        tokenizer = Tokenizer.from_file(str(files.tokenizer))
    except Exception as error:  # the Rust side raises a plain Exception
        raise EmbeddingModelMissingError(
            f"{files.tokenizer} is unreadable ({error}): reinstall with make install"
        ) from error
    tokenizer.no_padding()
    tokenizer.enable_truncation(files.max_seq_length())
    return tokenizer


def _open_session(
    files: MiniLMFiles, cache_dir: Path, recipe: EncoderRecipe, threads: int
) -> ort.InferenceSession:
    """A session on the cached encoder; a cached file that will not load is rebuilt once."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Idle workers sleep instead of spinning: the cores are shared with parsing and others.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    path = ensure_encoder(files, cache_dir, recipe)
    try:
        return _session(path, options)
    except EmbeddingModelBuildError as error:
        logger.warning("%s; rebuilding it", error)
        path.unlink(missing_ok=True)
    return _session(ensure_encoder(files, cache_dir, recipe), options)


def _session(path: Path, options: ort.SessionOptions) -> ort.InferenceSession:
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own RuntimeError subclasses
        raise EmbeddingModelBuildError(
            f"the cached embedding encoder {path} does not load ({error.__class__.__name__}): "
            "delete it and retry"
        ) from error

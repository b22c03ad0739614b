"""Writing the MiniLM encoder as an ONNX file, fp32 or dynamically quantised to int8.

The int8 recipe was chosen by measurement on 200 real 800-character chunks of a 10-K
(README "Embeddings"): per-channel weights (per-tensor fell to 0.81-0.95 mean cosine),
7-bit (`reduce_range`, which onnxruntime advises for CPUs without VNNI; as fast as 8-bit
here), and the feed-forward output projections of the first three layers kept in fp32,
which lifts the worst chunk from 0.986 to 0.9925 cosine for 10-15 % of the speed.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import onnx

from knowledge.embeddings.errors import EmbeddingModelBuildError
from knowledge.embeddings.onnx_graph import OPSET, build_encoder_graph, load_bert_weights
from knowledge.embeddings.weights import MiniLMFiles

logger = logging.getLogger(__name__)

# Bump when the graph or the recipe changes: cached files are named after it.
BUILDER_VERSION = "1"
FP32_LAYERS = (0, 1, 2)


@dataclass(frozen=True)
class EncoderRecipe:
    """How the encoder file is made; its fingerprint names the cached file."""

    quantized: bool = True
    per_channel: bool = True
    reduce_range: bool = True
    fp32_matmuls: tuple[str, ...] = tuple(
        f"encoder.layer.{layer}.output.dense.mm" for layer in FP32_LAYERS
    )

    @property
    def tag(self) -> str:
        return "int8" if self.quantized else "fp32"

    def fingerprint(self) -> bytes:
        recipe = {
            "builder": BUILDER_VERSION,
            "opset": OPSET,
            "quantized": self.quantized,
            "per_channel": self.per_channel,
            "reduce_range": self.reduce_range,
            "fp32_matmuls": list(self.fp32_matmuls) if self.quantized else [],
        }
        return json.dumps(recipe, sort_keys=True).encode()


def write_encoder(files: MiniLMFiles, recipe: EncoderRecipe, destination: Path) -> None:
    """Build the encoder from the packaged weights and write it (fsynced) to `destination`."""
    model = build_encoder_graph(load_bert_weights(files.weights), files.bert_shape())
    if not recipe.quantized:
        onnx.save(model, str(destination))
    else:
        fp32_path = destination.with_name(destination.name + ".fp32")
        onnx.save(model, str(fp32_path))
        _quantize(fp32_path, destination, recipe)
        fp32_path.unlink()
    _fsync(destination)


def _quantize(source: Path, destination: Path, recipe: EncoderRecipe) -> None:
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as error:
        raise EmbeddingModelBuildError(
            f"onnxruntime.quantization cannot be imported ({error}): reinstall with make install"
        ) from error
    with _quiet_quantiser():
        quantize_dynamic(
            source,
            destination,
            op_types_to_quantize=["MatMul"],
            per_channel=recipe.per_channel,
            reduce_range=recipe.reduce_range,
            weight_type=QuantType.QInt8,
            nodes_to_exclude=list(recipe.fp32_matmuls),
        )


class _QuantiserChatter(logging.Filter):
    """Drops the quantiser's per-tensor notes and its advice to pre-process (not needed here).

    Attached to the root logger only, it sees records logged through `logging.info()` and
    the like, which is how the quantiser logs; named loggers' records pass untouched.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return False
        return "pre-processing before quantization" not in record.getMessage()


@contextmanager
def _quiet_quantiser() -> Iterator[None]:
    """Silence that chatter, and undo the basicConfig() that module-level logging implies.

    `logging.info()` configures the root logger when it has no handler yet; logging is
    configured by the entry points, not as a side effect of building a model.
    """
    root = logging.getLogger()
    handlers_before = list(root.handlers)
    chatter = _QuantiserChatter()
    root.addFilter(chatter)
    try:
        yield
    finally:
        root.removeFilter(chatter)
        for handler in list(root.handlers):
            if handler not in handlers_before:
                root.removeHandler(handler)


def _fsync(path: Path) -> None:
    """Flush the file to disk before it is renamed into place (a crash leaves no torn file)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

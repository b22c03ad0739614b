"""An ONNX graph of the MiniLM sentence encoder, written straight from its safetensors weights.

Why by hand: exporting needs torch, which we keep out. The graph is BERT (post-norm
layers, erf GELU, additive padding mask) followed by sentence-transformers' mean pooling
and L2 normalisation, so a session returns finished sentence embeddings. Batch and
sequence axes are dynamic. The GELU and LayerNorm are written in the shapes onnxruntime's
graph optimiser recognises and fuses.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file

from knowledge.embeddings.errors import EmbeddingModelMissingError
from knowledge.embeddings.weights import BertShape

OPSET = 18
INPUT_IDS = "input_ids"
ATTENTION_MASK = "attention_mask"
OUTPUT = "sentence_embedding"
# Added to attention scores of padding positions: exp() of it is exactly 0 in float32.
MASK_BIAS = -10000.0


class _Graph:
    """Accumulates nodes and constants, handing out unique tensor names."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._names: set[str] = set()
        self._shared: dict[tuple[str, bytes], str] = {}

    def _unique(self, hint: str) -> str:
        name, suffix = hint, 1
        while name in self._names:
            suffix += 1
            name = f"{hint}_{suffix}"
        self._names.add(name)
        return name

    def const(self, hint: str, value: np.ndarray) -> str:
        name = self._unique(hint)
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def small(self, hint: str, value: np.ndarray) -> str:
        """A small constant, stored once however many layers use it."""
        key = (hint, value.dtype.str.encode() + value.tobytes())
        if key not in self._shared:
            self._shared[key] = self.const(hint, value)
        return self._shared[key]

    def scalar(self, hint: str, value: float) -> str:
        return self.small(hint, np.array(value, dtype=np.float32))

    def ints(self, hint: str, values: list[int]) -> str:
        return self.small(hint, np.array(values, dtype=np.int64))

    def op(self, op_type: str, inputs: list[str], hint: str, **attributes: Any) -> str:
        output = self._unique(hint)
        self.nodes.append(helper.make_node(op_type, inputs, [output], name=output, **attributes))
        return output


def load_bert_weights(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of model.safetensors, keyed like HF BertModel (no `bert.` prefix)."""
    try:
        tensors = load_file(str(path))
    except (OSError, ValueError) as error:
        raise EmbeddingModelMissingError(
            f"{path} is unreadable ({error.__class__.__name__}): reinstall with make install"
        ) from error
    return {key.removeprefix("bert."): value for key, value in tensors.items()}


def build_encoder_graph(weights: Mapping[str, np.ndarray], shape: BertShape) -> onnx.ModelProto:
    """The full sentence encoder as an fp32 ONNX model: ids + mask in, unit vectors out."""
    graph = _Graph()
    mask = graph.op("Cast", [ATTENTION_MASK], "mask_float", to=TensorProto.FLOAT)
    hidden = _embeddings(graph, weights, shape)
    attention_bias = _attention_bias(graph, mask)
    for layer in range(shape.num_layers):
        hidden = _encoder_layer(graph, weights, shape, layer, hidden, attention_bias)
    pooled = _mean_pool(graph, hidden, mask)
    _l2_normalise(graph, pooled)
    return _model(graph, shape)


def _model(graph: _Graph, shape: BertShape) -> onnx.ModelProto:
    ids_type = helper.make_tensor_value_info(INPUT_IDS, TensorProto.INT64, ["batch", "sequence"])
    mask_type = helper.make_tensor_value_info(
        ATTENTION_MASK, TensorProto.INT64, ["batch", "sequence"]
    )
    output_type = helper.make_tensor_value_info(
        OUTPUT, TensorProto.FLOAT, ["batch", shape.hidden_size]
    )
    body = helper.make_graph(
        graph.nodes,
        "minilm_sentence_encoder",
        [ids_type, mask_type],
        [output_type],
        initializer=graph.initializers,
    )
    model = helper.make_model(
        body, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="quorum"
    )
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def _embeddings(graph: _Graph, weights: Mapping[str, np.ndarray], shape: BertShape) -> str:
    """Word + position embeddings, then LayerNorm. Token types are always 0: folded in."""
    words = graph.op(
        "Gather",
        [graph.const("word_embeddings", weights["embeddings.word_embeddings.weight"]), INPUT_IDS],
        "words",
    )
    positions_and_type = (
        weights["embeddings.position_embeddings.weight"]
        + weights["embeddings.token_type_embeddings.weight"][0]
    ).astype(np.float32)
    seq_len = graph.op("Shape", [INPUT_IDS], "seq_len", start=1, end=2)
    positions = graph.op(
        "Slice",
        [
            graph.const("position_embeddings", positions_and_type),
            graph.ints("zero", [0]),
            seq_len,
            graph.ints("axis0", [0]),
        ],
        "positions",
    )
    summed = graph.op("Add", [words, positions], "embedded")
    return _layer_norm(graph, weights, "embeddings.LayerNorm", summed, shape.layer_norm_eps)


def _attention_bias(graph: _Graph, mask: str) -> str:
    """0 for real tokens, a large negative for padding; shaped [batch, 1, 1, sequence]."""
    inverted = graph.op("Sub", [graph.scalar("one", 1.0), mask], "mask_inverted")
    bias = graph.op("Mul", [inverted, graph.scalar("mask_bias", MASK_BIAS)], "mask_bias_2d")
    return graph.op("Unsqueeze", [bias, graph.ints("axes12", [1, 2])], "attention_bias")


def _encoder_layer(
    graph: _Graph,
    weights: Mapping[str, np.ndarray],
    shape: BertShape,
    layer: int,
    hidden: str,
    attention_bias: str,
) -> str:
    prefix = f"encoder.layer.{layer}"
    context = _self_attention(graph, weights, shape, prefix, hidden, attention_bias)
    attended = _dense(graph, weights, f"{prefix}.attention.output.dense", context)
    hidden = _layer_norm(
        graph,
        weights,
        f"{prefix}.attention.output.LayerNorm",
        graph.op("Add", [attended, hidden], f"l{layer}_attention_residual"),
        shape.layer_norm_eps,
    )
    expanded = _gelu(graph, _dense(graph, weights, f"{prefix}.intermediate.dense", hidden))
    projected = _dense(graph, weights, f"{prefix}.output.dense", expanded)
    return _layer_norm(
        graph,
        weights,
        f"{prefix}.output.LayerNorm",
        graph.op("Add", [projected, hidden], f"l{layer}_output_residual"),
        shape.layer_norm_eps,
    )


def _self_attention(
    graph: _Graph,
    weights: Mapping[str, np.ndarray],
    shape: BertShape,
    prefix: str,
    hidden: str,
    attention_bias: str,
) -> str:
    """Multi-head scaled dot-product attention; the 1/sqrt(d) scale is folded into the query."""
    split = graph.ints("heads_shape", [0, 0, shape.num_heads, shape.head_size])
    scale = 1.0 / math.sqrt(shape.head_size)
    attention = f"{prefix}.attention.self"

    def heads(name: str, perm: list[int], factor: float = 1.0) -> str:
        projected = _dense(graph, weights, f"{attention}.{name}", hidden, factor)
        reshaped = graph.op("Reshape", [projected, split], f"{attention}.{name}.split")
        return graph.op("Transpose", [reshaped], f"{attention}.{name}.heads", perm=perm)

    query = heads("query", [0, 2, 1, 3], scale)
    key = heads("key", [0, 2, 3, 1])
    value = heads("value", [0, 2, 1, 3])
    scores = graph.op("MatMul", [query, key], f"{attention}.scores")
    masked = graph.op("Add", [scores, attention_bias], f"{attention}.masked_scores")
    probabilities = graph.op("Softmax", [masked], f"{attention}.probabilities", axis=-1)
    context = graph.op("MatMul", [probabilities, value], f"{attention}.context_heads")
    merged = graph.op("Transpose", [context], f"{attention}.context_merged", perm=[0, 2, 1, 3])
    return graph.op(
        "Reshape",
        [merged, graph.ints("hidden_shape", [0, 0, shape.hidden_size])],
        f"{attention}.context",
    )


def _dense(
    graph: _Graph, weights: Mapping[str, np.ndarray], prefix: str, inputs: str, factor: float = 1.0
) -> str:
    """x @ W.T + b, with W stored transposed so the quantiser sees a constant B matrix."""
    kernel = np.ascontiguousarray((weights[f"{prefix}.weight"].T * factor).astype(np.float32))
    bias = (weights[f"{prefix}.bias"] * factor).astype(np.float32)
    product = graph.op("MatMul", [inputs, graph.const(f"{prefix}.kernel", kernel)], f"{prefix}.mm")
    return graph.op("Add", [product, graph.const(f"{prefix}.bias", bias)], prefix)


def _layer_norm(
    graph: _Graph, weights: Mapping[str, np.ndarray], prefix: str, inputs: str, epsilon: float
) -> str:
    return graph.op(
        "LayerNormalization",
        [
            inputs,
            graph.const(f"{prefix}.weight", weights[f"{prefix}.weight"]),
            graph.const(f"{prefix}.bias", weights[f"{prefix}.bias"]),
        ],
        f"{prefix}.out",
        axis=-1,
        epsilon=epsilon,
    )


def _gelu(graph: _Graph, inputs: str) -> str:
    """0.5 * x * (1 + erf(x / sqrt 2)), the exact GELU BERT was trained with."""
    scaled = graph.op("Div", [inputs, graph.scalar("sqrt2", math.sqrt(2.0))], f"{inputs}.gelu_div")
    erf = graph.op("Erf", [scaled], f"{inputs}.gelu_erf")
    shifted = graph.op("Add", [erf, graph.scalar("one", 1.0)], f"{inputs}.gelu_add")
    product = graph.op("Mul", [inputs, shifted], f"{inputs}.gelu_mul")
    return graph.op("Mul", [product, graph.scalar("half", 0.5)], f"{inputs}.gelu")


def _mean_pool(graph: _Graph, hidden: str, mask: str) -> str:
    """Average of the token vectors, padding excluded (sentence-transformers' mean pooling)."""
    mask3 = graph.op("Unsqueeze", [mask, graph.ints("axis2", [2])], "mask_3d")
    masked = graph.op("Mul", [hidden, mask3], "masked_hidden")
    axis1 = graph.ints("axis1", [1])
    summed = graph.op("ReduceSum", [masked, axis1], "summed_hidden", keepdims=0)
    counts = graph.op("ReduceSum", [mask3, axis1], "token_counts", keepdims=0)
    safe_counts = graph.op("Max", [counts, graph.scalar("min_count", 1e-9)], "safe_counts")
    return graph.op("Div", [summed, safe_counts], "mean_pooled")


def _l2_normalise(graph: _Graph, pooled: str) -> str:
    """Unit length, as sentence-transformers' Normalize module (eps 1e-12); names the output."""
    norm = graph.op("ReduceL2", [pooled, graph.ints("axis1", [1])], "norm", keepdims=1)
    safe_norm = graph.op("Max", [norm, graph.scalar("min_norm", 1e-12)], "safe_norm")
    return graph.op("Div", [pooled, safe_norm], OUTPUT)

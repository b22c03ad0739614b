"""Derived encoder files in the model cache: named by content, built once, renamed into place.

A file's name carries a hash of the packaged weights, their config and the build recipe,
so new weights or a new builder produce a new file instead of reusing a stale one. A
build writes into a temporary folder beside the target and renames the result into
place; an exclusive lock makes a second process wait for the first build instead of
repeating it (and if locking is unavailable, the rename still keeps the file whole).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from knowledge.embeddings.encoder_build import EncoderRecipe, write_encoder
from knowledge.embeddings.errors import EmbeddingModelBuildError
from knowledge.embeddings.weights import MiniLMFiles

if sys.platform != "win32":  # Windows: no advisory locks; the atomic rename protects readers
    import fcntl

logger = logging.getLogger(__name__)

MODEL_STEM = "all-MiniLM-L6-v2"


def encoder_file_name(files: MiniLMFiles, recipe: EncoderRecipe) -> str:
    """`all-MiniLM-L6-v2-int8-<16 hex>.onnx`, the hex digesting weights, config and recipe."""
    digest = hashlib.sha256()
    for source in (files.weights, files.model_dir / "config.json"):
        with source.open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    digest.update(recipe.fingerprint())
    return f"{MODEL_STEM}-{recipe.tag}-{digest.hexdigest()[:16]}.onnx"


def ensure_encoder(files: MiniLMFiles, cache_dir: Path, recipe: EncoderRecipe) -> Path:
    """The cached encoder file for these weights and recipe, built first if missing."""
    target = cache_dir.expanduser().resolve() / encoder_file_name(files, recipe)
    if target.is_file():
        return target
    return build_once(target, lambda partial: _timed_write(files, recipe, partial))


def build_once(target: Path, write: Callable[[Path], None]) -> Path:
    """Create `target` with `write(partial_path)` unless it exists, once across processes."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _exclusive(target.with_name(target.name + ".lock")):
            if target.is_file():
                return target
            with tempfile.TemporaryDirectory(dir=target.parent, prefix=".building-") as tmp:
                partial = Path(tmp) / target.name
                write(partial)
                os.replace(partial, target)
    except OSError as error:
        raise EmbeddingModelBuildError(
            f"cannot write the embedding model cache {target.parent} ({error.strerror or error}): "
            "set QUORUM_MODEL_CACHE_DIR to a writable folder"
        ) from error
    return target


def _timed_write(files: MiniLMFiles, recipe: EncoderRecipe, partial: Path) -> None:
    logger.info("building the %s MiniLM encoder (once) into %s", recipe.tag, partial.parent.parent)
    started = time.perf_counter()
    write_encoder(files, recipe, partial)
    logger.info("built the %s MiniLM encoder in %.1f s", recipe.tag, time.perf_counter() - started)


@contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on `lock_path` (waiting for another builder)."""
    if sys.platform == "win32":
        yield
        return
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info("waiting for another process building %s", lock_path.stem)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

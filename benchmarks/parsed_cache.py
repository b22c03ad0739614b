"""Parse files once, in parallel, and keep the results between evaluation runs.

Parsing the real 10-K filings takes minutes (about 16 pages a second per core); the rules
take seconds. Parsed documents are pickled under a cache directory, keyed by the file's
sha256 and a fingerprint of the parser's source, so a parser change re-parses everything.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import knowledge.amounts
import knowledge.parsing
from knowledge.documents import ParsedDocument
from knowledge.errors import IngestError
from knowledge.parsing import parse_file

__all__ = ["parse_all"]

MAX_BYTES = 200 * 1024 * 1024


def parser_fingerprint() -> str:
    """A hash of the parser's source files: any change to them invalidates the cache."""
    digest = hashlib.sha256()
    roots = [Path(knowledge.parsing.__file__).parent, Path(knowledge.amounts.__file__)]
    for root in roots:
        files = sorted(root.rglob("*.py")) if root.is_dir() else [root]
        for file in files:
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _cache_file(cache_dir: Path, path: Path, fingerprint: str) -> Path:
    content = hashlib.sha256(path.read_bytes()).hexdigest()[:24]
    return cache_dir / f"{path.stem}-{content}-{fingerprint}.pickle"


def _store(cache_dir: Path, path: Path, fingerprint: str, parsed: ParsedDocument) -> None:
    """Write the parsed document and drop copies made by older parser versions."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = _cache_file(cache_dir, path, fingerprint)
    target.write_bytes(pickle.dumps(parsed))
    stem = target.name.rsplit("-", 1)[0]
    for older in cache_dir.glob(f"{stem}-*.pickle"):
        if older != target:
            older.unlink(missing_ok=True)


def _parse_one(path: Path) -> ParsedDocument | str:
    try:
        return parse_file(path, max_bytes=MAX_BYTES)
    except IngestError as error:
        return str(error)


def _cached(cache_dir: Path, path: Path, fingerprint: str, any_parser: bool) -> Path | None:
    exact = _cache_file(cache_dir, path, fingerprint)
    if exact.exists():
        return exact
    if any_parser:
        stem = exact.name.rsplit("-", 1)[0]
        older = sorted(cache_dir.glob(f"{stem}-*.pickle"), key=lambda p: p.stat().st_mtime)
        return older[-1] if older else None
    return None


def parse_all(
    paths: Sequence[Path], *, cache_dir: Path | None, workers: int = 2, any_parser: bool = False
) -> dict[Path, ParsedDocument | str]:
    """Each path's ParsedDocument (or the error message), from the cache when possible.

    `any_parser` reuses a document parsed by an older parser version (for quick rule
    iterations while the parser changes underneath); the default re-parses.
    """
    fingerprint = parser_fingerprint()
    results: dict[Path, ParsedDocument | str] = {}
    missing: list[Path] = []
    for path in paths:
        cached = _cached(cache_dir, path, fingerprint, any_parser) if cache_dir else None
        if cached is not None:
            results[path] = pickle.loads(cached.read_bytes())
        else:
            missing.append(path)
    if missing:
        with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
            for path, parsed in zip(missing, pool.map(_parse_one, missing), strict=True):
                results[path] = parsed
                if cache_dir is not None and isinstance(parsed, ParsedDocument):
                    _store(cache_dir, path, fingerprint, parsed)
    return results

"""Uploaded originals, kept once per content (sha256) so citations can open the page."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

_BLOCK = 1024 * 1024
# A copy untouched for this long belongs to no live writer (another process may share the
# folder and be copying a file in right now).
PARTIAL_WRITE_AGE_S = 600.0


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


class FileStore:
    """A content-addressed folder: `<root>/<sha[:2]>/<sha>`; writes are atomic renames."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256 digest: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def put(self, source: Path, sha256: str) -> Path:
        """Copy `source` in under its digest (no-op if already there)."""
        target = self.path_for(sha256)
        if target.exists():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out, source.open("rb") as src:
                shutil.copyfileobj(src, out, _BLOCK)
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        return target

    def remove(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)

    def digests(self) -> set[str]:
        """Every stored digest (used to clean up files no document refers to)."""
        if not self.root.exists():
            return set()
        return {p.name for p in self.root.glob("??/*") if not p.name.startswith(".")}

    def remove_partial_writes(self, *, older_than_s: float = PARTIAL_WRITE_AGE_S) -> None:
        """Remove copies a dead process left half-written (not the ones being written now)."""
        cutoff = time.time() - older_than_s
        for leftover in self.root.glob("??/.incoming-*"):
            with contextlib.suppress(FileNotFoundError):
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink(missing_ok=True)

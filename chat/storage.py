"""Chainlit's element files (uploads, reports, charts) kept in a folder under the data dir.

Chainlit's data layer hands every file element to a storage client under the key
`<user id>/<element id>/<file name>`. This client writes it below one root folder,
refuses keys that would leave it, and gives back a URL of our own route, which checks
that the key belongs to the user asking before it serves a byte.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import quote

from chainlit.data.storage_clients.base import BaseStorageClient

logger = logging.getLogger(__name__)

FILES_ROUTE = "/quorum/files"
_MIME_SUFFIX = ".mime"


class StorageKeyError(ValueError):
    """An object key that is empty, absolute or climbs out of the storage folder."""


class LocalStorageClient(BaseStorageClient):
    """Files on the local disk, one folder per user id."""

    def __init__(self, root: Path, *, url_prefix: str = FILES_ROUTE) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.url_prefix = url_prefix.rstrip("/")

    def path_for(self, object_key: str) -> Path:
        """Where `object_key` lives; raises StorageKeyError for unsafe keys."""
        parts = object_key.split("/")
        unsafe = (
            not object_key
            or object_key.startswith("/")
            or any(p in ("", ".", "..") or "\\" in p or "\x00" in p for p in parts)
            or any(p.endswith(_MIME_SUFFIX) for p in parts)
        )
        if unsafe:
            raise StorageKeyError(f"unsafe storage key {object_key!r}")
        path = self.root.joinpath(*parts).resolve()
        if self.root not in path.parents:
            raise StorageKeyError(f"storage key {object_key!r} leaves the storage folder")
        return path

    def mime_of(self, object_key: str) -> str:
        """The MIME type recorded at upload, else one guessed from the name."""
        sidecar = _sidecar(self.path_for(object_key))
        if sidecar.is_file():
            return sidecar.read_text(encoding="utf-8").strip() or "application/octet-stream"
        guessed, _ = mimetypes.guess_type(object_key)
        return guessed or "application/octet-stream"

    async def upload_file(
        self,
        object_key: str,
        data: bytes | str,
        mime: str = "application/octet-stream",
        overwrite: bool = True,
        content_disposition: str | None = None,
    ) -> dict[str, Any]:
        path = self.path_for(object_key)
        if path.exists() and not overwrite:
            return {"object_key": object_key, "url": await self.get_read_url(object_key)}
        payload = data.encode("utf-8") if isinstance(data, str) else data
        await asyncio.to_thread(_write_atomically, path, payload, mime)
        return {"object_key": object_key, "url": await self.get_read_url(object_key)}

    async def delete_file(self, object_key: str) -> bool:
        try:
            path = self.path_for(object_key)
        except StorageKeyError:
            logger.warning("refusing to delete an unsafe storage key")
            return False
        existed = path.exists()
        path.unlink(missing_ok=True)
        _sidecar(path).unlink(missing_ok=True)
        _prune_empty_parents(path.parent, self.root)
        return existed

    async def get_read_url(self, object_key: str) -> str:
        self.path_for(object_key)
        return f"{self.url_prefix}/{quote(object_key, safe='/')}"

    async def close(self) -> None:
        return None


def owner_of_key(object_key: str) -> str:
    """The user id a key was stored under (its first segment)."""
    return object_key.split("/", 1)[0]


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + _MIME_SUFFIX)


def _write_atomically(path: Path, payload: bytes, mime: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(payload)
    partial.replace(path)
    _sidecar(path).write_text(mime or "application/octet-stream", encoding="utf-8")


def _prune_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent

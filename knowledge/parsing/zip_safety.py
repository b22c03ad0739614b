"""Checks on DOCX/XLSX containers before any XML parser sees them.

Both formats are zip archives of XML. A hostile one can declare gigabytes behind a few
kilobytes (a zip bomb) or carry a DOCTYPE with entity definitions (billion laughs,
external entities). Office never writes a DOCTYPE, so any is refused outright.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

MAX_MEMBERS = 10_000
MAX_TOTAL_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_MEMBER_RATIO = 200
RATIO_CHECK_FLOOR = 10 * 1024 * 1024
_XML_HEAD_BYTES = 4096
_MAX_PROLOG_BYTES = 1024 * 1024
_PROLOG_NOISE = re.compile(rb"<!--.*?-->|<\?.*?\?>", re.DOTALL)
_ROOT_START = re.compile(rb"<[A-Za-z_]")


class UnsafeArchiveError(ValueError):
    """The archive would expand far beyond its size, or carries XML entity definitions."""


@dataclass(frozen=True)
class ArchiveSummary:
    member_names: frozenset[str]
    uncompressed_bytes: int


def inspect_archive(path: Path, *, max_bytes: int) -> ArchiveSummary:
    """Member names of a safe archive; raises UnsafeArchiveError or zipfile.BadZipFile."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        _check_sizes(infos, max_bytes=max_bytes)
        _check_xml_heads(archive, infos)
        total = sum(info.file_size for info in infos)
        return ArchiveSummary(frozenset(info.filename for info in infos), total)


def _check_sizes(infos: list[zipfile.ZipInfo], *, max_bytes: int) -> None:
    if len(infos) > MAX_MEMBERS:
        raise UnsafeArchiveError(f"{len(infos)} archive members")
    total = sum(info.file_size for info in infos)
    limit = min(MAX_TOTAL_UNCOMPRESSED, max(max_bytes, 1) * MAX_MEMBER_RATIO)
    if total > limit:
        raise UnsafeArchiveError(f"expands to {total} bytes")
    for info in infos:
        if info.file_size < RATIO_CHECK_FLOOR:
            continue
        if info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
            raise UnsafeArchiveError(f"member {info.filename!r} compressed too well")


def _check_xml_heads(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    for info in infos:
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as member:
            prolog = _read_prolog(member)
        if prolog is None or _declares_entities(prolog):
            raise UnsafeArchiveError(f"member {info.filename!r} declares XML entities")


def _read_prolog(member: IO[bytes]) -> bytes | None:
    """Bytes before the root element (None if the prolog is absurdly long)."""
    data = b""
    while len(data) < _MAX_PROLOG_BYTES:
        chunk = member.read(_XML_HEAD_BYTES)
        data += chunk
        text = _PROLOG_NOISE.sub(b"", data.replace(b"\x00", b""))
        if _ROOT_START.search(text) or not chunk:
            return data
    return None


def _declares_entities(prolog: bytes) -> bool:
    squeezed = prolog.replace(b"\x00", b"").upper()
    return b"<!DOCTYPE" in squeezed or b"<!ENTITY" in squeezed

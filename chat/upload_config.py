"""The composer's upload rules, taken from the app settings at start-up.

Chainlit checks each upload's MIME type and extension against `accept` and its size
against `max_size_mb`; browsers report some types loosely (CSV as Excel, Markdown as
octet-stream), so each suffix is accepted under the types browsers actually send.
"""

from __future__ import annotations

from chainlit.config import ChainlitConfig, SpontaneousFileUploadFeature

from quorum.settings import Settings

MIME_TYPES: dict[str, tuple[str, ...]] = {
    ".pdf": ("application/pdf",),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    ".csv": ("text/csv", "application/vnd.ms-excel", "text/plain"),
    ".txt": ("text/plain",),
    ".md": ("text/markdown", "text/x-markdown", "text/plain"),
    ".html": ("text/html",),
    ".htm": ("text/html",),
    ".xhtml": ("application/xhtml+xml", "text/html"),
    ".eml": ("message/rfc822",),
    ".msg": ("application/vnd.ms-outlook",),
    ".png": ("image/png",),
    ".jpg": ("image/jpeg",),
    ".jpeg": ("image/jpeg",),
    ".tif": ("image/tiff",),
    ".tiff": ("image/tiff",),
}
LOOSE_TYPES = ("application/octet-stream",)
MAX_FILES = 10


def accept_map(suffixes: tuple[str, ...]) -> dict[str, list[str]]:
    """MIME type -> accepted suffixes, for the given suffixes only."""
    accepted: dict[str, list[str]] = {}
    for suffix in (s.lower() for s in suffixes):
        for mime in (*MIME_TYPES.get(suffix, ()), *LOOSE_TYPES):
            accepted.setdefault(mime, [])
            if suffix not in accepted[mime]:
                accepted[mime].append(suffix)
    return accepted


def apply_upload_settings(config: ChainlitConfig, settings: Settings) -> None:
    """Make Chainlit accept exactly the configured types, up to the configured size."""
    config.features.spontaneous_file_upload = SpontaneousFileUploadFeature(
        enabled=True,
        accept=accept_map(settings.upload_types),
        max_files=MAX_FILES,
        max_size_mb=settings.max_upload_mb,
    )

"""File parsers: any supported upload -> ParsedDocument, or an IngestError to show.

    parse_file(path, max_bytes=...) -> ParsedDocument
    detect_type(head, path) -> DocType

The type comes from the content, never the name. Every failure on a bad file is an
IngestError subclass whose message is one line naming the file and saying what to do.
"""

from __future__ import annotations

from knowledge.parsing.detect import detect_type
from knowledge.parsing.files import parse_file

__all__ = ["detect_type", "parse_file"]

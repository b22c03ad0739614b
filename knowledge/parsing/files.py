"""The one entry point: check the file, pick the parser by content, contain failures."""

from __future__ import annotations

import logging
import zipfile
from concurrent.futures import Executor
from dataclasses import replace
from pathlib import Path

from knowledge.documents import DocType, ParsedDocument
from knowledge.errors import (
    DamagedFileError,
    EmptyFileError,
    FileTooLargeError,
    IngestError,
    UnsafeFileError,
    UnsupportedFileError,
)
from knowledge.parsing.delimited import parse_delimited
from knowledge.parsing.detect import (
    HEAD_BYTES,
    SUPPORTED,
    detect_binary_type,
    is_outlook_message,
    text_flavour,
)
from knowledge.parsing.html import parse_html
from knowledge.parsing.image import parse_image
from knowledge.parsing.mail import parse_eml, parse_msg
from knowledge.parsing.messages import display_name, one_line
from knowledge.parsing.pdf import parse_pdf
from knowledge.parsing.plaintext import parse_plain_text
from knowledge.parsing.spreadsheet import parse_xlsx
from knowledge.parsing.text_decoding import NotTextError, decode_text
from knowledge.parsing.word import parse_docx
from knowledge.parsing.zip_safety import UnsafeArchiveError, inspect_archive

logger = logging.getLogger(__name__)

_KIND_NAMES = {DocType.DOCX: "Word document", DocType.XLSX: "Excel workbook"}
# What a file's extension claims, to say so when the content is something else.
_CLAIMED = {
    ".pdf": (DocType.PDF, "a PDF"),
    ".docx": (DocType.DOCX, "a Word document"),
    ".doc": (DocType.DOCX, "a Word document"),
    ".xlsx": (DocType.XLSX, "an Excel workbook"),
    ".xls": (DocType.XLSX, "an Excel workbook"),
    ".html": (DocType.HTML, "an HTML file"),
    ".htm": (DocType.HTML, "an HTML file"),
    ".eml": (DocType.EMAIL, "an e-mail"),
    ".msg": (DocType.EMAIL, "an e-mail"),
    ".png": (DocType.IMAGE, "an image"),
    ".jpg": (DocType.IMAGE, "an image"),
    ".jpeg": (DocType.IMAGE, "an image"),
    ".tif": (DocType.IMAGE, "an image"),
    ".tiff": (DocType.IMAGE, "an image"),
}
_READ_AS = {
    DocType.PDF: "a PDF",
    DocType.DOCX: "a Word document",
    DocType.XLSX: "an Excel workbook",
    DocType.CSV: "a CSV table",
    DocType.TXT: "plain text",
    DocType.MD: "Markdown",
    DocType.HTML: "an HTML file",
    DocType.EMAIL: "an e-mail",
    DocType.IMAGE: "an image",
}


def parse_file(
    path: Path,
    *,
    max_bytes: int,
    pdf_search_text: bool = False,
    pool: Executor | None = None,
    workers: int = 1,
) -> ParsedDocument:
    """Parse the file at `path` into pages (and ledger rows), refusing bad input.

    `pdf_search_text` also fills `Page.search_text` for PDFs (layout extraction: fewer
    split words on real filings, about twice the extraction time). A process `pool` with
    `workers` processes lets a long PDF be extracted on several cores.
    """
    path = Path(path)
    name = display_name(path)
    try:
        head = _checked_head(path, name, max_bytes)
        doc_type = detect_binary_type(head, path)
        if doc_type is None:
            document = _parse_text(path, name)
        else:
            document = _parse_binary(
                path, name, doc_type, max_bytes, pdf_search_text, pool, workers
            )
        return _say_if_misnamed(document, path, name)
    except IngestError as exc:
        if "\n" not in str(exc) and "\r" not in str(exc):
            raise
        raise type(exc)(one_line(str(exc))) from exc.__cause__
    except MemoryError as exc:
        raise FileTooLargeError(
            f"{name} is too large to read into memory: split it into smaller files"
        ) from exc
    except Exception as exc:  # a bad file must never escape as anything else
        logger.warning("unexpected failure parsing %s: %s", name, type(exc).__name__)
        raise DamagedFileError(
            f"{name} could not be read (it may be damaged): re-export it and upload it again"
        ) from exc


def _checked_head(path: Path, name: str, max_bytes: int) -> bytes:
    """The first bytes of the file, after the existence, size and emptiness checks."""
    if not path.exists():
        raise IngestError(f"{name} does not exist: check the path and upload it again")
    if not path.is_file():
        raise IngestError(f"{name} is not a regular file: upload a document file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FileTooLargeError(
                f"{name} is {readable_size(size)}, over the {readable_size(max_bytes)} limit: "
                "split it or upload a smaller file"
            )
        if size == 0:
            raise EmptyFileError(f"{name} is empty (0 bytes): upload a file with content")
        with path.open("rb") as handle:
            return handle.read(HEAD_BYTES)
    except PermissionError as exc:
        raise IngestError(
            f"{name} cannot be opened (permission denied): check its permissions"
        ) from exc


def _say_if_misnamed(document: ParsedDocument, path: Path, name: str) -> ParsedDocument:
    """A warning when the extension claims another type than the content shows."""
    claimed = _CLAIMED.get(path.suffix.lower())
    if claimed is None or claimed[0] is document.doc_type:
        return document
    actual = _READ_AS[document.doc_type]
    warning = f"{name} is {actual}, not {claimed[1]}: it was read as {actual}"
    return replace(document, warnings=[warning, *document.warnings])


def readable_size(size: int) -> str:
    """1536 -> "1.5 KB"; sizes as a person reads them in a message."""
    value = float(size)
    for unit in ("bytes", "KB", "MB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def _parse_text(path: Path, name: str) -> ParsedDocument:
    try:
        text = decode_text(path.read_bytes())
    except NotTextError as exc:
        raise UnsupportedFileError(
            f"{name} is not a document we can read (binary content): upload {SUPPORTED}"
        ) from exc
    if not text.strip():
        raise EmptyFileError(f"{name} contains no text: upload a file with content")
    doc_type = text_flavour(text, path.suffix.lower())
    if doc_type is DocType.EMAIL:
        return parse_eml(path.read_bytes(), name)
    if doc_type is DocType.HTML:
        return _parse_html(path.read_bytes(), name)
    if doc_type is DocType.CSV:
        return parse_delimited(text)
    return parse_plain_text(text, doc_type)


def _parse_html(data: bytes, name: str) -> ParsedDocument:
    document = parse_html(data)
    if not document.pages:
        raise EmptyFileError(
            f"{name} is an HTML file without visible text: upload one with content"
        )
    return document


def _parse_binary(
    path: Path,
    name: str,
    doc_type: DocType,
    max_bytes: int,
    pdf_search_text: bool,
    pool: Executor | None,
    workers: int,
) -> ParsedDocument:
    if doc_type is DocType.PDF:
        return parse_pdf(path, search_text=pdf_search_text, pool=pool, workers=workers)
    if doc_type is DocType.IMAGE:
        return parse_image(path)
    if doc_type is DocType.EMAIL and is_outlook_message(path):
        return parse_msg(path, name)
    _check_archive(path, name, doc_type, max_bytes)
    kind = _KIND_NAMES[doc_type]
    try:
        document = parse_docx(path) if doc_type is DocType.DOCX else parse_xlsx(path)
    except IngestError:
        raise
    except Exception as exc:
        raise DamagedFileError(
            f"{name} is a damaged {kind}: open it in Office, save it again and upload it"
        ) from exc
    if not document.text.strip():
        raise EmptyFileError(f"{name} contains no text: upload a {kind} with content")
    return document


def _check_archive(path: Path, name: str, doc_type: DocType, max_bytes: int) -> None:
    try:
        inspect_archive(path, max_bytes=max_bytes)
    except UnsafeArchiveError as exc:
        raise UnsafeFileError(
            f"{name} looks hostile ({exc}) and was not opened: re-save it in Office and "
            "upload it again"
        ) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise DamagedFileError(
            f"{name} is a damaged {_KIND_NAMES[doc_type]}: open it in Office, save it "
            "again and upload it"
        ) from exc

"""PDF text, page by page, with each page isolated from the others' damage.

Real filings are often AES-encrypted with an empty user password; they open normally.
A page whose extraction fails is skipped with a warning and the real page numbers are
kept, so citations still point at the page a reader would open.
"""

from __future__ import annotations

import logging
import re
from concurrent.futures import BrokenExecutor, Executor
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, WrongPasswordError

from knowledge.documents import DocType, Page, ParsedDocument
from knowledge.errors import (
    DamagedFileError,
    EmptyFileError,
    EncryptedFileError,
    NoTextLayerError,
)
from knowledge.parsing.messages import display_name

logger = logging.getLogger(__name__)
_WORD = re.compile(r"[^\W\d_]{3,}")


# Below this many pages, starting work in other processes costs more than it saves.
PARALLEL_MIN_PAGES = 24
PageTexts = list[tuple[int, str | None, str | None]]  # (number, text or None, layout text)


def parse_pdf(
    path: Path, *, search_text: bool = False, pool: Executor | None = None, workers: int = 1
) -> ParsedDocument:
    """Every page's text (plain pypdf extraction, as the labels were made).

    With `search_text`, each page also gets pypdf's layout extraction with whitespace
    collapsed, which splits fewer words on real filings but costs a second pass. With a
    process `pool`, a long PDF is split into `workers` page ranges extracted in parallel:
    pypdf is pure Python and holds the GIL, so processes are the way to use every core.
    """
    name = display_name(path)
    reader = _open(path, name)
    page_count = _page_count(reader, name)
    if pool is not None and workers > 1 and page_count >= PARALLEL_MIN_PAGES:
        step = -(-page_count // workers)
        ranges = [
            (first, min(first + step - 1, page_count)) for first in range(1, page_count + 1, step)
        ]
        try:
            futures = [
                pool.submit(extract_pages, path, first, last, search_text) for first, last in ranges
            ]
            texts = [item for future in futures for item in future.result()]
        except BrokenExecutor:  # a worker died (killed, out of memory): do it here instead
            logger.warning("parallel extraction of %s failed; extracting in-process", name)
            texts = _extract(reader, 1, page_count, search_text)
    else:
        texts = _extract(reader, 1, page_count, search_text)
    pages: list[Page] = []
    warnings: list[str] = []
    for number, text, layout in texts:
        if text is None:
            warnings.append(f"page {number} could not be read and was skipped")
        pages.append(Page(number=number, text=text or "", search_text=layout))
    _require_text(pages, warnings, name)
    return ParsedDocument(doc_type=DocType.PDF, pages=pages, warnings=warnings)


def extract_pages(path: Path, first: int, last: int, search_text: bool) -> PageTexts:
    """Pages `first..last` of a PDF already checked by `parse_pdf` (runs in a worker process)."""
    name = display_name(path)
    return _extract(_open(path, name), first, last, search_text)


def _extract(reader: PdfReader, first: int, last: int, search_text: bool) -> PageTexts:
    texts: PageTexts = []
    for number in range(first, last + 1):
        text = _page_text(reader, number)
        layout = _layout_text(reader, number, text) if search_text and text else None
        texts.append((number, text, layout))
    return texts


def _open(path: Path, name: str) -> PdfReader:
    try:
        reader = PdfReader(path, strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:  # pypdf raises many types (PdfReadError, ValueError, ...)
        raise _damaged(name) from exc
    if encrypted:
        _decrypt_with_empty_password(reader, name)
    return reader


def _decrypt_with_empty_password(reader: PdfReader, name: str) -> None:
    """Filings protected only against editing open with the empty user password."""
    try:
        opened = reader.decrypt("")
    except (DependencyError, NotImplementedError) as exc:
        raise EncryptedFileError(
            f"{name} uses an encryption this installation cannot open: upload a copy "
            "saved without encryption"
        ) from exc
    except (FileNotDecryptedError, WrongPasswordError) as exc:
        raise _encrypted(name) from exc
    except Exception as exc:
        raise _damaged(name) from exc
    if not opened:
        raise _encrypted(name)


def _page_count(reader: PdfReader, name: str) -> int:
    try:
        count = len(reader.pages)
    except (FileNotDecryptedError, WrongPasswordError) as exc:
        raise _encrypted(name) from exc
    except Exception as exc:
        raise _damaged(name) from exc
    if count == 0:
        raise EmptyFileError(f"{name} has no pages: upload a PDF that has content")
    return count


def _page_text(reader: PdfReader, number: int) -> str | None:
    """The page's text, or None when this page alone is damaged."""
    try:
        return reader.pages[number - 1].extract_text() or ""
    except RecursionError:
        logger.warning("page %d: extraction recursed too deep", number)
        return None
    except Exception as exc:  # a damaged page must not sink the document
        logger.warning("page %d: extraction failed (%s)", number, type(exc).__name__)
        return None


def _layout_text(reader: PdfReader, number: int, plain: str) -> str | None:
    """Layout-mode text with the alignment padding squeezed out, or None on failure.

    Layout mode can drop text plain mode sees (rotated footers, whole pages on some
    filings), so plain lines with words the layout text lacks are appended: search
    text should only ever find more than the citable text, never less.
    """
    try:
        raw = reader.pages[number - 1].extract_text(extraction_mode="layout") or ""
    except Exception as exc:  # the plain text is still there; search falls back to it
        logger.warning("page %d: layout extraction failed (%s)", number, type(exc).__name__)
        return None
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    layout = "\n".join(line for line in lines if line)
    if not layout:
        return None
    folded = layout.lower()
    missing = [
        line.strip()
        for line in plain.splitlines()
        if any(word not in folded for word in _WORD.findall(line.lower()))
    ]
    return "\n".join([layout, *missing])


def _require_text(pages: list[Page], warnings: list[str], name: str) -> None:
    if any(page.text.strip() for page in pages):
        return
    if len(warnings) == len(pages):
        raise _damaged(name)
    raise NoTextLayerError(
        f"{name} has no text layer (a scan?): OCR is not supported; upload a PDF with "
        "selectable text"
    )


def _encrypted(name: str) -> EncryptedFileError:
    return EncryptedFileError(f"{name} is encrypted: upload it without a password")


def _damaged(name: str) -> DamagedFileError:
    return DamagedFileError(
        f"{name} is damaged or not a valid PDF: re-export or re-download it and upload it again"
    )


__all__ = ["parse_pdf"]

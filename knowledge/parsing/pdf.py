"""PDF text, page by page, with each page isolated from the others' damage.

Real filings are often AES-encrypted with an empty user password; they open normally.
A page whose extraction fails is skipped with a warning and the real page numbers are
kept, so citations still point at the page a reader would open. A page with no text
layer (a scan) is read by Tesseract OCR from its images, with its confidence kept; a
page that holds figures is also read in layout mode, and the tables found there are
added to the page as rows of cells (wire lists among them become ledger rows).
"""

from __future__ import annotations

import logging
import re
from concurrent.futures import BrokenExecutor, Executor
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, WrongPasswordError

from knowledge.documents import DocType, LedgerRow, Page, ParsedDocument
from knowledge.errors import (
    DamagedFileError,
    EmptyFileError,
    EncryptedFileError,
    NoTextLayerError,
)
from knowledge.parsing.messages import display_name
from knowledge.parsing.ocr import (
    INSTALL_HINT,
    OcrText,
    OcrUnavailableError,
    merge,
    ocr_image,
    tesseract_available,
)
from knowledge.parsing.tables import PageTable, find_tables, may_hold_table, with_tables

logger = logging.getLogger(__name__)
_WORD = re.compile(r"[^\W\d_]{3,}")


# Below this many pages, starting work in other processes costs more than it saves.
PARALLEL_MIN_PAGES = 24


@dataclass(frozen=True)
class PageExtract:
    """What one page gave (built in a worker process, so plain data only).

    `text` is None when the page is damaged; `ocr` is set when the page had no text layer
    and was read by OCR; `needs_ocr` when it had none and Tesseract is not installed.
    """

    number: int
    text: str | None
    layout: str | None = None
    tables: list[PageTable] = field(default_factory=list)
    ocr: OcrText | None = None
    needs_ocr: bool = False


PageTexts = list[PageExtract]


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
    pages, rows, warnings = _assemble(texts)
    _require_text(pages, warnings, name, texts)
    return ParsedDocument(doc_type=DocType.PDF, pages=pages, rows=rows, warnings=warnings)


def _assemble(texts: PageTexts) -> tuple[list[Page], list[LedgerRow], list[str]]:
    pages: list[Page] = []
    rows: list[LedgerRow] = []
    warnings: list[str] = []
    for item in texts:
        if item.text is None:
            warnings.append(f"page {item.number} could not be read and was skipped")
        text, table_rows = with_tables(item.text or "", item.tables, item.number)
        rows.extend(table_rows)
        confidence = item.ocr.confidence if item.ocr else None
        pages.append(Page(item.number, text, search_text=item.layout, ocr_confidence=confidence))
    unread = [str(item.number) for item in texts if item.needs_ocr]
    if unread and len(unread) < len(texts):
        warnings.append(
            f"page{'s' if len(unread) > 1 else ''} {', '.join(unread)} "
            f"{'are' if len(unread) > 1 else 'is'} scanned (no text layer) and "
            f"{'were' if len(unread) > 1 else 'was'} not read: {INSTALL_HINT}"
        )
    return pages, rows, warnings


def extract_pages(path: Path, first: int, last: int, search_text: bool) -> PageTexts:
    """Pages `first..last` of a PDF already checked by `parse_pdf` (runs in a worker process)."""
    name = display_name(path)
    return _extract(_open(path, name), first, last, search_text)


def _extract(reader: PdfReader, first: int, last: int, search_text: bool) -> PageTexts:
    texts: PageTexts = []
    ocr_ready = tesseract_available()
    for number in range(first, last + 1):
        text = _page_text(reader, number)
        if text is not None and not text.strip():
            texts.append(_scanned_page(reader, number, ocr_ready))
            continue
        tabular = bool(text) and may_hold_table(text or "")
        raw_layout = _raw_layout(reader, number) if text and (search_text or tabular) else None
        layout = _layout_text(raw_layout, text) if search_text and text and raw_layout else None
        tables = find_tables(raw_layout) if raw_layout and tabular else []
        texts.append(PageExtract(number, text, layout, tables))
    return texts


def _scanned_page(reader: PdfReader, number: int, ocr_ready: bool) -> PageExtract:
    """A page without a text layer: its images read by OCR, when Tesseract is there."""
    try:
        images = [item.image for item in reader.pages[number - 1].images]
    except Exception as exc:  # an image pypdf cannot decode: the page stays unread
        logger.warning("page %d: images could not be read (%s)", number, type(exc).__name__)
        return PageExtract(number, "")
    if not images:
        return PageExtract(number, "")  # a blank page
    if not ocr_ready:
        return PageExtract(number, "", needs_ocr=True)
    try:
        read = merge([ocr_image(image) for image in images if image is not None])
    except OcrUnavailableError:
        return PageExtract(number, "", needs_ocr=True)
    except Exception as exc:  # Tesseract failed on this page's image: skip it, keep the rest
        logger.warning("page %d: OCR failed (%s)", number, type(exc).__name__)
        return PageExtract(number, None)
    return PageExtract(number, read.text, ocr=read)


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


def _raw_layout(reader: PdfReader, number: int) -> str | None:
    """pypdf's layout-mode text of a page (columns padded with spaces), None on failure."""
    try:
        return reader.pages[number - 1].extract_text(extraction_mode="layout") or ""
    except Exception as exc:  # the plain text is still there; search falls back to it
        logger.warning("page %d: layout extraction failed (%s)", number, type(exc).__name__)
        return None


def _layout_text(raw: str, plain: str) -> str | None:
    """Layout-mode text with the alignment padding squeezed out, or None if empty.

    Layout mode can drop text plain mode sees (rotated footers, whole pages on some
    filings), so plain lines with words the layout text lacks are appended: search
    text should only ever find more than the citable text, never less.
    """
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


def _require_text(pages: list[Page], warnings: list[str], name: str, texts: PageTexts) -> None:
    if any(page.text.strip() for page in pages):
        return
    if all(item.text is None for item in texts):
        raise _damaged(name)
    if any(item.needs_ocr for item in texts):
        raise NoTextLayerError(f"{name} is a scan (no text layer): {INSTALL_HINT}")
    if any(item.ocr for item in texts):
        raise EmptyFileError(
            f"{name} is a scan in which OCR found no text: upload a sharper scan (300 dpi)"
        )
    raise NoTextLayerError(
        f"{name} has no text on any page (no text layer and no images): upload a PDF with "
        "selectable text or a scan of the pages"
    )


def _encrypted(name: str) -> EncryptedFileError:
    return EncryptedFileError(f"{name} is encrypted: upload it without a password")


def _damaged(name: str) -> DamagedFileError:
    return DamagedFileError(
        f"{name} is damaged or not a valid PDF: re-export or re-download it and upload it again"
    )


__all__ = ["parse_pdf"]

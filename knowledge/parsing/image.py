"""PNG, JPEG and TIFF uploads (a photographed or scanned page): read by OCR, frame by frame."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from knowledge.documents import DocType, Page, ParsedDocument
from knowledge.errors import DamagedFileError, EmptyFileError, NoTextLayerError, UnsafeFileError
from knowledge.parsing.messages import display_name
from knowledge.parsing.ocr import (
    MAX_IMAGE_PIXELS,
    OcrUnavailableError,
    image_frames,
    ocr_image,
)


def parse_image(path: Path) -> ParsedDocument:
    """One page per image frame, each with its OCR confidence."""
    name = display_name(path)
    pages: list[Page] = []
    for number, frame in enumerate(_frames(path, name), start=1):
        try:
            read = ocr_image(frame)
        except OcrUnavailableError as exc:
            raise NoTextLayerError(f"{name} is an image: {exc}") from exc
        pages.append(Page(number, read.text, ocr_confidence=read.confidence))
    if not any(page.text.strip() for page in pages):
        raise EmptyFileError(
            f"{name} is an image in which OCR found no text: upload a sharper scan (300 dpi)"
        )
    return ParsedDocument(doc_type=DocType.IMAGE, pages=pages)


def _frames(path: Path, name: str) -> list[Image.Image]:
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return list(image_frames(image))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UnsafeFileError(
            f"{name} is an image too large to read safely (over {MAX_IMAGE_PIXELS:,} pixels): "
            "scan it at 300 dpi and upload it again"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DamagedFileError(f"{name} is a damaged image: save it again and upload it") from exc

"""Text of scanned pages and images, read by Tesseract (Debian's `tesseract-ocr`).

One Tesseract run per image gives the words with their confidence; the text is rebuilt
line by line and paragraph by paragraph, and the page's confidence is the mean word
confidence weighted by word length, shown beside citations ("read by OCR, 91%"). Without
Tesseract nothing fails silently: the caller says how to install it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageOps

OCR_LANGUAGE = "eng"
INSTALL_HINT = (
    "install Tesseract OCR to read it (Debian/Ubuntu: apt-get install tesseract-ocr "
    "tesseract-ocr-eng; macOS: brew install tesseract)"
)
# Tesseract reads 300 dpi best; tiny images are scaled up to about that size.
MIN_OCR_WIDTH = 1600
# Pillow refuses images over this many pixels (a decompression bomb); ~ an A3 page at 600 dpi.
MAX_IMAGE_PIXELS = 80_000_000


@dataclass(frozen=True)
class OcrText:
    """What Tesseract read on one image, and how sure it was (0-100, None if no words)."""

    text: str
    confidence: float | None


class OcrUnavailableError(RuntimeError):
    """Tesseract (or its English data) is not installed."""


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_image(image: Image.Image) -> OcrText:
    """The text of one image, read by Tesseract."""
    import pytesseract

    if not tesseract_available():
        raise OcrUnavailableError(INSTALL_HINT)
    prepared = _prepared(image)
    try:
        data = pytesseract.image_to_data(
            prepared, lang=OCR_LANGUAGE, output_type=pytesseract.Output.DICT
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrUnavailableError(INSTALL_HINT) from exc
    except pytesseract.TesseractError as exc:
        if "Failed loading language" in str(exc) or "traineddata" in str(exc):
            raise OcrUnavailableError(INSTALL_HINT) from exc
        raise
    return _read_words(data)


def _prepared(image: Image.Image) -> Image.Image:
    """Greyscale, upright (EXIF orientation), and large enough for Tesseract."""
    image = ImageOps.exif_transpose(image) or image
    if image.mode not in ("L", "1"):
        image = image.convert("L")
    if image.width < MIN_OCR_WIDTH:
        scale = MIN_OCR_WIDTH / max(image.width, 1)
        image = image.resize((MIN_OCR_WIDTH, max(1, round(image.height * scale))))
    return image


def _read_words(data: dict[str, list[object]]) -> OcrText:
    lines: list[str] = []
    line_key: tuple[object, ...] | None = None
    paragraph_key: tuple[object, ...] | None = None
    words: list[str] = []
    weighted = 0.0
    weight = 0
    for index, word in enumerate(data["text"]):
        text = str(word).strip()
        confidence = float(str(data["conf"][index]))
        if not text or confidence < 0:
            continue
        block, paragraph, line = (data[key][index] for key in ("block_num", "par_num", "line_num"))
        if (block, paragraph, line) != line_key:
            if words:
                lines.append(" ".join(words))
            if paragraph_key is not None and (block, paragraph) != paragraph_key:
                lines.append("")
            words, line_key, paragraph_key = [], (block, paragraph, line), (block, paragraph)
        words.append(text)
        weighted += confidence * len(text)
        weight += len(text)
    if words:
        lines.append(" ".join(words))
    return OcrText("\n".join(lines), round(weighted / weight, 1) if weight else None)


def image_frames(image: Image.Image) -> Iterator[Image.Image]:
    """Every frame of an image (a multi-page TIFF has several)."""
    frames = getattr(image, "n_frames", 1)
    for index in range(frames):
        image.seek(index)
        yield image.copy()


def merge(results: list[OcrText]) -> OcrText:
    """Several images of one page read as one: texts in order, confidence by length."""
    texts = [r.text for r in results if r.text.strip()]
    weights = [(r.confidence, len(r.text)) for r in results if r.confidence is not None]
    total = sum(length for _, length in weights)
    confidence = round(sum(c * n for c, n in weights) / total, 1) if total else None
    return OcrText("\n\n".join(texts), confidence)

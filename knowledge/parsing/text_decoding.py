"""Bytes to text for CSV, TXT and MD, or a clear "this is not text".

Exports come in UTF-8 (with or without a BOM), UTF-16 from Excel's "Unicode text",
and cp1252/latin-1 from older systems; random bytes must not be mistaken for any of them.
"""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
# Share of control/unassigned characters above which decoded "text" is really binary.
_MAX_CONTROL_SHARE = 0.01
_SAMPLE_CHARS = 200_000


class NotTextError(ValueError):
    """The bytes do not decode to plausible text in any supported encoding."""


def decode_text(data: bytes) -> str:
    """Decode a text file's bytes (BOM, UTF-8, UTF-16, then charset detection)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_strict_decode(data[len(bom) :], encoding))
    utf16 = _bomless_utf16(data)
    if utf16 is not None:
        return _checked(utf16)
    if b"\x00" in data:
        raise NotTextError("binary content (NUL bytes)")
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return _checked(_detected_decode(data))


def _strict_decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise NotTextError(f"invalid {encoding}") from exc


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text leaves every other byte NUL."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nuls > 0.6 and even_nuls < 0.05:
        encoding = "utf-16-le"
    elif even_nuls > 0.6 and odd_nuls < 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _detected_decode(data: bytes) -> str:
    best = from_bytes(data[:_SAMPLE_CHARS]).best()
    encoding = best.encoding if best is not None else None
    for candidate in (encoding, "cp1252"):
        if candidate is None:
            continue
        try:
            return data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    raise NotTextError("no text encoding fits")


def _checked(text: str) -> str:
    sample = text[:_SAMPLE_CHARS]
    if not sample:
        return text
    odd = sum(1 for ch in sample if _is_binary_char(ch))
    if odd / len(sample) > _MAX_CONTROL_SHARE or "\x00" in sample:
        raise NotTextError("binary content (control characters)")
    return text


def _is_binary_char(ch: str) -> bool:
    if ch in _ALLOWED_CONTROLS:
        return False
    return unicodedata.category(ch) == "Cc"

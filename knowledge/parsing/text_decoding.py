"""Bytes to text for CSV, TXT and MD, or a clear "this is not text".

Exports come in UTF-8 (with or without a BOM), UTF-16 from Excel's "Unicode text",
and cp1252/latin-1 from older systems; random bytes must not be mistaken for any of them.
"""

from __future__ import annotations

import codecs
import re
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
_SCORED_CHARS = 64_000


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
    """A legacy code page: charset-normalizer's candidates, checked for plausibility.

    On short exports charset-normalizer often prefers a cousin code page (cp1250 or
    mac_latin2 for German cp1252, cp1252 for Polish cp1250). The candidate whose text
    reads most like words wins; cp1252, the usual Western export, wins ties.
    """
    sample = data[:_SAMPLE_CHARS]
    matches = from_bytes(sample, cp_isolation=list(_LEGACY_CODE_PAGES))
    candidates = dict.fromkeys(["cp1252", *(m.encoding for m in list(matches)[:4])])
    scored: list[tuple[int, int, str]] = []
    for order, encoding in enumerate(candidates):
        try:
            text = sample.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        scored.append((implausibility(text[:_SCORED_CHARS]), order, encoding))
    if not scored:
        raise NotTextError("no text encoding fits")
    encoding = min(scored)[2]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:  # the sample decoded, the rest of the file did not
        raise NotTextError(f"invalid {encoding}") from exc


_LEGACY_CODE_PAGES = (
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1257",
    "koi8_r",
    "cp850",
    "cp437",
    "cp932",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "big5",
    "euc_kr",
    "cp949",
)


def implausibility(text: str) -> int:
    """How much decoded text looks like the wrong code page (0 = reads as words).

    Counts symbols wedged inside words ("Tytu³", "Ïîëó÷") and Latin words made mostly
    of accented letters ("Ïîëó÷àòåëü" is Russian read as cp1252).
    """
    score = 0
    for index in range(1, len(text) - 1):
        char = text[index]
        if ord(char) > 127 and not char.isalpha() and text[index - 1].isalpha():
            score += text[index + 1].isalpha()
    for word in _LATIN_WORD.findall(text):
        accented = sum(1 for ch in word if ord(ch) > 127)
        score += accented * 2 > len(word)
    return score


_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{3,}")


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

"""Which kind of document a file is, decided from its bytes.

The name is never trusted for the container: a zip renamed `.pdf` or random bytes named
`.txt` are refused, a PNG named `.csv` is read as an image, an HTML page named `.docx`
as HTML and an e-mail named `.txt` as an e-mail. Only once the content has proved to be
plain text of no such kind does the extension choose between the text flavours (CSV,
Markdown, plain text), since the same decoded text is safe whichever it is read as.
Archives are not unpacked: their documents are to be uploaded one by one.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections import Counter
from pathlib import Path

from knowledge.documents import DocType
from knowledge.errors import (
    DamagedFileError,
    EncryptedFileError,
    IngestError,
    UnsupportedFileError,
)
from knowledge.parsing.html import looks_like_html
from knowledge.parsing.mail import looks_like_email
from knowledge.parsing.messages import display_name
from knowledge.parsing.text_decoding import NotTextError, decode_text

HEAD_BYTES = 8192
# Readers accept a PDF header anywhere in the first kilobyte (some generators prepend junk).
PDF_MAGIC_WINDOW = 1024
_PDF_HEADER = re.compile(rb"%PDF-\d\.\d")

SUPPORTED = (
    "a PDF, Word, Excel, CSV, text, Markdown, HTML, e-mail (.eml, .msg) or image (PNG, "
    "JPEG, TIFF) file"
)
# Images read by OCR.
_IMAGE_MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# Outlook .msg files are OLE2 compound files holding MAPI property streams.
_MSG_MARKER = "__substg1.0_".encode("utf-16-le")
# Signatures of common files we do not take, to say what the file actually is.
_KNOWN_BINARIES: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "a GIF image (save it as PNG)"),
    (b"GIF89a", "a GIF image (save it as PNG)"),
    (b"BM", "a bitmap image (save it as PNG)"),
    (b"RIFF", "a media file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"{\\rtf", "an RTF document"),
)
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
_DELIMITED_SUFFIXES = frozenset({".csv", ".tsv", ".tab", ".psv"})
DELIMITERS = ",;\t|"


def detect_type(head: bytes, path: Path) -> DocType:
    """The document type of the file at `path`, whose first bytes are `head`."""
    return detect_binary_type(head, path) or _text_type(path, display_name(path))


def detect_binary_type(head: bytes, path: Path) -> DocType | None:
    """PDF, DOCX, XLSX, image or .msg from the magic bytes; None if it may be text.

    Raises UnsupportedFileError for recognised files of other kinds (archives, programs).
    """
    name = display_name(path)
    if _PDF_HEADER.search(head[:PDF_MAGIC_WINDOW]):
        return DocType.PDF
    if head.startswith(_IMAGE_MAGICS):
        return DocType.IMAGE
    if head.startswith(_ZIP_MAGICS):
        return _office_type(path, name)
    if head.startswith(_OLE2_MAGIC):
        if is_outlook_message(path):
            return DocType.EMAIL
        raise _ole2_error(path, name)
    for magic, what in _KNOWN_BINARIES:
        if head.startswith(magic):
            raise UnsupportedFileError(
                f"{name} is {what}, not a supported document: upload {SUPPORTED}"
            )
    return None


def is_outlook_message(path: Path) -> bool:
    """An OLE2 file with MAPI property streams: an Outlook .msg."""
    try:
        with path.open("rb") as handle:
            return _MSG_MARKER in handle.read(4 * 1024 * 1024)
    except OSError:
        return False


def _office_type(path: Path, name: str) -> DocType:
    try:
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            content_types = _read_member_head(archive, "[Content_Types].xml")
    except OSError as exc:
        raise IngestError(
            f"{name} cannot be read ({exc.strerror}): check the path and upload it again"
        ) from exc
    except (zipfile.BadZipFile, ValueError, EOFError, KeyError) as exc:
        raise DamagedFileError(
            f"{name} looks like a zip-based Office file but is damaged or truncated: "
            "re-export it and upload it again"
        ) from exc
    for marker, outcome in _OFFICE_CONTENT_TYPES:
        if marker in content_types:
            if isinstance(outcome, DocType):
                return outcome
            raise UnsupportedFileError(f"{name} is {outcome}")
    if "word/document.xml" in members:
        return DocType.DOCX
    if "xl/workbook.xml" in members:
        return DocType.XLSX
    raise UnsupportedFileError(
        f"{name} is a zip archive{_members_summary(members)}: archives are not unpacked; "
        "upload the documents inside it one by one"
    )


def _members_summary(members: set[str]) -> str:
    """' (3 files: a.pdf, b.csv, c.eml)' — what the user will have to upload."""
    files = sorted(m for m in members if not m.endswith("/"))
    if not files:
        return " (empty)"
    shown = ", ".join(Path(m).name for m in files[:5])
    more = f" and {len(files) - 5} more" if len(files) > 5 else ""
    return f" ({len(files)} file{'s' if len(files) > 1 else ''}: {shown}{more})"


def _read_member_head(archive: zipfile.ZipFile, member: str) -> bytes:
    if member not in archive.namelist():
        return b""
    with archive.open(member) as handle:
        return handle.read(1024 * 1024)


# Main-part content types, most specific first: what each kind of Office file is.
_OFFICE_CONTENT_TYPES: tuple[tuple[bytes, DocType | str], ...] = (
    (b"wordprocessingml.document.main+xml", DocType.DOCX),
    (b"spreadsheetml.sheet.main+xml", DocType.XLSX),
    (b"ms-excel.sheet.macroEnabled.main+xml", DocType.XLSX),
    (b"spreadsheetml.template.main+xml", DocType.XLSX),
    (b"ms-excel.template.macroEnabled.main+xml", DocType.XLSX),
    (
        b"ms-word.document.macroEnabled.main+xml",
        "a macro-enabled Word file (.docm): save it as a .docx document and upload it again",
    ),
    (
        b"wordprocessingml.template.main+xml",
        "a Word template (.dotx): save it as a .docx document and upload it again",
    ),
    (
        b"ms-word.template.macroEnabledTemplate.main+xml",
        "a Word template (.dotm): save it as a .docx document and upload it again",
    ),
    (
        b"presentationml",
        "a PowerPoint presentation: save it as PDF and upload the PDF",
    ),
)


def _ole2_error(path: Path, name: str) -> Exception:
    """Legacy .doc/.xls, or a password-protected DOCX/XLSX (stored as OLE2)."""
    try:
        with path.open("rb") as handle:
            content = handle.read(4 * 1024 * 1024)
    except OSError:
        content = b""
    if "EncryptedPackage".encode("utf-16-le") in content:
        return EncryptedFileError(
            f"{name} is password-protected: remove the password in Office and upload it again"
        )
    return UnsupportedFileError(
        f"{name} is a legacy Office file (.doc/.xls): save it as .docx or .xlsx and upload it again"
    )


def _text_type(path: Path, name: str) -> DocType:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(
            f"{name} cannot be read ({exc.strerror}): check the path and upload it again"
        ) from exc
    try:
        text = decode_text(data)
    except NotTextError as exc:
        raise UnsupportedFileError(
            f"{name} is not a document we can read (binary content): upload {SUPPORTED}"
        ) from exc
    return text_flavour(text, path.suffix.lower())


def text_flavour(text: str, suffix: str) -> DocType:
    """E-mail, HTML, CSV, Markdown or plain text for text that decoded cleanly.

    E-mail and HTML are told by their content whatever the name; the text flavours by
    the extension first.
    """
    if looks_like_email(text):
        return DocType.EMAIL
    if looks_like_html(text):
        return DocType.HTML
    if suffix in _DELIMITED_SUFFIXES:
        return DocType.CSV
    if suffix in _MARKDOWN_SUFFIXES:
        return DocType.MD
    if suffix == ".txt":
        return DocType.CSV if looks_tabular(text, strict=True) else DocType.TXT
    if looks_tabular(text, strict=False):
        return DocType.CSV
    return DocType.MD if looks_like_markdown(text) else DocType.TXT


def sniff_delimiter(sample: str) -> str | None:
    """The field delimiter of delimited text, or None if the sample is not tabular.

    The delimiter that gives the most records of one common width (2+ fields) wins, so
    title lines above the table and commas inside quoted fields do not mislead it.
    """
    best: tuple[int, int, str] | None = None
    for delimiter in DELIMITERS:
        widths = Counter(
            len(record)
            for record in _sample_records(sample, delimiter)
            if any(field.strip() for field in record)
        )
        for width, count in widths.items():
            if width >= 2 and count >= 2 and (best is None or (count, width) > best[:2]):
                best = (count, width, delimiter)
    return best[2] if best else None


def _sample_records(sample: str, delimiter: str) -> list[list[str]]:
    """Up to 100 records; the last one is dropped as the sample may cut it short."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        records = list(itertools.islice(reader, 101))
    except csv.Error:
        return []
    return records[:-1] if len(records) > 100 else records


def looks_tabular(text: str, *, strict: bool) -> bool:
    """Consistently delimited rows: at least 2 columns (3 and 3 rows when strict)."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    min_rows, min_cols = (3, 3) if strict else (2, 2)
    if len(lines) < min_rows:
        return False
    delimiter = sniff_delimiter("\n".join(lines))
    if delimiter is None or (delimiter == "|" and looks_like_markdown(text)):
        return False
    rows = list(csv.reader(lines, delimiter=delimiter))
    widths = [len(row) for row in rows]
    consistent = sum(1 for width in widths if width == widths[0]) / len(widths)
    return widths[0] >= min_cols and consistent >= 0.9


def looks_like_markdown(text: str) -> bool:
    lines = text.splitlines()[:200]
    markers = sum(
        1
        for line in lines
        if line.startswith(("# ", "## ", "### ", "- ", "* ", "> ", "```"))
        or line.startswith("|---")
        or line.startswith("| ---")
    )
    return markers >= 2

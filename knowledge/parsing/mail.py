"""E-mail: .eml (RFC 5322, MIME) and Outlook .msg, with attachments as their own documents.

The headers that matter to an analyst (from, to, cc, date, subject) are kept as metadata
and written at the top of the message's text, so they can be cited. The body is the
plain-text part, or the HTML part read as HTML. A reply that quotes earlier messages
("-----Original Message-----", "On ... wrote:") is split into one page per message, each
labelled with its sender and date, so a passage cites the message it came from. Every
attachment is handed back to be ingested as a document linked to the message.
"""

from __future__ import annotations

import email
import itertools
import re
from email import policy
from email.message import EmailMessage, Message
from pathlib import Path

from knowledge.documents import Attachment, DocType, Page, ParsedDocument
from knowledge.errors import DamagedFileError, EmptyFileError, UnsupportedFileError
from knowledge.parsing.html import html_text, looks_like_html
from knowledge.parsing.text_decoding import NotTextError, decode_text

HEADERS = ("from", "to", "cc", "date", "subject")
_HEADER_LINE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,40}:[ \t]")
_MAIL_HEADERS = frozenset(
    {"from", "to", "cc", "subject", "date", "message-id", "mime-version", "received",
     "return-path", "reply-to", "sender", "delivered-to", "x-mailer", "content-type"}
)  # fmt: skip
# The separators mail clients put above a quoted message.
_QUOTE_START = re.compile(
    r"^(?:-{2,}\s*(?:Original Message|Forwarded message)\s*-{2,}\s*$"
    r"|On .{5,200}\bwrote:\s*$"
    r"|From:\s.+$(?=\n(?:Sent|Date):\s))",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_FIELD = re.compile(r"^(From|Sent|Date|To|Cc|Subject):\s*(.*)$", re.IGNORECASE)
_WROTE = re.compile(r"^On (?P<date>.{5,120}?),? (?P<sender>[^,]{2,120}) wrote:\s*$", re.IGNORECASE)
LABEL_CHARS = 250


def looks_like_email(text: str) -> bool:
    """A message that starts with mail headers (From plus another mail header)."""
    names: set[str] = set()
    for line in text.lstrip()[:8192].splitlines()[:60]:
        if not line.strip():
            break
        if line[:1] in " \t":
            continue  # a folded header line
        if line.startswith("From ") and not names:
            continue  # an mbox separator line
        if not _HEADER_LINE.match(line):
            return False
        names.add(line.split(":", 1)[0].lower())
    return "from" in names and len(names & _MAIL_HEADERS) >= 3


def parse_eml(data: bytes, name: str) -> ParsedDocument:
    """A MIME message: headers, body (split per quoted message), attachments."""
    try:
        message = email.message_from_bytes(data, policy=policy.default)
    except Exception as exc:  # the email package raises many kinds on broken input
        raise DamagedFileError(f"{name} is a damaged e-mail: save it again and upload it") from exc
    if not isinstance(message, EmailMessage):
        raise DamagedFileError(f"{name} is a damaged e-mail: save it again and upload it")
    metadata = {key: _header(message, key) for key in HEADERS if _header(message, key)}
    attachments, warnings = _attachments(message)
    return message_document(metadata, _body(message), attachments, warnings, name)


def message_document(
    metadata: dict[str, str],
    body: str,
    attachments: list[Attachment],
    warnings: list[str],
    name: str,
) -> ParsedDocument:
    """Pages of a message: the message with its headers, then each quoted message."""
    if attachments:
        metadata = {**metadata, "attachments": ", ".join(a.filename for a in attachments)}
    head = "\n".join(f"{key.capitalize()}: {value}" for key, value in metadata.items())
    parts = split_quoted(body)
    if not head and not any(text.strip() for text, _ in parts):
        raise EmptyFileError(f"{name} is an e-mail without headers or text")
    pages = [Page(1, f"{head}\n\n{parts[0][0]}".strip(), label=_label(metadata))]
    pages += [
        Page(number, text, label=label)
        for number, (text, label) in enumerate(parts[1:], start=2)
        if text.strip()
    ]
    return ParsedDocument(
        doc_type=DocType.EMAIL,
        pages=pages,
        warnings=warnings,
        metadata=metadata,
        attachments=attachments,
    )


def split_quoted(body: str) -> list[tuple[str, str | None]]:
    """The body as (text, label) per message: the newest first, then each one it quotes."""
    starts: list[int] = []
    for match in _QUOTE_START.finditer(body):
        # "-----Original Message-----" then "From: ...": one separator, not two messages
        if starts and len(body[starts[-1] : match.start()].strip().splitlines()) <= 1:
            continue
        starts.append(match.start())
    bounds = [0, *starts, len(body)]
    parts = []
    for begin, end in itertools.pairwise(bounds):
        text = body[begin:end].strip()
        parts.append((text, _quoted_label(text) if begin else None))
    return parts or [("", None)]


def _quoted_label(text: str) -> str | None:
    """'From Bob <b@x>, Mon 4 Mar 2024: Re: wires' for a quoted message's header lines."""
    first = text.splitlines()[0] if text else ""
    if match := _WROTE.match(first):
        return _clip(f"From {match['sender']}, {match['date']}")
    fields: dict[str, str] = {}
    for line in text.splitlines()[:12]:
        if found := _QUOTED_FIELD.match(line.strip()):
            fields.setdefault(found[1].lower(), found[2].strip())
    if not fields:
        return None
    return _label(
        {
            "from": fields.get("from", ""),
            "date": fields.get("sent") or fields.get("date", ""),
            "subject": fields.get("subject", ""),
        }
    )


def _label(metadata: dict[str, str]) -> str | None:
    sender, when, subject = (metadata.get(k, "") for k in ("from", "date", "subject"))
    if not (sender or when or subject):
        return None
    who = f"From {sender}" if sender else "Message"
    return _clip(f"{who}, {when}: {subject}" if when else f"{who}: {subject}")


def _clip(label: str) -> str:
    label = " ".join(label.split()).rstrip(": ")
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _header(message: EmailMessage, key: str) -> str:
    try:
        value = message.get(key)
    except Exception:  # a malformed header must not sink the message
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _body(message: EmailMessage) -> str:
    """The plain-text body, or the HTML body read as HTML."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _undeclared_charset_text(part)
    if text is None:
        try:
            content = part.get_content()
        except (LookupError, ValueError, AssertionError):
            payload = part.get_payload(decode=True)
            content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        text = str(content)
    if part.get_content_subtype() == "html" or looks_like_html(text):
        return html_text(text)
    return text.replace("\r\n", "\n")


def _undeclared_charset_text(part: Message) -> str | None:
    """A body with 8-bit bytes but no declared charset, decoded as a text file would be.

    A message saved from a mail client without MIME headers (or a .txt export of one) has
    no charset, and the email package then reads it as ASCII, turning "utgjør" into
    "utgj��r"; such bytes are UTF-8 or cp1252 far more often than not.
    """
    if part.get_content_charset() not in (None, "us-ascii", "ascii"):
        return None
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or payload.isascii():
        return None
    try:
        return decode_text(payload)
    except NotTextError:
        return None


def _attachments(message: EmailMessage) -> tuple[list[Attachment], list[str]]:
    """Attached files (and attached messages, as .eml); inline images are the body's."""
    found: list[Attachment] = []
    warnings: list[str] = []
    for index, part in enumerate(message.iter_attachments(), start=1):
        filename = _safe_name(part.get_filename(), part, index)
        if (
            part.get_content_maintype() == "image"
            and part.get_content_disposition() != "attachment"
        ):
            warnings.append(f"inline image {filename} in the body was not read")
            continue
        content = _part_bytes(part)
        if not content:
            warnings.append(f"attachment {filename} is empty and was skipped")
            continue
        found.append(Attachment(filename=filename, content=content))
    return found, warnings


def _part_bytes(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        return inner.as_bytes() if isinstance(inner, Message) else b""
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _safe_name(filename: str | None, part: Message, index: int) -> str:
    """A plain base name for an attachment (never a path), with a sensible default."""
    name = Path((filename or "").replace("\\", "/")).name.strip()
    name = re.sub(r"[\x00-\x1f\x7f]", "", name)
    if name and name not in (".", ".."):
        return name[:200]
    suffix = ".eml" if part.get_content_type() == "message/rfc822" else ".bin"
    return f"attachment-{index}{suffix}"


def parse_msg(path: Path, name: str) -> ParsedDocument:
    """An Outlook .msg through extract-msg: the same headers, body and attachments."""
    import extract_msg  # imported here: it is large and only .msg files need it

    try:
        message = extract_msg.openMsg(str(path), delayAttachments=False)
    except Exception as exc:  # extract-msg raises its own and olefile's errors
        raise UnsupportedFileError(
            f"{name} is an Outlook file that is not a readable e-mail: save the message as "
            ".eml or .msg again and upload it"
        ) from exc
    try:
        return _msg_document(message, name)
    finally:
        message.close()


def _msg_document(message: object, name: str) -> ParsedDocument:
    fields = {
        "from": getattr(message, "sender", None),
        "to": getattr(message, "to", None),
        "cc": getattr(message, "cc", None),
        "date": getattr(message, "date", None),
        "subject": getattr(message, "subject", None),
    }
    metadata = {key: " ".join(str(value).split()) for key, value in fields.items() if value}
    body = str(getattr(message, "body", "") or "")
    if not body.strip() and (html_body := getattr(message, "htmlBody", None)):
        body = html_text(html_body)
    attachments: list[Attachment] = []
    warnings: list[str] = []
    for index, item in enumerate(getattr(message, "attachments", []), start=1):
        data = getattr(item, "data", None)
        label = getattr(item, "longFilename", None) or getattr(item, "shortFilename", None)
        filename = Path(str(label or f"attachment-{index}.bin").replace("\\", "/")).name
        if isinstance(data, bytes) and data:
            attachments.append(Attachment(filename=filename[:200], content=data))
        else:
            warnings.append(
                f"attachment {filename} could not be read from the .msg and was skipped"
            )
    return message_document(metadata, body.replace("\r\n", "\n"), attachments, warnings, name)

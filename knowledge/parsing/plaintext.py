"""Plain text and Markdown: the decoded text, unchanged, as one page."""

from __future__ import annotations

from knowledge.documents import DocType, Page, ParsedDocument


def parse_plain_text(text: str, doc_type: DocType) -> ParsedDocument:
    """Line endings normalised to \\n; nothing else is altered."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return ParsedDocument(doc_type=doc_type, pages=[Page(number=1, text=normalised)])

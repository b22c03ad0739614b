"""DOCX text: paragraphs and table cells in the order they appear in the document.

Word has no reliable pages (they depend on the renderer), so the whole document is one
page. Tables are read in place, nested tables included, so a document that is only a
table still has all its text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from knowledge.documents import DocType, Page, ParsedDocument

BlockParent = Document | _Cell
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def parse_docx(path: Path) -> ParsedDocument:
    """The document's text as one page: one line per paragraph and per table cell."""
    with path.open("rb") as handle:
        document = docx.Document(handle)
    parts = list(_blocks_text(document))
    parts.extend(_header_footer_text(document))
    return ParsedDocument(doc_type=DocType.DOCX, pages=[Page(number=1, text="\n".join(parts))])


def _blocks_text(parent: BlockParent) -> Iterator[str]:
    for block in parent.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block.text
            yield from _text_box_text(block)
        elif isinstance(block, Table):
            yield from _table_text(block)


def _text_box_text(paragraph: Paragraph) -> Iterator[str]:
    """Text boxes anchored in the paragraph (python-docx's paragraph.text skips them).

    Word stores each box twice, as DrawingML and as a VML fallback; the fallback copy
    is left out so the text appears once.
    """
    for box in paragraph._p.iter(qn("w:txbxContent")):
        if any(ancestor.tag == _FALLBACK for ancestor in box.iterancestors()):
            continue
        for inner in box.iter(qn("w:p")):
            yield "".join(node.text or "" for node in inner.iter(qn("w:t")))


def _table_text(table: Table) -> Iterator[str]:
    # A merged cell is returned once per grid position it covers. Keeping the XML
    # elements alive in `seen` keeps their identity stable while we compare.
    seen: set[object] = set()
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            yield from _blocks_text(cell)


def _header_footer_text(document: Document) -> Iterator[str]:
    seen: set[str] = set()
    for section in document.sections:
        for part in (section.header, section.footer):
            if part.is_linked_to_previous:
                continue
            text = "\n".join(p.text for p in part.paragraphs).strip()
            if text and text not in seen:
                seen.add(text)
                yield text

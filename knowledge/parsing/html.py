"""HTML and XHTML (EDGAR 10-K/10-Q filings with inline XBRL, saved pages, e-mail bodies).

Read with lxml's HTML parser (no network, no entity expansion), walked in document order:
headings, paragraphs and list items become lines, a table row becomes one line of cells
("Net income | 4,858 | 5,363", EDGAR's separate "$" and ")" cells joined to their
figures), scripts, styles and hidden content (the inline-XBRL header, `display:none`)
are dropped. CSS page breaks start a new page, so a citation of a filing names its page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree, html

from knowledge.documents import DocType, Page, ParsedDocument

_SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "meta", "link", "object",
     "embed", "iframe", "svg", "math", "button", "select", "option", "textarea",
     "ix:header", "header:ix"}
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
     "dd", "blockquote", "pre", "hr", "section", "article", "header", "footer", "nav",
     "aside", "address", "figure", "figcaption", "center", "form", "fieldset", "main",
     "caption", "body", "html"}
)  # fmt: skip
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_BREAK_BEFORE = re.compile(r"(?:page-)?break-before\s*:\s*(?:always|page)", re.IGNORECASE)
_BREAK_AFTER = re.compile(r"(?:page-)?break-after\s*:\s*(?:always|page)", re.IGNORECASE)
_JOIN_NEXT = frozenset({"$", "€", "£", "¥", "US$", "("})
_JOIN_PREVIOUS = re.compile(r"^(?:\)|%|\)%|%\))$")
CELL_SEPARATOR = " | "
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAGS = re.compile(r"<(?:body|table|div|p|h[1-6]|span|br|tr|td)\b[^>]*>", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """An HTML or XHTML document (not a text that merely mentions a tag)."""
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    return head.lstrip().startswith("<") and len(_HTML_TAGS.findall(head)) >= 3


@dataclass
class _Pages:
    """Text being collected: finished pages, the current page's lines, the current line."""

    pages: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    def add_text(self, text: str | None) -> None:
        if text:
            self.parts.append(text)

    def end_line(self) -> None:
        line = " ".join("".join(self.parts).split())
        self.parts = []
        if line:
            self.lines.append(line)

    def add_line(self, line: str) -> None:
        self.end_line()
        self.lines.append(line)

    def end_paragraph(self) -> None:
        self.end_line()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def end_page(self) -> None:
        self.end_line()
        text = "\n".join(self.lines).strip()
        if text:
            self.pages.append(text)
        self.lines = []


def parse_html(data: bytes | str) -> ParsedDocument:
    """The document's text page by page; tables as rows of cells."""
    pages = html_pages(data)
    return ParsedDocument(
        doc_type=DocType.HTML,
        pages=[Page(number=number, text=text) for number, text in enumerate(pages, start=1)],
    )


def html_pages(data: bytes | str) -> list[str]:
    """The text of each page of an HTML document (one page if it has no page breaks)."""
    root = _parse(data)
    collected = _Pages()
    if root is not None:
        _walk(root, collected)
    collected.end_page()
    return collected.pages


def html_text(data: bytes | str) -> str:
    """All of an HTML document's text (an e-mail body), pages joined."""
    return "\n\n".join(html_pages(data))


def _parse(data: bytes | str) -> etree._Element | None:
    parser = html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, default_doctype=False
    )
    if isinstance(data, str):
        data = data.encode("utf-8")
        parser = html.HTMLParser(
            remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8"
        )
    try:
        return html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        return None


def _tag(element: etree._Element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _hidden(element: etree._Element) -> bool:
    tag = _tag(element)
    if not tag or tag in _SKIPPED_TAGS:
        return True
    style = element.get("style") or ""
    return bool(_HIDDEN.search(style)) or element.get("hidden") is not None


def _walk(root: etree._Element, out: _Pages) -> None:
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = _tag(element)
        if event == "start":
            if _hidden(element) and element is not root:
                walker.skip_subtree()
                out.add_text(element.tail)
                continue
            style = element.get("style") or ""
            if _BREAK_BEFORE.search(style):
                out.end_page()
            if tag == "table":
                out.end_paragraph()
                for line in table_lines(element):
                    out.add_line(line)
                out.end_paragraph()
                walker.skip_subtree()
                _after(element, out)
                continue
            if tag in _BLOCK_TAGS:
                out.end_line()
            out.add_text(element.text)
        else:
            _after(element, out)


def _after(element: etree._Element, out: _Pages) -> None:
    """What follows an element's end: a line or paragraph break, a page break, its tail."""
    tag = _tag(element)
    if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre"):
        out.end_paragraph()
    elif tag in _BLOCK_TAGS:
        out.end_line()
    if _BREAK_AFTER.search(element.get("style") or ""):
        out.end_page()
    out.add_text(element.tail)


def table_lines(table: etree._Element) -> list[str]:
    """Each row of a table as one line of its non-empty cells (nested tables flattened)."""
    lines = []
    for row in table.iter("tr"):
        if any(_hidden(ancestor) for ancestor in row.iterancestors() if ancestor is not table):
            continue
        cells = _row_cells(row)
        if cells:
            lines.append(CELL_SEPARATOR.join(cells))
    return lines


def _row_cells(row: etree._Element) -> list[str]:
    cells: list[str] = []
    for cell in row:
        if _tag(cell) not in ("td", "th") or _hidden(cell):
            continue
        text = " ".join(_visible_text(cell).split())
        if not text:
            continue
        if cells and (cells[-1] in _JOIN_NEXT or _JOIN_PREVIOUS.match(text)):
            cells[-1] = cells[-1] + text
        else:
            cells.append(text)
    return cells


def _visible_text(element: etree._Element) -> str:
    """Text of an element without its hidden descendants (text between them is kept)."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if not _hidden(child):
            text = _visible_text(child)
            parts.append(f" {text} " if _tag(child) in _BLOCK_TAGS else text)
        parts.append(child.tail or "")
    return "".join(parts)

"""Making text safe to show: Chainlit renders Markdown, and document text is not ours.

Quoted document text is escaped completely (no link, image, heading or HTML survives);
agent messages keep their Markdown but lose raw HTML and images, since an agent may
repeat what a document said.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_IMAGE = re.compile(r"!\[")


def escape_text(text: str) -> str:
    """Document text shown literally: every Markdown and HTML character neutralised."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))


def quote_block(text: str, limit: int = 600) -> str:
    """A blockquote of document text, shortened, escaped, one line per source line."""
    shortened = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    lines = [escape_text(line) for line in shortened.splitlines() if line.strip()]
    return "\n".join(f"> {line}" for line in lines) or "> (empty)"


def sanitize_agent_markdown(text: str) -> str:
    """An agent's Markdown without raw HTML or images (links and emphasis stay)."""
    without_html = text.replace("<", "&lt;")
    return _IMAGE.sub(r"!\\[", without_html)


def table_cell(value: object) -> str:
    """One Markdown table cell: escaped, on one line, with pipes neutralised."""
    text = " ".join(str(value if value is not None else "").split())
    return escape_text(text)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table whose cells cannot break out of it."""
    head = "| " + " | ".join(table_cell(h) for h in headers) + " |"
    rule = "|" + "|".join(" --- " for _ in headers) + "|"
    body = ["| " + " | ".join(table_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join([head, rule, *body])

"""Token counts for the offline engine: a word-and-punctuation estimate, close enough to a
BPE tokenizer's count for usage reports, with no tokenizer file to download."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from autogen_core.models import LLMMessage
from autogen_core.tools import Tool, ToolSchema

_PIECE = re.compile(r"\w+|[^\w\s]")
PER_MESSAGE = 4


def count_text(text: str) -> int:
    """About one token per short word or punctuation mark, more for long words."""
    return sum(1 + len(piece) // 8 for piece in _PIECE.findall(text))


def _content_text(message: LLMMessage) -> str:
    content = getattr(message, "content", "")
    if isinstance(content, str):
        return content
    parts = []
    for item in content:
        for attribute in ("content", "arguments", "name"):
            value = getattr(item, attribute, None)
            if isinstance(value, str):
                parts.append(value)
    return " ".join(parts)


def count_messages(messages: Sequence[LLMMessage], tools: Sequence[Tool | ToolSchema] = ()) -> int:
    total = sum(PER_MESSAGE + count_text(_content_text(m)) for m in messages)
    for tool in tools:
        schema = tool if isinstance(tool, dict) else tool.schema
        total += count_text(json.dumps(schema))
    return total

"""The offline engine as the manager's model-based selector (open requests only)."""

from __future__ import annotations

import ast
import re

from autogen_core.models import LLMMessage

SELECTOR_MARKER = "Who should speak next?"
_PARTICIPANTS = re.compile(r"one name from (\[[^\]]*\])")
_PREFERENCES = (
    (re.compile(r"\brules?\b|\brulebook\b", re.I), "compliance"),
    (re.compile(r"\brisk", re.I), "risk"),
    (re.compile(r"\b(?:upload|ingest|library|documents?|files?)\b", re.I), "ingestion"),
)


def selector_text(messages: list[LLMMessage]) -> str | None:
    """The selector prompt, if this request is the manager asking who speaks next."""
    for message in messages:
        content = getattr(message, "content", None)
        if isinstance(content, str) and SELECTOR_MARKER in content:
            return content
    return None


def choose_speaker(prompt: str) -> str:
    match = _PARTICIPANTS.search(prompt)
    try:
        candidates = [str(n) for n in ast.literal_eval(match.group(1))] if match else []
    except (ValueError, SyntaxError):
        candidates = []
    history = prompt.split("The conversation so far:", 1)[-1]
    last_user = [line for line in history.splitlines() if line.startswith("user:")]
    request = last_user[-1] if last_user else history
    for pattern, name in _PREFERENCES:
        if pattern.search(request) and name in candidates:
            return name
    if "reporter" in candidates:
        return "reporter"
    return candidates[0] if candidates else "reporter"

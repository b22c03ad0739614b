"""One-line, actionable error messages that name the file.

Every error a parser raises on purpose goes through here, so the file name is shown
the same way everywhere and can never break the message onto a second line.
"""

from __future__ import annotations

import re
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


def display_name(path: Path) -> str:
    """The file's base name, with line breaks and control characters made harmless."""
    name = path.name or str(path)
    return _CONTROL.sub("?", name)


def one_line(message: str) -> str:
    """Collapse any whitespace run (including newlines) into one space."""
    return " ".join(message.split())

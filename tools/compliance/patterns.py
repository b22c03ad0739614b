"""Regular expressions from rulebooks, compiled with RE2 so no pattern can hang the process.

Rulebook patterns are data that users may write; Python's backtracking engine can take
exponential time on a pattern like `(a+)+$`. RE2 runs in time linear in the text and
refuses the features that allow blow-ups (backreferences, lookaround), so a rule either
compiles into something safe or is rejected with a message when the rulebook loads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import re2

__all__ = ["MAX_PATTERN_LENGTH", "PatternError", "SafePattern", "compile_pattern", "first_match"]

MAX_PATTERN_LENGTH = 20_000
# Memory RE2 may use for one compiled pattern; big enough for long alternations of names.
_MAX_MEMORY = 64 << 20


class PatternError(ValueError):
    """A pattern RE2 cannot compile; the message says why in RE2's words."""


class _Match(Protocol):
    def span(self) -> tuple[int, int]: ...


class _Compiled(Protocol):
    """What Quorum uses of an RE2 pattern (the re2 module has no type information)."""

    def finditer(self, text: str) -> Iterator[_Match]: ...

    def search(self, text: str) -> _Match | None: ...


@dataclass(frozen=True)
class SafePattern:
    """A compiled pattern with the source it came from (for messages and hashing)."""

    source: str
    compiled: _Compiled

    def finditer(self, text: str) -> Iterator[tuple[int, int]]:
        """Spans (character offsets) of non-overlapping matches, left to right."""
        for match in self.compiled.finditer(text):
            start, end = match.span()
            if end > start:
                yield start, end

    def search(self, text: str) -> tuple[int, int] | None:
        match = self.compiled.search(text)
        return None if match is None else match.span()

    def matches(self, text: str) -> bool:
        return self.compiled.search(text) is not None


def compile_pattern(source: str, *, ignore_case: bool = True) -> SafePattern:
    """Compile `source` with RE2 (case-insensitive unless asked), or raise PatternError."""
    return _compile(source, ignore_case)


@lru_cache(maxsize=4096)
def _compile(source: str, ignore_case: bool) -> SafePattern:
    if not source:
        raise PatternError("the pattern is empty")
    if len(source) > MAX_PATTERN_LENGTH:
        raise PatternError(f"the pattern is longer than {MAX_PATTERN_LENGTH} characters")
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not ignore_case
    options.max_mem = _MAX_MEMORY
    try:
        compiled = re2.compile(source, options)
    except re2.error as error:
        raise PatternError(_describe(error)) from None
    return SafePattern(source, compiled)


def _describe(error: Exception) -> str:
    detail = error.args[0] if error.args else str(error)
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", "replace")
    text = str(detail)
    if "invalid perl operator" in text or re.search(r"escape sequence: \\\d", text):
        text += " (lookaround and backreferences are not allowed: they can make matching slow)"
    return f"invalid regular expression: {text}"


def first_match(patterns: list[SafePattern], text: str) -> tuple[int, int] | None:
    """The earliest span any of `patterns` finds in `text`."""
    spans = [span for span in (p.search(text) for p in patterns) if span is not None]
    return min(spans) if spans else None

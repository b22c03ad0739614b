"""The baseline of the answer benchmark: the offline reporter as it was before issue 10.

A frozen copy (commit 8efcea3^, `agents/offline/reporter.py::_extractive_answer` and
`agents/offline/writing.py::best_excerpts`), kept here so the baseline does not move when
the writers it is compared with change: the question's content words joined as the search
query; up to three passages' best sentences by shared words, each quoted and cut at 220
characters; "No passage mentions … directly" with a 140-character quote when none shares
a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from agents.offline.reading import content_words

_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9\"“(])|\n{2,}|\n(?=[-•*]\s)")


@dataclass(frozen=True)
class Quoted:
    """The baseline's answer and the place of its first quote."""

    text: str
    first_quote: str
    filename: str | None
    page: int | None


@dataclass(frozen=True)
class _Excerpt:
    text: str
    filename: str
    page: int | None
    hits: int
    score: float


def baseline_query(question: str) -> str:
    """What the reporter searched for: the question's content words, joined."""
    return " ".join(content_words(question))


def _quote(text: str, limit: int) -> str:
    text = " ".join(text.split()).strip("“”\"")
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"“{text}”"


def _stem(word: str) -> str:
    return word[:6] if len(word) > 6 else word


def _excerpts(passages: Iterable[Mapping[str, Any]], terms: Iterable[str]) -> list[_Excerpt]:
    stems = {_stem(t) for t in terms}
    excerpts = []
    for passage in passages:
        sentences = [s for s in _SENTENCE.split(passage["text"]) if len(s.strip()) > 3]
        scored = [(len(stems & {_stem(w) for w in content_words(s)}), s) for s in sentences]
        hits, sentence = max(scored, key=lambda pair: pair[0], default=(0, passage["text"]))
        excerpts.append(
            _Excerpt(sentence, passage["filename"], passage.get("page"), hits,
                     float(passage.get("score", 0.0)))
        )  # fmt: skip
    excerpts.sort(key=lambda e: (-e.hits, -e.score))
    seen: set[tuple[str, int | None, str]] = set()
    unique = []
    for excerpt in excerpts:
        key = (excerpt.filename, excerpt.page, " ".join(excerpt.text.split())[:80])
        if key not in seen:
            seen.add(key)
            unique.append(excerpt)
    return unique[:3]


def baseline_answer(question: str, passages: Iterable[Mapping[str, Any]]) -> Quoted:
    terms = content_words(question)
    excerpts = _excerpts(passages, terms)
    if not excerpts:
        return Quoted(f"Nothing mentions “{' '.join(terms)}”.", "", None, None)
    direct = [e for e in excerpts if e.hits > 0]
    if not direct:
        closest = excerpts[0]
        shown = _quote(closest.text, 140)
        text = f"No passage mentions “{' '.join(terms)}” directly. The closest: {shown}"
        return Quoted(text, shown, closest.filename, closest.page)
    lines = [f"On “{' '.join(terms)}”, the documents say:"]
    lines += [f"- {_quote(e.text, 220)} ({e.filename}, p. {e.page})" for e in direct]
    first = direct[0]
    return Quoted("\n".join(lines), _quote(first.text, 220), first.filename, first.page)

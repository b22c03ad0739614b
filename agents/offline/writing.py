"""How the offline engine words things: document labels, citations, quotes, findings.

Messages are short and specific: every claim names the document and page it comes from
and quotes the words, so the analyst can check it against the original.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from agents.offline.reading import content_words
from tools.models import SEVERITY_WEIGHTS

_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9\"“(])|\n{2,}|\n(?=[-•*]\s)")


def label(ref: Mapping[str, Any]) -> str:
    """`**acme.pdf** (doc 1a2b3c4d)`: the way every agent names a document."""
    return f"**{ref.get('filename', '?')}** (doc {str(ref.get('document_id', ''))[:8]})"


def flat(text: str) -> str:
    return " ".join(text.split())


def quote(text: str, limit: int = 220) -> str:
    text = flat(text).strip("“”\"")
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"“{text}”"


def cite(
    filename: str, page: int | None = None, rows: str | None = None, ocr: str | None = None
) -> str:
    """'report.pdf, p. 3' ('…, read by OCR, 91%' for a scanned page)."""
    where = filename
    if rows:
        where = f"{filename}, rows {rows}"
    elif page is not None:
        where = f"{filename}, p. {page}"
    return f"{where}, {ocr}" if ocr else where


def finding_cite(finding: Mapping[str, Any]) -> str:
    where = finding.get("filename") or str(finding.get("document_id", ""))[:8]
    if finding.get("row") is not None:
        sheet = f"sheet {finding['sheet']}, " if finding.get("sheet") else ""
        return f"{where}, {sheet}row {finding['row']}"
    return cite(where, finding.get("page"))


def finding_line(finding: Mapping[str, Any], *, limit: int = 180) -> str:
    title = finding.get("title") or finding.get("category", "")
    notes = [finding["reading"]] if finding.get("reading") else []
    if finding.get("source") == "model":
        notes.append("found by the model reader")
    if finding.get("disputed"):
        notes.append(f"disputed by the model: {finding['disputed']}")
    extra = f" — {'; '.join(notes)}" if notes else ""
    return (
        f"**{finding['severity']}** · {title} ({finding['rule_id']}): "
        f"{quote(finding['evidence'], limit)} ({finding_cite(finding)}){extra}"
    )


def worst_first(findings: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(
        findings,
        key=lambda f: (-SEVERITY_WEIGHTS.get(f["severity"], 0), f.get("page") or 0, f["rule_id"]),
    )


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (plural_form or noun + 's')}"


@dataclass(frozen=True)
class Excerpt:
    """A sentence of a passage that answers the question, with its citation."""

    text: str
    filename: str
    page: int | None
    rows: str | None
    hits: int
    score: float
    ocr: str | None = None  # "read by OCR, 91%"
    table_header: str | None = None  # the header of the table row quoted

    @property
    def citation(self) -> str:
        where = cite(self.filename, self.page, self.rows, self.ocr)
        if self.table_header and "|" in self.text and self.table_header not in self.text:
            return f"{where}, table columns: {self.table_header}"
        return where


def _stem(word: str) -> str:
    return word[:6] if len(word) > 6 else word


def _sentences(text: str) -> list[str]:
    """Sentences of prose; each row of a table ("Net income | 4,858 | 5,363") on its own."""
    return [
        piece
        for sentence in _SENTENCE.split(text)
        for piece in (sentence.splitlines() if " | " in sentence else [sentence])
    ]


def best_excerpts(
    passages: Iterable[Mapping[str, Any]], terms: Iterable[str], *, limit: int = 3
) -> list[Excerpt]:
    """The sentences that share the most words with the question, best first, one per place."""
    stems = {_stem(t) for t in terms}
    excerpts: list[Excerpt] = []
    for passage in passages:
        sentences = [s for s in _sentences(passage["text"]) if len(s.strip()) > 3]
        scored = [
            (len(stems & {_stem(w) for w in content_words(sentence)}), sentence)
            for sentence in sentences
        ]
        hits, sentence = max(scored, key=lambda pair: pair[0], default=(0, passage["text"]))
        excerpts.append(
            Excerpt(
                text=sentence,
                filename=passage["filename"],
                page=passage.get("page"),
                rows=passage.get("rows"),
                hits=hits,
                score=float(passage.get("score", 0.0)),
                ocr=passage.get("ocr"),
                table_header=passage.get("table_header"),
            )
        )
    excerpts.sort(key=lambda e: (-e.hits, -e.score))
    seen: set[tuple[str, int | None, str]] = set()
    unique = []
    for excerpt in excerpts:
        key = (excerpt.filename, excerpt.page, flat(excerpt.text)[:80])
        if key not in seen:
            seen.add(key)
            unique.append(excerpt)
    return unique[:limit]

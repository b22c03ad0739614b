"""The reporter's summaries and comparisons, offline: the tools read the structure, this
module writes it out, every point with its citation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agents.offline.actions import Action, Call
from agents.offline.conversation import Conversation
from agents.offline.scope import thread_scope
from agents.offline.writing import cite, label

Point = Mapping[str, Any]


def _where(filename: str, point: Point) -> str:
    if point.get("row") is not None:
        return f"{filename}, row {point['row']}"
    return cite(filename, point.get("page"))


def play_summary(c: Conversation) -> Action:
    ids = thread_scope(c)[:1]
    if ids and not c.called("summarise_document") and c.can_call("summarise_document"):
        return [Call("summarise_document", {"document": ids[0]})]
    for summary in c.results("summarise_document"):
        return summary_text(summary)
    errors = "; ".join(o.error or "" for o in c.errors())
    return f"No summary: {errors or 'no document was named or found for this request'}."


def summary_text(summary: Mapping[str, Any]) -> str:
    document = summary["document"]
    name = document["filename"]
    lines = [f"Summary of {label(document)} ({summary['kind']}):"]
    for point in summary["points"]:
        lines.append(f"- **{point['topic']}**: {point['text']} ({_where(name, point)})")
    if summary.get("missing"):
        lines.append(f"- **missing**: no {', no '.join(summary['missing'])} clause found.")
    if len(lines) == 1:
        lines.append("- nothing structured could be read from it; ask a question about it.")
    return "\n".join(lines)


def play_comparison(c: Conversation) -> Action:
    ids = thread_scope(c)[:3]
    if len(ids) >= 2 and not c.called("compare_documents") and c.can_call("compare_documents"):
        return [Call("compare_documents", {"documents": ids})]
    for comparison in c.results("compare_documents"):
        return comparison_text(comparison)
    errors = "; ".join(o.error or "" for o in c.errors())
    if errors:
        return f"No comparison: {errors}"
    return "To compare I need two documents: attach both, or name them (file names or ids)."


def comparison_text(comparison: Mapping[str, Any]) -> str:
    documents = comparison["documents"]
    names = [d["filename"] for d in documents]
    lines = [" vs ".join(label(d) for d in documents) + ":", ""]
    lines.append("| topic | " + " | ".join(names) + " |")
    lines.append("|---" * (len(names) + 1) + "|")
    differing = 0
    for row in comparison["rows"]:
        cells = [
            f"{_cell(point['text'])} ({_where(name, point)})" if point else "**not found**"
            for name, point in zip(names, row["points"], strict=False)
        ]
        differing += row["differs"]
        mark = " ≠" if row["differs"] else ""
        lines.append(f"| {row['topic']}{mark} | " + " | ".join(cells) + " |")
    lines += ["", f"{differing} of {len(comparison['rows'])} topics differ (≠)."]
    return "\n".join(lines)


def _cell(text: str) -> str:
    text = " ".join(text.split()).replace("|", "/")
    return text if len(text) <= 160 else text[:159].rsplit(" ", 1)[0] + "…"

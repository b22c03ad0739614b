"""Which documents a request is about, as the offline engine decides it.

The thread's documents are the ones its tools acted on (`Conversation.in_play`, typed
tool results), never labels read back from the agents' messages. In order: ids named
outright by the analyst; "the second file" (position in the thread, then the
library); words of a file name ("the Acme contract"); "this" / "it" / a follow-up (the
documents of the previous run); and, failing all that, the workflow's default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from agents.offline.conversation import Conversation
from agents.offline.reading import (
    content_words,
    mentions_pronoun,
    ordinal_of,
    page_of,
    wants_all,
)

Ref = Mapping[str, Any]
_HEX = re.compile(r"\b[0-9a-f]{6,32}\b")
MAX_ALL = 10


def _by_ids(text: str, library: Sequence[Ref]) -> list[Ref]:
    wanted = _HEX.findall(text.lower())
    return [d for d in library if any(d["document_id"].startswith(w) for w in wanted)]


def _by_name(text: str, library: Sequence[Ref]) -> list[Ref]:
    wanted = set(content_words(text))
    if not wanted:
        return []
    scored = [(len(wanted & set(content_words(_name_words(d["filename"])))), d) for d in library]
    best = max((score for score, _ in scored), default=0)
    return [d for score, d in scored if score == best] if best else []


def _name_words(filename: str) -> str:
    return re.sub(r"[_\-.]+", " ", filename)


def previous_run_ids(conversation: Conversation) -> list[str]:
    """Documents the most recent earlier run's tools acted on (of the runs that did)."""
    return conversation.previous_run_ids()


def _in_library(ids: Sequence[str], library: Sequence[Ref]) -> list[Ref]:
    return [d for i in ids for d in library if d["document_id"].startswith(i)]


def _ordinal(position: int, conversation: Conversation, library: Sequence[Ref]) -> list[Ref]:
    """"The second file": of the listing the analyst was just shown, else of the documents
    the thread acted on, else of the library."""
    requests = conversation.requests
    listed = len(requests) > 1 and requests[-2].workflow == "library_list"
    ordered = list(library) if listed else _in_library(list(conversation.documents), library)
    ordered = ordered or list(library)
    if position == -1:
        return ordered[-1:]
    return [ordered[position - 1]] if 0 < position <= len(ordered) else []


def resolve_scope(
    conversation: Conversation, library: Sequence[Ref], *, default: bool = True
) -> list[Ref]:
    """The documents of `library` (list_documents' result) the current request is about;
    `default=False`: only documents the request names (nothing for a deletion that names
    none)."""
    text = conversation.request.text
    found = _by_ids(text, library)
    if found:
        return found
    position = ordinal_of(text)
    if position is not None:
        return _ordinal(position, conversation, library)
    found = _by_name(text, library)
    if found:
        return found
    previous = _in_library(previous_run_ids(conversation), library)
    if previous and (mentions_pronoun(text) or conversation.request.follow_up):
        return previous
    if wants_all(text):
        return list(library)[-MAX_ALL:]
    if not default:
        return []
    workflow = conversation.request.workflow
    if workflow == "question" and page_of(text) is None:
        return []
    if workflow == "compare":
        return previous if len(previous) >= 2 else list(library)[-2:]
    return previous or list(library)[-1:]


def thread_scope(conversation: Conversation) -> list[str]:
    """For agents without list_documents: ids named in this run, else the thread's context,
    narrowed to the documents whose file names the request uses ("the Acme contract")."""
    named = conversation.run_document_ids()
    if named:
        return named
    position = ordinal_of(conversation.request.text)
    known = list(conversation.documents)
    if position is not None and known:
        index = position - 1 if position > 0 else len(known) - 1
        return [known[index]] if 0 <= index < len(known) else []
    return _narrowed(conversation, previous_run_ids(conversation))


def _narrowed(conversation: Conversation, ids: list[str]) -> list[str]:
    wanted = set(content_words(conversation.request.text))
    by_name = [
        i
        for i in ids
        if wanted & set(content_words(_name_words(conversation.documents.get(i, ""))))
    ]
    return by_name or ids

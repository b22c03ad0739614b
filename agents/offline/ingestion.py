"""The ingestion role, offline: ingest the attached files, scope the request, search."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from agents.offline.actions import Action, Call
from agents.offline.conversation import Conversation
from agents.offline.reading import last_question, page_of, search_query, search_terms, wants_all
from agents.offline.review import play_answer, status_text
from agents.offline.scope import resolve_scope
from agents.offline.writing import cite, label, plural

Ref = Mapping[str, Any]
MAX_SEARCHES = 3
SCOPED_WORKFLOWS = ("analyse", "debate", "summarise", "compare")


def library(conversation: Conversation) -> list[Ref]:
    """Documents known this turn: the library listing, else the files just ingested."""
    for result in conversation.results("list_documents"):
        return list(result.get("documents", []))
    return [
        document
        for r in conversation.results("ingest_file")
        if r.get("document")
        for document in (r["document"], *r.get("attachments", []))
    ]


def _scope(conversation: Conversation) -> list[Ref]:
    if conversation.request.attachments:
        return library(conversation)
    return resolve_scope(conversation, library(conversation))


def play_ingestion(c: Conversation) -> Action:
    request = c.request
    if request.attachments and not c.called("ingest_file") and c.can_call("ingest_file"):
        return [Call("ingest_file", {"filename": name}) for name in request.attachments]
    if not request.attachments and not c.called("list_documents") and c.can_call("list_documents"):
        return [Call("list_documents")]
    if request.workflow == "question" and not c.called("search_knowledge"):
        calls = _searches(c)
        if calls and c.can_call("search_knowledge"):
            return calls
    if request.workflow == "library_delete":
        answered = play_answer(c)
        return answered if answered is not None else _delete(c)
    if _selects(c):
        scope = resolve_scope(c, library(c))
        if scope:
            return [Call("select_documents", {"documents": [d["document_id"] for d in scope]})]
    return write_ingestion(c)


def _selects(c: Conversation) -> bool:
    """Should the documents in scope be named to the team (select_documents) first?"""
    return (
        c.request.workflow in SCOPED_WORKFLOWS
        and not c.request.attachments
        and not c.called("select_documents")
        and c.can_call("select_documents")
    )


def _delete(c: Conversation) -> Action:
    """Delete the documents the request names, and only those; never guess a default."""
    documents = library(c)
    targets = resolve_scope(c, documents, default=False)
    if len(targets) > 1 and not wants_all(c.request.text) and not c.called("delete_document"):
        names = "; ".join(label(d) for d in targets)
        return f"Several documents match “{c.request.text}”: {names}. Which one should go?"
    if targets and not c.called("delete_document") and c.can_call("delete_document"):
        return [Call("delete_document", {"document": d["document_id"]}) for d in targets]
    deleted = c.results("delete_document")
    waiting = [status_text(r) for r in deleted if "request_id" in r]
    if waiting:
        return "\n".join(waiting)
    if deleted:
        lines = [f"- {label(r['document'])}: deleted" for r in deleted]
        left = deleted[-1]["remaining"]
        head = f"Removed {plural(len(deleted), 'document')} from the library:"
        return "\n".join([head, *lines, f"{plural(left, 'document')} left."])
    errors = "; ".join(o.error or "" for o in c.errors())
    if errors:
        return f"Nothing was deleted: {errors}"
    return (
        f"Nothing was deleted: no document matches “{c.request.text}”. Name it by file name "
        f"or id. {_library_line(documents, limit=10)}"
    )


def _searches(c: Conversation) -> list[Call]:
    terms = search_terms(c.requests)
    if not terms:
        return []
    page = page_of(c.request.text)
    base: dict[str, Any] = {"query": search_query(c.request.text, last_question(c.requests))}
    if page is not None:
        base["page"] = page
    scope = _scope(c)
    if not scope:
        return [Call("search_knowledge", base)]
    return [
        Call("search_knowledge", {**base, "document": ref["document_id"]})
        for ref in scope[:MAX_SEARCHES]
    ]


def write_ingestion(c: Conversation) -> str:
    parts = [_ingested(c.results("ingest_file"))] if c.called("ingest_file") else []
    if c.request.workflow == "question":
        parts.append(_found(c) if c.called("search_knowledge") else _in_scope(c))
    elif c.request.workflow == "library_list":
        parts.append(_listing(library(c)))
    elif c.request.workflow in ("analyse", "debate", "summarise", "compare"):
        parts.append(_in_scope(c))
    else:
        parts.append(_library_line(library(c)))
    parts += [f"⚠ {o.name} failed: {o.error}" for o in c.errors()]
    return "\n\n".join(p for p in parts if p)


def _ingested(results: Sequence[Ref]) -> str:
    lines = []
    for result in results:
        document = result.get("document")
        if result["status"] == "error" or not document:
            lines.append(f"- {result['filename']} could not be read: {result.get('error')}")
            continue
        state = "already in the library" if result["status"] == "duplicate" else "ingested"
        size = plural(document.get("pages", 0), "page")
        warning = f"; warning: {result['warnings'][0]}" if result.get("warnings") else ""
        lines.append(
            f"- {label(document)}: {state}, {size}, "
            f"{plural(document.get('chunks', 0), 'passage')} indexed{warning}"
        )
        lines += [
            f"  - {label(attached)}: attached to {document['filename']}, "
            f"{plural(attached.get('chunks', 0), 'passage')} indexed"
            for attached in result.get("attachments", [])
        ]
    ok = sum(1 for r in results if r.get("document"))
    head = f"Took in {ok} of {plural(len(results), 'file')}:"
    return "\n".join([head, *lines])


def _library_line(documents: Sequence[Ref], *, limit: int = 5) -> str:
    if not documents:
        return "The library is empty: attach the files to work on."
    names = ", ".join(label(d) for d in documents[-limit:])
    return f"The library holds {plural(len(documents), 'document')}; latest: {names}."


def _listing(documents: Sequence[Ref]) -> str:
    """Every document of the library, oldest first, with its type and size."""
    if not documents:
        return "The library is empty: attach files to a message to add them."
    lines = [
        f"{n}. {label(d)}: {d.get('type') or 'file'}, {plural(d.get('pages', 0), 'page')}, "
        f"{plural(d.get('chunks', 0), 'passage')}"
        for n, d in enumerate(documents, 1)
    ]
    return "\n".join([f"Your library holds {plural(len(documents), 'document')}:", *lines])


def _in_scope(c: Conversation) -> str:
    if c.request.attachments:
        return "" if library(c) else "No attached file could be read, so there is nothing to check."
    documents = library(c)
    if not documents:
        return "The library is empty: attach the files to check."
    selected = c.results("select_documents")
    scope = list(selected[-1]["documents"]) if selected else resolve_scope(c, documents)
    if not scope:
        return f"No document matches “{c.request.text}”. {_library_line(documents)}"
    page = page_of(c.request.text)
    where = f"page {page} of " if page else ""
    lines = [f"- {where}{label(d)}: {plural(d.get('pages', 0), 'page')}" for d in scope]
    return "\n".join([f"In scope ({plural(len(scope), 'document')}):", *lines])


def _found(c: Conversation) -> str:
    results = c.results("search_knowledge")
    if not results:
        return ""
    passages = [p for r in results for p in r.get("passages", [])]
    query = results[0].get("query", "")
    searched = sum(r.get("searched_documents", 0) for r in results)
    if not passages:
        return f"Searched {plural(searched, 'document')} for “{query}”: no passage matches."
    where: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for passage in passages:
        names[passage["document_id"]] = label(passage)
        spot = cite("", passage.get("page"), passage.get("rows")).lstrip(", ")
        if spot not in where.setdefault(passage["document_id"], []):
            where[passage["document_id"]].append(spot)
    places = "; ".join(f"{names[d]} {', '.join(spots)}" for d, spots in where.items())
    return (
        f"Searched {plural(searched, 'document')} for “{query}”: "
        f"{plural(len(passages), 'passage')} in {places}."
    )

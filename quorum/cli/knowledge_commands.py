"""`quorum ingest | search | documents | delete`: the knowledge base from the terminal."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from quorum.cli.main import app, settings_of
from quorum.cli.running import emit_json, fail, run
from quorum.services import open_catalog, open_knowledge

if TYPE_CHECKING:  # the knowledge base is imported when a command opens it
    from knowledge.catalog import DocumentInfo
    from knowledge.ingest import IngestProgress, IngestResult
    from knowledge.library import KnowledgeBase, SearchHit

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def ingest_result_json(result: IngestResult) -> dict[str, object]:
    return {
        "document_id": result.document_id,
        "filename": result.filename,
        "status": result.status,
        "pages": result.pages,
        "chunks": result.chunks,
        "error": result.error,
        "warnings": result.warnings,
        "attached_to": result.attached_to,
    }


def document_json(info: DocumentInfo) -> dict[str, object]:
    return {
        "document_id": info.document_id,
        "filename": info.filename,
        "type": info.type,
        "pages": info.pages,
        "chunks": info.chunks,
        "status": info.status,
        "created": info.created.isoformat(),
        "attached_to": info.attached_to,
        "attachments": info.attachment_ids,
        "metadata": info.metadata,
    }


def hit_json(hit: SearchHit) -> dict[str, object]:
    data = asdict(hit)
    data["score"] = round(hit.score, 4)
    data["ocr"] = hit.ocr_note
    return data


async def _print_progress(event: IngestProgress) -> None:
    if event.stage in ("parsing", "ready"):
        typer.echo(f"  {event.filename}: {event.stage}", err=True)


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files to add to the knowledge base.")],
    json_output: JsonFlag = False,
) -> None:
    """Add files (PDF, Word, Excel, CSV, text, HTML, e-mail, images); each reports its status.

    An e-mail's attachments are listed after it, each its own document linked to it.
    """
    settings = settings_of(ctx)

    async def command() -> list[IngestResult]:
        knowledge = await open_knowledge(settings)
        try:
            progress = None if json_output else _print_progress
            return await knowledge.ingest(paths, owner=settings.local_user, on_progress=progress)
        finally:
            await knowledge.close()

    results = [item for result in run(command) for item in result.with_attachments()]
    if json_output:
        emit_json({"documents": [ingest_result_json(r) for r in results]})
    else:
        for result in results:
            if result.status == "error":
                typer.echo(f"✗ {result.error}")
            else:
                attached = f", attached to {result.attached_to}" if result.attached_to else ""
                typer.echo(
                    f"✓ {result.filename}: {result.status} as {result.document_id} "
                    f"({result.pages} pages, {result.chunks} chunks{attached})"
                )
                for warning in result.warnings:
                    typer.echo(f"  ! {warning}")
    if results and all(r.status == "error" for r in results):
        raise typer.Exit(1)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What to look for.")],
    document: Annotated[
        str | None, typer.Option("--document", help="Only this document (id or prefix).")
    ] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="How many passages.")] = 5,
    json_output: JsonFlag = False,
) -> None:
    """Find the passages that answer a question (hybrid full-text + vector search)."""
    settings = settings_of(ctx)

    async def command() -> list[SearchHit]:
        knowledge = await open_knowledge(settings)
        try:
            documents = [document] if document else None
            return await knowledge.search(
                query, owner=settings.local_user, k=k, document_ids=documents
            )
        finally:
            await knowledge.close()

    hits = run(command)
    if json_output:
        emit_json({"results": [hit_json(hit) for hit in hits]})
        return
    if not hits:
        typer.echo("no passage matches")
    for rank, hit in enumerate(hits, start=1):
        snippet = " ".join(hit.text.split())[:300]
        ocr = f", {hit.ocr_note}" if hit.ocr_note else ""
        header = f"\n   table header: {hit.table_header}" if hit.table_header else ""
        typer.echo(
            f"{rank}. {hit.filename}, page {hit.page} (score {hit.score:.3f}{ocr})"
            f"{header}\n   {snippet}"
        )


@app.command()
def documents(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """List the documents in the knowledge base."""
    settings = settings_of(ctx)

    async def command() -> list[DocumentInfo]:
        from knowledge.catalog import list_documents

        database = await open_catalog(settings)
        try:
            return await list_documents(database, owner=settings.local_user)
        finally:
            await database.dispose()

    infos = run(command)
    if json_output:
        emit_json({"documents": [document_json(info) for info in infos]})
        return
    if not infos:
        typer.echo("no documents yet: add some with `quorum ingest FILE...`")
    for info in infos:
        typer.echo(
            f"{info.document_id}  {info.type:<4} {info.pages:>5} pages {info.chunks:>6} chunks  "
            f"{info.status:<10} {info.filename}"
        )


@app.command()
def delete(
    ctx: typer.Context,
    document_id: Annotated[str, typer.Argument(help="Document id (or unique prefix).")],
) -> None:
    """Remove a document everywhere: records, index and stored original."""
    settings = settings_of(ctx)
    if not document_id.strip():
        fail("give a document id", code=2)

    async def command() -> DocumentInfo:
        knowledge: KnowledgeBase = await open_knowledge(settings)
        try:
            return await knowledge.delete_document(document_id, owner=settings.local_user)
        finally:
            await knowledge.close()

    info = run(command)
    typer.echo(f"deleted {info.document_id} ({info.filename})")

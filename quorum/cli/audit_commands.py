"""`quorum audit export` and `quorum audit verify`: the hash-chained audit trail.

An export writes FILE.jsonl (one entry per line, each with the hash of the previous one)
and FILE.html beside it for reading; verify exits non-zero naming the first broken entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from quorum.cli.main import app, settings_of
from quorum.cli.running import USAGE_ERROR, fail, run
from quorum.services import open_knowledge

if TYPE_CHECKING:  # the audit stack is imported by the commands that use it (fast --help)
    from quorum.settings import Settings
    from tools.review.audit import AuditScope

audit_app = typer.Typer(help="Export and verify the audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


async def _entries(settings: Settings, scope: AuditScope) -> list[dict[str, Any]]:
    from tools.review.audit import AuditScope, audit_entries, chain

    knowledge = await open_knowledge(settings)
    try:
        if scope.document_id:
            info = await knowledge.get_document(scope.document_id, owner=scope.owner)
            scope = AuditScope(owner=scope.owner, document_id=info.document_id)
        async with knowledge.database.sessions() as session:
            return chain(await audit_entries(session, scope))
    finally:
        await knowledge.close()


@audit_app.command("export")
def export(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="The FILE.jsonl to write.")],
    thread: Annotated[str | None, typer.Option("--thread", help="Only this thread.")] = None,
    document: Annotated[
        str | None, typer.Option("--document", help="Only this document (id or prefix).")
    ] = None,
) -> None:
    """Export the audit trail of a thread, a document, or everything (JSON Lines + HTML)."""
    from tools.review.audit import AuditScope, write_jsonl
    from tools.review.audit_html import render_audit_html

    if thread and document:
        fail("give --thread or --document, not both", USAGE_ERROR)
    settings = settings_of(ctx)
    scope = AuditScope(owner=settings.local_user, thread_id=thread, document_id=document)
    entries = run(lambda: _entries(settings, scope))
    what = f"thread {thread}" if thread else f"document {document}" if document else "everything"
    html_path = output.with_suffix(".html")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        count = write_jsonl(entries, output)
        html_path.write_text(
            render_audit_html(entries, title=f"Quorum audit trail: {what}"), encoding="utf-8"
        )
    except OSError as error:
        fail(f"{output}: cannot write it ({error.strerror or error}); choose another --output")
    typer.echo(f"{count} entries of {what} written to {output} and {html_path}")


@audit_app.command("verify")
def verify(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="An export written by `quorum audit export`.")],
) -> None:
    """Check the hash chain of an export; exits non-zero at the first broken entry."""
    from tools.review.audit import verify_export

    if not path.is_file():
        fail(f"{path}: no such file", USAGE_ERROR)
    try:
        count, broken = verify_export(path)
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{path}: cannot read it ({error})")
        return
    if broken is not None:
        fail(
            f"{path}: the chain is broken at {broken.describe()}; {count} entries before it verify"
        )
    typer.echo(f"{path}: {count} entries, the chain is intact")

"""`quorum findings`, `quorum report approve`, `quorum rules stats`, `quorum actions`.

The analyst's review from the terminal, on the same records the chat uses: the CLI acts
as the local user, who is an admin (DESIGN.md §6, local mode).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agents.errors import TeamError
from knowledge.errors import KnowledgeError
from quorum.cli.main import app, settings_of
from quorum.cli.rules_commands import rules_app
from quorum.cli.running import emit_json, fail, run
from quorum.services import open_knowledge
from tools.errors import ToolError

if TYPE_CHECKING:  # the review stack is imported by the commands that use it (fast --help)
    from quorum.settings import Settings
    from tools.review.approval import Approval
    from tools.review.guards import ActionStatus
    from tools.review.review import DocumentReview, ReviewedFinding
    from tools.review.stats import RuleStats

findings_app = typer.Typer(
    help="List the findings and confirm, dismiss or escalate them.", no_args_is_help=True
)
app.add_typer(findings_app, name="findings")
report_app = typer.Typer(help="Approve (sign off) a report.", no_args_is_help=True)
app.add_typer(report_app, name="report")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
DocumentOption = Annotated[
    str | None, typer.Option("--document", help="Only this document (id or id prefix).")
]
ReasonOption = Annotated[
    str, typer.Option("--reason", help="Why (required to dismiss), e.g. 'remediated'.")
]
EVIDENCE_CHARS = 80


def reviewed_json(item: ReviewedFinding, review: DocumentReview) -> dict[str, Any]:
    from tools.review.review import decision_json

    finding = item.finding
    return {
        "finding_id": item.finding_id,
        "number": item.number,
        "document_id": review.document_id,
        "filename": review.filename,
        "analysis_id": review.analysis_id,
        **finding.model_dump(
            include={
                "rule_id",
                "category",
                "severity",
                "page",
                "sheet",
                "row",
                "evidence",
                "title",
                "recommendation",
                "regulation",
            }
        ),
        "decision": decision_json(item),
    }


def review_json(review: DocumentReview) -> dict[str, Any]:
    return {
        "document_id": review.document_id,
        "filename": review.filename,
        "analysis_id": review.analysis_id,
        "compliance": {
            "before": review.compliance_before,
            "after": review.compliance_after,
            "status_after": review.status_after,
        },
        "risk": {
            "before": review.risk_before,
            "after": review.risk_after,
            "level_after": review.level_after,
        },
        "decided": review.decided,
        "dismissed": review.dismissed,
        "carried_over": review.carried_over,
    }


async def _reviews(settings: Settings, document: str | None) -> list[DocumentReview]:
    from tools.review.service import document_reviews

    knowledge = await open_knowledge(settings)
    try:
        ids = [document] if document else None
        return await document_reviews(knowledge, owner=settings.local_user, document_ids=ids)
    finally:
        await knowledge.close()


@findings_app.command("list")
def list_findings(
    ctx: typer.Context, document: DocumentOption = None, json_output: JsonFlag = False
) -> None:
    """The findings of each document's latest analysis, with their ids and decisions."""
    reviews = run(lambda: _reviews(settings_of(ctx), document))
    if json_output:
        emit_json(
            {
                "findings": [reviewed_json(i, r) for r in reviews for i in r.findings],
                "documents": [review_json(r) for r in reviews],
            }
        )
        return
    if not reviews:
        typer.echo("No analysed documents: run `quorum analyze FILE` first.")
    for review in reviews:
        typer.echo(f"{review.filename} ({review.document_id[:8]}): {review.score_line()}")
        for item in review.findings:
            typer.echo("    " + finding_line(item))


def finding_line(item: ReviewedFinding) -> str:
    finding = item.finding
    evidence = " ".join(finding.evidence.split())
    if len(evidence) > EVIDENCE_CHARS:
        evidence = evidence[: EVIDENCE_CHARS - 1] + "…"
    place = f"p. {finding.page}" if finding.page is not None else (
        f"row {finding.row}" if finding.row is not None else "")  # fmt: skip
    status = item.decision.describe() if item.decision else "open"
    return (
        f"#{item.number:<3} id {item.finding_id:<6} {finding.severity:<8} {finding.rule_id:<28} "
        f"{place:<9} {status} · {evidence}"
    )


async def _decide(
    settings: Settings, finding_id: int, verb: str, reason: str
) -> tuple[ReviewedFinding, DocumentReview] | str:
    from tools.review.service import decide

    knowledge = await open_knowledge(settings)
    user = settings.local_user
    try:
        return await decide(
            knowledge, owner=user, finding_id=finding_id, verb=verb, reason=reason,
            user=user, role=settings.role_of(user), channel="cli",
        )  # fmt: skip
    except (ToolError, KnowledgeError) as error:
        return str(error)
    finally:
        await knowledge.close()


def _decision_command(verb: str) -> None:
    def command(
        ctx: typer.Context,
        finding_id: Annotated[int, typer.Argument(help="The id from `quorum findings list`.")],
        reason: ReasonOption = "",
        json_output: JsonFlag = False,
    ) -> None:
        outcome = run(lambda: _decide(settings_of(ctx), finding_id, verb, reason))
        if isinstance(outcome, str):
            fail(outcome)
        assert not isinstance(outcome, str)
        item, review = outcome
        if json_output:
            emit_json({"finding": reviewed_json(item, review), "document": review_json(review)})
            return
        typer.echo(f"Finding {finding_id} ({item.finding.rule_id}) {item.status}.")
        typer.echo(f"{review.filename}: {review.score_line()}")

    command.__doc__ = f"{verb.capitalize()} a finding (recorded with your name and the time)."
    findings_app.command(verb)(command)


for _verb in ("confirm", "dismiss", "escalate"):
    _decision_command(_verb)


async def _approve(settings: Settings, documents: list[str], out_dir: Path) -> Approval | str:
    from tools.review.approval import approve_report

    knowledge = await open_knowledge(settings)
    user = settings.local_user
    try:
        return await approve_report(
            knowledge, owner=user, document_ids=documents, user=user,
            role=settings.role_of(user), rulebook_name=settings.rulebook, out_dir=out_dir,
        )  # fmt: skip
    except (ToolError, KnowledgeError) as error:
        return str(error)
    finally:
        await knowledge.close()


@report_app.command("approve")
def approve(
    ctx: typer.Context,
    documents: Annotated[list[str], typer.Argument(help="Document ids the report covers.")],
    yes: Annotated[bool, typer.Option("--yes", help="Approve without asking.")] = False,
    report_dir: Annotated[
        Path | None, typer.Option("--report-dir", help="Where the approved files go.")
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Sign off the report of these documents as it stands now (asks for confirmation)."""
    settings = settings_of(ctx)
    if not yes and not typer.confirm(
        f"Approve the report on {len(documents)} document(s) as {settings.local_user}? "
        "Your name, the time and the report's content hash are recorded",
        default=False,
    ):
        fail("not approved: nothing was recorded")
    out_dir = report_dir or settings.data_dir / "reports"
    outcome = run(lambda: _approve(settings, documents, out_dir))
    if isinstance(outcome, str):
        fail(outcome)
    signoff = outcome.signoff
    if json_output:
        emit_json({"signoff": signoff.model_dump(mode="json"), "already_approved": outcome.already,
                   "files": [str(p) for p in outcome.files]})  # fmt: skip
        return
    typer.echo(("Already approved: " if outcome.already else "Approved: ") + signoff.describe())
    for path in outcome.files:
        typer.echo(f"    report: {path}")


async def _stats(settings: Settings) -> list[RuleStats]:
    from tools.review.stats import rule_stats

    knowledge = await open_knowledge(settings)
    try:
        async with knowledge.database.sessions() as session:
            return await rule_stats(session)
    finally:
        await knowledge.close()


@rules_app.command("stats")
def stats(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """How often each rule's findings are dismissed on review (noisy rules first)."""
    found = run(lambda: _stats(settings_of(ctx)))
    if json_output:
        emit_json({"rules": [s.model_dump() | {"dismissal_rate": s.dismissal_rate}
                             for s in found]})  # fmt: skip
        return
    if not found:
        typer.echo("No findings yet: analyse documents first.")
    for item in found:
        rate = f"{item.dismissal_rate:.0%}" if item.dismissal_rate is not None else "—"
        reasons = f"  ({'; '.join(item.top_reasons)})" if item.top_reasons else ""
        typer.echo(
            f"{item.rule_id:<32} findings {item.findings:>4}  decided {item.decided:>3}  "
            f"dismissed {item.dismissed:>3} ({rate}){reasons}"
        )


actions_app = typer.Typer(
    help="Changes the team asked for that wait for a confirmation.", no_args_is_help=True
)
app.add_typer(actions_app, name="actions")


async def _pending(settings: Settings) -> list[ActionStatus]:
    from tools.review.guards import pending_actions

    knowledge = await open_knowledge(settings)
    try:
        return await pending_actions(knowledge.database.sessions, owner=settings.local_user)
    finally:
        await knowledge.close()


@actions_app.command("list")
def list_actions(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """The requests waiting for an answer (from `quorum ask` or the chat)."""
    pending = run(lambda: _pending(settings_of(ctx)))
    if json_output:
        emit_json({"actions": [p.model_dump() for p in pending]})
        return
    if not pending:
        typer.echo("Nothing waits for a confirmation.")
    for item in pending:
        typer.echo(f"request {item.request_id}: {item.summary} (asked by {item.requested_by})")


async def _answer(settings: Settings, request_id: int, confirm: bool) -> ActionStatus | str:
    from agents.rulebooks import shared_rulebooks
    from tools.review.guards import Executor, answer_action

    knowledge = await open_knowledge(settings)
    user = settings.local_user
    try:
        return await answer_action(
            knowledge.database.sessions,
            Executor(knowledge, shared_rulebooks(knowledge, settings.rulebook)),
            request_id=request_id, owner=user, user=user, role=settings.role_of(user),
            confirm=confirm,
        )  # fmt: skip
    except (ToolError, KnowledgeError, TeamError) as error:
        return str(error)
    finally:
        await knowledge.close()


def _answer_command(name: str, confirm: bool) -> None:
    def command(
        ctx: typer.Context,
        request_id: Annotated[int, typer.Argument(help="The number from `quorum actions list`.")],
    ) -> None:
        outcome = run(lambda: _answer(settings_of(ctx), request_id, confirm))
        if isinstance(outcome, str):
            fail(outcome)
        assert not isinstance(outcome, str)
        typer.echo(f"request {request_id}: {outcome.status} — {outcome.outcome}")
        if outcome.status == "failed":
            raise typer.Exit(1)

    command.__doc__ = ("Confirm and run" if confirm else "Decline") + " a waiting request."
    actions_app.command(name)(command)


_answer_command("confirm", True)
_answer_command("decline", False)

"""The analyst's review in the chat: the findings table with its actions, decisions, the
report sign-off, and the confirmations that guarded changes wait for.

Every button is a Chainlit action whose callback (chat/review_actions.py) records who did
what. Nothing here blocks the team: a guarded change ends the run, the buttons stay on
the thread (shown again when it is resumed), and the answer resumes the team.
"""

from __future__ import annotations

from collections.abc import Sequence

import chainlit as cl

from chat.markdown import escape_text, markdown_table
from tools.review.decisions import DISMISS_REASONS
from tools.review.guards import ActionStatus
from tools.review.review import DocumentReview, ReviewedFinding

REVIEW = "quorum_review"
DECIDE = "quorum_decide"
APPROVE = "quorum_approve"
APPROVE_CONFIRM = "quorum_approve_confirm"
APPROVE_CANCEL = "quorum_approve_cancel"
GUARD = "quorum_guard"
MAX_ROWS = 25
MAX_EVIDENCE = 90


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def where(item: ReviewedFinding, filename: str) -> str:
    finding = item.finding
    place = _short(filename, 28)
    if finding.row is not None:
        return place + f", row {finding.row}" + (f" ({finding.sheet})" if finding.sheet else "")
    if finding.page is not None:
        return place + f", p.{finding.page}"
    return place


def decision_cell(item: ReviewedFinding) -> str:
    decision = item.decision
    if decision is None:
        return "open"
    reason = f": {decision.reason}" if decision.reason else ""
    carried = " (carried over)" if decision.carried_over else ""
    return f"{decision.decision} by {decision.decided_by}{reason}{carried}"


def findings_table(reviews: Sequence[DocumentReview]) -> str:
    """Every finding numbered as the team and the CLI number it, with its decision."""
    items = [(item, review) for review in reviews for item in review.findings]
    if not items:
        return "No findings: every checked rule was met."
    rows = [
        [item.number, item.finding.severity, item.finding.title or item.finding.rule_id,
         where(item, review.filename), _short(item.finding.evidence, MAX_EVIDENCE),
         decision_cell(item)]
        for item, review in items[:MAX_ROWS]
    ]  # fmt: skip
    table = markdown_table(["#", "severity", "finding", "where", "evidence", "decision"], rows)
    more = len(items) - MAX_ROWS
    tail = f"\n\n…and {more} more: `quorum findings list` shows them all." if more > 0 else ""
    return table + tail


def score_lines(reviews: Sequence[DocumentReview]) -> str:
    lines = []
    for review in reviews:
        carried = (
            f" — {review.carried_over} decision{'s' if review.carried_over != 1 else ''} "
            "carried over from an earlier review of the same evidence"
            if review.carried_over
            else ""
        )
        lines.append(f"- {escape_text(review.filename)}: {review.score_line()}{carried}")
    return "\n".join(lines)


def results_actions(reviews: Sequence[DocumentReview]) -> list[cl.Action]:
    """A review button per finding shown, and one to approve the report."""
    actions = [
        cl.Action(name=REVIEW, label=f"Review #{item.number}",
                  payload={"finding_id": item.finding_id, "number": item.number},
                  tooltip=f"Confirm, dismiss or escalate finding {item.number}")
        for review in reviews
        for item in review.findings
    ][:MAX_ROWS]  # fmt: skip
    if reviews:
        actions.append(
            cl.Action(
                name=APPROVE,
                label="Approve report…",
                payload={"document_ids": [r.document_id for r in reviews]},
                tooltip="Sign the report off as it stands (asks for confirmation)",
            )
        )
    return actions


def decision_actions(item: ReviewedFinding) -> list[cl.Action]:
    payload = {"finding_id": item.finding_id, "number": item.number}
    actions = [
        cl.Action(name=DECIDE, label="Confirm", payload=payload | {"verb": "confirm"}),
        cl.Action(name=DECIDE, label="Escalate", payload=payload | {"verb": "escalate"}),
    ]
    actions += [
        cl.Action(name=DECIDE, label=f"Dismiss: {reason}",
                  payload=payload | {"verb": "dismiss", "reason": reason})
        for reason in DISMISS_REASONS
    ]  # fmt: skip
    return actions


def finding_prompt(item: ReviewedFinding, review: DocumentReview) -> str:
    finding = item.finding
    return (
        f"**Finding {item.number}** — {finding.severity} · {escape_text(finding.rule_id)} · "
        f"{escape_text(where(item, review.filename))}\n\n"
        f"> {escape_text(_short(finding.evidence, 400))}"
        f"\n\nNow: {escape_text(decision_cell(item))}. Pick a decision below; for another "
        f"reason type “dismiss finding {item.number}, <your reason>”."
    )


def decided_text(item: ReviewedFinding, review: DocumentReview, number: int) -> str:
    return (
        f"Finding {number} ({escape_text(item.finding.rule_id)}) "
        f"{escape_text(decision_cell(item))}. {escape_text(review.filename)}: "
        f"{review.score_line()}. The report is a new draft until it is approved."
    )


def guard_actions(status: ActionStatus) -> list[cl.Action]:
    payload = {"request_id": status.request_id}
    return [
        cl.Action(name=GUARD, label="Confirm", payload=payload | {"confirm": True}),
        cl.Action(name=GUARD, label="Decline", payload=payload | {"confirm": False}),
    ]


def guard_prompt(status: ActionStatus) -> str:
    return (
        f"**Waiting for your confirmation** (request {status.request_id}): "
        f"{escape_text(status.summary)}. It changes what every analysis applies or keeps; "
        "it is recorded with your name when you answer. You can leave the thread and answer later."
    )

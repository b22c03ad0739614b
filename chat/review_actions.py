"""What the review buttons do: decide on a finding, approve the report, answer a guard.

Each callback acts for the signed-in user with their role (settings), records who did
what, and answers with a message; a refusal or a mistake is one readable line. Answering
a guarded change resumes the team from the thread's saved state.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import chainlit as cl

from chat import review_view as view
from chat.conversation import Conversation
from chat.results import report_files
from knowledge.errors import KnowledgeError
from tools.errors import ToolError
from tools.review.approval import approve_report, content_hash, reviewed_report
from tools.review.guards import Executor, answer_action, answer_note
from tools.review.service import decide, review_of_finding

logger = logging.getLogger(__name__)
AUTHOR = "Quorum"


async def _say(text: str, *, actions: Sequence[cl.Action] = (), elements: Any = None) -> None:
    await cl.Message(content=text, author=AUTHOR, actions=list(actions),
                     elements=elements or []).send()  # fmt: skip


def _role(conversation: Conversation) -> str:
    return conversation.runtime.settings.role_of(conversation.owner)


async def review_finding(conversation: Conversation, payload: dict[str, Any]) -> None:
    knowledge, owner = conversation.runtime.knowledge, conversation.owner
    try:
        item, review = await review_of_finding(
            knowledge, owner=owner, finding_id=int(payload["finding_id"])
        )
    except (ToolError, KnowledgeError, KeyError, ValueError) as error:
        await _say(f"That finding cannot be reviewed: {error}")
        return
    # Numbered as in the table the button came from (which may list several documents).
    shown = item.model_copy(update={"number": int(payload.get("number") or item.number)})
    await _say(view.finding_prompt(shown, review), actions=view.decision_actions(shown))


async def decide_finding(conversation: Conversation, payload: dict[str, Any]) -> None:
    owner = conversation.owner
    try:
        item, review = await decide(
            conversation.runtime.knowledge, owner=owner, finding_id=int(payload["finding_id"]),
            verb=str(payload["verb"]), reason=str(payload.get("reason") or ""), user=owner,
            role=_role(conversation), channel="chat", thread_id=conversation.thread_id,
        )  # fmt: skip
    except (ToolError, KnowledgeError, KeyError, ValueError) as error:
        await _say(f"Not recorded: {error}")
        return
    await _say(view.decided_text(item, review, int(payload.get("number") or item.number)))


async def ask_approval(conversation: Conversation, payload: dict[str, Any]) -> None:
    """Approving asks first, showing what will be signed (its scores and content hash)."""
    runtime, owner = conversation.runtime, conversation.owner
    documents = [str(d) for d in payload.get("document_ids") or []]
    try:
        report = await reviewed_report(runtime.knowledge, owner=owner, document_ids=documents,
                                       rulebook_name=conversation.preferences.rulebook)  # fmt: skip
    except (ToolError, KnowledgeError) as error:
        await _say(f"The report cannot be approved: {error}")
        return
    digest = content_hash(report)
    decided = sum(d.decided for d in report.documents)
    text = (
        f"**Approve “{report.title}”?** You sign off {len(report.documents)} document(s), "
        f"{report.summary.finding_count} finding(s) that count, {decided} decision(s), on "
        f"rulebook {report.rulebook_name} {report.rulebook_version} and knowledge base "
        f"{report.knowledge_version}. Your name, the time and the content hash "
        f"`{digest[:16]}…` are recorded; a later change makes a new draft."
    )
    confirm = {"document_ids": documents, "content_hash": digest}
    await _say(text, actions=[
        cl.Action(name=view.APPROVE_CONFIRM, label="Approve and sign", payload=confirm),
        cl.Action(name=view.APPROVE_CANCEL, label="Cancel", payload={}),
    ])  # fmt: skip


async def approve(conversation: Conversation, payload: dict[str, Any]) -> None:
    runtime, owner = conversation.runtime, conversation.owner
    documents = [str(d) for d in payload.get("document_ids") or []]
    try:
        current = await reviewed_report(
            runtime.knowledge, owner=owner, document_ids=documents,
            rulebook_name=conversation.preferences.rulebook,
        )  # fmt: skip
        if content_hash(current) != payload.get("content_hash"):
            await _say("Not approved: the report changed since you were asked. Approve it again.")
            return
        approval = await approve_report(
            runtime.knowledge, owner=owner, document_ids=documents, user=owner,
            role=_role(conversation), rulebook_name=conversation.preferences.rulebook,
            out_dir=_reports_dir(conversation), thread_id=conversation.thread_id,
        )  # fmt: skip
    except (ToolError, KnowledgeError) as error:
        await _say(f"Not approved: {error}")
        return
    files = report_files([str(p) for p in approval.files], allowed_root=runtime.settings.data_dir)
    head = "Already approved" if approval.already else "Approved"
    await _say(f"**{head}**: {approval.signoff.describe()}. The signed files carry the "
               "sign-off block; later changes make a new draft.", elements=files)  # fmt: skip


def _reports_dir(conversation: Conversation) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in conversation.owner)
    return conversation.runtime.settings.data_dir / "reports" / (safe or "owner")


async def answer_guard(conversation: Conversation, payload: dict[str, Any]) -> None:
    """Confirm or decline a waiting change, then let the team report it."""
    runtime = conversation.runtime
    rulebooks = await conversation.rulebooks()
    try:
        status = await answer_action(
            runtime.knowledge.database.sessions, Executor(runtime.knowledge, rulebooks),
            request_id=int(payload["request_id"]), owner=conversation.owner,
            user=conversation.owner, role=_role(conversation), confirm=bool(payload["confirm"]),
        )  # fmt: skip
    except (ToolError, KnowledgeError, KeyError, ValueError) as error:
        await _say(f"Not done: {error}")
        return
    logger.info("request %s answered: %s", status.request_id, status.status)
    await conversation.run(answer_note(status), [])

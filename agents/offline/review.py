"""The analyst's review, offline: record a decision they asked for, delete a document on
request, and report the answer to a change that waited for confirmation.

"dismiss the second finding, it is a policy definition" becomes review_finding(finding="2",
decision="dismiss", reason="policy definition", documents=<the previous run's documents>),
numbered as the findings table of that run shows them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from agents.intents import ANSWER
from agents.offline.actions import Action, Call
from agents.offline.conversation import Conversation
from agents.offline.scope import previous_run_ids

_VERBS = {
    "dismiss": "dismiss", "reject": "dismiss", "waive": "dismiss",
    "confirm": "confirm", "accept": "confirm", "escalate": "escalate",
}  # fmt: skip
_VERB = re.compile(r"\b(dismiss|reject|waive|confirm|accept|escalate)\b", re.IGNORECASE)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}  # fmt: skip
_NUMBERED = re.compile(
    r"\bid\s*[:#]?\s*(?P<id>\d+)\b|#\s*(?P<hash>\d+)|\bfindings?\s+(?:no\.?\s*)?(?P<num>\d+)\b"
    r"|\b(?P<word>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)"
    r"\s+(?:finding|one)\b",
    re.IGNORECASE,
)
_REASON = re.compile(
    r"(?:[,;:—–]|\s-\s|\bbecause\b|\bsince\b|\bas\b|\breason\b:?)\s*(?P<reason>.+)$",
    re.IGNORECASE,
)
_FILLER = re.compile(
    r"^(?:it\s+is|it's|this\s+is|that\s+is|that's|they\s+are|it\s+was|the\s+reason\s+is"
    r"|because|since|as)\s+(?:(?:just|only|merely|really)\s+)?(?:an?\s+|the\s+)?",
    re.IGNORECASE,
)


def finding_reference(text: str) -> str | None:
    """'2' for "the second finding", 'id:17' for "finding id 17", None when none is named."""
    match = _NUMBERED.search(text)
    if match is None:
        return None
    if match.group("id"):
        return f"id:{match.group('id')}"
    number = match.group("hash") or match.group("num")
    if number:
        return number
    word = match.group("word").lower()
    return "last" if word == "last" else str(_ORDINALS[word])


def reason_of(text: str, after: int) -> str:
    """The analyst's reason: what follows the finding's reference, without "it is a"."""
    match = _REASON.search(text[after:])
    if match is None:
        return ""
    reason = _FILLER.sub("", match.group("reason").strip()).strip(" .!")
    return reason[:300]


def play_review(c: Conversation) -> Action:
    """The compliance agent records the decision the analyst asked for, then says so."""
    for result in c.results("review_finding"):
        return decided_text(result)
    if c.errors():
        return "The decision was not recorded: " + "; ".join(o.error or "" for o in c.errors())
    text = c.request.text
    verb, numbered = _VERB.search(text), _NUMBERED.search(text)
    reference = finding_reference(text)
    if verb is None or numbered is None or reference is None:
        return (
            "Say which finding and what to do, e.g. “dismiss finding 2, it is policy text” "
            "or “escalate the first finding”."
        )
    arguments: dict[str, Any] = {
        "finding": reference,
        "decision": _VERBS[verb.group(1).lower()],
        "reason": reason_of(text, max(verb.end(), numbered.end())),
    }
    documents = previous_run_ids(c)
    if documents:
        arguments["documents"] = documents
    if c.can_call("review_finding") and not c.called("review_finding"):
        return [Call("review_finding", arguments)]
    return "I cannot record decisions in this role."


def decided_text(result: Mapping[str, Any]) -> str:
    reason = f" ({result['reason']})" if result.get("reason") else ""
    return (
        f"Finding {result['number']} of {result['filename']} ({result['rule_id']}, "
        f"“{result['evidence'][:120]}”) {result['decision']} by {result['decided_by']}{reason}. "
        f"Scores after review: {result['summary']}. The decision is recorded with its time "
        "and a hash of the evidence, and carries over when the same evidence is analysed again."
    )


def play_answer(c: Conversation) -> Action | None:
    """Report the answer to a guarded change, when the run was resumed by one."""
    match = ANSWER.search(c.request.text)
    if match is None:
        return None
    for status in c.results("action_status"):
        return status_text(status)
    if c.errors():
        return "; ".join(o.error or "" for o in c.errors())
    if c.can_call("action_status") and not c.called("action_status"):
        return [Call("action_status", {"request_id": int(match.group(1))})]
    return None


def status_text(status: Mapping[str, Any]) -> str:
    """One sentence for a guarded change, whatever its state."""
    summary, state = status["summary"], status["status"]
    number = f"request {status['request_id']}"
    if state == "pending":
        return (
            f"To {summary} changes shared state, so it waits for your confirmation ({number}): "
            "use Confirm or Decline below. Nothing changes until then."
        )
    if state == "executed":
        return f"Done: {status['outcome']} (confirmed by {status['decided_by']}, {number})."
    if state == "declined":
        return f"Not done: {summary} was declined by {status['decided_by']} ({number})."
    return f"Not done: {summary} — {status['outcome']} ({number})."

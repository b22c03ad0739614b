"""What the analyst asked for, read from their words: which workflow serves the request.

Shared by the manager's router (who speaks next) and the offline engine (what each role
does). Analysts type "check this", "anything about Iran?", "is it safe to sign?", "add a
rule that flags crypto custody", and follow-ups such as "and the second file?", which
continue the previous request's workflow.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Workflow = Literal["analysis", "question", "debate", "rules", "review", "library", "open"]

ATTACHED_HEADER = "Attached files:"

_RULES = re.compile(
    r"\b(?:add|create|new|make|write|define|enable|disable|re-?enable|turn\s+(?:on|off)"
    r"|switch\s+(?:on|off)|remove|delete|list|show|which|what)\b[^.?!]{0,40}?\b(?:rules?|rulebook)\b"
    r"|^\s*rules?\b|\brules?\s+(?:[\w.-]+\s+)?(?:on|off)\b",
    re.IGNORECASE,
)
# The analyst's decision on a finding: "dismiss the second finding, it is a policy
# definition", "confirm finding 3", "escalate #2".
_REVIEW = re.compile(
    r"\b(?:dismiss|confirm|escalate|reject|accept|waive)\b[^.?!]{0,40}?"
    r"(?:\bfindings?\b|#\s*\d+|\b(?:first|second|third|fourth|fifth|last)\s+one\b)"
    r"|\b(?:findings?)\s+#?\d+\s+(?:is|was)\s+(?:a\s+)?false\s+positive\b",
    re.IGNORECASE,
)
# The answer to a guarded action, as the chat hands it to the team ("Request 3 answered:
# disable rule … — confirmed by alice"): the agent that asked reports it.
ANSWER = re.compile(r"^\s*Request\s+(\d+)\s+answered:", re.IGNORECASE)
# Removing a document from the library: "delete the Acme contract", "remove this file".
_LIBRARY = re.compile(
    r"\b(?:delete|remove|discard|purge)\b[^.?!]{0,50}?"
    r"\b(?:document|file|contract|ledger|filing|report|pdf|csv|xlsx|docx|doc\s+[0-9a-f]{6,})\b",
    re.IGNORECASE,
)
_DEBATE = re.compile(
    r"\b(?:should\s+(?:we|i|they|the\s+firm)|is\s+it\s+(?:acceptable|ok|okay|safe|wise|fine"
    r"|advisable|prudent|reasonable|a\s+good\s+idea)|are\s+we\s+(?:ok|okay|safe|allowed|fine)"
    r"|can\s+we\s+(?:safely\s+)?(?:sign|proceed|accept|approve|go\s+ahead|onboard|pay)"
    r"|do\s+we\s+(?:sign|proceed|accept|approve)|would\s+it\s+be\s+(?:acceptable|wise|safe|ok)"
    r"|debate|argue|pros\s+and\s+cons|for\s+and\s+against|go\s+or\s+no[\s-]go)\b",
    re.IGNORECASE,
)
_ANALYSIS_START = re.compile(
    r"^\s*(?:please\s+|can\s+you\s+|could\s+you\s+)?(?:check|analy[sz]e|review|scan|audit"
    r"|assess|screen|score|run|process|look\s+(?:at|over|through))\b",
    re.IGNORECASE,
)
_ANALYSIS_WORDS = re.compile(
    r"\b(?:risk|risks|risky|riskiest|compliance\s+score|how\s+compliant|is\s+\w+\s+compliant"
    r"|(?:write|make|build|generate|produce|give\s+me|create)\s+(?:a\s+|the\s+)?report)\b",
    re.IGNORECASE,
)
_QUESTION = re.compile(
    r"^\s*(?:what|where|which|who|whom|when|why|how|does|do|did|is\s+there|are\s+there"
    r"|anything|any\s+mention|find|search|show\s+me|quote|tell\s+me|list|give\s+me)\b"
    r"|\?\s*$",
    re.IGNORECASE,
)
_FOLLOW_UP = re.compile(
    r"^\s*(?:and|also|what\s+about|how\s+about|same\s+(?:for|with)|now|then|ok(?:ay)?,?\s+and)\b"
    r"|^\s*(?:the\s+)?(?:first|second|third|fourth|fifth|last|other|next|previous)\s+"
    r"(?:one|file|document|doc)\b",
    re.IGNORECASE,
)
_OPEN = re.compile(
    r"^\s*(?:hi|hello|hey|thanks|thank\s+you|help|who\s+are\s+you|what\s+can\s+you\s+do"
    r"|what\s+do\s+you\s+do|how\s+does\s+this\s+work)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Request:
    """One message of the analyst: their words, the files attached, and the workflow."""

    text: str
    attachments: tuple[str, ...]
    workflow: Workflow
    follow_up: bool = False


def task_text(message: str, attachments: Sequence[str]) -> str:
    """The task the team receives: the analyst's words, then the attached file names."""
    if not attachments:
        return message
    listed = "\n".join(f"- {name}" for name in attachments)
    return f"{message.strip()}\n\n{ATTACHED_HEADER}\n{listed}".strip()


def split_task(content: str) -> tuple[str, tuple[str, ...]]:
    """The analyst's words and the attached file names, from a task built by `task_text`."""
    head, marker, tail = content.rpartition(ATTACHED_HEADER)
    if not marker:
        return content.strip(), ()
    names = tuple(
        line[2:].strip() for line in tail.splitlines() if line.startswith("- ") and line[2:].strip()
    )
    return head.strip(), names


def classify(text: str, *, has_attachments: bool) -> Workflow | None:
    """The workflow the words ask for, or None when they do not say (a bare follow-up)."""
    if ANSWER.search(text):
        return "library" if re.search(r"\bdelete document\b", text) else "rules"
    if _REVIEW.search(text):
        return "review"
    if _RULES.search(text):
        return "rules"
    if _LIBRARY.search(text):
        return "library"
    if _DEBATE.search(text):
        return "debate"
    if _ANALYSIS_START.search(text) or _ANALYSIS_WORDS.search(text):
        return "analysis"
    if _OPEN.search(text) and not has_attachments:
        return "open"
    if _FOLLOW_UP.search(text) and not has_attachments:
        return None
    if _QUESTION.search(text):
        return "question"
    if has_attachments:
        return "analysis"
    return None


def is_follow_up(text: str) -> bool:
    return bool(_FOLLOW_UP.search(text)) or len(text.split()) <= 3


def read_request(content: str, previous: Sequence[Request] = ()) -> Request:
    """The request of a task message, continuing the previous request's workflow if it is a
    follow-up that names no workflow of its own."""
    text, attachments = split_task(content)
    workflow = classify(text, has_attachments=bool(attachments))
    if workflow is not None:
        return Request(text, attachments, workflow)
    earlier = [r.workflow for r in previous if r.workflow != "open"]
    if earlier and is_follow_up(text):
        return Request(text, attachments, earlier[-1], follow_up=True)
    return Request(text, attachments, "question" if text.strip() else "open")


def read_requests(contents: Sequence[str]) -> list[Request]:
    """Every request of a thread, in order, each read in the light of the ones before."""
    requests: list[Request] = []
    for content in contents:
        requests.append(read_request(content, requests))
    return requests

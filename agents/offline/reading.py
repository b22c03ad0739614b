"""What the analyst's words mean to the offline engine: search terms, a page, "the second
file", a rule to add, the proposition of a debate.

Plain patterns over the words; no word list names a particular document or corpus.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from agents.intents import Request
from knowledge.retrieval.metrics import metrics_named

_STOPWORD_TEXT = """a an the and or but if of on in at to for from by with about into over under
    is are was
    were be been being do does did done have has had it its this that these those there here
    what whats which who whom where when why how any anything anyone some something much many
    me my we our us you your i they them their he she his her please can could would should
    will shall may might must tell show give find search look quote say says said mention
    mentions mentioned mentioning written write writes also just now then so than too very
    not no yes ok okay hi hello thanks thank file files document documents doc docs page
    pages library everything all every one other next last first second third fourth fifth
    same again more less up out get got let lets go see"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
OWN_QUESTION_WORDS = 3  # a follow-up with this many words of its own is searched alone
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’&.-]*[A-Za-z0-9]|[A-Za-z0-9]")
_PAGE = re.compile(r"\bp(?:age|\.|g\.?)\s*(\d{1,4})\b", re.IGNORECASE)
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "1st": 1, "2nd": 2, "3rd": 3,
    "4th": 4, "5th": 5, "last": -1, "latest": -1,
}
_ORDINAL = re.compile(
    r"\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last|latest)\s+"
    r"(?:one|file|document|doc|attachment|upload|contract|ledger|report|pdf)\b"
    r"|\b(?:file|document|doc|attachment)\s*#?\s*(\d)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(
    r"\b(?:this|these|it|them|that|those|the\s+(?:file|files|document|documents|doc|upload"
    r"|attachment|attachments))\b",
    re.IGNORECASE,
)
_FINDINGS = re.compile(
    r"\b(?:what\s+did\s+(?:you|we|the\s+team)\s+(?:find|flag|see)|findings?|issues?|problems?"
    r"|flagged|red\s+flags?|violations?|breaches?)\b",
    re.IGNORECASE,
)
_ALL = re.compile(r"\b(?:all|every|everything|each)\b", re.IGNORECASE)
_SEVERITY = re.compile(r"\b(critical|high|medium|low)\b", re.IGNORECASE)


def words(text: str) -> list[str]:
    return [w.strip("'’.-").lower() for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    """Words that carry meaning (not question words, pronouns or references to files)."""
    return [w for w in words(text) if w not in STOPWORDS and not w.isdigit() and len(w) > 1]


def page_of(text: str) -> int | None:
    match = _PAGE.search(text)
    return int(match.group(1)) if match else None


def ordinal_of(text: str) -> int | None:
    """1-based position ("the second file" -> 2, "file 3" -> 3), -1 for "the last one"."""
    match = _ORDINAL.search(text)
    if not match:
        return None
    if match.group(2):
        return int(match.group(2))
    return _ORDINALS[match.group(1).lower()]


def mentions_pronoun(text: str) -> bool:
    return bool(_PRONOUN.search(text))


def asks_for_findings(text: str) -> bool:
    return bool(_FINDINGS.search(text))


def wants_all(text: str) -> bool:
    return bool(_ALL.search(text))


def severity_in(text: str) -> str | None:
    match = _SEVERITY.search(text)
    return match.group(1).lower() if match else None


def search_terms(requests: Sequence[Request]) -> list[str]:
    """The content words of the latest request; for a follow-up ("and the second file?",
    "show me the evidence"), those of the last question before it, then its own."""
    current = content_words(_without_references(requests[-1].text)) if requests else []
    if not requests or not requests[-1].follow_up:
        return current
    for request in reversed(requests[:-1]):
        terms = content_words(_without_references(request.text))
        if terms and request.workflow == "question":
            return list(dict.fromkeys([*terms, *current]))
    return current


def search_query(text: str, previous: str | None = None) -> str:
    """What to search for: the question as asked, without "on page 3" or "the second
    file" (the retriever reads questions: years, statements, figures asked, wrappers); for
    a follow-up, the question it follows up and the words the follow-up adds."""
    current = " ".join(_without_references(text).split())
    added = content_words(current)
    if previous is None or len(added) >= OWN_QUESTION_WORDS or metrics_named(current).line_items:
        return current  # "and what was net PP&E at the end of 2018?" is a question of its own
    return f"{search_query(previous)} {' '.join(added)}".strip()


def last_question(requests: Sequence[Request]) -> str | None:
    """For a follow-up, the text of the last question before it."""
    if not requests or not requests[-1].follow_up:
        return None
    for request in reversed(requests[:-1]):
        if request.workflow == "question" and content_words(_without_references(request.text)):
            return request.text
    return None


def _without_references(text: str) -> str:
    """The request without "on page 3", "in the second file" and similar pointers."""
    text = _PAGE.sub(" ", text)
    return _ORDINAL.sub(" ", text)


@dataclass(frozen=True)
class RuleCommand:
    action: Literal["add", "enable", "disable", "list"]
    phrase: str
    severity: str | None = None


# Words that frame a rulebook command rather than name what the rule is about.
_FRAMING_TEXT = """add added adding create new make write define set up rule rules rulebook check
    checks checking detection detections flag flags flagging flagged catch catching watch
    watching start starting look looking keep eye out spot spotting detect detecting alert
    alerts want like need needs should include also future forward going from now today on
    onwards every any mention mentions mentioning references wording words phrase term
    enable enabled disable disabled turn switch back off again activate reactivate
    deactivate stop mute unmute pause resume restore remove drop ignore kill silence
    severity critical high medium low rule's that which for about of please team get"""
_FRAMING = frozenset(_FRAMING_TEXT.split()) | STOPWORDS
_RULE_ID = re.compile(r"\b[a-z]+(?:[._][a-z0-9_]+)+\b|\b[A-Za-z]{2,6}-\d{1,4}\b")
_QUOTED = re.compile(r"[\"“‘'](?P<phrase>[^\"”’']{2,80})[\"”’']")


def rule_command(text: str, action: Literal["add", "enable", "disable", "list"]) -> RuleCommand:
    """What a rulebook command is about; the action comes from the request's intent."""
    severity = severity_in(text)
    if action == "add":
        quoted = _QUOTED.search(text)
        phrase = quoted.group("phrase").strip() if quoted else _subject(text)
        return RuleCommand("add", phrase, severity)
    if action in ("enable", "disable"):
        rule_id = _RULE_ID.search(text)
        return RuleCommand(action, rule_id.group(0) if rule_id else _subject(text), severity)
    return RuleCommand("list", _subject(text), severity)


def _subject(text: str) -> str:
    """The words that are not the command's framing: "please start flagging mentions of
    crypto custody" -> "crypto custody"."""
    return " ".join(w for w in words(text) if w not in _FRAMING and not w.isdigit())


def proposition(text: str) -> str:
    """The decision under debate, in the analyst's words without the question around it."""
    cleaned = re.sub(
        r"^\s*(?:debate(?:\s+whether)?|argue(?:\s+whether)?|should\s+we|is\s+it\s+\w+\s+to"
        r"|can\s+we(?:\s+safely)?|do\s+we|would\s+it\s+be\s+\w+\s+to)\s+",
        "",
        text.strip(),
        flags=re.IGNORECASE,
    )
    return cleaned.rstrip(" ?.!") or text.strip()

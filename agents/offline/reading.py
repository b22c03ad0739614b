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
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’&.-]*[A-Za-z0-9]|[A-Za-z0-9]")
_PAGE = re.compile(r"\bp(?:age|\.|g\.?)\s*(\d{1,4})\b", re.IGNORECASE)
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
    "last": -1,
    "latest": -1,
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
    """The content words of the latest request; for a bare follow-up ("and the second
    file?"), those of the last question before it that had any."""
    current = content_words(_without_references(requests[-1].text)) if requests else []
    if current or not requests or not requests[-1].follow_up:
        return current
    for request in reversed(requests[:-1]):
        terms = content_words(_without_references(request.text))
        if terms and request.workflow == "question":
            return terms
    return []


def _without_references(text: str) -> str:
    """The request without "on page 3", "in the second file" and similar pointers."""
    text = _PAGE.sub(" ", text)
    return _ORDINAL.sub(" ", text)


@dataclass(frozen=True)
class RuleCommand:
    action: Literal["add", "enable", "disable", "list"]
    phrase: str
    severity: str | None = None


_DISABLE = re.compile(r"\b(?:disable|turn\s+off|switch\s+off|deactivate|remove|stop)\b", re.I)
_ENABLE = re.compile(r"\b(?:enable|turn\s+on|switch\s+on|activate|re-?enable)\b", re.I)
_ADD = re.compile(r"\b(?:add|create|new|make|write|define)\b", re.I)
_FLAG_PHRASE = re.compile(
    r"\b(?:flags?|catch(?:es)?|detects?|finds?|spots?|looks?\s+for|for|about|on|mentioning"
    r"|mentions?|against|matching|that\s+(?:flags?|catches|detects|finds))\s+(?:any\s+|all\s+)?"
    r"(?:mentions?\s+of\s+)?(?P<phrase>.+?)\s*(?:,|\.|;|\bwith\b|\bas\b|\bseverity\b|$)",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"“‘'](?P<phrase>[^\"”’']{2,80})[\"”’']")


def rule_command(text: str) -> RuleCommand:
    severity = severity_in(text)
    if _DISABLE.search(text):
        return RuleCommand("disable", _rule_reference(text, _DISABLE), severity)
    if _ENABLE.search(text):
        return RuleCommand("enable", _rule_reference(text, _ENABLE), severity)
    if _ADD.search(text):
        quoted = _QUOTED.search(text)
        if quoted:
            return RuleCommand("add", quoted.group("phrase").strip(), severity)
        after_rule = re.split(r"\brules?\b", text, maxsplit=1, flags=re.IGNORECASE)[-1]
        match = _FLAG_PHRASE.search(after_rule)
        phrase = match.group("phrase") if match else after_rule
        return RuleCommand("add", _SEVERITY.sub("", phrase).strip(" .?!"), severity)
    return RuleCommand("list", " ".join(content_words(text)), severity)


def _rule_reference(text: str, verb: re.Pattern[str]) -> str:
    rest = verb.split(text, maxsplit=1)[-1]
    rest = re.sub(r"\b(?:the|rule|rules|that|which|for|about|flags?)\b", " ", rest, flags=re.I)
    return " ".join(rest.split()).strip(" .?!")


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

"""Sentences and the words around a match: is it negated, hypothetical or a rule of conduct?

A pattern alone cannot tell "we accepted $14,200 in cash" from "we never accept cash over
$10,000", or "we identified a material weakness" from "we could identify a material
weakness". Rules ask these questions about the sentence that holds the match, so the
sentence splitter must survive PDF line wrapping, headings without full stops, bullets
and tables.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from tools.compliance.patterns import SafePattern

__all__ = [
    "HYPOTHETICAL",
    "NEGATION",
    "NORMATIVE",
    "affirmed",
    "clause_prefix",
    "is_hypothetical",
    "is_negated",
    "is_normative",
    "sentence_spans",
    "words_before",
]

# Words that negate what follows them in the same sentence.
NEGATION = re.compile(
    r"\b(?:no|not|never|none|neither|nor|without|cannot|nothing|nobody|absence of)\b"
    r"|\b\w+n[’']t\b",
    re.IGNORECASE,
)
# Words that make the rest of the sentence a possibility rather than a fact.
HYPOTHETICAL = re.compile(
    r"\b(?:if|whether|could|might|may|would|unless|in the event|potential(?:ly)?|possible|any"
    r"|possibility|risk that|suppose|assum(?:e|ing)|hypothetical|for example|e\.g\.|such as"
    r"|scenarios?|test cases?|red flags?|indicators?|examples?)\b",
    re.IGNORECASE,
)
# Words that make a sentence a rule of conduct (policy, contract duty) rather than an event.
NORMATIVE = re.compile(
    r"\b(?:must|shall|should|prohibit(?:s|ed)?|forbid(?:s|den)?|banned|disallowed|not tolerated"
    r"|is not permitted|are not permitted"
    r"|not allowed|may not|cannot|can not|required to|are required|is required|policy"
    r"|policies|procedures? (?:requires?|says)|guidelines?|is to be|are to be|refuse[sd]?)\b",
    re.IGNORECASE,
)

_ABBREVIATIONS = re.compile(
    r"(?:\b(?i:Inc|Ltd|Co|Corp|No|Nos|Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Lic|Rev|Gen|Hon|vs|etc|approx"
    r"|Fig|Sec|Art|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|e\.g|i\.e|cf|p|pp)"
    r"|\b[A-Z]|\bItem\s+\d+[A-Z]?)\.$"
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n\s*")
# Bullets (including the private-use and control characters PDF fonts use for them),
# table rows, headings and clause numbers ("5.2 Bank may ...") start a new unit.
# A line opening with a timestamp ("[2024-07-08 09:03:40] Jason: ...") is a new message
# of a chat export or a log.
_LINE_START_MARKER = re.compile(
    r"^\s*(?:[#|>]|[-–—*]\s|[•·▪●◦\x7f-\x9f\uf000-\uf8ff]|\d{1,2}(?:\.\d{1,2})*[.)]?\s+[\"“(A-Z])"
    r"|^\s*\[?\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}|^\s*\[\d{1,2}:\d{2}"
)
_WORD = re.compile(r"[\w’'-]+")
MAX_SENTENCE_WORDS_BEFORE = 30


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, in order, without surrounding blanks."""
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text):
        for start, end in _lines_to_units(text, block_start, block_end):
            spans.extend(_split_sentences(text, start, end))
    return [_strip(text, s, e) for s, e in spans if text[s:e].strip()]


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    position = 0
    for match in _BLOCK_BREAK.finditer(text):
        yield position, match.start()
        position = match.end()
    yield position, len(text)


def _lines_to_units(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Join wrapped lines; break at headings, bullets, table rows and short lines."""
    lines = _line_spans(text, start, end)
    if not lines:
        return
    widths = sorted(e - s for s, e in lines)
    typical = widths[int(len(widths) * 0.9)] if widths else 0
    unit_start = lines[0][0]
    for (line_start, line_end), (next_start, _next_end) in itertools.pairwise(lines):
        if _ends_unit(text, line_start, line_end, next_start, typical):
            yield unit_start, line_end
            unit_start = next_start
    yield unit_start, lines[-1][1]


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, position = [], start
    while position < end:
        newline = text.find("\n", position, end)
        line_end = end if newline == -1 else newline
        if text[position:line_end].strip():
            spans.append((position, line_end))
        position = line_end + 1
    return spans


def _ends_unit(text: str, line_start: int, line_end: int, next_start: int, typical: int) -> bool:
    line = text[line_start:line_end].rstrip()
    following = text[next_start : next_start + 80]
    if _LINE_START_MARKER.match(following) or line.lstrip().startswith(("#", "|")):
        return True
    if " | " in line or "\t" in line:
        return True
    if line.endswith((".", "!", "?", ":", ";")) and not _ABBREVIATIONS.search(line):
        return True
    short = len(line) < 0.7 * typical if typical else False
    next_upper = following.lstrip()[:1].isupper() or following.lstrip()[:1].isdigit()
    return short and next_upper


def _split_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    sentence_start = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = text[sentence_start : match.start() + 1]
        after = text[match.end() : match.end() + 1]
        if _ABBREVIATIONS.search(before) or not (
            after.isupper() or after.isdigit() or after in "\"“('"
        ):
            continue
        yield sentence_start, match.end()
        sentence_start = match.end()
    if sentence_start < end:
        yield sentence_start, end


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    chunk = text[start:end]
    return start + len(chunk) - len(chunk.lstrip()), end - (len(chunk) - len(chunk.rstrip()))


# Where one clause ends and another, with its own negation or modality, begins.
_CLAUSE_BREAK = re.compile(
    r"[;:]|,\s*(?:and|but|which|while|whereas|although|however)\b|\bbut\b|\bhowever\b"
    r"|\bwhereas\b|\bwhile\b",
    re.IGNORECASE,
)


def clause_prefix(prefix: str) -> str:
    """The part of `prefix` in the same clause as what follows it."""
    breaks = list(_CLAUSE_BREAK.finditer(prefix))
    return prefix[breaks[-1].end() :] if breaks else prefix


def words_before(prefix: str, limit: int = MAX_SENTENCE_WORDS_BEFORE) -> str:
    """The last `limit` words of `prefix` (the part of the sentence before a match)."""
    words = list(_WORD.finditer(prefix))
    if len(words) <= limit:
        return prefix
    return prefix[words[-limit].start() :]


def is_negated(prefix: str) -> bool:
    """True when the sentence before the match negates it ("we never accept ...")."""
    return NEGATION.search(words_before(prefix)) is not None


def is_hypothetical(prefix: str) -> bool:
    """True when the sentence before the match makes it a possibility ("could be required to")."""
    return HYPOTHETICAL.search(words_before(prefix)) is not None


def is_normative(sentence: str) -> bool:
    """True when the sentence states a rule of conduct rather than something that happened."""
    return NORMATIVE.search(sentence) is not None


def affirmed(pattern: SafePattern, text: str, *, negation_inside: bool = False) -> bool:
    """Whether `pattern` occurs in `text` without being negated ("no CTR was filed" is not
    a filed CTR). With `negation_inside`, a negation within the match also cancels it."""
    for start, end in pattern.finditer(text):
        if is_negated(clause_prefix(text[:start])):
            continue
        if negation_inside and NEGATION.search(text[start:end]):
            continue
        return True
    return False


# A sentence that defines a term ("Structuring means ...", "Structuring: the practice of
# ...") describes the wrongdoing, it does not report it.
_DEFINITION = re.compile(
    r"^\W*[\"“'‘]?(?:[\w'’\-/&]+\s+){0,4}?[\w'’\-/&]+[\"”'’]?\s*(?:\([^)]{1,40}\)\s*)?"
    r"(?:means|is defined as|are defined as|shall mean|is the (?:act|practice"
    r"|process|offen[cs]e) of|is (?:a|the) term for|occurs (?:when|where)|is (?:when|where)"
    r"|includes? (?:any|the practice))\b"
    r"|^\W*[\"“'‘]?[A-Z][\w\s'’\-/()&]{0,40}[\"”'’]?\s*[—–:-]\s+(?:the |a |an )?(?:act|practice"
    r"|process|breaking|splitting|conducting|deliberate|any|offering|giving|paying)\b",
)
# A statement that the condition was fixed ("the finding was remediated in Q2").
_REMEDIATED = re.compile(
    r"\b(?:remediated|rectified|(?:has|have|had) been (?:resolved|corrected|closed|fixed)"
    r"|(?:was|were) (?:resolved|corrected|closed|fixed|reversed)|status:?\s*closed"
    r"|closed (?:on|in)\b|no longer (?:exists?|occurs?))\b",
    re.IGNORECASE,
)


def is_definition(sentence: str) -> bool:
    """True when the sentence defines a term rather than reports an event."""
    return _DEFINITION.search(sentence[:160]) is not None


def is_remediated(text: str) -> bool:
    """True when the text says, without negating it, that the condition was fixed."""
    for match in _REMEDIATED.finditer(text):
        if not is_negated(clause_prefix(text[: match.start()])) and not NEGATION.search(
            match.group(0)
        ):
            return True
    return False

"""Whether a document is a contract, from its structure rather than its wording.

Contracts come as master agreements, purchase orders with their terms, statements of
work, letter agreements and licences, in English or in the parties' languages. What they
share is structure: a title naming the instrument, named parties, obligations, a term and
a signature block. A document with such a title and two of the other four is a contract;
an amendment or statement of work that incorporates a master agreement's terms takes its
liability, exit and governing-law terms from it and is not judged on its own. The
vocabulary is data (`contract_structure.yaml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.documents import ParsedDocument
from tools.compliance.patterns import SafePattern, compile_pattern

__all__ = ["ContractStructure", "contract_structure"]

_FILE = Path(__file__).resolve().parent / "contract_structure.yaml"
_TITLE_LINES = 25
_TITLE_MAX_CHARS = 120
_MIN_OBLIGATIONS = 2
_MIN_SIGNS = 2


@dataclass(frozen=True)
class ContractStructure:
    """The structural signs of a contract found in a document, and its title line."""

    title: tuple[int, int, int] | None
    parties: bool
    obligations: bool
    term: bool
    signature: bool
    dependent: bool

    @property
    def is_contract(self) -> bool:
        signs = sum((self.parties, self.obligations, self.term, self.signature))
        return self.title is not None and not self.dependent and signs >= _MIN_SIGNS


@dataclass(frozen=True)
class _Vocabulary:
    title: SafePattern
    not_title: SafePattern
    subject_line: SafePattern
    self_constituting: SafePattern
    parties: tuple[SafePattern, ...]
    defined_party: SafePattern
    obligations: SafePattern
    term: SafePattern
    signature: SafePattern
    dependent_title: SafePattern
    amends: SafePattern
    incorporates_master: SafePattern


def _pattern(source: str) -> SafePattern:
    """A folded YAML pattern: the spaces folding put around `|` are not part of it."""
    return compile_pattern(re.sub(r" *\| *", "|", source.strip()))


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    data = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    nouns = re.sub(r" *\| *", "|", data["title_nouns"].strip())
    # The noun within the first words of a short line: "ORDINE DI ACQUISTO / PURCHASE
    # ORDER N. OA-2024-0388", "Carta Convenio / Letter Agreement - Servicios ...".
    title = rf"^[^\pL\pN]*(?:\pL[\pL\pN&,.'’()/-]*\s+|[/–—-]\s+){{0,8}}?(?:{nouns})"
    return _Vocabulary(
        title=compile_pattern(title),
        not_title=_pattern(data["not_title"]),
        subject_line=_pattern(data["subject_line"]),
        self_constituting=_pattern(data["self_constituting"]),
        parties=tuple(_pattern(p) for p in data["parties"]),
        defined_party=compile_pattern(data["defined_party"], ignore_case=False),
        obligations=_pattern(data["obligations"]),
        term=_pattern(data["term"]),
        signature=_pattern(data["signature"]),
        dependent_title=_pattern(data["dependent_title"]),
        incorporates_master=_pattern(data["incorporates_master"]),
        amends=_pattern(data["amends"]),
    )


def contract_structure(document: ParsedDocument) -> ContractStructure:
    """The contract signs of `document` (title, parties, obligations, term, signature)."""
    words = _vocabulary()
    text = document.text
    title = structural_title(document)
    title_text = ""
    if title is not None:
        page = next(p for p in document.pages if p.number == title[0])
        title_text = page.text[title[1] : title[2]]
    parties = any(p.matches(text) for p in words.parties) or (
        len(list(words.defined_party.finditer(text))) >= 2
    )
    dependent = bool(title_text) and words.dependent_title.matches(title_text)
    return ContractStructure(
        title=title,
        parties=parties,
        obligations=len(list(words.obligations.finditer(text))) >= _MIN_OBLIGATIONS,
        term=words.term.matches(text),
        signature=words.signature.matches(text),
        dependent=words.amends.matches(text)
        or (dependent and words.incorporates_master.matches(text)),
    )


def structural_title(document: ParsedDocument) -> tuple[int, int, int] | None:
    """(page, start, end) of a short line near the top that names the instrument; in a
    message that says it is the agreement, its subject line."""
    words = _vocabulary()
    message_is_agreement = words.self_constituting.matches(document.text)
    for page in document.pages[:2]:
        position = 0
        for count, line in enumerate(page.text.splitlines(keepends=True)):
            if count >= _TITLE_LINES:
                break
            stripped = line.strip().strip("#*_ ").strip()
            subject = words.subject_line.search(stripped) if message_is_agreement else None
            if subject is not None:
                stripped = stripped[subject[1] :]
            if (
                stripped
                and len(stripped) <= _TITLE_MAX_CHARS
                and not words.not_title.matches(stripped)
                and words.title.matches(stripped)
                and (subject is not None or _heading_like(stripped))
            ):
                start = position + line.index(stripped)
                return page.number, start, start + len(stripped)
            position += len(line)
    return None


def _heading_like(line: str) -> bool:
    """Upper case or title case (Latin letters only are judged: 軟件即服務協議 has no case)."""
    letters = [c for c in line if c.isalpha() and c.isascii()]
    words = [w for w in line.split() if w[:1].isascii()]
    if not letters:
        return False
    upper = sum(1 for c in letters if c.isupper())
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    small = sum(1 for w in words if len(w) <= 3)
    return upper / len(letters) > 0.6 or capitalised + small >= len(words)

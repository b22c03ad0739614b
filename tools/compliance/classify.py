"""What kind of document this is, decided from its text: contract, SEC filing, ledger.

Some rules only make sense for one kind of document: "no limitation-of-liability clause"
is a finding in a commercial contract and meaningless in a 10-K that mentions its credit
agreement; FINRA's marketing rules govern communications with investors, not periodic
reports filed with the SEC. Rules name the kinds they apply to and this module decides.
"""

from __future__ import annotations

import re

from knowledge.documents import ParsedDocument
from tools.compliance.contract_structure import contract_structure, structural_title

__all__ = ["DOCUMENT_KINDS", "classify_document", "contract_title"]

DOCUMENT_KINDS = frozenset(
    {
        "contract", "sec_filing", "ledger", "prose", "policy", "training", "guidance",
        "glossary", "audit_report",
    }
)  # fmt: skip

# Genres that describe wrongdoing rather than commit it: a policy defines structuring and
# lists the countries it refuses, training shows examples of bribes, a regulator's
# guidance lists red flags. They are told by their title (the first heading lines) and,
# for policies, by the furniture policies carry (owner, version, approval, review date).
_TITLE_GENRES = (
    (
        "training",
        re.compile(
            r"\b(?:training|e-?learning|course|module|workshop|awareness (?:session|programme|"
            r"program)|quiz|lesson|learning (?:guide|pack)|case stud(?:y|ies)|participant guide"
            r"|facilitator guide|briefing deck|formazione|formación|capacitación|capacitação"
            r"|treinamento|schulung|formation des)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "guidance",
        re.compile(
            r"\b(?:guidance|(?:FinCEN|FATF|regulatory|supervisory) advisory|advisory (?:on|to|FIN-)"
            r"|FAQs?|frequently asked questions|bulletin|circular|regulatory (?:digest|update"
            r"|round-?up|briefing|horizon scan)|(?:compliance|regulatory) newsletter"
            r"|supervisory (?:statement|letter)|red flags?|typolog(?:y|ies)|interpretive"
            r"|regulatory notice|best practices?|orientamenti|linee guida|guía|guias?|orientações"
            r"|orientaciones|circolare|circulares?|comunicazione della vigilanza|leitfaden"
            r"|rundschreiben|richtlijn)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "policy",
        re.compile(
            r"\b(?:polic(?:y|ies)|procedures?|manual|standards?|handbook|guidelines|code of"
            r" (?:conduct|ethics)|framework|operating instructions?|desk (?:procedure|guide)"
            r"|playbook|charter|control standard|SOP|polític[ao]s?|politica|procedura"
            r"|procedimientos?|procedimentos?|manuale|manual de|regolamento|reglamento|regulamento"
            r"|normativa interna|richtlinie|politique)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "glossary",
        re.compile(
            r"\b(?:glossar(?:y|ies|io|ium)|glossário|glosario|terminolog\w*|lexicon|key terms"
            r"|definitions|(?:list|table) of (?:terms|definitions))\b"
            r"|\b(?:terms?|termos?|términos?|termini|terme|begriff|concepts?)\b[^\n]{0,60}"
            r"\b(?:definitions?|definição|definición|definizione|définition|definitie|meaning"
            r"|significado|significato)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "audit_report",
        re.compile(
            r"\b(?:internal audit|audit report|audit findings|follow-up review"
            r"|findings tracker|remediation (?:report|status|tracker))\b",
            re.IGNORECASE,
        ),
    ),
)
_POLICY_FURNITURE = re.compile(
    r"\b(?:policy owner|document owner|policy id|policy number|version control|document history"
    r"|revision history|change log|next review|review date|effective date|approved by the board"
    r"|board approval)\b",
    re.IGNORECASE,
)
_NOT_GENRE_TITLE = re.compile(
    r"\b(?:minutes|memo(?:randum)?|e-?mail|from:|subject:|re:|invoice|statement of account"
    r"|ledger|log|register|agreement|contract)\b"
    r"|^\W*(?:de|para|von|da|od|fra|asunto|assunto|oggetto|betreff|objet|emne)\s*:",
    re.IGNORECASE,
)
_TITLE_LINES = 6
# A fund's "investment policy" is what the fund does, not a policy document.
_FUND_TERMS = re.compile(
    r"\binvestment (?:objective and )?polic(?:y|ies)\b|politique d.investissement"
    r"|polític[ao] de inver(?:sión|são)|politica (?:di |d.)investimento|anlagepolitik",
    re.IGNORECASE,
)

_FILING_MARKERS = re.compile(
    r"\bForm\s+(?:10-K|10-Q|8-K|20-F|40-F|10-KT|10-K/A|10-Q/A)\b"
    r"|SECURITIES\s+AND\s+EXCHANGE\s+COMMISSION"
    r"|\bCommission\s+File\s+(?:No\.?|Number)"
    r"|PURSUANT\s+TO\s+SECTION\s+13\s+OR\s+15\s*\(d\)",
    re.IGNORECASE,
)
_FILING_COVER = re.compile(
    r"PURSUANT\s+TO\s+SECTION\s+13\s+OR\s+15\s*\(d\)|\bCommission\s+File\s+(?:No\.?|Number)",
    re.IGNORECASE,
)
_SELF_REFERENCE = re.compile(
    r"\b[Tt]his\s+(?:[A-Z][\w&-]*\s+){0,5}(?:Agreement|Contract|Addendum|Amendment|Lease)\b"
    r"|\b[Tt]hese\s+(?:[A-Z][\w&-]*\s+){0,3}(?:Terms|Conditions)\b"
)
_PARTIES = re.compile(
    r"\b(?:by and between|between\b[^.]{3,400}\band\b)|\b(?:the Parties|each Party|either party"
    r"|neither party|both parties|the other party)\b",
    re.IGNORECASE,
)
_DEFINED_PARTY = re.compile(r"\(\s*(?:the\s+)?[\"“”']\s*[A-Z][\w .&-]{1,40}[\"“”']\s*\)")
_OBLIGATION = re.compile(r"\b(?:shall|will|agrees? to|undertakes? to)\b")
_CONTRACT_NOUN = (
    r"(?:AGREEMENT|CONTRACT|ADDENDUM|TERMS\s+AND\s+CONDITIONS|STATEMENT\s+OF\s+WORK"
    r"|LICEN[CS]E|LEASE|ENGAGEMENT\s+LETTER)"
)
# A title ends with the contract noun ("MASTER SERVICES AGREEMENT (MSA)") or starts with it
# ("Agreement for the Provision of Services"); running headers that merely mention a
# contract file are neither.
_TITLE_LINE = re.compile(
    rf"^(?:[\w&,.'’-]+\s+){{0,8}}{_CONTRACT_NOUN}(?:\s+\([^)]{{1,30}}\))?\s*$"
    rf"|^{_CONTRACT_NOUN}\s+(?:FOR|OF|ON|TO|BETWEEN)\b(?:\s+[\w&,.'’()-]+){{0,8}}\s*$"
    rf"|^(?:[\w&,.'’-]+\s+){{0,4}}{_CONTRACT_NOUN}\s*[-–—:]\s*[\w ,&'’()/-]{{3,70}}$",
    re.IGNORECASE,
)
_FIRST_PAGE_CHARS = 6000
# A filing says what it is on its cover; a digest or memo that cites a Form 10-K is not one.
_COVER_CHARS = 2000
_TITLE_SEARCH_LINES = 25


def classify_document(
    document: ParsedDocument, *, has_rows: bool, reference_head: str | None = None
) -> frozenset[str]:
    """The kinds this document is (a set: a filing is never a contract, a ledger has rows).

    A document with rows is judged by its genre only when none of its tables records
    transactions (no date or amount column): a glossary or a policy's annex of refused
    countries is a reference table, and `reference_head` is its title block and header.
    A real ledger is never suppressed by its title.
    """
    kinds: set[str] = set()
    head = "\n".join(page.text for page in document.pages[:2])[: 2 * _FIRST_PAGE_CHARS]
    if has_rows:
        kinds.add("ledger")
    else:
        kinds.add("prose")
    if has_rows:
        genre = _table_genre(reference_head) if reference_head is not None else None
    else:
        genre = document_genre(head)
    if _FILING_COVER.search(head[:_COVER_CHARS]) and _FILING_MARKERS.search(head[:_COVER_CHARS]):
        # A filing's cover (Form 10-Q, "pursuant to Section 13 or 15(d)") outranks words
        # of its title block ("as specified in its charter").
        kinds.add("sec_filing")
    elif genre is not None and not _looks_like_contract(document):
        # A digest or training deck that quotes Form 8-K items describes filings.
        kinds.add(genre)
    elif _FILING_MARKERS.search(head[:_COVER_CHARS]):
        kinds.add("sec_filing")
    elif not has_rows and _looks_like_contract(document):
        kinds.add("contract")
    return frozenset(kinds)


def _table_genre(head: str) -> str | None:
    """The genre of a reference table: from the lines above its header (a header such as
    "EDD procedure" names a column, not the document), or a glossary by its header
    (term and definition columns)."""
    title, _, header = head.rstrip().rpartition("\n")
    genre = document_genre(title) if title.strip() else None
    if genre is None and _GLOSSARY_HEADER.search(header):
        return "glossary"
    return genre


_GLOSSARY_HEADER = re.compile(
    r"\b(?:terms?|termos?|términos?|termini|terme|begriff|concepts?)\b[^\n]{0,60}"
    r"\b(?:definitions?|definição|definición|definizione|définition|definitie|meaning"
    r"|significado|significato)\b",
    re.IGNORECASE,
)


def document_genre(head: str) -> str | None:
    """policy, training, guidance, glossary or audit_report, when the title (or, for a policy, its
    furniture) says so; None for documents that record events (memos, logs, minutes)."""
    title = " ".join(line.strip("#*_ \t") for line in head.splitlines()[:40] if line.strip())
    first_lines = [line.strip("#*_ \t") for line in head.splitlines() if line.strip()]
    heading = " ".join(first_lines[:_TITLE_LINES])
    if _NOT_GENRE_TITLE.search(" ".join(first_lines[:2])):
        return None
    heading = _FUND_TERMS.sub(" ", heading)
    for genre, pattern in _TITLE_GENRES:
        if pattern.search(heading):
            return genre
    if len(_POLICY_FURNITURE.findall(title)) >= 2:
        return "policy"
    return None


def _looks_like_contract(document: ParsedDocument) -> bool:
    """A contract by structure (title, parties, obligations, term, signature: see
    contract_structure), or one that refers to itself ("this Agreement"), names its
    parties and binds them. One that incorporates a master agreement's terms is not
    judged on its own."""
    structure = contract_structure(document)
    if structure.dependent:
        return False
    if structure.is_contract:
        return True
    text = document.text
    words = max(1, len(text.split()))
    self_references = len(_SELF_REFERENCE.findall(text))
    obligations = len(_OBLIGATION.findall(text))
    parties = _PARTIES.search(text) is not None or len(_DEFINED_PARTY.findall(text)) >= 2
    if _english_title(document) is not None and parties:
        # A titled agreement between named parties is a contract however it is worded
        # ("the Licensor grants", "the Contractor will"), in any register.
        return True
    return self_references >= 3 and obligations >= max(5, words // 400) and parties


def contract_title(document: ParsedDocument) -> tuple[int, int, int] | None:
    """(page, start, end) of the contract's title line near the top of the document."""
    return _english_title(document) or structural_title(document)


def _english_title(document: ParsedDocument) -> tuple[int, int, int] | None:
    for page in document.pages[:2]:
        position = 0
        for count, line in enumerate(page.text.splitlines(keepends=True)):
            if count >= _TITLE_SEARCH_LINES:
                break
            stripped = line.strip()
            if (
                stripped
                and len(stripped) <= 90
                and _TITLE_LINE.match(stripped)
                and _looks_like_heading(stripped)
            ):
                start = position + line.index(stripped)
                return page.number, start, start + len(stripped)
            position += len(line)
    return None


def _looks_like_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    words = line.split()
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return bool(letters) and (upper / len(letters) > 0.6 or capitalised == len(words))

"""What the agent tools return: small pydantic models the model (or the offline engine) reads.

Field names are short and plain because a language model reads them as JSON; every
passage and finding carries what is needed to cite it (document, filename, page, quote).
A result that acts on documents says which (`documents_in_play`): the team reads the
documents a run is about from these typed results, never from the agents' prose.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from tools.models import Finding, RuleCheck, ScoreFactor


@runtime_checkable
class ActsOnDocuments(Protocol):
    """A tool result that names the documents it acted on (searched, checked, reported)."""

    def documents_in_play(self) -> list[DocumentRef]: ...


class DocumentRef(BaseModel):
    """A document as the agents name it: `filename (doc <id8>)`."""

    document_id: str
    filename: str
    type: str = ""
    pages: int = 0
    chunks: int = 0

    @property
    def label(self) -> str:
        return f"{self.filename} (doc {self.document_id[:8]})"


class IngestedFile(BaseModel):
    """The outcome of ingesting one attached file."""

    filename: str
    status: Literal["ingested", "duplicate", "error"]
    document: DocumentRef | None = None
    error: str | None = None
    warnings: list[str] = Field(default_factory=list)
    attachments: list[DocumentRef] = Field(
        default_factory=list,
        description="Documents that came attached to this file (an e-mail's); check them too",
    )

    def documents_in_play(self) -> list[DocumentRef]:
        return [*([self.document] if self.document else []), *self.attachments]


class DocumentList(BaseModel):
    documents: list[DocumentRef]
    attached: list[str] = Field(
        default_factory=list, description="Files attached to this message, not yet ingested"
    )


class DocumentSelection(BaseModel):
    """The documents a request is about, as the library knows them: the team works on these."""

    documents: list[DocumentRef]

    def documents_in_play(self) -> list[DocumentRef]:
        return list(self.documents)


class DeletedDocument(BaseModel):
    """A document removed from the library, and how many are left."""

    document: DocumentRef
    remaining: int

    def documents_in_play(self) -> list[DocumentRef]:
        return [self.document]


class TableRow(BaseModel):
    """A line item of a statement table: its label, its amounts as printed, the columns."""

    label: str
    amounts: list[str]
    columns: list[str]
    fit: float = Field(
        default=0.0, description="how well the label names the figure asked (0-1)"
    )


class Passage(BaseModel):
    """A passage that matched a search, with its citation."""

    document_id: str
    filename: str
    page: int
    text: str
    score: float
    rows: str | None = Field(default=None, description="Ledger row range, e.g. '4-9'")
    table_rows: list[TableRow] = Field(
        default_factory=list,
        description="Statement rows on this page that the query names, with column headings",
    )
    ocr: str | None = Field(
        default=None, description="Set when the page was read by OCR: 'read by OCR, 91%'"
    )
    table_header: str | None = Field(
        default=None, description="Header row of the table the passage quotes rows of"
    )


class SearchResults(BaseModel):
    query: str
    passages: list[Passage]
    searched_documents: int

    def documents_in_play(self) -> list[DocumentRef]:
        """The documents the passages come from, best first, each once."""
        refs: dict[str, DocumentRef] = {}
        for passage in self.passages:
            refs.setdefault(
                passage.document_id,
                DocumentRef(document_id=passage.document_id, filename=passage.filename),
            )
        return list(refs.values())


class ComplianceResult(BaseModel):
    """One document checked against the rulebook."""

    document: DocumentRef
    score: int
    status: str
    findings: list[Finding]
    rules_checked: int = 0
    rulebook_version: str = ""
    checks: dict[str, int] = Field(
        default_factory=dict, description="Rules applied, passed, failed, not checked"
    )
    not_checked: list[RuleCheck] = Field(
        default_factory=list, description="Rules that apply but could not run, and why"
    )
    summary: str = Field(default="", description="The rules line to show the analyst")
    model_reader: str = Field(default="", description="What the model second reader did")

    def documents_in_play(self) -> list[DocumentRef]:
        return [self.document]


class RuleInfo(BaseModel):
    rule_id: str
    title: str
    category: str
    severity: str
    enabled: bool = True
    kind: str = ""
    regulation: str = ""


class RuleList(BaseModel):
    rules: list[RuleInfo]
    rulebook_version: str = ""


class RuleChange(BaseModel):
    action: Literal["added", "enabled", "disabled"]
    rule: RuleInfo
    rulebook_version: str = ""


class RiskResult(BaseModel):
    document: DocumentRef
    score: int
    level: str
    breakdown: dict[str, int]
    drivers: list[ScoreFactor] = Field(
        default_factory=list, description="The findings that raised the risk most"
    )

    def documents_in_play(self) -> list[DocumentRef]:
        return [self.document]


class Artifact(BaseModel):
    """Something a run produced for the analyst: a report file or chart data."""

    kind: Literal["report", "chart"]
    name: str
    path: str | None = None
    mime: str | None = None
    data: dict[str, Any] | None = None


class ReportedDocument(BaseModel):
    """One document's line in a report: both scores and its worst findings."""

    document: DocumentRef
    compliance_score: int
    compliance_status: str
    risk_score: int
    risk_level: str
    finding_count: int
    top_findings: list[Finding]


class ReportResult(BaseModel):
    title: str
    headline: str
    documents: list[ReportedDocument]
    files: list[str]
    markdown: str = Field(description="The report in Markdown, for the chat")
    actions: list[str] = Field(default_factory=list)

    def documents_in_play(self) -> list[DocumentRef]:
        return [item.document for item in self.documents]


class PassedRule(BaseModel):
    """A rule the document was checked against and met."""

    rule_id: str
    title: str
    category: str


class DocumentFindings(BaseModel):
    document: DocumentRef
    score: int
    status: str
    findings: list[Finding]
    passed: list[PassedRule] = Field(
        default_factory=list, description="Rules this document was checked against and met"
    )


class FindingsResult(BaseModel):
    documents: list[DocumentFindings]

    def documents_in_play(self) -> list[DocumentRef]:
        return [item.document for item in self.documents]


class SummaryPoint(BaseModel):
    """One point of a summary, quoted from the document, with its page or ledger row."""

    topic: str
    text: str
    page: int | None = None
    row: int | None = None


class DocumentSummary(BaseModel):
    document: DocumentRef
    kind: Literal["filing", "contract", "ledger", "document"]
    points: list[SummaryPoint]
    missing: list[str] = Field(
        default_factory=list, description="Required clauses the contract lacks"
    )

    def documents_in_play(self) -> list[DocumentRef]:
        return [self.document]


class ComparisonRow(BaseModel):
    """One topic across the compared documents (None: that document has nothing on it)."""

    topic: str
    points: list[SummaryPoint | None]
    differs: bool


class Comparison(BaseModel):
    documents: list[DocumentRef]
    kinds: list[str]
    rows: list[ComparisonRow]

    def documents_in_play(self) -> list[DocumentRef]:
        return list(self.documents)

"""Documents and rules for the compliance tests, built with the real parsers and loader."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import docx
import openpyxl
from fpdf import FPDF

from knowledge.documents import DocType, Page, ParsedDocument
from knowledge.parsing import parse_file
from knowledge.parsing.delimited import parse_delimited
from tools.compliance import Rule, check_document, default_rulebook
from tools.models import Finding


def text_doc(text: str, doc_type: DocType = DocType.TXT) -> ParsedDocument:
    """A one-page text document (an e-mail, a memo, a Word file's paragraphs)."""
    return ParsedDocument(doc_type=doc_type, pages=[Page(1, textwrap.dedent(text).strip())])


def pdf_doc(*pages: str) -> ParsedDocument:
    """A PDF as the parser gives it: one Page per PDF page, numbered from 1."""
    return ParsedDocument(
        doc_type=DocType.PDF,
        pages=[Page(number, textwrap.dedent(text).strip()) for number, text in enumerate(pages, 1)],
    )


def csv_doc(text: str) -> ParsedDocument:
    """A CSV ledger through the real delimited-text parser (rows, spans, typed fields)."""
    return parse_delimited(textwrap.dedent(text).strip() + "\n")


def make_rule(kind: str, params: dict[str, Any], **fields: Any) -> Rule:
    values: dict[str, Any] = {
        "id": "test.rule",
        "title": "A rule under test",
        "category": "test.category",
        "severity": "high",
        "regulation": "Test Reg. 1",
        "recommendation": "Fix it.",
        "kind": kind,
        "params": params,
    }
    values.update(fields)
    return Rule.model_validate(values)


def run(document: ParsedDocument, *rules: Rule) -> list[Finding]:
    return check_document(document, document_id="doc-1", filename="test", rules=list(rules))


def default_findings(document: ParsedDocument, category: str | None = None) -> list[Finding]:
    """Findings of the shipped rulebook, optionally only those of one category."""
    found = check_document(
        document, document_id="doc-1", filename="test", rules=default_rulebook().enabled_rules
    )
    return [f for f in found if category is None or f.category == category]


def categories(document: ParsedDocument) -> set[str]:
    return {finding.category for finding in default_findings(document)}


def assert_exact_evidence(document: ParsedDocument, findings: list[Finding]) -> None:
    """Every finding quotes its page's text exactly, at the offset it gives."""
    pages = {page.number: page.text for page in document.pages}
    for finding in findings:
        number = finding.page if finding.page is not None else 1
        text = pages[number] if finding.page is not None else document.pages[0].text
        if document.doc_type.is_ledger and finding.sheet is not None:
            text = next(p.text for p in document.pages if finding.evidence in p.text)
        assert finding.start is not None
        assert text[finding.start : finding.start + len(finding.evidence)] == finding.evidence


def write_pdf(path: Path, pages: list[str], *, header: str = "") -> Path:
    """A real PDF (fpdf2, core font) with wrapped paragraphs and an optional running header."""
    pdf = FPDF(format="letter")
    pdf.set_font("Helvetica", size=10)
    for text in pages:
        pdf.add_page()
        if header:
            pdf.multi_cell(0, 5, header, align="L", new_x="LMARGIN", new_y="NEXT")
        for paragraph in textwrap.dedent(text).strip().split("\n\n"):
            pdf.multi_cell(
                0, 5, " ".join(paragraph.split()), align="L", new_x="LMARGIN", new_y="NEXT"
            )
            pdf.ln(2)
    pdf.output(str(path))
    return path


def write_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(str(path))
    return path


def parse(path: Path) -> ParsedDocument:
    return parse_file(path, max_bytes=20 * 1024 * 1024)

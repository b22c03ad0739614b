"""The PDF rendering of a report: masthead, summary box, vector charts, findings with citations.

Findings are laid out as blocks rather than a five-column table because quoted evidence
is often long and an A4 column is narrow; a block never splits across pages unless it is
longer than a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fpdf.enums import TableBordersLayout, TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from tools.models import Finding
from tools.reports import view
from tools.reports.data import DocumentReport, ReportData
from tools.reports.pdf_canvas import INK, MUTED, NAVY, RULE, WASH, ReportCanvas, rgb
from tools.reports.pdf_fonts import choose_fonts

INDENT = 12.0
ZEBRA = "#F7F9FA"
KPI_HEIGHT = 23.0


def render_pdf(report: ReportData) -> bytes:
    """An A4 PDF of the report with numbered pages ("Page n of N")."""
    versions = (
        f"Rulebook {report.rulebook_name} {report.rulebook_version} · "
        f"Knowledge base {report.knowledge_version}"
    )
    pdf = ReportCanvas(choose_fonts(), report.title, versions)
    pdf.watermark = "DRAFT" if report.is_draft else ""
    pdf.set_title(pdf.clean(report.title))
    pdf.set_author("Quorum")
    pdf.set_creator("Quorum report renderer")
    pdf.set_creation_date(report.generated_at)
    pdf.add_page()
    _masthead(pdf, report)
    _signoff(pdf, report)
    _summary_box(pdf, report)
    _charts(pdf, report)
    _overview(pdf, report)
    for number, document in enumerate(report.documents, start=1):
        _document(pdf, document, number)
    _colophon(pdf, report)
    return bytes(pdf.output())


def _masthead(pdf: ReportCanvas, report: ReportData) -> None:
    pdf.set_fill_color(*rgb(NAVY))
    pdf.rect(pdf.l_margin, 12, pdf.epw, 1.6, style="F")
    pdf.set_xy(pdf.l_margin, 15.5)
    pdf.style(7, "B", NAVY)
    pdf.cell(pdf.epw / 2, 4, "QUORUM · COMPLIANCE & RISK ASSESSMENT")
    pdf.style(7, colour=MUTED)
    pdf.cell(
        pdf.epw / 2,
        4,
        pdf.clean("CONFIDENTIAL — FOR INTERNAL USE"),
        align="R",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(2)
    pdf.serif(19)
    pdf.multi_cell(0, 8.5, pdf.clean(report.title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.style(8.2, colour=MUTED)
    meta = (
        f"Generated {view.format_timestamp(report.generated_at)}  ·  "
        f"Rulebook {report.rulebook_name} {report.rulebook_version}  ·  "
        f"Knowledge base {report.knowledge_version}"
    )
    pdf.paragraph(meta, height=4.2)
    pdf.ln(1.5)
    pdf.set_draw_color(*rgb(RULE))
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(5)


def _summary_height(pdf: ReportCanvas, report: ReportData, inner: float) -> float:
    summary = report.summary
    pdf.style(9.5)
    height = 9 + pdf.text_height(summary.headline, inner, 4.6) + KPI_HEIGHT + 5
    if summary.actions:
        pdf.style(8.6)
        height += 7 + sum(pdf.text_height(a, inner - 6, 4.2) + 0.8 for a in summary.actions)
    return height + 3


def _summary_box(pdf: ReportCanvas, report: ReportData) -> None:
    summary = report.summary
    x, inner = pdf.l_margin, pdf.epw - 10
    top = pdf.get_y()
    height = _summary_height(pdf, report, inner)
    pdf.set_fill_color(*rgb(WASH))
    pdf.set_draw_color(*rgb(RULE))
    pdf.rect(x, top, pdf.epw, height, style="DF")
    pdf.set_fill_color(*rgb(NAVY))
    pdf.rect(x, top, 1.3, height, style="F")
    pdf.set_xy(x + 5, top + 3)
    pdf.serif(12.5)
    pdf.cell(0, 6, "Executive summary", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.style(9.5)
    pdf.paragraph(summary.headline, height=4.6, width=inner, indent=5)
    kpi_top = pdf.get_y() + 2
    _kpis(pdf, report, x + 5, kpi_top, inner)
    pdf.set_y(kpi_top + KPI_HEIGHT + 4)
    if summary.actions:
        pdf.set_x(x + 5)
        pdf.serif(10, emphasis="B")
        pdf.cell(0, 5, "First actions", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
        pdf.style(8.6)
        for index, action in enumerate(summary.actions, start=1):
            pdf.set_x(x + 5)
            pdf.cell(6, 4.2, f"{index}.")
            pdf.multi_cell(
                inner - 6, 4.2, pdf.clean(action), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            pdf.ln(0.8)
    pdf.set_y(top + height + 6)


def _kpi(
    pdf: ReportCanvas,
    x: float,
    y: float,
    width: float,
    label: str,
    value: str,
    lines: tuple[str, str],
    colour: str = INK,
) -> None:
    """A white tile: small label, big value, a coloured status line and a muted detail line."""
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(*rgb(RULE))
    pdf.rect(x, y, width, KPI_HEIGHT, style="DF")
    pdf.set_xy(x + 3, y + 2)
    pdf.style(6.8, "B", MUTED)
    pdf.cell(width - 6, 3.5, label.upper())
    pdf.set_xy(x + 3, y + 6)
    pdf.style(16, colour=INK)
    pdf.cell(width - 6, 7, value)
    pdf.set_xy(x + 3, y + 14.2)
    pdf.style(7.4, "B", colour)
    pdf.cell(width - 6, 3.5, pdf.clean(_fit(pdf, lines[0], width - 6)))
    pdf.set_xy(x + 3, y + 18)
    pdf.style(7.4, colour=MUTED)
    pdf.cell(width - 6, 3.5, pdf.clean(_fit(pdf, lines[1], width - 6)))


def _fit(pdf: ReportCanvas, text: str, width: float) -> str:
    """Shorten text with an ellipsis so it fits on one line of the current font."""
    if pdf.get_string_width(pdf.clean(text)) <= width:
        return text
    while text and pdf.get_string_width(pdf.clean(text + "…")) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _kpis(pdf: ReportCanvas, report: ReportData, x: float, y: float, inner: float) -> None:
    summary = report.summary
    gap = 4.0
    width = (inner - 2 * gap) / 3
    counts = [f"{n} {s}" for s, n in summary.severity_counts.items() if n]
    first, rest = ", ".join(counts[:2]) or "none", ", ".join(counts[2:])
    worst_severity = next((s for s, n in summary.severity_counts.items() if n), "low")
    _kpi(
        pdf,
        x,
        y,
        width,
        "Findings",
        str(summary.finding_count),
        (first, rest),
        view.SEVERITY_COLOURS[worst_severity],
    )
    worst, top = summary.worst_compliance, summary.highest_risk
    if worst is not None and top is not None:
        _kpi(
            pdf,
            x + width + gap,
            y,
            width,
            "Lowest compliance",
            f"{worst.score}/100",
            (worst.label, worst.filename),
            view.STATUS_COLOURS[worst.label],
        )
        _kpi(
            pdf,
            x + 2 * (width + gap),
            y,
            width,
            "Highest risk",
            f"{top.score}/100",
            (f"{top.label} risk", top.filename),
            view.LEVEL_COLOURS[top.label],
        )


def _charts(pdf: ReportCanvas, report: ReportData) -> None:
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    gap = 6.0
    width = (pdf.epw - gap) / 2
    top = pdf.get_y()
    panels = [
        ("Findings by severity", "", view.severity_bars(report), None),
        (
            "Risk by category",
            "highest across documents, 0-100",
            view.portfolio_category_bars(report),
            100,
        ),
    ]
    for index, (caption, note, bars, scale) in enumerate(panels):
        x = pdf.l_margin + index * (width + gap)
        pdf.set_draw_color(*rgb(RULE))
        pdf.rect(x, top, width, 42, style="D")
        pdf.set_xy(x + 4, top + 3)
        pdf.serif(10.5)
        pdf.cell(pdf.get_string_width(caption) + 2, 5, caption)
        pdf.style(7, colour=MUTED)
        pdf.cell(0, 5, note)
        pdf.bar_chart(bars, x + 3, top + 11, width - 6, scale_max=scale)
    pdf.set_y(top + 48)


def _house_table(pdf: ReportCanvas, heading_size: float, **options: Any) -> Any:
    """House table: muted headings, hairlines between rows, light zebra rows.

    The fill and draw colours are set first because fpdf2 2.8 paints zebra rows with the
    canvas's current fill colour rather than `cell_fill_color`.
    """
    pdf.set_fill_color(*rgb(ZEBRA))
    pdf.set_draw_color(*rgb(RULE))
    pdf.set_line_width(0.2)
    return pdf.table(
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        headings_style=FontFace(
            emphasis="BOLD", color=rgb(MUTED), size_pt=heading_size, fill_color=(255, 255, 255)
        ),
        cell_fill_color=rgb(ZEBRA),
        cell_fill_mode=TableCellFillMode.EVEN_ROWS,
        first_row_as_headings=True,
        **options,
    )


def _overview(pdf: ReportCanvas, report: ReportData) -> None:
    needed = 18 + 7.5 * (len(report.documents) + 1)
    if pdf.get_y() + needed > pdf.page_break_trigger and needed < pdf.eph:
        pdf.add_page()
    pdf.section_heading("Documents reviewed")
    pdf.style(8.2)
    with _house_table(
        pdf,
        7,
        col_widths=(60, 12, 12, 20, 30, 11, 17, 16),
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT", "RIGHT", "LEFT", "RIGHT"),
        line_height=5,
        padding=(1.2, 1.5),
    ) as table:
        table.row(
            ["Document", "Type", "Pages", "Compliance", "Status", "Risk", "Level", "Findings"]
        )
        for document in report.documents:
            status, level = document.status_after, document.level_after
            row = table.row()
            row.cell(pdf.clean(document.filename))
            row.cell(pdf.clean(document.type.upper()))
            row.cell(str(document.pages))
            row.cell(_before_after(document.compliance.score, document.compliance_after,
                                   document.decided))  # fmt: skip
            row.cell(
                status, style=FontFace(color=rgb(view.STATUS_COLOURS[status]), emphasis="BOLD")
            )
            row.cell(_before_after(document.risk.score, document.risk_after, document.decided))
            row.cell(level, style=FontFace(color=rgb(view.LEVEL_COLOURS[level]), emphasis="BOLD"))
            row.cell(str(len(document.compliance.findings)))
    pdf.ln(2)


def _document(pdf: ReportCanvas, document: DocumentReport, number: int) -> None:
    pdf.section_heading(document.filename, number)
    pdf.style(8, colour=MUTED)
    pages = f"{document.pages} page{'s' if document.pages != 1 else ''}"
    pdf.paragraph(f"{document.type.upper()} · {pages} · document id {document.document_id}")
    pdf.ln(2)
    _score_cards(pdf, document)
    if document.decided:
        pdf.style(8.6, "B", NAVY)
        pdf.paragraph(
            f"After review: compliance {document.compliance.score} → {document.compliance_after}"
            f"/100 ({document.status_after}), risk {document.risk.score} → "
            f"{document.risk_after}/100 ({document.level_after})."
        )
        pdf.ln(1)
    if not document.findings:
        pdf.style(9, "I", MUTED)
        pdf.paragraph("No findings: the document breaks no enabled rule.")
    for index, item in enumerate(document.reviewed, start=1):
        decided = item.decision.describe() if item.decision else ""
        _finding_block(pdf, item.finding, document.filename, f"{number}.{index}", decided)
    _factors(pdf, document)


def _before_after(before: int, after: int, decided: int) -> str:
    return f"{before}→{after}" if decided else str(before)


def _signoff(pdf: ReportCanvas, report: ReportData) -> None:
    """The sign-off block of an approved report, or the draft notice."""
    signoff = report.signoff
    if signoff is None:
        pdf.style(8.6, "B", "#8E1B1B")
        pdf.paragraph("DRAFT — not approved: do not rely on it until the analyst signs it off.")
        pdf.ln(3)
        return
    pdf.serif(11, emphasis="B")
    pdf.cell(0, 6, "Sign-off", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.style(8.4)
    role = f" ({signoff.role})" if signoff.role else ""
    lines = [
        f"Approved by {signoff.approved_by}{role} on {view.format_timestamp(signoff.approved_at)}",
        f"Rulebook {signoff.rulebook_name} {signoff.rulebook_version} · "
        f"knowledge base {signoff.knowledge_version}",
        f"Content hash sha256:{signoff.content_hash}",
        f"Sign-off id {signoff.signoff_id}",
    ]
    for line in lines:
        pdf.paragraph(line, height=4.2)
    pdf.ln(4)


def _score_cards(pdf: ReportCanvas, document: DocumentReport) -> None:
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    top, x = pdf.get_y(), pdf.l_margin
    cards = [
        (
            "Compliance score",
            document.compliance.score,
            document.compliance.status,
            view.STATUS_COLOURS[document.compliance.status],
        ),
        (
            "Risk score",
            document.risk.score,
            f"{document.risk.level} risk",
            view.LEVEL_COLOURS[document.risk.level],
        ),
    ]
    for index, (label, score, status, colour) in enumerate(cards):
        left = x + index * 38
        pdf.set_draw_color(*rgb(RULE))
        pdf.rect(left, top, 34, 30, style="D")
        pdf.set_fill_color(*rgb(colour))
        pdf.rect(left, top, 34, 1, style="F")
        pdf.set_xy(left + 3, top + 3)
        pdf.style(6.8, "B", MUTED)
        pdf.cell(28, 3.5, label.upper())
        pdf.set_xy(left + 3, top + 8)
        pdf.style(18)
        pdf.cell(28, 9, f"{score}")
        pdf.chip(status, colour, left + 3, top + 21, outline=True)
    chart_x = x + 76
    pdf.set_draw_color(*rgb(RULE))
    pdf.rect(chart_x, top, pdf.epw - 76, 30, style="D")
    pdf.set_xy(chart_x + 3, top + 2)
    pdf.style(6.8, "B", MUTED)
    pdf.cell(0, 3.5, "RISK BY CATEGORY")
    pdf.bar_chart(view.category_bars(document), chart_x + 2, top + 6.5, pdf.epw - 80, scale_max=100)
    pdf.set_y(top + 35)


@dataclass(frozen=True)
class _Line:
    """One paragraph of a finding block, measured and drawn with the same settings."""

    text: str
    size: float
    emphasis: str = ""
    colour: str = INK
    height: float = 4.2
    indent: float = INDENT
    space_after: float = 0.0


def _finding_lines(finding: Finding, filename: str, decided: str = "") -> list[_Line]:
    decision = [_Line(f"Decision: {decided}", 8.2, "B", NAVY, height=4)] if decided else []
    return [
        _Line(f"{finding.rule_id} · {finding.category}", 7.6, colour=MUTED, height=3.8),
        _Line(view.citation(finding, filename), 8, "B", NAVY, space_after=1),
        _Line(f"“{finding.evidence}”", 8.6, "I", height=4.3, indent=INDENT + 3, space_after=1.2),
        _Line(f"Recommendation: {finding.recommendation}", 8.4),
        _Line(f"Regulation: {finding.regulation}", 7.8, colour=MUTED, height=4),
        *decision,
    ]


def _line_width(pdf: ReportCanvas, line: _Line) -> float:
    return pdf.epw - line.indent


def _block_height(pdf: ReportCanvas, title: str, chip_w: float, lines: list[_Line]) -> float:
    pdf.style(9.2, "B")
    height = pdf.text_height(title, pdf.epw - INDENT - chip_w - 2.5, 4.6) + 5
    for line in lines:
        pdf.style(line.size, line.emphasis)
        height += pdf.text_height(line.text, _line_width(pdf, line), line.height)
        height += line.space_after
    return height


def _finding_block(
    pdf: ReportCanvas, finding: Finding, filename: str, label: str, decided: str = ""
) -> None:
    """Number, severity chip and title, then rule, citation, quoted evidence and advice.

    Measured first so that a block starts on a new page rather than splitting, unless
    it is taller than a page.
    """
    title = finding.title or finding.category
    lines = _finding_lines(finding, filename, decided)
    chip_w = pdf.chip_width(finding.severity)
    needed = _block_height(pdf, title, chip_w, lines)
    if pdf.get_y() + needed > pdf.page_break_trigger and needed < pdf.eph:
        pdf.add_page()
    x, top = pdf.l_margin, pdf.get_y()
    pdf.style(8, colour=MUTED)
    pdf.set_xy(x, top)
    pdf.cell(INDENT, 4.6, label)
    pdf.chip(finding.severity, view.SEVERITY_COLOURS[finding.severity], x + INDENT, top + 0.2)
    pdf.set_xy(x + INDENT + chip_w + 2.5, top)
    pdf.style(9.2, "B")
    pdf.multi_cell(
        pdf.epw - INDENT - chip_w - 2.5,
        4.6,
        pdf.clean(title),
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    for line in lines:
        line_top, line_page = pdf.get_y(), pdf.page_no()
        pdf.style(line.size, line.emphasis, line.colour)
        pdf.paragraph(
            line.text, height=line.height, width=_line_width(pdf, line), indent=line.indent
        )
        if line.indent > INDENT and pdf.page_no() == line_page:  # the evidence quote bar
            pdf.set_draw_color(*rgb(RULE))
            pdf.set_line_width(0.8)
            pdf.line(x + INDENT + 0.6, line_top, x + INDENT + 0.6, pdf.get_y())
        pdf.ln(line.space_after)
    pdf.ln(2)
    pdf.set_draw_color(*rgb(RULE))
    pdf.set_line_width(0.2)
    pdf.line(x, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(3)


def _factors(pdf: ReportCanvas, document: DocumentReport) -> None:
    rows = [(c.category, c.score, f) for c in document.risk.categories for f in c.factors]
    if not rows:
        return
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.serif(10, emphasis="B")
    pdf.cell(0, 6, "How the risk score was computed", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.style(7.4)
    with _house_table(
        pdf,
        6.8,
        col_widths=(24, 44, 14, 96),
        text_align=("LEFT", "LEFT", "RIGHT", "LEFT"),
        line_height=3.8,
        padding=(0.9, 1.2),
    ) as table:
        table.row(["Category", "Factor", "Points", "Detail"])
        previous = ""
        for category, score, factor in rows:
            shown = f"{category.capitalize()} {score}" if category != previous else ""
            previous = category
            table.row(
                [shown, pdf.clean(factor.label), f"+{factor.points:.1f}", pdf.clean(factor.detail)]
            )
    pdf.style(7.4, colour=MUTED)
    terms = " + ".join(f"{c.category} {c.score} x {c.weight:g}" for c in document.risk.categories)
    pdf.ln(1)
    pdf.paragraph(f"Overall risk {document.risk.score} = {terms}.", height=3.8)
    pdf.ln(2)


def _colophon(pdf: ReportCanvas, report: ReportData) -> None:
    if pdf.get_y() > pdf.h - 40:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_draw_color(*rgb(RULE))
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2)
    pdf.style(7.6, colour=MUTED)
    pdf.paragraph(
        f"Computed on rulebook {report.rulebook_name} {report.rulebook_version} and knowledge "
        f"base {report.knowledge_version}, {view.format_timestamp(report.generated_at)}. "
        "Compliance score = max(0, 100 − 5 × sum of severity weights; critical 10, high 5, "
        "medium 2, low 1): 90 or more compliant, 70 or more needs attention. Risk = 0.4 × "
        "regulatory + 0.3 × financial + 0.2 × operational + 0.1 × reputational: 70 or more "
        "high, 40 or more medium. Every finding quotes the exact text of the cited page, "
        "sheet or row.",
        height=3.8,
    )

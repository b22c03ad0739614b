"""Files an analyst would attach: a short investor letter (PDF) and a branch cash ledger (CSV)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

PDF_PAGES = (
    "Brightline Capital - Investor Letter Q2 2024\n"
    "Our flagship fund offers guaranteed returns of 12% per year with no risk to principal.\n"
    "Investors may redeem quarterly.",
    "Related-party transactions\n"
    "During the quarter the company paid $2.4 million to a supplier owned by the CEO's "
    "brother. <img src=x onerror=alert(1)> The board approved the payment.",
)
LEDGER = (
    "date,party,type,amount,currency,country,memo\n"
    "2024-03-01,Harbor Imports LLC,cash deposit,9500.00,USD,US,counter deposit\n"
    "2024-03-02,Harbor Imports LLC,cash deposit,9400.00,USD,US,counter deposit\n"
    "2024-03-03,Harbor Imports LLC,cash deposit,9800.00,USD,US,counter deposit\n"
    "2024-03-05,Northwind Trading,wire out,250000.00,USD,IR,consulting fee\n"
    "2024-03-09,Acme Office Supply,card payment,120.50,USD,US,stationery\n"
)


def write_pdf(path: Path, pages: tuple[str, ...] = PDF_PAGES) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path

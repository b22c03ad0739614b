"""Fixtures of the chat tests: generated files an analyst would attach."""

from __future__ import annotations

from pathlib import Path

import pytest
from chat_samples import LEDGER, write_pdf


@pytest.fixture
def filing_pdf(tmp_path: Path) -> Path:
    return write_pdf(tmp_path / "brightline_letter_q2.pdf")


@pytest.fixture
def cash_ledger(tmp_path: Path) -> Path:
    path = tmp_path / "branch_cash_ledger.csv"
    path.write_text(LEDGER, encoding="utf-8")
    return path

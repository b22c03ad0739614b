"""Where the shared labelled corpus and real filings live (beside the repository)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"
FINANCEBENCH_DIR = SHARED_DIR / "data" / "financebench-dev"
COMPLIANCE_DIR = SHARED_DIR / "corpus" / "compliance-dev"


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or a clean skip that says what is missing (a failure in CI)."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists() and os.environ.get("CI") == "true":
        pytest.fail(f"CI needs the shared data: {path} is missing (clone it beside the repo)")
    if not path.exists():
        pytest.skip(f"shared data not available: {path} (clone the project beside ../shared)")
    return path

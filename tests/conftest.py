"""Shared fixtures: every test gets its own data dir; shared data is found relative to the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

from quorum.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a fresh data dir, ignoring any developer `.env`."""
    return Settings(_env_file=None, data_dir=tmp_path / "data")  # type: ignore[call-arg]

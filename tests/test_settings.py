"""Settings are read at the edge and refuse to leak secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from quorum.settings import Settings


def test_defaults_are_local_and_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("QUORUM_DATA_DIR", "DATABASE_URL", "OPENAI_API_KEY", "QUORUM_LLM_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.llm_provider == "offline"
    assert settings.data_dir == tmp_path / "data"
    assert settings.resolved_database_url.startswith("sqlite+aiosqlite:///")
    assert settings.max_upload_bytes == 50 * 1024 * 1024


def test_environment_and_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("QUORUM_MAX_UPLOAD_MB=7\nOPENAI_API_KEY=sk-test-secret\n")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://u:p@localhost/q")
    settings = Settings()
    assert settings.max_upload_bytes == 7 * 1024 * 1024
    assert settings.resolved_database_url == "postgresql+asyncpg://u:p@localhost/q"
    assert "sk-test-secret" not in repr(settings)
    config = settings.knowledge_config()
    assert config.data_dir.is_absolute()
    assert "sk-test-secret" not in repr(config)

"""`quorum serve` prepares a Chainlit app folder per data dir and refuses unsafe binds."""

from __future__ import annotations

import stat
from pathlib import Path

from typer.testing import CliRunner

from quorum.cli import app
from quorum.cli.serve_command import PROJECT_ROOT, auth_secret, prepare_app_root
from quorum.settings import Settings


def test_the_app_folder_links_the_project_files_and_is_idempotent(settings: Settings) -> None:
    root = prepare_app_root(settings)
    assert root == settings.data_dir / "ui"
    for name in (".chainlit", "public", "chainlit.md"):
        assert (root / name).resolve() == (PROJECT_ROOT / name).resolve()
    assert prepare_app_root(settings) == root


def test_the_login_secret_is_made_once_and_private(settings: Settings) -> None:
    first = auth_secret(settings)
    assert len(first) >= 40
    assert auth_secret(settings) == first
    mode = (settings.data_dir / ".auth_secret").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_a_configured_secret_wins(tmp_path: Path) -> None:
    configured = Settings(_env_file=None, data_dir=tmp_path, auth_secret="s" * 48)
    assert auth_secret(configured) == "s" * 48
    assert not (tmp_path / ".auth_secret").exists()


def test_serving_beyond_localhost_needs_login(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["--data-dir", str(tmp_path), "serve", "--host", "0.0.0.0"],
        env={"QUORUM_AUTH": "none"},
    )
    assert result.exit_code == 2
    assert "without login" in result.output


def test_hash_password_prints_a_verifiable_hash() -> None:
    from chat.passwords import verify_password

    result = CliRunner().invoke(app, ["hash-password", "--password", "pw-1"])
    assert result.exit_code == 0
    assert verify_password("pw-1", result.output.strip())

"""`quorum serve`: the chat UI (Chainlit) on http://127.0.0.1:8000, and `quorum hash-password`.

Chainlit reads its own settings from the environment and from an app folder
(`.chainlit/config.toml`, `chainlit.md`, `public/`), and keeps session uploads in that
folder's `.files`, which it deletes on exit. Each data dir therefore gets its own app
folder linking to the project's files, so two servers never share (or delete) uploads.
"""

from __future__ import annotations

import getpass
import ipaddress
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chat.passwords import hash_password
from quorum.cli.main import app, settings_of
from quorum.cli.running import fail

if TYPE_CHECKING:  # pydantic-settings is slow to import: `--help` never needs it
    from quorum.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
APP_MODULE = PROJECT_ROOT / "chat" / "app.py"
SHARED_APP_FILES = (".chainlit", "public", "chainlit.md")
SECRET_FILE = ".auth_secret"


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default 8000).")] = None,
) -> None:
    """Start the chat room in the browser: upload files, talk to the team."""
    settings = settings_of(ctx)
    host = host or settings.host
    port = port or settings.port
    if not _is_loopback(host) and settings.auth != "password":
        fail(f"refusing to serve on {host} without login: set QUORUM_AUTH=password", code=2)
    app_root = prepare_app_root(settings)
    os.environ.update(
        {
            "CHAINLIT_APP_ROOT": str(app_root),
            "CHAINLIT_HOST": host,
            "CHAINLIT_PORT": str(port),
            "CHAINLIT_AUTH_SECRET": auth_secret(settings),
        }
    )
    typer.echo(f"Quorum chat on http://{host}:{port} (data in {settings.data_dir})", err=True)
    _run_chainlit(settings)


def _run_chainlit(settings: Settings) -> None:
    # Chainlit reads CHAINLIT_APP_ROOT when it is first imported: import it only now.
    from chainlit.cli import run_chainlit
    from chainlit.config import config

    from chat.runtime import configure

    configure(settings)
    config.run.headless = True
    run_chainlit(str(APP_MODULE))


def prepare_app_root(settings: Settings) -> Path:
    """`<data dir>/ui`: links to the project's Chainlit files, and its own `.files`."""
    root = settings.data_dir / "ui"
    root.mkdir(parents=True, exist_ok=True)
    for name in SHARED_APP_FILES:
        link, target = root / name, PROJECT_ROOT / name
        if link.is_symlink() and link.resolve() == target.resolve():
            continue
        if link.is_symlink() or link.is_file():
            link.unlink()
        if not link.exists():
            link.symlink_to(target, target_is_directory=target.is_dir())
    return root


def auth_secret(settings: Settings) -> str:
    """The secret that signs login cookies: from the settings, else one kept in the data dir."""
    if settings.auth_secret is not None:
        return settings.auth_secret.get_secret_value()
    path = settings.data_dir / SECRET_FILE
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Written whole, then linked into place: of several servers starting together on one
    # data dir exactly one secret wins, and nobody reads a half-written file.
    temporary = path.with_name(f"{SECRET_FILE}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48))
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another server was first: use its secret
    finally:
        temporary.unlink()
    return path.read_text(encoding="utf-8").strip()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command("hash-password")
def hash_password_command(
    password: Annotated[
        str | None,
        typer.Option(help="The password (prompted when omitted, which keeps it out of history)."),
    ] = None,
) -> None:
    """Print a password hash for QUORUM_USERS (login mode)."""
    secret = password if password is not None else getpass.getpass("password: ")
    if not secret:
        fail("the password is empty", code=2)
    typer.echo(hash_password(secret))

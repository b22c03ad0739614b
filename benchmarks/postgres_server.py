"""A throw-away PostgreSQL server for the tests and the load benchmark.

Debian's `postgresql` package (installed by `.ci/run`) provides `initdb` and `pg_ctl`; the
server runs from a temporary directory on a free port of 127.0.0.1, with trust
authentication for local TCP only and durability switched off (nothing in it outlives the
run). PostgreSQL refuses to run as root, so as root it runs as a dedicated system user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import asyncpg

SERVICE_USER = "quorum-pg"
SUPERUSER = "quorum"
START_TIMEOUT_S = 60


class PostgresUnavailable(RuntimeError):
    """The server cannot be started here; the message says why."""


@dataclass(frozen=True)
class PostgresServer:
    """A running server: where it listens and how to stop it."""

    port: int
    root: Path
    bin_dir: Path
    run_as: str | None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+asyncpg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str = "postgres") -> str:
        """A plain libpq/asyncpg DSN (no SQLAlchemy driver prefix)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    async def execute(self, statement: str) -> None:
        """One statement as the superuser, outside any transaction (CREATE/DROP DATABASE)."""
        connection = await asyncpg.connect(self.dsn())
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    async def create_database(self, *, template: str | None = None, prefix: str = "quorum") -> str:
        """A new empty database (or a copy of `template`); returns its name."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        copied = f' TEMPLATE "{template}"' if template else ""
        await self.execute(f'CREATE DATABASE "{name}"{copied}')
        return name

    async def drop_database(self, name: str) -> None:
        await self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        _run(self, [str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"),
                    "-m", "immediate", "-w", "stop"], check=False)  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)


def find_bin_dir() -> Path:
    """The directory with `initdb` and `pg_ctl`: on PATH, else Debian's versioned folder."""
    on_path = shutil.which("initdb")
    if on_path and (Path(on_path).resolve().parent / "pg_ctl").exists():
        return Path(on_path).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if not candidates:
        raise PostgresUnavailable(
            "PostgreSQL is not installed (initdb not found): `apt-get install postgresql`"
        )
    return Path(candidates[0]).parent


def _service_user() -> str | None:
    """None when not root; as root, the dedicated system user (created when missing)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        created = subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
             SERVICE_USER], capture_output=True, text=True, check=False,
        )  # fmt: skip
        if created.returncode != 0:
            raise PostgresUnavailable(
                f"cannot create the {SERVICE_USER} user: {created.stderr.strip()}"
            ) from None
    return SERVICE_USER


def _run(
    server: PostgresServer | None, argv: list[str], *, run_as: str | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    user = server.run_as if server is not None else run_as
    done = subprocess.run(
        argv, user=user, capture_output=True, text=True, check=False, cwd="/",
        timeout=START_TIMEOUT_S, env={**os.environ, "LC_ALL": "C.UTF-8"},
    )  # fmt: skip
    if check and done.returncode != 0:
        raise PostgresUnavailable(
            f"{Path(argv[0]).name} failed: {(done.stderr or done.stdout).strip()[-500:]}"
        )
    return done


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_postgres() -> PostgresServer:
    """initdb + pg_ctl start in a fresh temporary directory; raises `PostgresUnavailable`."""
    bin_dir = find_bin_dir()
    run_as = _service_user()
    root = Path(tempfile.mkdtemp(prefix="quorum-pg-"))
    if run_as is not None:
        account = pwd.getpwnam(run_as)
        os.chown(root, account.pw_uid, account.pw_gid)
    data = root / "data"
    try:
        _run(None, [str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER,
                    "--auth=trust", "-E", "UTF8", "--no-sync"], run_as=run_as)  # fmt: skip
        return _start(bin_dir, root, run_as)
    except (PostgresUnavailable, OSError, subprocess.TimeoutExpired) as error:
        shutil.rmtree(root, ignore_errors=True)
        if isinstance(error, PostgresUnavailable):
            raise
        raise PostgresUnavailable(f"cannot start PostgreSQL: {error}") from error


def _start(bin_dir: Path, root: Path, run_as: str | None) -> PostgresServer:
    options = (
        "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB "
        f"-k {root}"
    )
    last_error = ""
    for _ in range(3):  # the free port may be taken between the probe and the start
        server = PostgresServer(_free_port(), root, bin_dir, run_as)
        started = _run(server, [str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-l",
                                str(root / "server.log"), "-w", "-t", str(START_TIMEOUT_S),
                                "-o", f"-p {server.port} {options}", "start"],
                       check=False)  # fmt: skip
        if started.returncode == 0:
            return server
        last_error = (root / "server.log").read_text(errors="replace")[-500:]
    raise PostgresUnavailable(f"pg_ctl start failed: {last_error.strip()}")

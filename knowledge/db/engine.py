"""The async engine, its session factory and schema migration at start-up."""

from __future__ import annotations

import asyncio
import fcntl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from knowledge.db.revisions import code_heads

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# pg_advisory_xact_lock key held while migrating ("quorum" in ASCII), one migrator at a time.
MIGRATION_LOCK_KEY = 0x71756F72756D
# PostgreSQL connections kept open per process. SQLAlchemy's default (5, overflow 10) closes
# every connection beyond the fifth when it is returned, so ten users at once open and
# close connections all the time (each a TCP and TLS attempt, a login and type lookups).
# Two processes stay well under the server's default max_connections (100).
PG_POOL_SIZE = 20
PG_MAX_OVERFLOW = 10


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Cascading deletes need foreign keys on; WAL lets the UI read while the CLI writes."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config built in code, so migrations run from an installed package."""
    from alembic.config import Config  # only when migrating: importing Alembic is slow

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


class Database:
    """One engine per process for a database URL; migrations are applied by `migrate`."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        if url.startswith("sqlite"):
            Path(url.split("///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
        pooling: dict[str, Any] = {}
        if url.startswith("postgresql"):
            pooling = {"pool_size": PG_POOL_SIZE, "max_overflow": PG_MAX_OVERFLOW}
        self.engine: AsyncEngine = create_async_engine(url, echo=echo, **pooling)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False
        )
        self._migrated = asyncio.Lock()
        self._is_migrated = False

    async def migrate(self) -> None:
        """Bring the schema to the newest revisions (idempotent, once per process).

        Several processes may start at once on one database (two `quorum serve`): they
        take turns, so the second finds the schema at head instead of racing the first.
        "heads", not "head": branches developed in parallel may each add a revision on the
        same parent, and every one of them must be applied.
        """
        async with self._migrated:
            if self._is_migrated:
                return
            if await self._at_heads():
                self._is_migrated = True
                return
            from alembic import command  # only when migrating: importing Alembic is slow

            async with self._between_processes(), self.engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    await connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                    )
                await connection.run_sync(
                    lambda sync: command.upgrade(alembic_config(sync), "heads")
                )
            self._is_migrated = True

    async def _at_heads(self) -> bool:
        """Is the schema already at this code's heads? (A read; False when unsure.)"""
        heads = code_heads(MIGRATIONS_DIR / "versions")
        if heads is None:
            return False
        try:
            async with self.engine.connect() as connection:
                rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
                return frozenset(row[0] for row in rows) == heads
        except DBAPIError:  # no alembic_version table yet: a new database
            return False

    @asynccontextmanager
    async def _between_processes(self) -> AsyncIterator[None]:
        """A file lock beside a SQLite database (PostgreSQL uses an advisory lock)."""
        if self.engine.dialect.name != "sqlite":
            yield
            return
        lock_path = Path(self.url.split("///", 1)[1] + ".migrate.lock")
        handle = await asyncio.to_thread(lock_path.open, "a")
        try:
            await asyncio.to_thread(fcntl.flock, handle, fcntl.LOCK_EX)
            yield
        finally:
            handle.close()  # closing releases the lock

    async def dispose(self) -> None:
        await self.engine.dispose()

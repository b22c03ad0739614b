"""Shared fixtures: every test gets its own data dir; shared data is found relative to the repo.

SQL backends. A test that asks for `database_url`, `database` or `backend_settings` (or the
module-scoped `module_database_url`) runs twice, once on SQLite and once on a real
PostgreSQL server started for the session, with ids `[sqlite]` and `[postgresql]`
(`pytest -k postgresql` runs that half). Each test gets a database of its own. Outside CI
the PostgreSQL half is skipped, with the reason, when no server can be started; with
`CI=true` that is a failure.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from benchmarks.postgres_server import (
    PostgresServer,
    PostgresUnavailable,
    start_postgres,
)
from knowledge.db import Database
from quorum.settings import Settings

SQL_BACKENDS = ("sqlite", "postgresql")
MIGRATED_TEMPLATE = "quorum_migrated"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a fresh data dir, ignoring any developer `.env`."""
    return Settings(_env_file=None, data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole session, with a migrated template database."""
    try:
        server = start_postgres()
    except PostgresUnavailable as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the PostgreSQL half of the suite: {error}")
        pytest.skip(f"PostgreSQL half skipped: {error}")
    try:
        asyncio.run(_create_migrated_template(server))
        yield server
    finally:
        server.stop()


async def _create_migrated_template(server: PostgresServer) -> None:
    await server.execute(f'CREATE DATABASE "{MIGRATED_TEMPLATE}"')
    database = Database(server.url(MIGRATED_TEMPLATE))
    try:
        await database.migrate()
    finally:
        await database.dispose()


@pytest.fixture(params=SQL_BACKENDS)
def sql_backend(request: pytest.FixtureRequest) -> str:
    """Which SQL backend this run of the test uses."""
    return str(request.param)


def _server_for(backend: str, request: pytest.FixtureRequest) -> PostgresServer | None:
    """The session's server for the PostgreSQL runs (started outside any event loop)."""
    if backend == "sqlite":
        return None
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server


@pytest.fixture
def sql_server(sql_backend: str, request: pytest.FixtureRequest) -> PostgresServer | None:
    return _server_for(sql_backend, request)


@pytest_asyncio.fixture
async def empty_database_url(
    sql_server: PostgresServer | None, tmp_path: Path
) -> AsyncIterator[str]:
    """An empty database on each backend (for tests of the migrations themselves)."""
    async for url in _database_url(sql_server, tmp_path, migrated=False):
        yield url


@pytest_asyncio.fixture
async def database_url(sql_server: PostgresServer | None, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh database on each backend (PostgreSQL's are copied from a migrated template;
    whoever opens it migrates, as the application does)."""
    async for url in _database_url(sql_server, tmp_path, migrated=True):
        yield url


async def _database_url(
    server: PostgresServer | None, root: Path, *, migrated: bool
) -> AsyncIterator[str]:
    if server is None:
        yield f"sqlite+aiosqlite:///{root / 'sql' / 'quorum.sqlite3'}"
        return
    name = await server.create_database(
        template=MIGRATED_TEMPLATE if migrated else None, prefix="test"
    )
    try:
        yield server.url(name)
    finally:
        await server.drop_database(name)


@pytest_asyncio.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """The migrated database of this run's backend, as the application opens it."""
    database = Database(database_url)
    await database.migrate()
    yield database
    await database.dispose()


@pytest.fixture
def backend_settings(tmp_path: Path, database_url: str, sql_backend: str) -> Settings:
    """Settings on a fresh data dir and this run's backend (SQLite in the data dir, as shipped)."""
    url = None if sql_backend == "sqlite" else database_url
    return Settings(_env_file=None, data_dir=tmp_path / "data", database_url=url)


@pytest.fixture(scope="module", params=SQL_BACKENDS)
def module_sql_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def module_sql_server(
    module_sql_backend: str, request: pytest.FixtureRequest
) -> PostgresServer | None:
    return _server_for(module_sql_backend, request)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_database_url(
    module_sql_backend: str,
    module_sql_server: PostgresServer | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[str]:
    """Like `database_url`, shared by the tests of one module (for module-scoped services)."""
    root = tmp_path_factory.mktemp(f"sql-{module_sql_backend}")
    async for url in _database_url(module_sql_server, root, migrated=True):
        yield url

"""The schema is created by the Alembic migrations at start-up, on SQLite and PostgreSQL,
and comes out the same on both, table by table, and the same as the models."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

import knowledge.db.agent_models
import knowledge.db.chat_models
import knowledge.db.compliance_models
import knowledge.db.models  # noqa: F401  (the four model modules register every table)
from benchmarks.postgres_server import PostgresServer
from knowledge.db import Base, Database
from knowledge.db.engine import MIGRATIONS_DIR
from knowledge.db.revisions import code_heads

KNOWLEDGE_TABLES = {"documents", "document_pages", "ledger_rows", "ingestion_events"}


async def _tables(database: Database) -> list[str]:
    async with database.engine.connect() as connection:
        return await connection.run_sync(lambda sync: inspect(sync).get_table_names())


async def test_migrations_create_the_tables_and_are_idempotent(empty_database_url: str) -> None:
    for _ in range(2):  # a second start finds the schema at head and changes nothing
        database = Database(empty_database_url)
        await database.migrate()
        tables = await _tables(database)
        await database.dispose()
    assert set(tables) >= KNOWLEDGE_TABLES
    assert set(tables) >= {"rules", "findings", "team_states", "threads", "steps"}
    assert "alembic_version" in tables


async def test_the_migrated_schema_matches_the_models(empty_database_url: str) -> None:
    """What Alembic's autogenerate would add: nothing, or a migration is missing."""
    database = Database(empty_database_url)
    await database.migrate()

    def differences(sync: Connection) -> list[Any]:
        return list(compare_metadata(MigrationContext.configure(sync), Base.metadata))

    async with database.engine.connect() as connection:
        found = await connection.run_sync(differences)
    await database.dispose()
    assert found == []


def _schema(sync: Connection) -> dict[str, dict[str, Any]]:
    """Per table: columns (nullability, generic type), keys, indexes and unique constraints."""
    inspector = inspect(sync)
    schema: dict[str, dict[str, Any]] = {}
    for table in sorted(inspector.get_table_names()):
        columns = {
            c["name"]: (c["nullable"], type(c["type"]._type_affinity).__name__)
            for c in inspector.get_columns(table)
        }
        schema[table] = {
            "columns": columns,
            "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign keys": sorted(_foreign_key(fk) for fk in inspector.get_foreign_keys(table)),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
                if not i.get("duplicates_constraint")  # PostgreSQL lists unique keys twice
            ),
            "unique": sorted(
                tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
            ),
        }
    return schema


def _foreign_key(fk: Any) -> tuple[Any, ...]:
    ondelete = (fk.get("options") or {}).get("ondelete")
    columns = (tuple(fk["constrained_columns"]), tuple(fk["referred_columns"]))
    return (*columns, fk["referred_table"], ondelete)


async def _migrated_schema(url: str) -> dict[str, dict[str, Any]]:
    database = Database(url)
    await database.migrate()
    async with database.engine.connect() as connection:
        schema = await connection.run_sync(_schema)
    await database.dispose()
    return schema


async def test_sqlite_and_postgresql_get_the_same_schema_table_by_table(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    name = await postgres_server.create_database(prefix="test")
    try:
        on_postgres = await _migrated_schema(postgres_server.url(name))
    finally:
        await postgres_server.drop_database(name)
    on_sqlite = await _migrated_schema(f"sqlite+aiosqlite:///{tmp_path / 'q.sqlite3'}")
    assert sorted(on_sqlite) == sorted(on_postgres)
    for table in on_sqlite:
        assert on_sqlite[table] == on_postgres[table], table


async def test_processes_starting_together_migrate_once(empty_database_url: str) -> None:
    """Two `quorum serve` started at once on a new database: one migrates, the other waits."""
    databases = [Database(empty_database_url) for _ in range(2)]
    await asyncio.gather(*(database.migrate() for database in databases))
    tables = await _tables(databases[0])
    for database in databases:
        await database.dispose()
    assert set(tables) >= KNOWLEDGE_TABLES


def test_the_heads_read_without_alembic_are_alembics() -> None:
    """The start-up check reads the revision files itself; it must agree with Alembic (a
    revision file that computes its revision or parent would make it fall back)."""
    from alembic.script import ScriptDirectory

    versions = MIGRATIONS_DIR / "versions"
    assert code_heads(versions) == frozenset(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())


def test_a_database_at_head_opens_without_importing_alembic(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'q.sqlite3'}"
    probe = (
        "import asyncio, sys\nfrom knowledge.db import Database\n"
        "async def main():\n"
        f"    database = Database({url!r})\n"
        "    await database.migrate()\n"
        "    await database.dispose()\n"
        "asyncio.run(main())\n"
        "print('alembic' in sys.modules)"
    )
    run = [sys.executable, "-c", probe]
    first = subprocess.run(run, capture_output=True, text=True, timeout=300, check=True)
    again = subprocess.run(run, capture_output=True, text=True, timeout=300, check=True)
    assert (first.stdout.strip(), again.stdout.strip()) == ("True", "False")

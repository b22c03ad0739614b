"""The schema is created by the Alembic migrations at start-up, on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from knowledge.db import Database


async def test_migrations_create_the_knowledge_tables_and_are_idempotent(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'q.sqlite3'}"
    for _ in range(2):  # a second start finds the schema at head and changes nothing
        database = Database(url)
        await database.migrate()
        async with database.engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        await database.dispose()
    assert {"documents", "document_pages", "ledger_rows", "ingestion_events"} <= set(tables)
    assert "alembic_version" in tables

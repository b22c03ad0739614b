"""Autogenerate the next Alembic migration from the models.

Usage: .venv/bin/python scripts/new_migration.py REV_ID "message"
(REV_ID like 0003_agents). Runs the existing migrations on a scratch SQLite file first,
then diffs the models against it. Review and tidy the generated file before committing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from knowledge.db.engine import alembic_config


def main() -> None:
    rev_id, message = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'scratch.sqlite3'}")
        with engine.begin() as connection:
            config = alembic_config(connection)
            command.upgrade(config, "head")
            command.revision(config, message=message, autogenerate=True, rev_id=rev_id)


if __name__ == "__main__":
    main()

"""chat JSON columns as text on PostgreSQL too (Chainlit reads them back as strings)

Revision ID: 0005_chat_json_as_text
Revises: 0004_chat
Create Date: 2026-12-03 08:00:00

Chainlit 2.12 `json.loads` element props without checking their type and filters step
metadata with LIKE, both of which fail on JSONB. SQLite already stores these as text.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_chat_json_as_text"
down_revision = "0004_chat"
branch_labels = None
depends_on = None

JSON_COLUMNS = (
    ("users", "metadata"),
    ("threads", "metadata"),
    ("steps", "metadata"),
    ("steps", "modes"),
    ("steps", "generation"),
    ("elements", "props"),
    ("elements", "playerConfig"),
)


def _retype(to: sa.types.TypeEngine[Any], using: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: these columns were text from the start
    op.alter_column("elements", "props", server_default=None)
    for table, column in JSON_COLUMNS:
        op.alter_column(table, column, type_=to, postgresql_using=f'"{column}"::{using}')
    op.alter_column("elements", "props", server_default=sa.text("'{}'"))


def upgrade() -> None:
    _retype(sa.Text(), "text")


def downgrade() -> None:
    _retype(postgresql.JSONB(astext_type=sa.Text()), "jsonb")

"""documents carry their metadata and the message they came with; pages their OCR confidence

Revision ID: 0006_file_kinds
Revises: 0005_chat_json_as_text
Create Date: 2026-12-03 07:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_file_kinds"
down_revision = "0005_chat_json_as_text"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("parent_id", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("meta", sa.JSON(), nullable=True))
        batch.create_index("ix_documents_parent_id", ["parent_id"])
    with op.batch_alter_table("document_pages") as batch:
        batch.add_column(sa.Column("ocr_confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document_pages") as batch:
        batch.drop_column("ocr_confidence")
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_parent_id")
        batch.drop_column("meta")
        batch.drop_column("parent_id")

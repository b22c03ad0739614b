"""rule outcomes per analysis; findings record their source, table reading and dispute

Revision ID: 0008_rule_outcomes
Revises: 0007_review
Create Date: 2026-12-03 12:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_rule_outcomes"
down_revision = "0007_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rule_checks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("analysis_id", sa.String(length=32), nullable=False),
        sa.Column("rule_id", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["analysis_id"],
            ["analyses.id"],
            name=op.f("fk_rule_checks_analysis_id_analyses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_checks")),
    )
    with op.batch_alter_table("rule_checks") as batch:
        batch.create_index(batch.f("ix_rule_checks_analysis_id"), ["analysis_id"], unique=False)
    # Analyses and findings stored before this revision were all found by rules.
    with op.batch_alter_table("analyses") as batch:
        batch.add_column(sa.Column("model_reader", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("findings") as batch:
        batch.add_column(
            sa.Column("source", sa.String(length=16), nullable=False, server_default="rule")
        )
        batch.add_column(sa.Column("reading", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("disputed", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("disputed")
        batch.drop_column("reading")
        batch.drop_column("source")
    with op.batch_alter_table("analyses") as batch:
        batch.drop_column("model_reader")
    with op.batch_alter_table("rule_checks") as batch:
        batch.drop_index(batch.f("ix_rule_checks_analysis_id"))
    op.drop_table("rule_checks")

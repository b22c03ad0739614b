"""agent team state, audit and model usage

Revision ID: 0003_agents
Revises: 0002_compliance
Create Date: 2026-11-21 14:40:49.907957
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_agents"
# Once computed while 0002 and 0004 landed in parallel; the chain is settled now.
down_revision = "0002_compliance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agent_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("thread_id", sa.String(length=128), nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("tool_name", sa.String(length=128), nullable=True),
        sa.Column("call_id", sa.String(length=128), nullable=True),
        sa.Column("arguments", sa.JSON(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("is_error", sa.Boolean(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_audit")),
    )
    with op.batch_alter_table("agent_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agent_audit_owner"), ["owner"], unique=False)
        batch_op.create_index(
            "ix_agent_audit_thread_run", ["thread_id", "run_id", "seq"], unique=False
        )

    op.create_table(
        "model_usage",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("thread_id", sa.String(length=128), nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=False),
        sa.Column("agent", sa.String(length=64), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("model", sa.String(length=128), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Numeric(precision=12, scale=6), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("streamed", sa.Boolean(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_usage")),
    )
    with op.batch_alter_table("model_usage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_model_usage_owner"), ["owner"], unique=False)
        batch_op.create_index("ix_model_usage_thread_run", ["thread_id", "run_id"], unique=False)

    op.create_table(
        "team_states",
        sa.Column("thread_id", sa.String(length=128), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=False),
        sa.Column("brain", sa.String(length=128), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("thread_id", name=op.f("pk_team_states")),
    )
    with op.batch_alter_table("team_states", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_states_owner"), ["owner"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("team_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_states_owner"))
    op.drop_table("team_states")
    with op.batch_alter_table("model_usage", schema=None) as batch_op:
        batch_op.drop_index("ix_model_usage_thread_run")
        batch_op.drop_index(batch_op.f("ix_model_usage_owner"))
    op.drop_table("model_usage")
    with op.batch_alter_table("agent_audit", schema=None) as batch_op:
        batch_op.drop_index("ix_agent_audit_thread_run")
        batch_op.drop_index(batch_op.f("ix_agent_audit_owner"))
    op.drop_table("agent_audit")

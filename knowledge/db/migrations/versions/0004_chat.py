"""chat tables used by Chainlit 2.12's SQLAlchemy data layer

Revision ID: 0004_chat
Revises: 0003_agents
Create Date: 2026-11-21 14:34:24.543614
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004_chat"
down_revision = "0003_agents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("identifier", sa.String(length=256), nullable=False),
        sa.Column("createdAt", sa.String(length=64), nullable=True),
        sa.Column(
            "metadata",
            sa.Text().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("identifier", name=op.f("uq_users_identifier")),
    )
    op.create_table(
        "threads",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("createdAt", sa.String(length=64), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("userId", sa.String(length=64), nullable=True),
        sa.Column("userIdentifier", sa.String(length=256), nullable=True),
        sa.Column(
            "tags", sa.JSON().with_variant(postgresql.ARRAY(sa.Text()), "postgresql"), nullable=True
        ),
        sa.Column(
            "metadata",
            sa.Text().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["userId"], ["users.id"], name=op.f("fk_threads_userId_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_threads")),
    )
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_threads_userId"), ["userId"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_threads_userIdentifier"), ["userIdentifier"], unique=False
        )

    op.create_table(
        "elements",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("threadId", sa.String(length=64), nullable=True),
        sa.Column("type", sa.String(length=64), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("chainlitKey", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("display", sa.String(length=32), nullable=True),
        sa.Column("objectKey", sa.Text(), nullable=True),
        sa.Column("size", sa.String(length=32), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=64), nullable=True),
        sa.Column("forId", sa.String(length=64), nullable=True),
        sa.Column("mime", sa.String(length=256), nullable=True),
        sa.Column(
            "props",
            sa.Text().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("autoPlay", sa.Boolean(), nullable=True),
        sa.Column(
            "playerConfig",
            sa.Text().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["threadId"],
            ["threads.id"],
            name=op.f("fk_elements_threadId_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_elements")),
    )
    with op.batch_alter_table("elements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_elements_threadId"), ["threadId"], unique=False)

    op.create_table(
        "feedbacks",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("forId", sa.String(length=64), nullable=False),
        sa.Column("threadId", sa.String(length=64), nullable=True),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["threadId"],
            ["threads.id"],
            name=op.f("fk_feedbacks_threadId_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedbacks")),
    )
    with op.batch_alter_table("feedbacks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedbacks_forId"), ["forId"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedbacks_threadId"), ["threadId"], unique=False)

    op.create_table(
        "steps",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("threadId", sa.String(length=64), nullable=False),
        sa.Column("parentId", sa.String(length=64), nullable=True),
        sa.Column("streaming", sa.Boolean(), nullable=False),
        sa.Column("waitForAnswer", sa.Boolean(), nullable=True),
        sa.Column("isError", sa.Boolean(), nullable=True),
        sa.Column(
            "metadata",
            sa.Text().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "tags", sa.JSON().with_variant(postgresql.ARRAY(sa.Text()), "postgresql"), nullable=True
        ),
        sa.Column("input", sa.Text(), nullable=True),
        sa.Column("output", sa.Text(), nullable=True),
        sa.Column("createdAt", sa.String(length=64), nullable=True),
        sa.Column("command", sa.Text(), nullable=True),
        sa.Column(
            "modes",
            sa.Text().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("start", sa.String(length=64), nullable=True),
        sa.Column("end", sa.String(length=64), nullable=True),
        sa.Column(
            "generation",
            sa.Text().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("showInput", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=64), nullable=True),
        sa.Column("defaultOpen", sa.Boolean(), nullable=True),
        sa.Column("autoCollapse", sa.Boolean(), nullable=True),
        sa.Column("icon", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["threadId"], ["threads.id"], name=op.f("fk_steps_threadId_threads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_steps")),
    )
    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_steps_threadId"), ["threadId"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_steps_threadId"))

    op.drop_table("steps")
    with op.batch_alter_table("feedbacks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedbacks_threadId"))
        batch_op.drop_index(batch_op.f("ix_feedbacks_forId"))

    op.drop_table("feedbacks")
    with op.batch_alter_table("elements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_elements_threadId"))

    op.drop_table("elements")
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_threads_userIdentifier"))
        batch_op.drop_index(batch_op.f("ix_threads_userId"))

    op.drop_table("threads")
    op.drop_table("users")

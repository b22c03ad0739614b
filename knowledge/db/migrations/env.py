"""Alembic environment: runs on the connection handed over by `Database.migrate`."""

from __future__ import annotations

from alembic import context

import knowledge.db.agent_models  # team state, audit, model usage
import knowledge.db.chat_models  # Chainlit's tables
import knowledge.db.compliance_models  # rulebooks, rules, analyses, findings
import knowledge.db.models
import knowledge.db.review_models  # noqa: F401  (every module registers its tables)
from knowledge.db.base import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - migrations are always run through Database.migrate
    raise RuntimeError("run migrations through knowledge.db.Database.migrate()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()

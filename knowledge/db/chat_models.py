"""The tables Chainlit 2.12's SQLAlchemy data layer reads and writes (threads, steps, ...).

Chainlit creates no tables and its test schema is stale, so the project owns this schema
and migrates it with the rest. Column names are Chainlit's own (camelCase, quoted); the
columns are the ones `chainlit/data/sql_alchemy.py` really uses in 2.12. Chainlit writes
JSON as strings through plain SQL and reads it back as strings (it `json.loads` element
props unconditionally and matches step metadata with LIKE), so JSON columns are text on
every backend; list columns (tags) are arrays on PostgreSQL, as Chainlit binds Python
lists there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.db.base import Base

ID = String(64)
JsonText = Text()
TextList = JSON().with_variant(postgresql.ARRAY(Text()), "postgresql")


class ChatUser(Base):
    """A person who can log in (the single local user when login is off)."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    identifier: Mapped[str] = mapped_column(String(256), unique=True)
    created_at: Mapped[str | None] = mapped_column("createdAt", String(64), default=None)
    metadata_json: Mapped[str] = mapped_column("metadata", JsonText, default="{}")


class ChatThread(Base):
    """A conversation, owned by one user."""

    __tablename__ = "threads"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    created_at: Mapped[str | None] = mapped_column("createdAt", String(64), default=None)
    name: Mapped[str | None] = mapped_column(Text, default=None)
    user_id: Mapped[str | None] = mapped_column(
        "userId", ForeignKey("users.id", ondelete="CASCADE"), index=True, default=None
    )
    user_identifier: Mapped[str | None] = mapped_column(
        "userIdentifier", String(256), index=True, default=None
    )
    tags: Mapped[Any] = mapped_column(TextList, nullable=True, default=None)
    metadata_json: Mapped[str | None] = mapped_column("metadata", JsonText, default=None)


class ChatStep(Base):
    """A message, a tool call or a run: everything shown in a thread."""

    __tablename__ = "steps"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(64))
    thread_id: Mapped[str] = mapped_column(
        "threadId", ForeignKey("threads.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[str | None] = mapped_column("parentId", ID, default=None)
    streaming: Mapped[bool] = mapped_column(Boolean, default=False)
    wait_for_answer: Mapped[bool | None] = mapped_column("waitForAnswer", Boolean, default=None)
    is_error: Mapped[bool | None] = mapped_column("isError", Boolean, default=None)
    metadata_json: Mapped[str | None] = mapped_column("metadata", JsonText, default=None)
    tags: Mapped[Any] = mapped_column(TextList, nullable=True, default=None)
    input: Mapped[str | None] = mapped_column(Text, default=None)
    output: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[str | None] = mapped_column("createdAt", String(64), default=None)
    command: Mapped[str | None] = mapped_column(Text, default=None)
    modes: Mapped[str | None] = mapped_column(JsonText, default=None)
    start: Mapped[str | None] = mapped_column(String(64), default=None)
    end: Mapped[str | None] = mapped_column(String(64), default=None)
    generation: Mapped[str | None] = mapped_column(JsonText, default=None)
    show_input: Mapped[str | None] = mapped_column("showInput", Text, default=None)
    language: Mapped[str | None] = mapped_column(String(64), default=None)
    default_open: Mapped[bool | None] = mapped_column("defaultOpen", Boolean, default=None)
    auto_collapse: Mapped[bool | None] = mapped_column("autoCollapse", Boolean, default=None)
    icon: Mapped[str | None] = mapped_column(Text, default=None)


class ChatElement(Base):
    """A file, PDF, chart or text attached to a step; bytes live in the storage client."""

    __tablename__ = "elements"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    thread_id: Mapped[str | None] = mapped_column(
        "threadId", ForeignKey("threads.id", ondelete="CASCADE"), index=True, default=None
    )
    type: Mapped[str | None] = mapped_column(String(64), default=None)
    url: Mapped[str | None] = mapped_column(Text, default=None)
    chainlit_key: Mapped[str | None] = mapped_column("chainlitKey", Text, default=None)
    name: Mapped[str] = mapped_column(Text)
    display: Mapped[str | None] = mapped_column(String(32), default=None)
    object_key: Mapped[str | None] = mapped_column("objectKey", Text, default=None)
    size: Mapped[str | None] = mapped_column(String(32), default=None)
    page: Mapped[int | None] = mapped_column(Integer, default=None)
    language: Mapped[str | None] = mapped_column(String(64), default=None)
    for_id: Mapped[str | None] = mapped_column("forId", ID, default=None)
    mime: Mapped[str | None] = mapped_column(String(256), default=None)
    # Chainlit's get_element json-decodes props unconditionally: never NULL.
    props: Mapped[str] = mapped_column(JsonText, server_default=text("'{}'"))
    auto_play: Mapped[bool | None] = mapped_column("autoPlay", Boolean, default=None)
    player_config: Mapped[str | None] = mapped_column("playerConfig", JsonText, default=None)


class ChatFeedback(Base):
    """A thumbs up or down on a step."""

    __tablename__ = "feedbacks"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    for_id: Mapped[str] = mapped_column("forId", ID, index=True)
    thread_id: Mapped[str | None] = mapped_column(
        "threadId", ForeignKey("threads.id", ondelete="CASCADE"), index=True, default=None
    )
    value: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text, default=None)

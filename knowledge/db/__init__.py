"""SQL records of Quorum: SQLAlchemy 2 async models, the engine and Alembic migrations."""

from knowledge.db.base import Base
from knowledge.db.engine import Database

__all__ = ["Base", "Database"]

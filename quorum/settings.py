"""The one settings object of Quorum.

Built only at the entry points (the CLI, the Chainlit app, the tests) and turned into
small frozen config objects for the layers below, which never read the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from agents.config import BrainConfig
from knowledge.config import EmbeddingConfig, KnowledgeConfig
from tools.review.roles import Role

DEFAULT_UPLOAD_TYPES: tuple[str, ...] = (
    ".pdf", ".docx", ".xlsx", ".csv", ".txt", ".md", ".html", ".htm", ".xhtml", ".eml",
    ".msg", ".png", ".jpg", ".jpeg", ".tif", ".tiff",
)  # fmt: skip


class Settings(BaseSettings):
    """Everything a deployment can change, from `QUORUM_*` variables or a `.env` file."""

    model_config = SettingsConfigDict(
        env_prefix="QUORUM_", env_file=".env", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Field(
        default=Path("data"), description="Where SQLite, LanceDB and files live."
    )
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("QUORUM_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy async URL; defaults to SQLite under the data dir.",
    )
    lancedb_uri: str | None = Field(
        default=None,
        description="LanceDB on object storage (s3://bucket/path); defaults to the data dir.",
    )
    max_upload_mb: int = Field(default=50, ge=1, le=2048)
    upload_types: tuple[str, ...] = DEFAULT_UPLOAD_TYPES

    embedding_provider: Literal["local", "openai"] = "local"
    embedding_model: str = "all-MiniLM-L6-v2"
    embedding_base_url: str | None = None
    model_cache_dir: Path = Field(
        default_factory=lambda: Path.home() / ".cache" / "quorum",
        description="Derived model files, built once from packaged weights.",
    )

    llm_provider: Literal["offline", "openai"] = "offline"
    llm_model: str = "gpt-4o-mini"
    llm_base_url: str | None = None
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("QUORUM_OPENAI_API_KEY", "OPENAI_API_KEY")
    )

    llm_stream_tool_calls: bool = Field(
        default=True,
        description="False for servers that cannot stream tool calls (llama-cpp-python).",
    )
    llm_timeout_s: float = Field(default=300, gt=0, description="Time limit of one team run.")

    debate_rounds: int = Field(default=2, ge=1, le=6)
    rulebook: str = "financial"

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    auth: Literal["none", "password"] = "none"
    local_user: str = Field(
        default="local", description="Owner of documents and threads when login is off."
    )
    users: dict[str, SecretStr] = Field(
        default_factory=dict,
        description="Login name -> password hash (from `quorum hash-password`), auth=password.",
    )
    roles: dict[str, Role] = Field(
        default_factory=dict,
        description="Login name -> analyst | reviewer | admin (auth=password; default analyst).",
    )
    auth_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("QUORUM_AUTH_SECRET", "CHAINLIT_AUTH_SECRET"),
        description="Signs login cookies; generated once under the data dir when unset.",
    )

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        # LanceDB takes a relative path starting with "db" for a cloud URI: always resolve.
        return value.expanduser().resolve()

    @model_validator(mode="after")
    def _password_login_needs_users(self) -> Settings:
        if self.auth == "password" and not self.users:
            raise ValueError(
                "auth=password needs users: set QUORUM_USERS to a JSON object of "
                "name -> hash made with `quorum hash-password`"
            )
        return self

    def role_of(self, user: str) -> Role:
        """A user's role: admin in local mode, else the configured role (default analyst)."""
        if self.auth == "none":
            return "admin"
        return self.roles.get(user, "analyst")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'quorum.sqlite3'}"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    def brain_config(self) -> BrainConfig:
        """Which brain plays the agents: the offline engine unless a model is configured."""
        if self.llm_provider == "offline":
            return BrainConfig(
                provider="offline",
                debate_rounds=self.debate_rounds,
                timeout_s=self.llm_timeout_s,
            )
        return BrainConfig(
            provider="openai",
            model=self.llm_model,
            base_url=self.llm_base_url,
            api_key=self.openai_api_key.get_secret_value() if self.openai_api_key else None,
            debate_rounds=self.debate_rounds,
            timeout_s=self.llm_timeout_s,
            stream_tool_calls=self.llm_stream_tool_calls,
        )

    def knowledge_config(self) -> KnowledgeConfig:
        """The frozen slice of settings the knowledge layer needs."""
        api_key = self.openai_api_key.get_secret_value() if self.openai_api_key else None
        return KnowledgeConfig(
            data_dir=self.data_dir,
            database_url=self.resolved_database_url,
            lancedb_uri=self.lancedb_uri,
            max_file_bytes=self.max_upload_bytes,
            model_cache_dir=self.model_cache_dir,
            embedding=EmbeddingConfig(
                provider=self.embedding_provider,
                model=self.embedding_model,
                base_url=self.embedding_base_url,
                api_key=api_key if self.embedding_provider == "openai" else None,
            ),
        )


class SettingsError(Exception):
    """A setting Quorum cannot use, in one line that names its variable."""


def load_settings(*, data_dir: Path | None = None) -> Settings:
    """The settings from the environment and `.env` (`data_dir` given on the command line
    wins), or a `SettingsError` that says which variable is wrong and how."""
    try:
        return Settings(data_dir=data_dir) if data_dir is not None else Settings()
    except ValidationError as error:
        raise SettingsError(describe_settings_error(error)) from None


def describe_settings_error(error: ValidationError) -> str:
    problems = [_problem(detail) for detail in error.errors()]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return problems[0] + more


def _problem(detail: Any) -> str:
    location = detail.get("loc") or ()
    message = str(detail.get("msg", "is not valid")).removeprefix("Value error, ")
    if not location:  # a rule across settings: its message names the variables
        return message
    name = str(location[0])
    shown = ""
    if name in Settings.model_fields and not _is_secret(name):
        given = detail.get("input")
        if isinstance(given, str | int | float):
            shown = f" (got {str(given)[:60]!r})"
    return f"{_variable(name)}: {message}{shown}"


def _variable(name: str) -> str:
    field = Settings.model_fields.get(name)
    alias = field.validation_alias if field is not None else None
    if isinstance(alias, AliasChoices) and isinstance(alias.choices[0], str):
        return alias.choices[0]
    if isinstance(alias, str):
        return alias
    return f"QUORUM_{name.upper()}"


def _is_secret(name: str) -> bool:
    return "SecretStr" in str(Settings.model_fields[name].annotation)

"""The `quorum` command line: importing this package registers every sub-command."""

from quorum.cli import (
    agent_commands,  # noqa: F401  (registers commands)
    analyze_commands,  # noqa: F401  (registers commands)
    audit_commands,  # noqa: F401  (registers commands)
    knowledge_commands,  # noqa: F401  (registers commands)
    review_commands,  # noqa: F401  (registers commands)
    rules_commands,  # noqa: F401  (registers commands)
    serve_command,  # noqa: F401  (registers commands)
)
from quorum.cli.main import app

__all__ = ["app"]

"""What every agent tool receives besides its arguments: the run's typed dependencies.

Tools are plain async functions `tool(deps, **arguments)`; `bind_tool` binds the deps,
so the model only ever sees (and fills) the arguments. Nothing here reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from knowledge.library import KnowledgeBase
from tools.agent_tools.models import Artifact
from tools.agent_tools.rules import RulebookStore
from tools.analysis import DocumentAnalysis
from tools.compliance.second_reader import ModelReader
from tools.review.guards import ActionGuard


@dataclass(frozen=True)
class AttachedFile:
    """A file the analyst attached to the current message: the only files ingest_file may read."""

    path: Path
    filename: str


@dataclass
class RunMemo:
    """Results computed earlier in this run, so the next agent does not recompute them."""

    analyses: dict[str, DocumentAnalysis] = field(default_factory=dict)
    artifacts: list[Artifact] = field(default_factory=list)


@dataclass
class ToolDeps:
    """The knowledge base, whose documents, the rulebook, the reports dir, the run's files."""

    knowledge: KnowledgeBase
    owner: str
    reports_dir: Path
    rulebooks: RulebookStore
    attachments: tuple[AttachedFile, ...] = ()
    memo: RunMemo = field(default_factory=RunMemo)
    reader: ModelReader | None = None
    """The model as second reader of compliance checks (None with the offline engine)."""
    guard: ActionGuard | None = field(
        default=None,
        metadata={"why": "set by team sessions: shared-state changes wait for a person"},
    )

    @property
    def thread_id(self) -> str | None:
        return self.guard.thread_id if self.guard is not None else None

    @property
    def role(self) -> str:
        """The user's role; tools used without a guard act for a local admin."""
        return self.guard.role if self.guard is not None else "admin"

    def attachment(self, filename: str) -> AttachedFile | None:
        """The attached file with this name (exact, then case-insensitive), else None."""
        for attached in self.attachments:
            if attached.filename == filename:
                return attached
        wanted = filename.strip().lower()
        for attached in self.attachments:
            if attached.filename.lower() == wanted:
                return attached
        return None

    def begin_run(self, attachments: tuple[AttachedFile, ...]) -> None:
        """A new run: its own attached files and a fresh memo (the services stay)."""
        self.attachments = attachments
        self.memo = RunMemo()

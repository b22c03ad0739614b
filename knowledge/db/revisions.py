"""The migration heads this code brings, read from the revision files without Alembic.

Opening a database checks that its schema is at these heads; when it is (every start
but the first after an upgrade), Alembic is neither imported nor run, which is most of
a short command's start-up (`quorum documents`). Only literal `revision = "..."` and
`down_revision = ...` assignments are read; a revision file that computes either makes
the heads unknown (None), and the database is then migrated through Alembic as before.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]+)?=\s*(.+)$", re.MULTILINE)


@lru_cache(maxsize=4)
def code_heads(versions: Path) -> frozenset[str] | None:
    """The revisions no other revision follows, or None when a file is not plain data."""
    graph: dict[str, object] = {}
    for path in sorted(versions.glob("[!_]*.py")):
        found = dict(_ASSIGNMENT.findall(path.read_text(encoding="utf-8")))
        try:
            revision = ast.literal_eval(found["revision"])
            graph[revision] = ast.literal_eval(found["down_revision"])
        except (KeyError, ValueError, SyntaxError):
            return None
    parents = {
        parent
        for down in graph.values()
        for parent in (down if isinstance(down, tuple) else (down,))
        if parent
    }
    heads = frozenset(graph) - parents
    return heads or None

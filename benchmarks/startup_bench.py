"""`make bench` (start-up part): how long the CLI takes before it answers.

Each figure is the median wall time of fresh processes, measured in one run together with
its baseline, so the ratio holds even when the machine is busy:
- `quorum --help` against the old start-up, in which every command imported the whole
  stack (knowledge base, team, tools, chat passwords) before parsing its arguments;
- `quorum documents` (the database alone) against the old way of listing: the whole stack
  imported and the whole knowledge base opened (database, chunk index, embedding model).

Targets (issue 8): `--help` under 0.5 s and `documents` under 1.5 s on an idle machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
QUORUM = str(BIN / "quorum")
FULL_STACK = "import knowledge.library, agents.session, tools.analysis, chat.passwords"
OLD_HELP = f"{FULL_STACK}\nfrom quorum.cli import app\napp(['--help'])"
OLD_DOCUMENTS = f"""{FULL_STACK}
import asyncio, sys
from quorum.services import open_knowledge
from quorum.settings import load_settings
from pathlib import Path

async def main():
    knowledge = await open_knowledge(load_settings(data_dir=Path(sys.argv[1])))
    try:
        await knowledge.list_documents(owner="local")
    finally:
        await knowledge.close()

asyncio.run(main())
"""


def wall_time(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return time.perf_counter() - started


def median_of(command: list[str], runs: int) -> float:
    return statistics.median(wall_time(command) for _ in range(runs))


def measure(runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp) / "data")
        wall_time([QUORUM, "--data-dir", data, "documents"])  # creates the database once
        figures = {
            "help_s": median_of([QUORUM, "--help"], runs),
            "help_baseline_s": median_of([sys.executable, "-c", OLD_HELP], runs),
            "documents_s": median_of([QUORUM, "--data-dir", data, "documents"], runs),
            "documents_baseline_s": median_of(
                [sys.executable, "-c", OLD_DOCUMENTS, data], runs
            ),
        }
    figures["help_speedup"] = figures["help_baseline_s"] / figures["help_s"]
    figures["documents_speedup"] = figures["documents_baseline_s"] / figures["documents_s"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="processes per figure")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = measure(args.runs)
    if args.json:
        sys.stdout.write(json.dumps(figures, indent=2) + "\n")
        return
    rows = [
        ("quorum --help", figures["help_s"], figures["help_baseline_s"], 0.5),
        ("quorum documents", figures["documents_s"], figures["documents_baseline_s"], 1.5),
    ]
    sys.stdout.write(f"{'CLI start-up (median)':<22}{'now':>9}{'old way':>10}{'ratio':>8}"
                     f"{'target':>9}\n")
    for name, now, old, target in rows:
        sys.stdout.write(f"{name:<22}{now:>8.2f}s{old:>9.2f}s{old / now:>7.1f}x"
                         f"{target:>8.1f}s\n")


if __name__ == "__main__":
    main()

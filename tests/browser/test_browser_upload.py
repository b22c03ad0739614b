"""In a real browser (Debian chromium through playwright-core): upload, wait for the report."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from chat_harness import clean_env, running_server
from chat_samples import LEDGER, write_pdf

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (apt-get install -y nodejs npm)"
    if not CHROMIUM.exists():
        return "Debian chromium is not installed (apt-get install -y chromium)"
    if not (HERE / "node_modules" / "playwright-core").is_dir():
        return "playwright-core is not installed (npm ci in tests/browser)"
    return None


def test_upload_in_the_browser_shows_the_report(tmp_path: Path) -> None:
    if reason := _missing():
        pytest.skip(reason)
    pdf = write_pdf(tmp_path / "brightline_letter_q2.pdf")
    ledger = tmp_path / "branch_cash_ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with running_server(tmp_path / "data") as server:
        done = subprocess.run(
            [
                "node",
                str(HERE / "upload_and_wait.mjs"),
                server.base_url,
                str(shots),
                str(pdf),
                str(ledger),
            ],
            cwd=HERE,
            env=clean_env({}),
            capture_output=True,
            text=True,
            timeout=480,
        )
    outcome = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}
    assert done.returncode == 0 and outcome.get("ok"), (done.stdout, done.stderr[-3000:])
    assert (shots / "03-report.png").stat().st_size > 10_000

"""DORA from paved's deploy records needs no API: `paved ci-metrics --deploy-source=records`
without a token (act, a laptop) reports from the records and says why the run history is
missing; any other source without a token is still refused (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]


def _record(status: str, minute: int, image: str, previous: str) -> str:
    return json.dumps({
        "schema": "paved/deploy-record/v1", "app": "shop", "environment": "production",
        "status": status, "started_at": f"2026-12-01T10:{minute:02d}:00Z",
        "finished_at": f"2026-12-01T10:{minute:02d}:30Z", "image": image,
        "previous_image": previous,
    })  # fmt: skip


def _metrics(tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_TOKEN"}
    return subprocess.run(
        [sys.executable, "-m", "paved.cli", "ci-metrics", "--repository=example/shop",
         f"--store={tmp_path / 'metrics.sqlite'}", "--now=2026-12-01T12:00:00Z", "--days=1",
         *flags],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path, env=env,
    )  # fmt: skip


def test_records_without_a_token_report_dora_and_say_the_history_is_not_synced(tmp_path):
    records = tmp_path / "deploys.jsonl"
    lines = [
        _record("succeeded", 0, "v1", ""),
        _record("succeeded", 10, "v2", "v1"),
        _record("succeeded", 20, "v3", "v2"),
        _record("succeeded", 21, "v2", "v3"),  # the pipeline's rollback job
    ]
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = tmp_path / "metrics.json"
    done = _metrics(
        tmp_path, "--deploy-source=records", f"--deploy-records={records}", f"--json={outcome}"
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    assert "GITHUB_TOKEN is empty: the run history is not synced" in log
    dora = json.loads(outcome.read_text(encoding="utf-8"))["dora"]
    assert (dora["deployment_attempts"], dora["deployments"], dora["failed_deployments"]) == (
        3, 2, 1,
    )  # fmt: skip
    # v3 live at 10:20:30, v2 back at 10:21:30.
    assert dora["recovery_time_seconds"]["p50"] == 60.0


def test_another_source_without_a_token_is_still_refused(tmp_path):
    done = _metrics(tmp_path, "--deploy-source=environment")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "GITHUB_TOKEN is empty" in done.stderr + done.stdout

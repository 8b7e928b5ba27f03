"""ci-metrics integration tier: the real CLI, the real PyGithub client, the replay server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests"))
from components.github_history import HistoryBuilder  # noqa: E402
from components.github_replay import ReplayServer  # noqa: E402


@dataclass(frozen=True)
class MetricsRun:
    """One `paved ci-metrics` process and what it wrote."""

    exit_code: int
    stdout: str
    stderr: str
    outcome: dict
    summary: str
    prometheus: str


@pytest.fixture
def replay():
    """A fresh replay server on 127.0.0.1 (recordings plus whatever a test generates)."""
    with ReplayServer() as server:
        yield server


@pytest.fixture(scope="session")
def history() -> HistoryBuilder:
    """Builds generated repositories from the recorded run and job objects."""
    return HistoryBuilder()


@pytest.fixture
def ci_metrics(tmp_path: Path, replay: ReplayServer):
    """Run `python -m paved.cli ci-metrics` against the replay server with a dummy token."""

    def run(repository: str, *flags: str, store: Path | None = None) -> MetricsRun:
        out = tmp_path / "out"
        argv = [
            sys.executable, "-m", "paved.cli", "ci-metrics",
            f"--repository={repository}",
            f"--api-url={replay.url}",
            f"--store={store or tmp_path / 'metrics.sqlite'}",
            "--request-interval=0",
            f"--json={out / 'outcome.json'}",
            f"--prometheus={out / 'metrics.prom'}",
            f"--summary={out / 'summary.md'}",
            *flags,
        ]  # fmt: skip
        env = {**os.environ, "GITHUB_TOKEN": "dummy-token", "PYTHONPATH": str(ROOT / "lib")}
        for stale in out.glob("*"):
            stale.unlink()
        done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
        texts = {
            name: (out / name).read_text(encoding="utf-8") if (out / name).exists() else ""
            for name in ("outcome.json", "summary.md", "metrics.prom")
        }
        return MetricsRun(
            done.returncode,
            done.stdout,
            done.stderr,
            json.loads(texts["outcome.json"] or "{}"),
            texts["summary.md"],
            texts["metrics.prom"],
        )

    return run

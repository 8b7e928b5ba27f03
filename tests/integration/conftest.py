"""Integration tier: the real CLI runs real tools (venv, pip, pytest, ruff) on fixture projects."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


@dataclass(frozen=True)
class PavedRun:
    """One `paved` process: exit code, what it printed, and its JSON outcome."""

    exit_code: int
    stdout: str
    stderr: str
    outcome: dict[str, object]


@pytest.fixture(scope="session")
def shared_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One project venv for all fixtures: the first run installs the pinned tools into it."""
    return tmp_path_factory.mktemp("project-venv") / "venv"


@pytest.fixture
def paved(tmp_path: Path, shared_venv: Path):
    """Run `python -m paved.cli build-test` on a copy of a fixture project."""

    def run(fixture: str | Path, *flags: str) -> PavedRun:
        """`fixture`: a folder of tests/fixtures, or the path of any project to copy."""
        source = FIXTURES / fixture
        project = tmp_path / source.name
        # A fresh copy per run: a second run in the same test starts clean too.
        shutil.rmtree(project, ignore_errors=True)
        shutil.copytree(source, project)
        outcome = tmp_path / "outcome.json"
        outcome.unlink(missing_ok=True)
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "paved.cli",
                "build-test",
                str(project),
                "--repo-root",
                str(tmp_path),
                "--venv-dir",
                str(shared_venv),
                "--json",
                str(outcome),
                *flags,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        document = json.loads(outcome.read_text(encoding="utf-8")) if outcome.exists() else {}
        return PavedRun(completed.returncode, completed.stdout, completed.stderr, document)

    return run

"""Running `paved security-scan` as a user would, for the integration tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
OSV = DATA / "osv-pypi"
# The vendored records end in 2024: any age is accepted for them (see tests/data/osv-pypi).
OFFLINE = (f"--osv-database={OSV}", "--osv-max-age=any")


def copy_project(source: Path, tmp_path: Path, name: str) -> Path:
    """A copy of `source` as `<tmp>/repo/<name>`, without caches."""
    target = tmp_path / "repo" / name
    shutil.copytree(
        source,
        target,
        ignore=shutil.ignore_patterns("__pycache__", ".paved", ".*_cache", ".coverage"),
    )
    return target


def make_project(tmp_path: Path, name: str, files: dict[str, str]) -> Path:
    """A project `<tmp>/repo/<name>` holding `files` (name -> text)."""
    project = tmp_path / "repo" / name
    for path, text in files.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(text, encoding="utf-8")
    return project


def scan(project: Path, *flags: str, env: dict[str, str] | None = None) -> tuple[int, dict, str]:
    """Exit code, JSON outcome and output of `paved security-scan PROJECT FLAGS`."""
    outcome = project.parent / f"{project.name}-outcome.json"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "paved.cli",
            "security-scan",
            str(project),
            f"--repo-root={project.parent}",
            f"--json={outcome}",
            *flags,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, **(env or {})},
    )
    document = json.loads(outcome.read_text(encoding="utf-8"))
    return completed.returncode, document, completed.stdout + completed.stderr

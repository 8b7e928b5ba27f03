"""Compile the config corpus with the real CLI, the way a team runs it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from paved.cli import run

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "compose"
CORPUS = sorted(FIXTURES.glob("*.yaml"))
EXAMPLE_CONFIGS = sorted((ROOT / "examples").glob("consumer*/pipeline-config.yaml"))
"""The example consumers' configs, whose workflows `make demo` runs."""
LINTED = {**{p.stem: p for p in CORPUS}, **{p.parent.name: p for p in EXAMPLE_CONFIGS}}
"""Every config whose workflow must lint clean, by the name its workflow file gets."""
WORKFLOWS = ROOT / ".github" / "workflows"
SHA = "0123456789abcdef0123456789abcdef01234567"
_REMOTE = re.compile(r"pavedhq/paved/(\.github/workflows/[a-z0-9-]+\.yml)@\S+")


class QuietFrontend:
    """Keeps what the CLI shows; fails the test on an error."""

    def show(self, rendered: object) -> None:
        self.rendered = rendered

    def fail(self, capability: str, error: object) -> None:
        pytest.fail(f"{capability}: {error}")


def compose(config: Path, *flags: str) -> str:
    """The workflow `paved compose --dry-run` prints for `config`."""
    frontend = QuietFrontend()
    assert run(["compose", f"--config={config}", "--dry-run", *flags], frontend) == 0
    return frontend.rendered.console_text  # type: ignore[attr-defined]


def local_calls(workflow: str) -> str:
    """The same workflow calling the reusable workflows as files of its own repository, so
    actionlint checks every input, secret and output against their definitions."""
    return _REMOTE.sub(r"./\1", workflow)


def repository(root: Path, files: dict[str, str], *, with_paved: bool = False) -> Path:
    """A git repository holding `files` as .github/workflows/<name> (and paved's own)."""
    workflows = root / ".github" / "workflows"
    workflows.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    if with_paved:
        for path in WORKFLOWS.glob("*.yml"):
            shutil.copy(path, workflows / path.name)
    for name, text in files.items():
        (workflows / name).write_text(text, encoding="utf-8")
    return root


def tool(name: str) -> str:
    """A linter from paved's venv (make setup installs it)."""
    path = Path(sys.executable).parent / name
    if not path.is_file():
        pytest.fail(f"{name} is not installed beside {sys.executable}: run `make setup`")
    return str(path)

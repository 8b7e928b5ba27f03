"""A scripted workspace and option builders for build-test unit tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from paved.adapters.workspace import Command, CommandResult, Workspace
from paved.buildtest import BuildTestOptions

REPO = Path("/repo")
PROJECT = REPO / "examples" / "svc"
RESULTS = PROJECT / ".paved" / "build-test"
VENV = Path("/cache/venv-svc")

PACKAGE_PYPROJECT = """\
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "svc"
version = "1.0"

[tool.ruff]
line-length = 100
"""

PASSING_JUNIT = """\
<testsuites><testsuite name="pytest" tests="1" time="0.1">
<testcase classname="tests.test_x" name="test_ok" file="tests/test_x.py" line="3" time="0.1"/>
</testsuite></testsuites>
"""


class FakeWorkspace(Workspace):
    """Serves files from a dict, records commands, answers them from a script."""

    def __init__(self) -> None:
        self.files: dict[Path, str] = {}
        self.dirs: set[Path] = {PROJECT}
        self.programs: set[str] = {"python3", "npm", "go"}
        self.commands: list[Command] = []
        self._script: list[tuple[str, CommandResult, dict[Path, str]]] = []

    def script(
        self,
        fragment: str,
        *,
        exit_code: int = 0,
        output: str = "",
        seconds: float = 0.5,
        writes: dict[Path, str] | None = None,
    ) -> None:
        """Commands whose display contains `fragment` end like this; the latest script wins."""
        result = CommandResult(exit_code=exit_code, duration_seconds=seconds, output=output)
        self._script.append((fragment, result, writes or {}))

    def run(self, command: Command) -> CommandResult:
        self.commands.append(command)
        shown = command.display()
        for fragment, result, writes in reversed(self._script):
            if fragment in shown:
                self.files.update(writes)
                return result
        return CommandResult(exit_code=0, duration_seconds=0.1, output="")

    def read_text(self, path: Path) -> str | None:
        return self.files.get(path)

    def exists(self, path: Path) -> bool:
        return path in self.files or path in self.dirs

    def which(self, program: str) -> str | None:
        return f"/usr/bin/{program}" if program in self.programs else None

    def shown(self) -> list[str]:
        """Every command run, as the log shows it."""
        return [command.display() for command in self.commands]


@pytest.fixture
def workspace() -> FakeWorkspace:
    """An existing, empty project directory."""
    return FakeWorkspace()


@pytest.fixture
def python_workspace(workspace: FakeWorkspace) -> FakeWorkspace:
    """A Python package whose pytest run passes and writes its JUnit report."""
    workspace.files[PROJECT / "pyproject.toml"] = PACKAGE_PYPROJECT
    workspace.script("paved_pytest_tally", writes={RESULTS / "junit.xml": PASSING_JUNIT})
    return workspace


@pytest.fixture
def options():
    """Build options for the project under test, with overrides."""

    def make(**overrides: object) -> BuildTestOptions:
        values: dict[str, object] = {
            "project_dir": PROJECT,
            "repo_root": REPO,
            "results_dir": RESULTS,
            "venv_dir": VENV,
        }
        values.update(overrides)
        return BuildTestOptions(**values)  # type: ignore[arg-type]

    return make


@pytest.fixture
def paths() -> dict[str, Path]:
    """Where the fake project lives."""
    return {"project": PROJECT, "results": RESULTS, "venv": VENV, "repo": REPO}

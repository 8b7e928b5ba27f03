"""The scripted workspace (tests/fakes) set up for build-test, and option builders."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.workspace import ScriptedWorkspace
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


@pytest.fixture
def workspace() -> ScriptedWorkspace:
    """An existing, empty project directory."""
    return ScriptedWorkspace(dirs={PROJECT}, programs={"python3", "npm", "go"})


@pytest.fixture
def python_workspace(workspace: ScriptedWorkspace) -> ScriptedWorkspace:
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

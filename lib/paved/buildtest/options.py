"""What a user can ask build-test to do, validated once at the edge."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from paved.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path


class Language(StrEnum):
    """The project's language; AUTO picks from the files in the project."""

    AUTO = "auto"
    PYTHON = "python"
    NODE = "node"
    GO = "go"


class Formatter(StrEnum):
    """The format checker for a Python project; AUTO runs the one the project configures."""

    AUTO = "auto"
    RUFF = "ruff"
    BLACK = "black"
    NONE = "none"


class Linter(StrEnum):
    """The linter for a Python project; AUTO runs the one the project configures."""

    AUTO = "auto"
    RUFF = "ruff"
    FLAKE8 = "flake8"
    NONE = "none"


class Shell(StrEnum):
    """How user-configured commands run: as an argument list, or through a chosen shell."""

    NONE = "none"
    BASH = "bash"
    SH = "sh"


@dataclass(frozen=True)
class BuildTestOptions:
    """Everything build-test needs; paths are absolute."""

    project_dir: Path
    """The project under test."""
    repo_root: Path
    """Annotations name files relative to this (the checkout root)."""
    results_dir: Path
    """Where the JUnit and coverage XML files are written."""
    venv_dir: Path
    """The isolated virtual environment for a Python project under test."""
    language: Language = Language.AUTO
    python: str = "python3"
    """Interpreter that creates the project's venv."""
    requirements: tuple[str, ...] = ()
    """Requirements files, relative to the project; empty means detect."""
    extras: tuple[str, ...] = ()
    """pyproject extras to install with the project; empty means the test extras it has."""
    formatter: Formatter = Formatter.AUTO
    linter: Linter = Linter.AUTO
    install_command: str | None = None
    format_command: str | None = None
    lint_command: str | None = None
    test_command: str | None = None
    shell: Shell = Shell.NONE
    junit_file: str | None = None
    """For Node and Go: the JUnit XML the test command writes, relative to the project."""
    coverage_file: str | None = None
    """For Node and Go: a Cobertura XML the test command writes, relative to the project."""
    coverage_source: str | None = None
    """Python: what pytest-cov measures; None uses the project's coverage config."""
    coverage_threshold: float | None = None
    """Percent of lines that must be covered; None means no gate."""
    pytest_args: tuple[str, ...] = ()
    allow_no_tests: bool = False
    extra_env: dict[str, str] = field(default_factory=dict)


def validate(options: BuildTestOptions) -> BuildTestOptions:
    """Check what can be checked before anything runs; raise one UsageError."""
    threshold = options.coverage_threshold
    if threshold is not None and not 0 <= threshold <= 100:  # noqa: PLR2004
        raise UsageError(
            f"{threshold:g} is out of range", name="coverage-threshold", valid="0 to 100"
        )
    for name, value in (
        ("junit-file", options.junit_file),
        ("coverage-file", options.coverage_file),
        *(("requirements", item) for item in options.requirements),
    ):
        if value is not None:
            _check_relative(name, value)
    for name, command in (
        ("install-command", options.install_command),
        ("format-command", options.format_command),
        ("lint-command", options.lint_command),
        ("test-command", options.test_command),
    ):
        if command is not None and options.shell is Shell.NONE:
            split_command(name, command)
    return options


def split_command(name: str, command: str) -> tuple[str, ...]:
    """Split a command line into an argument list, the way a POSIX shell would quote it."""
    try:
        argv = tuple(shlex.split(command))
    except ValueError as exc:
        raise UsageError(
            f"cannot split {command!r} into arguments: {exc}",
            name=name,
            valid="a command line with balanced quotes, or set shell: bash",
        ) from exc
    if not argv:
        raise UsageError("is empty", name=name, valid="a command line such as 'npm test'")
    return argv


def _check_relative(name: str, value: str) -> None:
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts:
        raise UsageError(
            f"{value!r} is not inside the project",
            name=name,
            valid="a path relative to the project directory, without '..'",
        )

"""Value types shared by every capability and every output format."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath, PurePosixPath
from typing import assert_never

from paved.errors import ExitCode


class Result(StrEnum):
    """How a capability run ended, as a user reads it."""

    PASSED = "passed"
    """Everything that was asked for ran and met its gate."""
    FAILED = "failed"
    """Something ran and did not meet its gate (tests failed, coverage too low)."""
    ERROR = "error"
    """Something could not run at all (a tool missing, an install that broke)."""

    def to_exit_code(self) -> ExitCode:
        """The process exit code for this result."""
        if self is Result.PASSED:
            return ExitCode.OK
        if self is Result.FAILED:
            return ExitCode.CHECK_FAILED
        if self is Result.ERROR:
            return ExitCode.ENVIRONMENT
        assert_never(self)


class StepStatus(StrEnum):
    """The state of one step of a capability (install, format, lint, test...)."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    ERROR = "error"
    WARNED = "warned"
    """It found problems that are reported, not failed on (a checker the project never pinned)."""


class Level(StrEnum):
    """Annotation level, as GitHub names them."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


@dataclass(frozen=True)
class Annotation:
    """A message attached to a place in the repository."""

    level: Level
    message: str
    title: str | None = None
    file: str | None = None
    """Repository-relative path, forward slashes."""
    line: int | None = None
    end_line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class Rendered:
    """Everything a front end needs to show one capability outcome.

    Made by paved.report; shown by paved.gha (outputs, summary, annotations) or by the CLI.
    """

    result: Result
    exit_code: ExitCode
    outputs: dict[str, str]
    """Action outputs, named as in action.yml (kebab-case)."""
    summary_markdown: str
    console_text: str
    json_document: str
    annotations: tuple[Annotation, ...] = ()


def repo_relative(
    path: str | PurePath, repo_root: str | PurePath, *, base: str | PurePath | None = None
) -> str:
    """`path` (absolute, or relative to `base`) as annotations and SARIF name it: relative to
    the repository root with forward slashes, "." for the root itself; a path outside the
    repository stays as it is (absolute). Pure: nothing is read from the disk."""
    candidate = PurePath(path)
    if not candidate.is_absolute() and base is not None:
        candidate = PurePath(base) / candidate
    normal = PurePosixPath(posixpath.normpath(candidate.as_posix()))
    root = PurePosixPath(posixpath.normpath(PurePath(repo_root).as_posix()))
    try:
        relative = normal.relative_to(root).as_posix()
    except ValueError:
        return normal.as_posix()
    return relative if relative not in {"", "."} else "."

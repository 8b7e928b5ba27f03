"""The one error tree. Every failure a user can cause or meet maps to an exit code.

Exit codes (documented in README.md):
  0  ok
  1  the check failed (tests failed, gate not met) - not an exception, an outcome
  2  usage or configuration error
  3  environment problem (a tool or server is missing or unreachable)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes shared by the CLI and the actions."""

    OK = 0
    CHECK_FAILED = 1
    USAGE = 2
    ENVIRONMENT = 3


@dataclass(frozen=True)
class Location:
    """Where in a file a problem is: 1-based line and column."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class PavedError(Exception):
    """Base of every error paved raises on purpose; carries its exit code."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


class UsageError(PavedError):
    """A flag, input or argument is missing or has a value that is not valid."""

    exit_code = ExitCode.USAGE

    def __init__(
        self,
        message: str,
        *,
        name: str | None = None,
        valid: str | None = None,
        location: Location | None = None,
    ) -> None:
        text = message
        if name is not None:
            text = f"{name}: {text}"
        if valid is not None:
            text = f"{text} (valid: {valid})"
        super().__init__(text, location=location)
        self.name = name
        self.valid = valid


class ConfigError(UsageError):
    """A configuration file is wrong; the location names file:line:column."""


class EnvironmentProblemError(PavedError):
    """A tool, interpreter or server paved needs is missing or unreachable."""

    exit_code = ExitCode.ENVIRONMENT

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"{message}. {hint}" if hint else message)
        self.hint = hint


class InternalError(PavedError):
    """Something paved did not expect: a bug. Exit 3, because the run could not complete
    (like an environment problem), never 1 (which would say the project failed a check)."""

    exit_code = ExitCode.ENVIRONMENT


class ToolNotFoundError(EnvironmentProblemError):
    """A program paved was asked to run is not installed or not on PATH."""

    def __init__(self, tool: str, *, hint: str | None = None) -> None:
        super().__init__(
            f"'{tool}' was not found on PATH", hint=hint or f"install {tool} or put it on PATH"
        )
        self.tool = tool

"""The workspace interface: the only way capabilities run programs or read result files."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path


@dataclass(frozen=True)
class Command:
    """A program run as an argument list; never pasted into a shell script."""

    argv: tuple[str, ...]
    cwd: Path
    env: Mapping[str, str] = field(default_factory=dict)
    """Added to (and overriding) the inherited environment."""
    prepend_path: tuple[str, ...] = ()
    """Directories put in front of PATH (a venv's bin)."""

    def display(self) -> str:
        """The command as a user would type it (for logs and summaries)."""
        import shlex  # noqa: PLC0415 - only needed for display

        return shlex.join(self.argv)


@dataclass(frozen=True)
class CommandResult:
    """How a command ended; `output` holds the last lines it printed (stdout and stderr)."""

    exit_code: int
    duration_seconds: float
    output: str


class Workspace(ABC):
    """Runs commands and reads files for a capability."""

    @abstractmethod
    def run(self, command: Command) -> CommandResult:
        """Run `command`, streaming its output to the log.

        Raise paved.errors.ToolNotFoundError when the program does not exist.
        """

    @abstractmethod
    def read_text(self, path: Path) -> str | None:
        """The file's text, or None when it does not exist."""

    @abstractmethod
    def exists(self, path: Path) -> bool:
        """Whether a file or directory exists."""

    @abstractmethod
    def which(self, program: str) -> str | None:
        """The full path of `program` on PATH, or None."""

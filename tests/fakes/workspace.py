"""The Workspace fake: files from a dict, directories and programs from sets, commands
recorded and answered from a script."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.adapters.workspace import Command, CommandResult, Workspace

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path


class ScriptedWorkspace(Workspace):
    """Serves files from a dict, records commands, answers them from a script. With
    `commands_allowed=False` any command is a test failure (the capability runs none)."""

    def __init__(
        self,
        files: dict[Path, str] | None = None,
        *,
        dirs: Iterable[Path] = (),
        programs: Iterable[str] = (),
        commands_allowed: bool = True,
    ) -> None:
        self.files: dict[Path, str] = dict(files or {})
        self.dirs: set[Path] = set(dirs)
        self.programs: set[str] = set(programs)
        self.commands: list[Command] = []
        self.commands_allowed = commands_allowed
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
        if not self.commands_allowed:
            raise AssertionError(command)
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

"""The local workspace: programs on this machine, through the process runner."""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

from paved import log
from paved.adapters.process.runner import run_program
from paved.adapters.workspace.interface import Command, CommandResult, Workspace
from paved.errors import ToolNotFoundError

if TYPE_CHECKING:
    from pathlib import Path


class LocalWorkspace(Workspace):
    """Runs commands as subprocesses with the current environment."""

    def run(self, command: Command) -> CommandResult:
        env = dict(os.environ)
        env.update(command.env)
        if command.prepend_path:
            env["PATH"] = os.pathsep.join((*command.prepend_path, env.get("PATH", "")))
        program = shutil.which(command.argv[0], path=env.get("PATH")) or command.argv[0]
        log.debug(f"run in {command.cwd}: {command.display()}")
        try:
            done = run_program(
                (program, *command.argv[1:]), cwd=command.cwd, env=env, on_line=log.tool_output
            )
        except ToolNotFoundError as exc:
            raise ToolNotFoundError(command.argv[0]) from exc
        return CommandResult(
            exit_code=done.exit_code, duration_seconds=done.seconds, output=done.output
        )

    def read_text(self, path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return None

    def exists(self, path: Path) -> bool:
        return path.exists()

    def which(self, program: str) -> str | None:
        return shutil.which(program)

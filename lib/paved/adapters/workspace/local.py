"""The local workspace: subprocesses on this machine."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections import deque
from typing import TYPE_CHECKING

from paved import log
from paved.adapters.workspace.interface import Command, CommandResult, Workspace
from paved.errors import ToolNotFoundError

if TYPE_CHECKING:
    from pathlib import Path

_KEPT_LINES = 400
"""Lines of output kept per command for parsing (lint findings, format files)."""


class LocalWorkspace(Workspace):
    """Runs commands as subprocesses with the current environment."""

    def run(self, command: Command) -> CommandResult:
        env = dict(os.environ)
        env.update(command.env)
        if command.prepend_path:
            env["PATH"] = os.pathsep.join((*command.prepend_path, env.get("PATH", "")))
        program = shutil.which(command.argv[0], path=env.get("PATH")) or command.argv[0]
        log.debug(f"run in {command.cwd}: {command.display()}")
        kept: deque[str] = deque(maxlen=_KEPT_LINES)
        started = time.monotonic()
        try:
            process = subprocess.Popen(
                (program, *command.argv[1:]),
                cwd=command.cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
            )
        except FileNotFoundError as exc:
            raise ToolNotFoundError(command.argv[0]) from exc
        assert process.stdout is not None  # noqa: S101 - set by stdout=PIPE
        with process:
            for raw in process.stdout:
                line = raw.rstrip("\n")
                kept.append(line)
                log.tool_output(line)
        return CommandResult(
            exit_code=process.returncode,
            duration_seconds=time.monotonic() - started,
            output="\n".join(kept),
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

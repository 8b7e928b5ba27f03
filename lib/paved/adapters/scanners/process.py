"""Running a scanner program through the process runner: output captured, a timeout,
failures translated into the scanners' errors."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from paved import log
from paved.adapters.process.runner import ProcessTimeoutError, run_program
from paved.adapters.scanners.interface import ScannerError, ScannerMissing
from paved.errors import ToolNotFoundError
from paved.model import repo_relative

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

TIMEOUT_SECONDS = 1800
_TAIL = 15


@dataclass(frozen=True)
class Completed:
    """How a scanner process ended."""

    exit_code: int
    stdout: str
    stderr: str
    seconds: float

    def tail(self) -> str:
        """The last lines of stderr (or stdout), to say why a run failed."""
        text = (self.stderr or self.stdout).strip()
        return " | ".join(text.splitlines()[-_TAIL:]) or f"exit code {self.exit_code}"


def module_command(module: str) -> list[str]:
    """Run a Python tool with paved's own interpreter, so the pinned version is the one used."""
    return [sys.executable, "-m", module]


def console_script(name: str) -> list[str]:
    """A console script installed beside paved's interpreter (the venv's bin)."""
    beside = Path(sys.executable).parent / name
    return [str(beside)] if beside.exists() else [name]


def run(
    tool: str,
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    install_hint: str | None = None,
) -> Completed:
    """Run `argv` (never through a shell); raise ScannerMissing if the program is absent."""
    environment = dict(os.environ)
    environment.update(env or {})
    log.debug(f"{tool}: {' '.join(argv)}")
    try:
        done = run_program(argv, cwd=cwd, env=environment, stdin=stdin, timeout=TIMEOUT_SECONDS)
    except ToolNotFoundError as exc:
        raise ScannerMissing(
            tool, f"'{argv[0]}' was not found", hint=install_hint or f"install {tool}"
        ) from exc
    except ProcessTimeoutError as exc:
        raise ScannerError(tool, f"did not finish within {TIMEOUT_SECONDS} s") from exc
    return Completed(done.exit_code, done.output, done.errors, done.seconds)


def relative(path: str | Path, target_root: Path, repo_root: Path) -> str:
    """A path a tool printed (relative to `target_root` or absolute), relative to the repo."""
    return repo_relative(path, repo_root, base=target_root)

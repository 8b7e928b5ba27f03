"""The one process runner: argument lists only (never a shell), output streamed line by line
to a callback or captured, a timeout, and cancellation from another thread. Every adapter
that starts a program (the workspace, the scanners, the docker client) goes through it."""

from __future__ import annotations

import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paved.errors import PavedError, ToolNotFoundError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path

KEPT_LINES = 400
"""Lines of streamed output kept for parsing (lint findings, build steps)."""
_POLL_SECONDS = 0.1
_TERMINATE_GRACE = 5.0


class ProcessTimeoutError(PavedError):
    """The program ran past its timeout and was stopped."""

    def __init__(self, program: str, seconds: float) -> None:
        super().__init__(f"'{program}' did not finish within {seconds:g} s")
        self.program = program
        self.seconds = seconds


class ProcessCancelledError(PavedError):
    """The run was cancelled (the cancel event was set) and the program was stopped."""


@dataclass(frozen=True)
class Finished:
    """How a program ended. Streamed: `output` is the last lines (stdout and stderr merged).
    Captured: `output` is stdout and `errors` is stderr."""

    exit_code: int
    output: str
    errors: str
    seconds: float
    lines: tuple[str, ...] = ()
    """Streamed: the kept lines, as printed."""


def run_program(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    on_line: Callable[[str], None] | None = None,
    timeout: float | None = None,
    cancel: threading.Event | None = None,
    keep_lines: int = KEPT_LINES,
) -> Finished:
    """Run `argv` to its end. With `on_line`, each output line (stdout and stderr merged) is
    passed on as it comes and the last `keep_lines` are kept; without, both are captured.
    Raises ToolNotFoundError, ProcessTimeoutError or ProcessCancelledError; on any of those,
    or an interrupt, the program is stopped, never left running."""
    started = time.monotonic()
    try:
        process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if on_line is not None else subprocess.PIPE,
            text=True,
            errors="replace",
        )
    except FileNotFoundError as exc:
        raise ToolNotFoundError(argv[0]) from exc
    watch = _Watch(process, timeout, cancel)
    try:
        with process:
            lines: tuple[str, ...] = ()
            if on_line is None:
                output, errors = process.communicate(stdin)
            else:
                lines = _stream(process, stdin, on_line, keep_lines)
                output, errors = "\n".join(lines), ""
    except BaseException:
        _stop(process)
        raise
    finally:
        watch.done()
    if watch.timed_out:
        raise ProcessTimeoutError(argv[0], timeout or 0)
    if watch.cancelled:
        msg = f"'{argv[0]}' was cancelled"
        raise ProcessCancelledError(msg)
    seconds = time.monotonic() - started
    return Finished(process.returncode, output or "", errors or "", seconds, lines)


def _stream(
    process: subprocess.Popen[str], stdin: str | None, on_line: Callable[[str], None], keep: int
) -> tuple[str, ...]:
    if stdin is not None and process.stdin is not None:
        process.stdin.write(stdin)
        process.stdin.close()
    kept: deque[str] = deque(maxlen=keep)
    assert process.stdout is not None  # noqa: S101 - set by stdout=PIPE
    for raw in process.stdout:
        line = raw.rstrip("\n")
        kept.append(line)
        on_line(line)
    process.wait()
    return tuple(kept)


def _stop(process: subprocess.Popen[str]) -> None:
    """Terminate, then kill if it will not go."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=_TERMINATE_GRACE)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class _Watch:
    """A thread that stops the program at its deadline or when `cancel` is set."""

    def __init__(
        self, process: subprocess.Popen[str], timeout: float | None, cancel: threading.Event | None
    ) -> None:
        self.timed_out = False
        self.cancelled = False
        self._finished = threading.Event()
        if timeout is None and cancel is None:
            self._thread = None
            return
        deadline = None if timeout is None else time.monotonic() + timeout

        def watch() -> None:
            while not self._finished.wait(_POLL_SECONDS):
                if cancel is not None and cancel.is_set():
                    self.cancelled = True
                elif deadline is not None and time.monotonic() >= deadline:
                    self.timed_out = True
                else:
                    continue
                _stop(process)
                return

        self._thread = threading.Thread(target=watch, name="paved-process-watch", daemon=True)
        self._thread.start()

    def done(self) -> None:
        self._finished.set()
        if self._thread is not None:
            self._thread.join()

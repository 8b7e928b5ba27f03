"""The paved.log sink for the runner: groups, debug and warning commands, fenced tool output."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Self, TextIO

from paved import log
from paved.gha import commands

if TYPE_CHECKING:
    from types import TracebackType

# The runner parses a line as a command after trimming it; "##[" is the old syntax.
_COMMAND_PREFIXES = ("::", "##[")


def _looks_like_command(text: str) -> bool:
    return any(line.strip().startswith(_COMMAND_PREFIXES) for line in text.splitlines())


class GhaLogSink:
    """A paved.log.LogSink that writes the runner's log protocol to `stream`.

    Tool output is untrusted: it is printed only while a stop-commands fence is open. The
    fence opens at the first tool line and closes before any line of ours, because inside
    it our own commands (including ::endgroup::) would be ignored. Call close(), or use
    the sink as a context manager, before anything else prints commands to the stream.
    Worker threads log too: one lock keeps each line, and the fence state, whole.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._token: str | None = None
        self._throttle = log.ProgressThrottle()
        self._lock = threading.RLock()

    def _unfence(self) -> None:
        if self._token is not None:
            commands.resume_commands(self._token, stream=self._stream)
            self._token = None

    def info(self, message: str) -> None:
        """A plain line; fenced if it would read as a command (it may quote user text)."""
        with self._lock:
            self._unfence()
            if _looks_like_command(message):
                with commands.stop_commands(stream=self._stream):
                    commands.write_line(message, stream=self._stream)
            else:
                commands.write_line(message, stream=self._stream)

    def debug(self, message: str) -> None:
        """A ::debug:: line."""
        with self._lock:
            self._unfence()
            commands.debug(message, stream=self._stream)

    def warning(self, message: str) -> None:
        """A ::warning:: line with no file."""
        with self._lock:
            self._unfence()
            commands.issue("warning", message, stream=self._stream)

    def tool_output(self, line: str) -> None:
        """One untrusted line, printed inside a stop-commands fence."""
        with self._lock:
            if self._token is None:
                self._token = commands.pause_commands(stream=self._stream)
            commands.write_line(line, stream=self._stream)

    def begin_section(self, title: str) -> None:
        """A ::group:: line."""
        with self._lock:
            self._unfence()
            commands.begin_group(title, stream=self._stream)

    def end_section(self) -> None:
        """An ::endgroup:: line, after closing any fence so the runner reads it."""
        with self._lock:
            self._unfence()
            commands.end_group(stream=self._stream)

    def progress(self, done: int, total: int | None, label: str) -> None:
        """Plain progress lines, a few seconds apart (the Actions log cannot redraw a bar)."""
        with self._lock:
            if self._throttle.due(done, total, label):
                self.info(log.progress_text(done, total, label))

    def close(self) -> None:
        """Close an open fence, so later commands on the stream work again."""
        with self._lock:
            self._unfence()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def install_sink(stream: TextIO | None = None) -> GhaLogSink:
    """Make a GhaLogSink receive paved.log calls in this context; returns it for close()."""
    sink = GhaLogSink(stream)
    log.install(sink)
    return sink

"""A context-variable logger: the library calls these, the front end installs the renderer.

The library never prints workflow commands itself; paved.gha installs a sink that groups
steps and fences untrusted tool output, the CLI installs a plain one.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterator


class LogSink(Protocol):
    """Where library log lines go."""

    def info(self, message: str) -> None:
        """A line for the user."""

    def debug(self, message: str) -> None:
        """A line only shown when debugging."""

    def warning(self, message: str) -> None:
        """Something the user should look at that does not fail the run."""

    def tool_output(self, line: str) -> None:
        """One line a user's tool printed; untrusted text."""

    def begin_section(self, title: str) -> None:
        """Start a foldable section of the log."""

    def end_section(self) -> None:
        """End the section begun last."""


class StderrSink:
    """The default sink: plain lines on standard error."""

    def __init__(self, *, verbose: bool = False) -> None:
        self.verbose = verbose

    def info(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    def debug(self, message: str) -> None:
        if self.verbose:
            print(f"debug: {message}", file=sys.stderr, flush=True)

    def warning(self, message: str) -> None:
        print(f"warning: {message}", file=sys.stderr, flush=True)

    def tool_output(self, line: str) -> None:
        print(f"  {line}", file=sys.stderr, flush=True)

    def begin_section(self, title: str) -> None:
        print(f"--- {title}", file=sys.stderr, flush=True)

    def end_section(self) -> None:
        return


_sink: ContextVar[LogSink] = ContextVar("paved_log_sink", default=StderrSink())  # noqa: B039


def install(sink: LogSink) -> None:
    """Make `sink` receive every later log call in this context."""
    _sink.set(sink)


def current() -> LogSink:
    """The sink in force."""
    return _sink.get()


def info(message: str) -> None:
    """Log a line for the user."""
    _sink.get().info(message)


def debug(message: str) -> None:
    """Log a debugging line."""
    _sink.get().debug(message)


def warning(message: str) -> None:
    """Log a warning that does not fail the run."""
    _sink.get().warning(message)


def tool_output(line: str) -> None:
    """Log one line printed by a user's tool."""
    _sink.get().tool_output(line)


@contextmanager
def section(title: str) -> Iterator[None]:
    """A foldable section of the log."""
    sink = _sink.get()
    sink.begin_section(title)
    try:
        yield
    finally:
        sink.end_section()

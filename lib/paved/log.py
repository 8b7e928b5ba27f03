"""A context-variable logger: the library calls these, the front end installs the renderer.

The library never prints workflow commands itself; paved.gha installs a sink that groups
steps and fences untrusted tool output, the CLI installs a plain one.
"""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager
from contextvars import ContextVar, copy_context
from functools import cache
from typing import TYPE_CHECKING, ParamSpec, Protocol, TypeVar

from paved.redact import redact

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from concurrent.futures import Future, ThreadPoolExecutor

_P = ParamSpec("_P")
_T = TypeVar("_T")


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

    def progress(self, done: int, total: int | None, label: str) -> None:
        """How far a long task is: `done` of `total` (None when the total is not known)."""


_PROGRESS_EVERY = 5.0
"""Seconds between plain progress lines, so a log is not flooded."""
_BAR_WIDTH = 30


def progress_text(done: int, total: int | None, label: str) -> str:
    """`label: done/total (pct%)`, the plain form of a progress report."""
    if not total:
        return f"{label}: {done}"
    return f"{label}: {done}/{total} ({100 * done // total}%)"


class ProgressThrottle:
    """Says when a plain progress line is due: first, last, or every few seconds between."""

    def __init__(self, every: float = _PROGRESS_EVERY) -> None:
        self.every = every
        self._last: dict[str, float] = {}

    def due(self, done: int, total: int | None, label: str) -> bool:
        """Whether to print this report."""
        import time  # noqa: PLC0415 - only progress needs a clock

        now = time.monotonic()
        last = self._last.get(label)
        finished = total is not None and done >= total
        if last is None or finished or now - last >= self.every:
            self._last[label] = now
            if finished:
                self._last.pop(label, None)
            return True
        return False


_write_lock = threading.Lock()


def _emit(text: str, end: str = "\n") -> None:
    """One whole line to stderr; capabilities log from worker threads, lines must not mix."""
    with _write_lock:
        sys.stderr.write(text + end)
        sys.stderr.flush()


class StderrSink:
    """The default sink: plain lines on standard error."""

    def __init__(self, *, verbose: bool = False) -> None:
        self.verbose = verbose
        self._throttle = ProgressThrottle()

    def info(self, message: str) -> None:
        _emit(message)

    def debug(self, message: str) -> None:
        if self.verbose:
            _emit(f"debug: {message}")

    def warning(self, message: str) -> None:
        _emit(f"warning: {message}")

    def tool_output(self, line: str) -> None:
        _emit(f"  {line}")

    def begin_section(self, title: str) -> None:
        _emit(f"--- {title}")

    def end_section(self) -> None:
        return

    def progress(self, done: int, total: int | None, label: str) -> None:
        """A bar redrawn in place on a terminal; throttled plain lines otherwise."""
        if not sys.stderr.isatty():
            if self._throttle.due(done, total, label):
                _emit(progress_text(done, total, label))
            return
        if total:
            filled = _BAR_WIDTH * min(done, total) // total
            bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
            text = f"\r{label} [{bar}] {done}/{total}"
        else:
            text = f"\r{label} {done}"
        end = "\n" if total is not None and done >= total else ""
        _emit(text, end=end)


_sink: ContextVar[LogSink] = ContextVar("paved_log_sink", default=StderrSink())  # noqa: B039


def install(sink: LogSink) -> None:
    """Make `sink` receive every later log call in this context."""
    _sink.set(sink)


def current() -> LogSink:
    """The sink in force."""
    return _sink.get()


def info(message: str) -> None:
    """Log a line for the user."""
    _sink.get().info(redact(message))


def debug(message: str) -> None:
    """Log a debugging line."""
    _sink.get().debug(redact(message))


def warning(message: str) -> None:
    """Log a warning that does not fail the run."""
    _sink.get().warning(redact(message))


def tool_output(line: str) -> None:
    """Log one line printed by a user's tool."""
    _sink.get().tool_output(redact(line))


def progress(done: int, total: int | None, label: str) -> None:
    """Report how far a long task is (a bar on a terminal, throttled lines in a log)."""
    _sink.get().progress(done, total, label)


@contextmanager
def section(title: str) -> Iterator[None]:
    """A foldable section of the log."""
    sink = _sink.get()
    sink.begin_section(title)
    try:
        yield
    finally:
        sink.end_section()


def worker_pool(max_workers: int, *, name: str = "") -> ThreadPoolExecutor:
    """A thread pool whose tasks run in a copy of the submitter's context.

    The sink is a context variable, and a plain pool's workers start from an empty context:
    their lines would bypass the sink the front end installed (no ::warning::, no fencing).
    Use this for every worker thread that may log.
    """
    return _context_pool()(max_workers=max_workers, thread_name_prefix=name)


@cache
def _context_pool() -> type[ThreadPoolExecutor]:
    # Imported on first use: every action step imports this module, few start threads.
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    class ContextThreadPool(ThreadPoolExecutor):
        def submit(
            self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs
        ) -> Future[_T]:
            """Run `fn(*args, **kwargs)` on a worker, inside a copy of the caller's context."""
            # One copy per task: a context cannot be entered by two threads at once.
            context = copy_context()

            def task() -> _T:
                return context.run(fn, *args, **kwargs)

            return super().submit(task)

    return ContextThreadPool

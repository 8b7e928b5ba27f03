"""The installed sink sees every line, including lines logged from worker threads."""

from __future__ import annotations

import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor

from paved import log


class RecordingSink:
    """A LogSink that keeps each call with the thread it came from."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str, str]] = []

    def _keep(self, kind: str, text: str) -> None:
        self.lines.append((kind, text, threading.current_thread().name))

    def info(self, message: str) -> None:
        self._keep("info", message)

    def debug(self, message: str) -> None:
        self._keep("debug", message)

    def warning(self, message: str) -> None:
        self._keep("warning", message)

    def tool_output(self, line: str) -> None:
        self._keep("tool", line)

    def begin_section(self, title: str) -> None:
        self._keep("begin", title)

    def end_section(self) -> None:
        self._keep("end", "")

    def progress(self, done: int, total: int | None, label: str) -> None:
        self._keep("progress", log.progress_text(done, total, label))


def _in_fresh_context(work):
    return contextvars.copy_context().run(work)


def test_a_line_logged_from_a_worker_thread_reaches_the_installed_sink():
    sink = RecordingSink()

    def work() -> None:
        log.install(sink)
        with log.worker_pool(2, name="worker") as pool:
            pool.submit(log.warning, "from a worker").result()
            pool.submit(log.info, "and another").result()

    _in_fresh_context(work)
    assert [(kind, text) for kind, text, _ in sink.lines] == [
        ("warning", "from a worker"),
        ("info", "and another"),
    ]
    assert all(thread.startswith("worker") for _, _, thread in sink.lines)


def test_a_plain_pool_loses_the_sink_which_is_why_paved_uses_its_own():
    sink = RecordingSink()

    def work() -> None:
        log.install(sink)
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(log.current).result()

    assert _in_fresh_context(work) is not sink


def test_each_task_gets_its_own_copy_so_parallel_tasks_do_not_collide():
    sink = RecordingSink()
    barrier = threading.Barrier(3)

    def task(n: int) -> None:
        barrier.wait(timeout=5)
        log.info(f"task {n}")

    def work() -> None:
        log.install(sink)
        with log.worker_pool(3) as pool:
            for future in [pool.submit(task, n) for n in range(3)]:
                future.result()

    _in_fresh_context(work)
    assert sorted(text for _, text, _ in sink.lines) == ["task 0", "task 1", "task 2"]

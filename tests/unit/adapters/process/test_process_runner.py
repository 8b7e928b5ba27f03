"""The one process runner: streamed or captured output, a timeout, cancellation, no orphans."""

from __future__ import annotations

import sys
import threading
import time

import pytest
from paved.adapters.process.runner import (
    ProcessCancelledError,
    ProcessTimeoutError,
    run_program,
)
from paved.errors import ToolNotFoundError

PY = sys.executable


def test_captured_output_keeps_stdout_and_stderr_apart():
    done = run_program([PY, "-c", "import sys; print('out'); print('err', file=sys.stderr)"])
    assert (done.exit_code, done.output, done.errors) == (0, "out\n", "err\n")


def test_stdin_reaches_the_program_and_arguments_are_never_a_shell():
    done = run_program(
        [PY, "-c", "import sys; print(sys.stdin.read()[::-1])", "$(id)"], stdin="abc"
    )
    assert done.output == "cba\n"


def test_streamed_lines_reach_the_callback_as_they_come_and_the_last_are_kept():
    seen: list[str] = []
    script = "import sys\nfor i in range(5): print(i, file=sys.stderr if i % 2 else sys.stdout, flush=True)"  # noqa: E501
    done = run_program([PY, "-c", script], on_line=seen.append, keep_lines=3)
    assert seen == ["0", "1", "2", "3", "4"]
    assert done.lines == ("2", "3", "4")
    assert done.output == "2\n3\n4"


def test_a_missing_program_is_a_tool_not_found_error():
    with pytest.raises(ToolNotFoundError, match="no-such-program-here"):
        run_program(["no-such-program-here"])


@pytest.mark.parametrize("streamed", [False, True], ids=["captured", "streamed"])
def test_a_program_past_its_timeout_is_stopped(streamed):
    started = time.monotonic()
    on_line = (lambda _line: None) if streamed else None
    with pytest.raises(ProcessTimeoutError, match=r"did not finish within 0\.5 s"):
        run_program([PY, "-c", "import time; time.sleep(30)"], timeout=0.5, on_line=on_line)
    assert time.monotonic() - started < 10


def test_setting_the_cancel_event_stops_the_program():
    cancel = threading.Event()
    seen: list[str] = []

    def on_line(line: str) -> None:
        seen.append(line)
        cancel.set()

    script = "import time\nprint('ready', flush=True)\ntime.sleep(30)"
    with pytest.raises(ProcessCancelledError):
        run_program([PY, "-c", script], on_line=on_line, cancel=cancel)
    assert seen == ["ready"]

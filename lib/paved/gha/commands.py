"""Workflow commands and file commands: the one place that speaks the runner protocol.

Only this module imports actions_toolkit; its API is untyped, so every call is wrapped
here and nothing of it leaks to the rest of paved.
"""

from __future__ import annotations

import os
import secrets
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from actions_toolkit import command as _command
from actions_toolkit import file_command as _file_command

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

FILE_COMMANDS = frozenset({"OUTPUT", "ENV", "PATH", "STATE", "STEP_SUMMARY"})
"""File commands the runner knows, named as in GITHUB_<kind>."""

_KEY_VALUE_ATTEMPTS = 16


def _out(stream: TextIO | None) -> TextIO:
    # Resolved per call, not as a default argument, so a replaced sys.stdout is honoured.
    return sys.stdout if stream is None else stream


def write_line(line: str, *, stream: TextIO | None = None) -> None:
    """Print one plain log line and flush."""
    out = _out(stream)
    out.write(line + "\n")
    # Tool processes share the job log; flushing keeps our lines in order with theirs.
    out.flush()


def escape_data(text: str) -> str:
    """Escape a command message: % CR LF."""
    return str(_command.escape_data(text))


def escape_property(text: str) -> str:
    """Escape a command property value: % CR LF : ,."""
    return str(_command.escape_property(text))


def format_command(command: str, message: str = "", **properties: str | int | None) -> str:
    """The `::command key=value,...::message` line, escaped; None properties are dropped."""
    kept = {key: str(value) for key, value in properties.items() if value is not None}
    return str(_command.Command(command, kept, message))


def issue(
    command: str,
    message: str = "",
    *,
    stream: TextIO | None = None,
    **properties: str | int | None,
) -> None:
    """Print one workflow command (default stream: sys.stdout)."""
    write_line(format_command(command, message, **properties), stream=stream)


def add_mask(secret: str, *, stream: TextIO | None = None) -> None:
    """Mask `secret` in the log; one command per non-empty line, so each line is masked."""
    # The runner masks each add-mask value as a whole; a multi-line secret printed later
    # appears line by line, so every line has to be registered on its own.
    for line in secret.splitlines():
        if line.strip():
            issue("add-mask", line, stream=stream)


def begin_group(title: str, *, stream: TextIO | None = None) -> None:
    """Start a foldable group in the log."""
    issue("group", title, stream=stream)


def end_group(*, stream: TextIO | None = None) -> None:
    """End the group begun last."""
    issue("endgroup", stream=stream)


def debug(message: str, *, stream: TextIO | None = None) -> None:
    """A line shown only when step debug logging is on."""
    issue("debug", message, stream=stream)


def pause_commands(*, stream: TextIO | None = None) -> str:
    """Stop the runner from reading workflow commands; returns the token that resumes it."""
    # A fresh unguessable token per fence: text printed inside cannot end the fence.
    token = secrets.token_hex(16)
    issue("stop-commands", token, stream=stream)
    return token


def resume_commands(token: str, *, stream: TextIO | None = None) -> None:
    """Let the runner read workflow commands again after pause_commands()."""
    write_line(f"::{token}::", stream=stream)


@contextmanager
def stop_commands(*, stream: TextIO | None = None) -> Iterator[str]:
    """Fence for untrusted text: nothing printed inside can issue a workflow command."""
    token = pause_commands(stream=stream)
    try:
        yield token
    finally:
        resume_commands(token, stream=stream)


def is_act(environ: Mapping[str, str] = os.environ) -> bool:
    """True when running under nektos/act, which sets ACT=true."""
    return environ.get("ACT") == "true"


def file_command_path(kind: str, environ: Mapping[str, str] = os.environ) -> str | None:
    """The file behind GITHUB_<kind>, or None when it is unset (e.g. running locally)."""
    if kind not in FILE_COMMANDS:
        msg = f"unknown file command {kind!r}; known: {', '.join(sorted(FILE_COMMANDS))}"
        raise ValueError(msg)
    return environ.get(f"GITHUB_{kind}") or None


def append_file_command(kind: str, text: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Append `text` and a line break to the GITHUB_<kind> file; False when it is unset."""
    # Not actions_toolkit's issue_file_command: it reads os.environ itself, so it could
    # not be given an environment, and it fails when the runner has not created the file.
    path = file_command_path(kind, environ)
    if path is None:
        return False
    with Path(path).open("a", encoding="utf-8", newline="") as file:
        file.write(text + os.linesep)
    return True


def key_value_message(key: str, value: str) -> str:
    """`key<<ghadelimiter_<uuid4>` heredoc lines for GITHUB_OUTPUT and GITHUB_ENV.

    The delimiter is random, so a value cannot end the heredoc early; should it ever
    contain the delimiter, a new one is drawn.
    """
    for _ in range(_KEY_VALUE_ATTEMPTS):
        try:
            message = _file_command.prepare_key_value_message(key, value)
        except Exception as error:
            # The toolkit raises a bare Exception when the key or value holds its delimiter.
            if "delimiter" not in str(error):
                raise
            continue
        return str(message)
    msg = f"no heredoc delimiter found that is absent from output {key!r}"
    raise RuntimeError(msg)

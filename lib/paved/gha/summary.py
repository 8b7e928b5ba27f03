"""The job summary: markdown appended to GITHUB_STEP_SUMMARY, kept under GitHub's limit."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from paved.gha import commands

if TYPE_CHECKING:
    from collections.abc import Mapping

SUMMARY_LIMIT_BYTES = 1024 * 1024
"""GitHub rejects a step summary larger than 1 MiB (the whole file, not one write)."""

_LINES = re.compile(r"[^\n]*\n|[^\n]+")
# Room for the blank line before the note and a line break ending a cut line.
_NOTE_OVERHEAD = 2


@dataclass(frozen=True)
class SummaryWritten:
    """What write_summary appended."""

    bytes_written: int
    truncated: bool


def truncation_note(shown_bytes: int, total_bytes: int) -> str:
    """The line that tells a reader the summary was cut."""
    return (
        f"> **Summary truncated**: showing {shown_bytes} of {total_bytes} bytes; "
        "GitHub allows 1 MiB per step. The full report is in the JSON outcome."
    )


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def fit_summary(markdown: str, limit_bytes: int = SUMMARY_LIMIT_BYTES) -> tuple[str, bool]:
    """`markdown`, cut if needed so it and the closing line break fit in `limit_bytes`.

    The cut falls at a line boundary (inside a line only if the first line alone is too
    long, and then never inside a character) and a note says how much is shown.
    Returns the text and whether it was cut; "" when not even the note fits.
    """
    newline = _size(os.linesep)
    total = _size(markdown)
    if total + newline <= limit_bytes:
        return markdown, False
    # The note for total shown is the longest it can be, since shown <= total.
    room = limit_bytes - newline - _NOTE_OVERHEAD - _size(truncation_note(total, total))
    if room < 0:
        return "", True
    kept: list[str] = []
    size = 0
    for line in _LINES.findall(markdown):
        line_size = _size(line)
        if size + line_size > room:
            break
        kept.append(line)
        size += line_size
    if not kept:
        # errors="ignore" drops the partial character left at the end of the byte cut.
        kept.append(markdown.encode("utf-8")[:room].decode("utf-8", errors="ignore"))
    body = "".join(kept)
    if not body.endswith("\n"):
        body += "\n"
    return f"{body}\n{truncation_note(_size(''.join(kept)), total)}", True


def write_summary(
    markdown: str,
    environ: Mapping[str, str] = os.environ,
    stream: TextIO | None = None,
    limit_bytes: int = SUMMARY_LIMIT_BYTES,
) -> SummaryWritten:
    """Append `markdown` to GITHUB_STEP_SUMMARY, truncated to fit; nothing when unset.

    Under act, which drops summaries, the text is also echoed to the log, fenced.
    """
    path = commands.file_command_path("STEP_SUMMARY", environ)
    # Earlier writes in this step count against the same limit.
    existing = Path(path).stat().st_size if path is not None and Path(path).exists() else 0
    text, truncated = fit_summary(markdown, max(0, limit_bytes - existing))
    if commands.is_act(environ) and text:
        with commands.stop_commands(stream=stream):
            for line in text.splitlines():
                commands.write_line(line, stream=stream)
    if path is None or not text:
        return SummaryWritten(bytes_written=0, truncated=truncated)
    commands.append_file_command("STEP_SUMMARY", text, environ)
    return SummaryWritten(bytes_written=_size(text + os.linesep), truncated=truncated)

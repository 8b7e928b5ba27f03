"""Turn format and lint tool output into located findings."""

from __future__ import annotations

import re
from dataclasses import dataclass

# ruff --output-format=concise and flake8's default: "path:line:col: CODE message"; ruff marks
# fixable findings with "[*]" before the message, which is not part of it.
_LINT_LINE = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<code>[A-Z]+[0-9]+)\s+(?:\[\*\]\s+)?(?P<msg>.*)$"
)
# ruff format --check: "Would reformat: path"; black --check: "would reformat path"
_FORMAT_LINE = re.compile(r"^would reformat:? (?P<file>.+?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class CodeFinding:
    """A problem a format checker or linter found at a place in the project."""

    file: str
    """As the tool printed it (relative to the project directory)."""
    line: int | None
    column: int | None
    code: str
    message: str


def parse_lint_output(output: str) -> tuple[CodeFinding, ...]:
    """Findings from ruff (concise) or flake8 output; other lines are ignored."""
    found = []
    for line in output.splitlines():
        match = _LINT_LINE.match(line.strip())
        if match:
            found.append(
                CodeFinding(
                    file=match["file"],
                    line=int(match["line"]),
                    column=int(match["col"]),
                    code=match["code"],
                    message=match["msg"],
                )
            )
    return tuple(found)


def parse_format_output(output: str) -> tuple[CodeFinding, ...]:
    """Files a ruff or black format check would change."""
    found = []
    for line in output.splitlines():
        match = _FORMAT_LINE.match(line.strip())
        if match:
            found.append(
                CodeFinding(
                    file=match["file"],
                    line=None,
                    column=None,
                    code="format",
                    message="would be reformatted",
                )
            )
    return tuple(found)

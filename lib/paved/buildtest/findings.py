"""Turn format and lint tool output into located findings."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass

# flake8's default format (and ruff's concise one): "path:line:col: CODE message"; ruff marks
# fixable findings with "[*]" before the message, which is not part of it.
_LINT_LINE = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<code>[A-Z]+[0-9]+)\s+(?:\[\*\]\s+)?(?P<msg>.*)$"
)
# What format checkers print per file they would change, by tool and version:
#   ruff with RUFF_OUTPUT_FORMAT=concise (0.9+): "a.py:2:1: unformatted: File would be reformatted"
#   ruff's full output (0.9+):                   " --> a.py:2:1" under "unformatted: ..."
#   ruff before 0.9:                             "Would reformat: a.py"
#   black --check:                               "would reformat a.py"
_FORMAT_LINES = (
    re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): unformatted:"),
    re.compile(r"^-->\s+(?P<file>.+?):(?P<line>\d+):(?P<col>\d+)$"),
    re.compile(r"^would reformat:? (?P<file>.+?)\s*$", re.IGNORECASE),
)


@dataclass(frozen=True)
class CodeFinding:
    """A problem a format checker or linter found at a place in the project."""

    file: str
    """Relative to the project directory."""
    line: int | None
    column: int | None
    code: str
    message: str


def parse_lint_output(output: str) -> tuple[CodeFinding, ...]:
    """Findings from flake8 (or ruff concise) output; other lines are ignored."""
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


def parse_ruff_json(text: str, project: str) -> tuple[CodeFinding, ...]:
    """Findings from `ruff check --output-format=json`; file names relative to `project`."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return ()
    found = []
    for item in document if isinstance(document, list) else ():
        if not isinstance(item, dict):
            continue
        where = item.get("location")
        location: dict[str, object] = where if isinstance(where, dict) else {}
        found.append(
            CodeFinding(
                file=_relative(str(item.get("filename") or "?"), project),
                line=_number(location.get("row")),
                column=_number(location.get("column")),
                code=str(item.get("code") or "syntax"),
                message=str(item.get("message") or ""),
            )
        )
    return tuple(found)


def parse_format_output(output: str) -> tuple[CodeFinding, ...]:
    """Files a ruff or black format check would change, once each, in the order printed."""
    found: dict[str, CodeFinding] = {}
    for line in output.splitlines():
        for pattern in _FORMAT_LINES:
            match = pattern.match(line.strip())
            if match is None:
                continue
            groups = match.groupdict()
            found.setdefault(
                match["file"],
                CodeFinding(
                    file=match["file"],
                    line=int(groups["line"]) if groups.get("line") else None,
                    column=int(groups["col"]) if groups.get("col") else None,
                    code="format",
                    message="would be reformatted",
                ),
            )
            break
    return tuple(found.values())


def _number(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _relative(path: str, project: str) -> str:
    root = posixpath.normpath(project)
    if path.startswith(root + "/"):
        return path[len(root) + 1 :]
    return path

"""Helpers for security-scan's pure logic, on the shared fakes (tests/fakes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fakes.workspace import ScriptedWorkspace
from paved.adapters.scanners import (
    Finding,
    FindingKind,
    ScannerMissing,
    Severity,
)

if TYPE_CHECKING:
    from pathlib import Path


def files_only(files: dict[Path, str] | None = None) -> ScriptedWorkspace:
    """A workspace that only reads the files it was given (security-scan runs no commands
    through it: its scanners are adapters of their own)."""
    return ScriptedWorkspace(files, commands_allowed=False)


def finding(severity: Severity, id_: str = "B602", tool: str = "bandit") -> Finding:
    """A file-located finding."""
    return Finding(
        id_, tool, id_, severity, f"{id_} message", FindingKind.CODE, file="app/a.py", line=3
    )


def missing(tool: str) -> ScannerMissing:
    """The error a backend raises when its program is absent."""
    return ScannerMissing(tool, f"'{tool}' was not found on PATH", hint=f"install {tool}")

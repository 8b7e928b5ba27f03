"""Fakes for security-scan's pure logic: they subclass our own interfaces only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.adapters.scanners import (
    Finding,
    FindingKind,
    Scanner,
    ScannerError,
    ScannerMissing,
    ScanReport,
    ScanTarget,
    Severity,
)
from paved.adapters.workspace import Command, CommandResult, Workspace

if TYPE_CHECKING:
    from pathlib import Path


class FakeScanner(Scanner):
    """Returns fixed findings, or raises the error it was given."""

    def __init__(self, tool: str, *findings: Finding, error: ScannerError | None = None) -> None:
        self.tool = tool
        self.findings = findings
        self.error = error

    def scan(self, target: ScanTarget) -> ScanReport:  # noqa: ARG002 - fixed answers
        if self.error is not None:
            raise self.error
        return ScanReport(tool=self.tool, findings=self.findings)


class FilesOnly(Workspace):
    """A workspace that only reads the files it was given."""

    def __init__(self, files: dict[Path, str] | None = None) -> None:
        self.files = files or {}

    def run(self, command: Command) -> CommandResult:
        raise AssertionError(command)

    def read_text(self, path: Path) -> str | None:
        return self.files.get(path)

    def exists(self, path: Path) -> bool:
        return path in self.files

    def which(self, program: str) -> str | None:  # noqa: ARG002 - nothing is installed
        return None


def finding(severity: Severity, id_: str = "B602", tool: str = "bandit") -> Finding:
    """A file-located finding."""
    return Finding(
        id_, tool, id_, severity, f"{id_} message", FindingKind.CODE, file="app/a.py", line=3
    )


def missing(tool: str) -> ScannerMissing:
    """The error a backend raises when its program is absent."""
    return ScannerMissing(tool, f"'{tool}' was not found on PATH", hint=f"install {tool}")

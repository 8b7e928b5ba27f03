"""The Scanner fake: fixed findings, or the error it was given."""

from __future__ import annotations

from paved.adapters.scanners import Finding, Scanner, ScannerError, ScanReport, ScanTarget


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

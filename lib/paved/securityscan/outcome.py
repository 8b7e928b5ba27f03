"""What a security-scan run produced: each scanner's run, the findings, the gate's verdict."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from paved.model import Result
from paved.securityscan.findings import counts

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from paved.adapters.scanners.interface import Finding, Severity
    from paved.securityscan.ignores import IgnoreEntry
    from paved.securityscan.options import ScannerKind


class RunStatus(StrEnum):
    """How one scanner's run ended."""

    OK = "ok"
    ERROR = "error"
    """It ran and failed, or it could not be run; its findings are unknown."""
    MISSING = "missing"
    """Its program is not installed."""


@dataclass(frozen=True)
class ScannerRun:
    """One scanner's run."""

    kind: ScannerKind
    tool: str
    status: RunStatus
    optional: bool
    seconds: float
    findings: int = 0
    """Findings it reported, before deduplication and ignores."""
    error: str | None = None
    artifact: Path | None = None
    checked: int | None = None
    tool_version: str | None = None

    @property
    def failed(self) -> bool:
        """It did not complete."""
        return self.status is not RunStatus.OK


@dataclass(frozen=True)
class IgnoredFinding:
    """A finding the ignore file accepted, and the entry that did."""

    finding: Finding
    entry: IgnoreEntry


@dataclass(frozen=True)
class SecurityScanOutcome:
    """The whole result of security-scan."""

    project: str
    """The project directory relative to the repository root."""
    fail_on: Severity | None
    runs: tuple[ScannerRun, ...]
    findings: tuple[Finding, ...]
    """Deduplicated, not ignored, worst first."""
    ignored: tuple[IgnoredFinding, ...]
    unused_ignores: tuple[IgnoreEntry, ...]
    output_dir: Path
    today: date
    duration_seconds: float
    jobs: int
    manifest: str = "."
    """Repository-relative file that places findings without a file (requirements.txt)."""

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """Findings at or above the fail-on threshold."""
        if self.fail_on is None:
            return ()
        threshold = self.fail_on.rank
        return tuple(f for f in self.findings if f.severity.rank >= threshold)

    @property
    def broken(self) -> tuple[ScannerRun, ...]:
        """Required scanners that did not complete: the run cannot pass."""
        return tuple(r for r in self.runs if r.failed and not r.optional)

    @property
    def result(self) -> Result:
        """Error when a required scanner failed (never a pass); failed on blocking findings."""
        if self.broken:
            return Result.ERROR
        if self.blocking:
            return Result.FAILED
        return Result.PASSED

    @property
    def counts(self) -> dict[Severity, int]:
        """Findings per severity."""
        return counts(self.findings)

    @property
    def sbom_path(self) -> Path | None:
        """The SBOM the sbom scanner wrote."""
        return next((r.artifact for r in self.runs if r.artifact and not r.failed), None)

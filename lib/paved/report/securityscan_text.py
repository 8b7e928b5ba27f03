"""Phrases shared by security-scan's summary, console report and annotations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.model import Result

if TYPE_CHECKING:
    from paved.adapters.scanners.interface import Finding
    from paved.securityscan.outcome import SecurityScanOutcome

SARIF_DIR = "sarif"
TOP = 25
"""Findings listed in the summary and the console report."""
ICON = {Result.PASSED: "✅", Result.FAILED: "❌", Result.ERROR: "⚠️"}


def sarif_dir(outcome: SecurityScanOutcome) -> str:
    """Where the SARIF files are written (one per tool)."""
    return str(outcome.output_dir / SARIF_DIR)


def reasons(outcome: SecurityScanOutcome) -> list[str]:
    """Every reason the run did not pass, one sentence each."""
    lines = [
        f"the {run.kind.value} scanner ({run.tool}) "
        f"{'is not installed' if run.status.value == 'missing' else 'failed'}: {run.error}"
        for run in outcome.broken
    ]
    if outcome.blocking and outcome.fail_on is not None:
        lines.append(
            f"{len(outcome.blocking)} finding(s) at or above {outcome.fail_on.value} (fail-on)"
        )
    return lines


def names(finding: Finding) -> str:
    """The id with its aliases."""
    return finding.id + (f" ({', '.join(finding.aliases)})" if finding.aliases else "")


def where(finding: Finding) -> str:
    """The package and version, or file:line."""
    if finding.package:
        place = f"{finding.package} {finding.installed_version or ''}".strip()
        line = f"{finding.file}:{finding.line}" if finding.file and finding.line else None
        if finding.direct is False and finding.via:
            return f"{place} (transitive, via {finding.via}" + (f" at {line})" if line else ")")
        if finding.direct:
            return f"{place} (direct" + (f", {line})" if line else ")")
        return f"{place} ({line})" if line else place
    parts = [str(p) for p in (finding.file, finding.line, finding.column) if p]
    return ":".join(parts) or "—"

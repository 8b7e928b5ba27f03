"""security-scan as text: job summary, console report, JSON outcome, outputs, annotations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.model import Annotation, Level, Rendered
from paved.report import sarif
from paved.report.outcome_json import assemble
from paved.report.securityscan_summary import summary
from paved.report.securityscan_text import TOP, names, reasons, sarif_dir, where
from paved.securityscan.findings import SEVERITY_ORDER

if TYPE_CHECKING:
    from collections.abc import Sequence

    from paved.adapters.scanners.interface import Finding
    from paved.report.sarif import SarifFile
    from paved.securityscan.outcome import ScannerRun, SecurityScanOutcome

CAPABILITY = "security-scan"


def render(outcome: SecurityScanOutcome, files: Sequence[SarifFile] | None = None) -> Rendered:
    """Everything a front end shows for one security-scan outcome; `files` are its SARIF
    documents when the caller has built them already (built once per run, then passed on)."""
    files = sarif.documents(outcome) if files is None else files
    return assemble(
        CAPABILITY,
        outcome.result,
        outcome_fields(outcome, files),
        summary=summary(outcome, files),
        console=console(outcome, files),
        annotations=annotations_for(outcome),
    )


def outcome_fields(outcome: SecurityScanOutcome, files: Sequence[SarifFile]) -> dict[str, object]:
    """The JSON outcome's fields; top-level scalars are also the action's outputs."""
    tally = outcome.counts
    fields: dict[str, object] = {"result": outcome.result.value}
    fields.update({severity.value: tally[severity] for severity in SEVERITY_ORDER})
    fields.update(
        {
            "total": len(outcome.findings),
            "blocking": len(outcome.blocking),
            "ignored": len(outcome.ignored),
            "fail_on": outcome.fail_on.value if outcome.fail_on else "none",
            "scanners_failed": sum(1 for run in outcome.runs if run.failed),
            "sarif_dir": sarif_dir(outcome) if files else None,
            "sbom_path": str(outcome.sbom_path) if outcome.sbom_path else None,
            "project": outcome.project,
            "duration_seconds": round(outcome.duration_seconds, 3),
            "scanners": [_run_fields(run) for run in outcome.runs],
            "sarif_files": [
                {
                    "path": f"{sarif_dir(outcome)}/{f.name}",
                    "tool": f.tool,
                    "category": f.category,
                    "results": f.results,
                    "dropped": f.dropped,
                }
                for f in files
            ],
            "findings": [_finding_fields(f) for f in outcome.findings],
            "ignored_findings": [
                {
                    **_finding_fields(i.finding),
                    "reason": i.entry.reason,
                    "expires": i.entry.expires.isoformat(),
                    "ignore_entry": str(i.entry.location),
                }
                for i in outcome.ignored
            ],
            "unused_ignores": [
                {"id": e.id, "expires": e.expires.isoformat(), "where": str(e.location)}
                for e in outcome.unused_ignores
            ],
        }
    )
    return fields


def _run_fields(run: ScannerRun) -> dict[str, object]:
    return {
        "scanner": run.kind.value,
        "tool": run.tool,
        "status": run.status.value,
        "optional": run.optional,
        "findings": run.findings,
        "checked": run.checked,
        "seconds": round(run.seconds, 3),
        "error": run.error,
        "artifact": str(run.artifact) if run.artifact else None,
    }


def _finding_fields(finding: Finding) -> dict[str, object]:
    return {
        "id": finding.id,
        "aliases": list(finding.aliases),
        "tool": finding.tool,
        "tools": list(finding.reported_by),
        "rule": finding.rule,
        "severity": finding.severity.value,
        "kind": finding.kind.value,
        "package": finding.package,
        "installed_version": finding.installed_version,
        "fixed_versions": list(finding.fixed_versions),
        "dependency": dependency(finding),
        "via": finding.via,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
        "help_url": finding.help_url,
    }


def dependency(finding: Finding) -> str | None:
    """direct or transitive, for a dependency's advisory whose origin is known."""
    if finding.direct is None:
        return None
    return "direct" if finding.direct else "transitive"


def console(outcome: SecurityScanOutcome, files: Sequence[SarifFile]) -> str:
    """A short plain-text report for a terminal."""
    tally = outcome.counts
    counts = ", ".join(f"{tally[s]} {s.value}" for s in SEVERITY_ORDER)
    gate = outcome.fail_on.value if outcome.fail_on else "none"
    lines = [
        f"security-scan {outcome.result.value}: {outcome.project} (fail-on {gate})",
        f"  findings: {counts}; {len(outcome.ignored)} ignored",
    ]
    lines.extend(
        f"  {run.kind.value:<13}{run.tool:<15}{run.status.value:<8}"
        f"{'' if run.failed else str(run.findings) + ' finding(s)'}"
        f"{'  ' + run.error if run.error else ''}"
        for run in outcome.runs
    )
    lines.extend(
        f"  {f.severity.value.upper():<9}{names(f)} {where(f)}"
        + (f" -> fixed in {', '.join(f.fixed_versions)}" if f.fixed_versions else "")
        + f": {f.message}"
        for f in outcome.findings[:TOP]
    )
    if len(outcome.findings) > TOP:
        lines.append(f"  ...and {len(outcome.findings) - TOP} more (see --json and the SARIF)")
    lines.extend(
        f"  ignored {names(i.finding)} until {i.entry.expires.isoformat()}: {i.entry.reason}"
        for i in outcome.ignored
    )
    lines.extend(f"  - {reason}" for reason in reasons(outcome))
    if files:
        lines.append(f"  SARIF: {sarif_dir(outcome)}")
    if outcome.sbom_path:
        lines.append(f"  SBOM: {outcome.sbom_path}")
    return "\n".join(lines) + "\n"


def annotations_for(outcome: SecurityScanOutcome) -> tuple[Annotation, ...]:
    """The reasons first; then one annotation per file-located finding, worst first
    (errors for blocking findings, warnings for the rest)."""
    found: list[Annotation] = []
    why = reasons(outcome)
    if why:
        found.append(
            Annotation(
                level=Level.ERROR,
                title=f"security-scan {outcome.result.value}",
                message="; ".join(why),
            )
        )
    blocking = {id(f) for f in outcome.blocking}
    found.extend(
        Annotation(
            level=Level.ERROR if id(f) in blocking else Level.WARNING,
            title=f"{f.tool}: {f.rule} ({f.severity.value})",
            message=sarif.message(f),
            file=f.file,
            line=f.line,
            end_line=f.end_line,
            column=f.column,
        )
        for f in outcome.findings
        if f.file
    )
    return tuple(found)

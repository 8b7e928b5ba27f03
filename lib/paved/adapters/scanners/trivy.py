"""Container images with Trivy (a binary on PATH): `trivy image --format json IMAGE`."""

from __future__ import annotations

import shutil
from typing import Any

from paved.adapters.scanners import process, shape
from paved.adapters.scanners.interface import (
    Finding,
    FindingKind,
    Scanner,
    ScannerError,
    ScannerMissing,
    ScanReport,
    ScanTarget,
    Severity,
)

TOOL = "trivy"
REPORT_SHAPE = {
    "SchemaVersion": shape.Literal(2),
    "ArtifactName": str,
    "Results": shape.Optional(
        [
            {
                "Target": str,
                "Vulnerabilities": shape.Optional(
                    [{"VulnerabilityID": str, "PkgName": str, "Severity": str}]
                ),
                "Secrets": shape.Optional([{"RuleID": str, "Severity": str}]),
                "Misconfigurations": shape.Optional([{"ID": str, "Severity": str}]),
            }
        ]
    ),
}
"""Trivy's JSON report, schema version 2: what was scanned and what was found in it."""
_INSTALL = (
    "install Trivy (on GitHub runners: the aquasecurity/setup-trivy action) or mark trivy optional"
)
_SEVERITY = {
    "CRITICAL": Severity.CRITICAL,
    "HIGH": Severity.HIGH,
    "MEDIUM": Severity.MEDIUM,
    "LOW": Severity.LOW,
    "UNKNOWN": Severity.UNKNOWN,
}


class TrivyScanner(Scanner):
    """Trivy's vulnerability, secret and misconfiguration results for one image."""

    tool = TOOL

    def scan(self, target: ScanTarget) -> ScanReport:
        if not target.image:
            raise ScannerError(TOOL, "no image reference to scan")
        binary = shutil.which("trivy")
        if binary is None:
            raise ScannerMissing(TOOL, "'trivy' was not found on PATH", hint=_INSTALL)
        argv = [binary, "image", "--format", "json", "--quiet", target.image]
        done = process.run(TOOL, argv, cwd=target.project_dir, install_hint=_INSTALL)
        if done.exit_code != 0:
            raise ScannerError(TOOL, f"exited with {done.exit_code}: {done.tail()}")
        return parse_report(done.stdout)


def parse_report(text: str) -> ScanReport:
    """Findings from a Trivy JSON report (schema version 2)."""
    document = shape.load(TOOL, text, REPORT_SHAPE)
    findings: list[Finding] = []
    # Inside an image a target is a path in the image, not a file of the repository.
    in_image = document.get("ArtifactType") == "container_image"
    for result in document.get("Results") or []:
        where = str(result.get("Target", ""))
        file = None if in_image else where or None
        findings.extend(_vulnerability(v, where) for v in result.get("Vulnerabilities") or [])
        findings.extend(_secret(s, where, file) for s in result.get("Secrets") or [])
        findings.extend(
            _misconfiguration(m, where, file)
            for m in result.get("Misconfigurations") or []
            if m.get("Status", "FAIL") == "FAIL"
        )
    version = (document.get("Trivy") or {}).get("Version")
    return ScanReport(
        tool=TOOL,
        findings=tuple(findings),
        tool_version=version,
        details={"artifact": document.get("ArtifactName")},
    )


def _severity(item: dict[str, Any]) -> Severity:
    return _SEVERITY.get(str(item.get("Severity", "UNKNOWN")).upper(), Severity.UNKNOWN)


def _vulnerability(item: dict[str, Any], where: str) -> Finding:
    fixed = str(item.get("FixedVersion") or "")
    return Finding(
        id=item["VulnerabilityID"],
        tool=TOOL,
        rule=item["VulnerabilityID"],
        severity=_severity(item),
        message=f"{item.get('Title') or item['VulnerabilityID']} ({where})",
        kind=FindingKind.VULNERABILITY,
        package=item.get("PkgName"),
        installed_version=item.get("InstalledVersion"),
        fixed_versions=tuple(v.strip() for v in fixed.split(",") if v.strip()),
        file=None,
        help_url=item.get("PrimaryURL"),
    )


def _secret(item: dict[str, Any], where: str, file: str | None) -> Finding:
    return Finding(
        id=str(item.get("RuleID")),
        tool=TOOL,
        rule=str(item.get("RuleID")),
        severity=_severity(item),
        message=f"{item.get('Title')} in {where}",
        kind=FindingKind.SECRET,
        file=file,
        line=item.get("StartLine"),
        end_line=item.get("EndLine"),
    )


def _misconfiguration(item: dict[str, Any], where: str, file: str | None) -> Finding:
    cause = item.get("CauseMetadata") or {}
    return Finding(
        id=str(item.get("ID")),
        tool=TOOL,
        rule=str(item.get("ID")),
        severity=_severity(item),
        message=f"{item.get('Title')}: {item.get('Message')} ({where})",
        kind=FindingKind.MISCONFIGURATION,
        file=file,
        line=cause.get("StartLine"),
        end_line=cause.get("EndLine"),
        help_url=item.get("PrimaryURL"),
    )

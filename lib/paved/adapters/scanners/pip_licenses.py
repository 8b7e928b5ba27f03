"""Licenses with pip-licenses: `python -m piplicenses --format=json --python PYTHON`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.adapters.scanners import process, shape
from paved.adapters.scanners.interface import (
    Finding,
    FindingKind,
    LicensePolicy,
    Scanner,
    ScannerError,
    ScanReport,
    ScanTarget,
    Severity,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

TOOL = "pip-licenses"
REPORT_SHAPE = [{"Name": str, "Version": str, "License": str}]
"""What `pip-licenses --format=json` writes: one object per installed package."""
_UNKNOWN = "UNKNOWN"


class PipLicensesScanner(Scanner):
    """The licenses of an installed environment, judged against an allow/deny policy."""

    tool = TOOL

    def scan(self, target: ScanTarget) -> ScanReport:
        if not target.python:
            raise ScannerError(TOOL, "needs an installed environment: give python")
        argv = [
            *process.module_command("piplicenses"),
            "--format=json",
            "--from=mixed",
            f"--python={target.python}",
        ]
        done = process.run(
            TOOL, argv, cwd=target.project_dir, install_hint="pip install pip-licenses"
        )
        if done.exit_code != 0:
            raise ScannerError(TOOL, f"exited with {done.exit_code}: {done.tail()}")
        return parse_report(done.stdout, target.license_policy)


def parse_report(text: str, policy: LicensePolicy) -> ScanReport:
    """One finding per package whose licenses the policy denies or does not allow."""
    packages = shape.load(TOOL, text, REPORT_SHAPE)
    if not packages:
        # An environment with the project installed lists at least the project itself.
        raise ScannerError(
            TOOL,
            "listed no installed packages",
            hint="point --python at the interpreter of the project's installed environment",
        )
    findings = []
    for package in packages:
        licenses = split_licenses(str(package.get("License", _UNKNOWN)))
        verdict = judge_licenses(licenses, policy)
        if verdict is None:
            continue
        severity, why = verdict
        name = str(package.get("Name"))
        findings.append(
            Finding(
                id=f"license:{name}",
                tool=TOOL,
                rule="license-denied" if severity is Severity.HIGH else "license-not-allowed",
                severity=severity,
                message=f"{name} {package.get('Version')} is licensed {'; '.join(licenses)}: {why}",
                kind=FindingKind.LICENSE,
                package=name,
                installed_version=str(package.get("Version")),
            )
        )
    return ScanReport(tool=TOOL, findings=tuple(findings), checked=len(packages))


def split_licenses(text: str) -> tuple[str, ...]:
    """pip-licenses joins several licenses with '; '."""
    parts = tuple(part.strip() for part in text.split(";") if part.strip())
    return parts or (_UNKNOWN,)


def judge_licenses(licenses: Sequence[str], policy: LicensePolicy) -> tuple[Severity, str] | None:
    """(severity, reason) when the policy objects, else None. Deny wins over allow; with an
    allow list, a package passes when one of its licenses is allowed (dual licensing)."""
    lowered = {name.lower() for name in licenses}
    denied = [name for name in policy.deny if name.lower() in lowered]
    if denied:
        return Severity.HIGH, f"denied by policy ({', '.join(denied)})"
    if policy.allow and not lowered & {name.lower() for name in policy.allow}:
        return Severity.MEDIUM, "not in the allowed licenses"
    return None

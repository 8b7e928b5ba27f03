"""Dependency audit with pip-audit against its online services: `python -m pip_audit -f json`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from paved.adapters.scanners import process, shape
from paved.adapters.scanners.dependencies import dependency_set
from paved.adapters.scanners.interface import (
    Finding,
    FindingKind,
    Package,
    Scanner,
    ScannerError,
    ScanReport,
    ScanTarget,
    Severity,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

TOOL = "pip-audit"
REPORT_SHAPE = {
    "dependencies": [
        {
            "name": str,
            "version": shape.Optional(str),
            "skip_reason": shape.Optional(str),
            "vulns": shape.Optional([{"id": str, "fix_versions": shape.Optional([str])}]),
        }
    ],
}
"""What `pip-audit -f json` writes: every dependency it looked at, with its vulnerabilities."""
_VULNERABLE = 1


class PipAuditScanner(Scanner):
    """pip-audit over the requirements files (pinned, no resolution) or an installed environment."""

    tool = TOOL

    def scan(self, target: ScanTarget) -> ScanReport:
        argv = [*process.module_command("pip_audit"), "-f", "json", "--progress-spinner", "off"]
        env: dict[str, str] = {}
        origins: dict[str, Package] = {}
        with tempfile.TemporaryDirectory(prefix="paved-pip-audit-") as folder:
            if target.python:
                # pip-api, which pip-audit uses to list packages, reads this interpreter's env.
                env["PIPAPI_PYTHON_LOCATION"] = target.python
            else:
                # The resolved set, pinned, so pip-audit checks exactly what paved resolved.
                packages = dependency_set(TOOL, target)
                origins = {_normal(p.name): p for p in packages}
                pinned = Path(folder) / "resolved.txt"
                pinned.write_text(
                    "".join(f"{p.name}=={p.version}\n" for p in packages), encoding="utf-8"
                )
                argv += ["-r", str(pinned), "--no-deps", "--disable-pip"]
            done = process.run(
                TOOL, argv, cwd=target.project_dir, env=env, install_hint="pip install pip-audit"
            )
        if done.exit_code not in {0, _VULNERABLE}:
            raise ScannerError(TOOL, f"exited with {done.exit_code}: {done.tail()}")
        return parse_report(done.stdout, origins=origins)


def parse_report(
    text: str,
    places: Mapping[str, tuple[str, int]] | None = None,
    *,
    origins: Mapping[str, Package] | None = None,
) -> ScanReport:
    """Findings from pip-audit's JSON; a package it could not audit fails the run, because
    pip-audit reports an unreachable service as a skipped package and exits 0."""
    document = shape.load(TOOL, text, REPORT_SHAPE)
    dependencies = document["dependencies"]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    if skipped:
        reasons = "; ".join(f"{d.get('name')}: {d['skip_reason']}" for d in skipped)
        raise ScannerError(
            TOOL,
            f"could not audit {len(skipped)} of {len(dependencies)} package(s): {reasons}",
            hint="check that PyPI and the vulnerability service are reachable, or give an "
            "osv-database for an offline audit",
        )
    findings: list[Finding] = []
    for dependency in dependencies:
        name = str(dependency["name"])
        origin = (origins or {}).get(_normal(name))
        file, line = (places or {}).get(_normal(name), (None, None))
        if origin is not None:
            file, line = origin.file, origin.line
        findings.extend(
            Finding(
                id=vuln["id"],
                tool=TOOL,
                rule=vuln["id"],
                severity=Severity.UNKNOWN,
                message=_first_line(vuln.get("description")) or f"{name} is vulnerable",
                kind=FindingKind.VULNERABILITY,
                aliases=tuple(vuln.get("aliases") or ()),
                package=name,
                installed_version=dependency.get("version"),
                fixed_versions=tuple(vuln.get("fix_versions") or ()),
                file=file,
                line=line,
                help_url=_advisory_url(vuln["id"]),
                via=origin.via if origin else None,
                direct=origin.direct if origin else None,
            )
            for vuln in dependency.get("vulns", [])
        )
    return ScanReport(tool=TOOL, findings=tuple(findings), checked=len(dependencies))


def _normal(name: str) -> str:
    from packaging.utils import canonicalize_name  # noqa: PLC0415 - light, only here

    return str(canonicalize_name(name))


def _first_line(text: object) -> str:
    return str(text).strip().splitlines()[0] if text and str(text).strip() else ""


def _advisory_url(vuln_id: str) -> str:
    return f"https://osv.dev/vulnerability/{vuln_id}"

"""Matching packages against OSV records (PEP 440 versions): the offline dependency audit.

Per the OSV schema: a withdrawn record matches nothing; a package is affected when its
version is listed in `affected[].versions`, or falls in an ECOSYSTEM range, whose events
(`introduced`, `fixed`, `last_affected`) are read in version order. Pure, apart from the
adapters the audit is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from paved.adapters.scanners.interface import (
    AdvisoryDatabase,
    Finding,
    FindingKind,
    Package,
    PackageInventory,
    Scanner,
    ScanReport,
    ScanTarget,
    Severity,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

TOOL = "osv-offline"
_ECOSYSTEM = "PyPI"
_SEVERITY = {
    "CRITICAL": Severity.CRITICAL,
    "HIGH": Severity.HIGH,
    "MODERATE": Severity.MEDIUM,
    "MEDIUM": Severity.MEDIUM,
    "LOW": Severity.LOW,
}


class OfflineAudit(Scanner):
    """The dependency audit against a local OSV database."""

    tool = TOOL

    def __init__(self, database: AdvisoryDatabase, inventory: PackageInventory) -> None:
        self.database = database
        self.inventory = inventory

    def scan(self, target: ScanTarget) -> ScanReport:
        packages = self.inventory.packages(target)
        findings = [
            finding
            for package in packages
            for record in self.database.records_for(package.name)
            if (finding := match(record, package)) is not None
        ]
        return ScanReport(tool=TOOL, findings=tuple(findings), checked=len(packages))


def match(record: Mapping[str, Any], package: Package) -> Finding | None:
    """The finding when `record` says `package` at its version is affected, else None."""
    if record.get("withdrawn"):
        return None
    name = canonicalize_name(package.name)
    hit = False
    fixed: list[str] = []
    for affected in record.get("affected") or []:
        about = affected.get("package") or {}
        if about.get("ecosystem") != _ECOSYSTEM or canonicalize_name(about.get("name", "")) != name:
            continue
        in_range, fixes = _in_ranges(affected.get("ranges") or [], package.version)
        if in_range or _listed(affected.get("versions") or [], package.version):
            hit = True
            fixed.extend(fixes)
    if not hit:
        return None
    return Finding(
        id=str(record["id"]),
        tool=TOOL,
        rule=str(record["id"]),
        severity=_severity(record),
        message=_summary(record, package),
        kind=FindingKind.VULNERABILITY,
        aliases=tuple(str(a) for a in record.get("aliases") or ()),
        package=package.name,
        installed_version=package.version,
        fixed_versions=_later(fixed, package.version),
        file=package.file,
        line=package.line,
        via=package.via,
        direct=package.direct,
        help_url=f"https://osv.dev/vulnerability/{record['id']}",
    )


def _in_ranges(ranges: Sequence[Mapping[str, Any]], version: str) -> tuple[bool, list[str]]:
    """Whether `version` is in any ECOSYSTEM range, and every `fixed` version those ranges name."""
    fixes = [
        str(event["fixed"])
        for rng in ranges
        if rng.get("type") == "ECOSYSTEM"
        for event in rng.get("events") or []
        if "fixed" in event
    ]
    try:
        installed = Version(version)
    except InvalidVersion:
        return False, fixes
    return any(
        rng.get("type") == "ECOSYSTEM" and _in_range(rng.get("events") or [], installed)
        for rng in ranges
    ), fixes


def in_range(events: Sequence[Mapping[str, str]], version: str) -> bool:
    """Whether `version` is affected by one range's events."""
    return _in_range(events, Version(version))


def _in_range(events: Sequence[Mapping[str, Any]], installed: Version) -> bool:
    ordered: list[tuple[Version, int, str]] = []
    for event in events:
        for kind, order in (("introduced", 0), ("fixed", 1), ("last_affected", 1)):
            if kind in event:
                text = str(event[kind])
                at = Version("0") if kind == "introduced" and text == "0" else _version(text)
                if at is not None:
                    ordered.append((at, order, kind))
    affected = False
    for at, _, kind in sorted(ordered):
        if kind == "introduced" and installed >= at:
            affected = True
        elif (kind == "fixed" and installed >= at) or (kind == "last_affected" and installed > at):
            affected = False
    return affected


def _listed(versions: Sequence[object], version: str) -> bool:
    if version in {str(v) for v in versions}:
        return True
    installed = _version(version)
    return installed is not None and any(_version(str(v)) == installed for v in versions)


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _later(fixed: Sequence[str], version: str) -> tuple[str, ...]:
    """The fixed versions that are upgrades from `version` (a fix in an older branch is not)."""
    installed = _version(version)
    unique = dict.fromkeys(fixed)
    if installed is None:
        return tuple(unique)
    later = [v for v in unique if (parsed := _version(v)) is None or parsed > installed]
    return tuple(sorted(later, key=lambda v: _version(v) or Version("0")))


def _severity(record: Mapping[str, Any]) -> Severity:
    # PyPA records carry no rating; GHSA-style records put one in database_specific.
    rated = (record.get("database_specific") or {}).get("severity")
    return _SEVERITY.get(str(rated).upper(), Severity.UNKNOWN) if rated else Severity.UNKNOWN


def _summary(record: Mapping[str, Any], package: Package) -> str:
    text = str(record.get("summary") or record.get("details") or "").strip()
    first = text.splitlines()[0] if text else f"{package.name} {package.version} is affected"
    return first if len(first) <= 300 else first[:297] + "..."  # noqa: PLR2004

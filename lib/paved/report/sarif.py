"""SARIF 2.1.0 for GitHub code scanning: one file per tool, one run per file, each its own
category (`automationDetails.id`), repository-relative URIs under `%SRCROOT%`, rule
`security-severity` as a string, `partialFingerprints`, and GitHub's upload limits."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from paved import __version__
from paved.adapters.scanners.interface import Finding, Severity
from paved.securityscan.findings import ordered
from paved.securityscan.options import ScannerKind

if TYPE_CHECKING:
    from paved.securityscan.outcome import SecurityScanOutcome

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
MAX_RESULTS_PER_RUN = 25_000
"""GitHub rejects a run with more results (and shows the worst 5,000)."""
MAX_GZIP_BYTES = 9 * 1024 * 1024
"""GitHub's limit is 10 MB gzip-compressed; stay a megabyte under it."""
FINGERPRINT_KEY = "pavedFinding/v1"
SEVERITY_SCORE = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "2.0",
}
"""GitHub reads security-severity as a CVSS-like score: >9 critical, 7-8.9 high, 4-6.9 medium,
0.1-3.9 low. Unrated and info findings get none rather than an invented one."""
_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.UNKNOWN: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
_TOOL_URIS = {
    "bandit": "https://bandit.readthedocs.io/",
    "pip-audit": "https://pypi.org/project/pip-audit/",
    "osv-offline": "https://ossf.github.io/osv-schema/",
    "detect-secrets": "https://github.com/Yelp/detect-secrets",
    "pip-licenses": "https://pypi.org/project/pip-licenses/",
    "trivy": "https://trivy.dev/",
}


@dataclass(frozen=True)
class SarifFile:
    """One SARIF document: one tool, one run, one category."""

    tool: str
    category: str
    name: str
    """File name inside the SARIF directory."""
    text: str
    results: int
    dropped: int
    """Results left out to stay within GitHub's limits (the worst are kept)."""


def documents(outcome: SecurityScanOutcome) -> tuple[SarifFile, ...]:
    """A SARIF file for every scanner that completed and reports findings. A failed scanner
    gets none: an empty upload would close its open alerts as if they were fixed."""
    files = []
    for run in outcome.runs:
        if run.failed or run.kind is ScannerKind.SBOM:
            continue
        mine = [f for f in outcome.findings if f.tool == run.tool]
        ignored = [
            (i.finding, i.entry.reason) for i in outcome.ignored if i.finding.tool == run.tool
        ]
        files.append(_document(outcome, run.tool, run.tool_version, mine, ignored))
    return tuple(files)


def category(outcome: SecurityScanOutcome, tool: str) -> str:
    """The code scanning category: per tool and per project, so neither replaces the other."""
    return f"security-scan/{tool}/{outcome.project}"


def _document(
    outcome: SecurityScanOutcome,
    tool: str,
    version: str | None,
    findings: list[Finding],
    ignored: list[tuple[Finding, str]],
) -> SarifFile:
    entries: list[tuple[Finding, str | None]] = [(f, None) for f in ordered(findings)]
    entries += [(f, why) for f, why in ignored]
    kept = entries[:MAX_RESULTS_PER_RUN]
    while True:
        text = _dump(outcome, tool, version, kept, len(entries) - len(kept))
        if len(gzip.compress(text.encode("utf-8"))) <= MAX_GZIP_BYTES or not kept:
            break
        kept = kept[: len(kept) // 2]
    return SarifFile(
        tool=tool,
        category=category(outcome, tool),
        name=f"{tool}.sarif",
        text=text,
        results=len(kept),
        dropped=len(entries) - len(kept),
    )


def _dump(
    outcome: SecurityScanOutcome,
    tool: str,
    version: str | None,
    entries: list[tuple[Finding, str | None]],
    dropped: int,
) -> str:
    rules: dict[str, dict[str, Any]] = {}
    worst: dict[str, Severity] = {}
    for finding, _ in entries:
        if finding.rule not in rules:
            rules[finding.rule] = _rule(finding)
            worst[finding.rule] = finding.severity
        elif finding.severity.rank > worst[finding.rule].rank:
            worst[finding.rule] = finding.severity
    index = {rule: number for number, rule in enumerate(rules)}
    for rule, descriptor in rules.items():
        _rate(descriptor, worst[rule])
    driver: dict[str, Any] = {
        "name": tool,
        "informationUri": _TOOL_URIS.get(tool, "https://github.com/pavedhq/paved"),
        "rules": list(rules.values()),
    }
    if version:
        driver["version"] = version
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "automationDetails": {"id": category(outcome, tool) + "/"},
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root."}}},
        "results": [_result(outcome, f, index[f.rule], why) for f, why in entries],
        "properties": {"paved": __version__, "droppedResults": dropped},
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def _rule(finding: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": finding.rule,
        "name": finding.rule,
        "shortDescription": {"text": _short(finding)},
        "fullDescription": {"text": finding.message or finding.rule},
        "help": {"text": finding.help_url or finding.message or finding.rule},
        "properties": {"tags": ["security", finding.kind.value]},
    }
    if finding.help_url:
        rule["helpUri"] = finding.help_url
    return rule


def _rate(rule: dict[str, Any], severity: Severity) -> None:
    rule["defaultConfiguration"] = {"level": _LEVEL[severity]}
    score = SEVERITY_SCORE.get(severity)
    if score is not None:
        rule["properties"]["security-severity"] = score
    rule["properties"]["severity"] = severity.value


def _short(finding: Finding) -> str:
    if finding.package:
        return f"{finding.id} in {finding.package}"
    return finding.message.split(" (", 1)[0] or finding.rule


def _result(
    outcome: SecurityScanOutcome, finding: Finding, rule_index: int, ignored_because: str | None
) -> dict[str, Any]:
    region: dict[str, int] = {}
    if finding.file and finding.line:
        region["startLine"] = finding.line
        if finding.column:
            region["startColumn"] = finding.column
        if finding.end_line and finding.end_line >= finding.line:
            region["endLine"] = finding.end_line
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": finding.file or outcome.manifest, "uriBaseId": "%SRCROOT%"}
    }
    if region:
        physical["region"] = region
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": message(finding)},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding)},
        "properties": _properties(finding),
    }
    if ignored_because is not None:
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": ignored_because}
        ]
    return result


def message(finding: Finding) -> str:
    """The result's text: the tool's message, and for advisories what is installed and fixed."""
    if not finding.package:
        return finding.message
    fixed = ", ".join(finding.fixed_versions) or "no fixed version known"
    also = f" (also {', '.join(finding.aliases)})" if finding.aliases else ""
    origin = f" (a dependency of {finding.via})" if finding.direct is False and finding.via else ""
    return (
        f"{finding.id}{also}: {finding.package} {finding.installed_version or '?'}{origin}; "
        f"fixed in {fixed}. {finding.message}"
    )


def fingerprint(finding: Finding) -> str:
    """Stable across runs for the same problem, so code scanning tracks one alert."""
    parts = (
        finding.kind.value,
        finding.rule,
        finding.file or "",
        finding.package or "",
        finding.installed_version or "",
        str(finding.line or ""),
        str(finding.column or ""),
    )
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _properties(finding: Finding) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "severity": finding.severity.value,
        "tools": list(finding.reported_by),
    }
    if finding.aliases:
        properties["aliases"] = list(finding.aliases)
    if finding.package:
        properties["package"] = finding.package
        properties["installedVersion"] = finding.installed_version
        properties["fixedVersions"] = list(finding.fixed_versions)
        if finding.direct is not None:
            properties["dependency"] = "direct" if finding.direct else "transitive"
        if finding.via:
            properties["via"] = finding.via
    return properties

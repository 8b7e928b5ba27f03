"""Every SARIF file validates against the OASIS schema and meets GitHub's rules."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from paved.adapters.scanners import Finding, FindingKind, Severity
from paved.report import sarif
from paved.securityscan import RunStatus, ScannerKind, ScannerRun, SecurityScanOutcome

DATA = Path(__file__).resolve().parents[2] / "data"
SCHEMA = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def validate(document: dict) -> None:
    """The schema declares draft-04: validate with that draft's validator."""
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-04/schema#"
    jsonschema.Draft4Validator(SCHEMA).validate(document)


def _outcome(findings, runs=None) -> SecurityScanOutcome:
    runs = runs or (
        ScannerRun(
            ScannerKind.BANDIT,
            "bandit",
            RunStatus.OK,
            optional=False,
            seconds=0.1,
            tool_version="1.9.4",
        ),
        ScannerRun(
            ScannerKind.DEPENDENCIES, "osv-offline", RunStatus.OK, optional=False, seconds=0.1
        ),
        ScannerRun(
            ScannerKind.SECRETS,
            "detect-secrets",
            RunStatus.ERROR,
            optional=False,
            seconds=0.1,
            error="x",
        ),
        ScannerRun(ScannerKind.SBOM, "cyclonedx-py", RunStatus.OK, optional=False, seconds=0.1),
    )
    return SecurityScanOutcome(
        project="service",
        fail_on=Severity.HIGH,
        runs=runs,
        findings=tuple(findings),
        ignored=(),
        unused_ignores=(),
        output_dir=Path("/out"),
        today=date(2026, 7, 1),
        duration_seconds=1.0,
        jobs=4,
        manifest="service/requirements.txt",
    )


CODE = Finding(
    "B602",
    "bandit",
    "B602",
    Severity.HIGH,
    "shell=True",
    FindingKind.CODE,
    file="service/app.py",
    line=8,
    column=12,
    help_url="https://bandit/b602",
)
VULN = Finding(
    "PYSEC-2023-62",
    "osv-offline",
    "PYSEC-2023-62",
    Severity.UNKNOWN,
    "cookie leak",
    FindingKind.VULNERABILITY,
    aliases=("CVE-2023-30861",),
    package="flask",
    installed_version="2.3.1",
    fixed_versions=("2.3.2",),
)


def test_one_valid_file_per_completed_tool_none_for_failed_ones_or_the_sbom():
    files = sarif.documents(_outcome([CODE, VULN]))
    assert [f.tool for f in files] == ["bandit", "osv-offline"]
    for file in files:
        document = json.loads(file.text)
        validate(document)
        [run] = document["runs"]
        assert run["automationDetails"]["id"] == f"security-scan/{file.tool}/service/"
        assert run["tool"]["driver"]["name"] == file.tool


def test_results_carry_repo_relative_uris_fingerprints_and_string_severity():
    [bandit_file, osv_file] = sarif.documents(_outcome([CODE, VULN]))
    [run] = json.loads(bandit_file.text)["runs"]
    [result] = run["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "service/app.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 8, "startColumn": 12}
    assert len(result["partialFingerprints"][sarif.FINGERPRINT_KEY]) == 64
    assert run["tool"]["driver"]["rules"][0]["properties"]["security-severity"] == "8.0"
    [osv_run] = json.loads(osv_file.text)["runs"]
    [advisory] = osv_run["results"]
    # No file of its own: placed at the requirements file; unrated, so no invented score.
    assert advisory["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "service/requirements.txt"
    )
    assert "security-severity" not in osv_run["tool"]["driver"]["rules"][0]["properties"]
    assert "fixed in 2.3.2" in advisory["message"]["text"]
    assert advisory["properties"]["aliases"] == ["CVE-2023-30861"]


def test_results_over_githubs_limit_are_cut_worst_first_and_counted(monkeypatch):
    monkeypatch.setattr(sarif, "MAX_RESULTS_PER_RUN", 3)
    many = [
        Finding(
            f"B{n}", "bandit", f"B{n}", Severity.LOW, "m", FindingKind.CODE, file="a.py", line=n
        )
        for n in range(1, 6)
    ]
    many.append(
        Finding("B999", "bandit", "B999", Severity.HIGH, "m", FindingKind.CODE, file="a.py")
    )
    [file, _] = sarif.documents(_outcome(many))
    document = json.loads(file.text)
    validate(document)
    assert (file.results, file.dropped) == (3, 3)
    assert document["runs"][0]["results"][0]["ruleId"] == "B999"
    assert document["runs"][0]["properties"]["droppedResults"] == 3


@pytest.mark.parametrize("name", ["config-sarif-report.sarif"])
def test_the_schema_check_itself_accepts_trivys_real_sarif(name: str):
    validate(json.loads((DATA / "trivy" / name).read_text(encoding="utf-8")))

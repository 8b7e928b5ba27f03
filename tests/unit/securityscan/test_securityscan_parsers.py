"""Tool output to findings: real Trivy 0.72 reports, pip-audit's documented JSON, bandit,
detect-secrets with a baseline, pip-licenses with a policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from paved.adapters.scanners import (
    LicensePolicy,
    ScannerError,
    Severity,
    bandit,
    detect_secrets,
    pip_audit,
    pip_licenses,
    trivy,
)

DATA = Path(__file__).resolve().parents[2] / "data"
ROOT = Path("/repo")


def _trivy(name: str):
    return trivy.parse_report((DATA / "trivy" / name).read_text(encoding="utf-8"))


def test_trivy_image_report_gives_the_vulnerability_with_its_fix():
    report = _trivy("with-trivy-yaml-cfg.json")
    [finding] = report.findings
    assert (finding.id, finding.package, finding.installed_version) == (
        "CVE-2021-36159",
        "apk-tools",
        "2.10.6-r0",
    )
    assert finding.fixed_versions == ("2.10.7-r0",)
    assert finding.severity is Severity.CRITICAL
    assert finding.file is None  # a path inside an image is not a repository file


def test_trivy_misconfigurations_and_secrets_keep_their_severity_and_line():
    config = _trivy("config-scan.json")
    assert [(f.id, f.severity.value) for f in config.findings][:2] == [
        ("AWS-0086", "high"),
        ("AWS-0087", "high"),
    ]
    assert len(config.findings) == 8
    [secret] = _trivy("secret-scan.json").findings
    assert (secret.id, secret.severity, secret.line) == ("github-pat", Severity.CRITICAL, 5)


def test_trivy_garbage_is_an_error_not_an_empty_report():
    with pytest.raises(ScannerError, match="no JSON"):
        trivy.parse_report("Report Summary\n")


# pip-audit's JSON format as its README documents it (`pip-audit -f json`).
PIP_AUDIT = {
    "dependencies": [
        {
            "name": "flask",
            "version": "2.3.1",
            "vulns": [
                {
                    "id": "PYSEC-2023-62",
                    "fix_versions": ["2.2.5", "2.3.2"],
                    "aliases": ["CVE-2023-30861", "GHSA-m2qf-hxjv-5gpq"],
                    "description": "Flask is a lightweight WSGI web application framework.",
                }
            ],
        },
        {"name": "gunicorn", "version": "27.0.1", "vulns": []},
    ],
    "fixes": [],
}


def test_pip_audit_json_becomes_findings_placed_at_the_pin():
    report = pip_audit.parse_report(json.dumps(PIP_AUDIT), {"flask": ("requirements.txt", 3)})
    [finding] = report.findings
    assert finding.aliases == ("CVE-2023-30861", "GHSA-m2qf-hxjv-5gpq")
    assert finding.fixed_versions == ("2.2.5", "2.3.2")
    assert (finding.file, finding.line) == ("requirements.txt", 3)
    assert report.checked == 2


def test_pip_audit_skipped_packages_mean_the_service_was_not_reached():
    # What pip-audit prints, exit code 0, when PyPI cannot be reached.
    offline = {
        "dependencies": [
            {
                "name": "flask",
                "skip_reason": "Dependency not found on PyPI "
                "and could not be audited: flask (2.3.1)",
            }
        ],
        "fixes": [],
    }
    with pytest.raises(ScannerError, match="could not audit 1 of 1"):
        pip_audit.parse_report(json.dumps(offline))


def test_bandit_files_it_could_not_parse_fail_the_run():
    report = {
        "errors": [{"filename": "a.py", "reason": "syntax error"}],
        "results": [],
        "metrics": {"_totals": {"loc": 3}},
    }
    with pytest.raises(ScannerError, match=r"a\.py: syntax error"):
        bandit.parse_report(json.dumps(report), ROOT / "p", ROOT)


SECRETS = {
    "version": "1.5.0",
    "plugins_used": [{"name": "AWSKeyDetector"}],
    "results": {
        "app/settings.py": [
            {
                "type": "AWS Access Key",
                "filename": "app/settings.py",
                "hashed_secret": "abc",
                "is_verified": False,
                "line_number": 4,
            }
        ],
        "app/other.py": [
            {
                "type": "Secret Keyword",
                "filename": "app/other.py",
                "hashed_secret": "def",
                "is_verified": False,
                "line_number": 9,
            }
        ],
    },
}


def test_secrets_in_the_baseline_are_not_new_unless_audited_as_real():
    baseline = json.loads(json.dumps(SECRETS))
    baseline["results"]["app/settings.py"][0]["is_secret"] = False
    report = detect_secrets.parse_report(
        json.dumps(SECRETS), ROOT / "p", ROOT, json.dumps(baseline)
    )
    assert report.findings == ()
    baseline["results"]["app/other.py"][0]["is_secret"] = True
    report = detect_secrets.parse_report(
        json.dumps(SECRETS), ROOT / "p", ROOT, json.dumps(baseline)
    )
    assert [(f.file, f.line) for f in report.findings] == [("p/app/other.py", 9)]


def test_secrets_without_a_baseline_are_all_reported_repo_relative():
    report = detect_secrets.parse_report(json.dumps(SECRETS), ROOT / "p", ROOT)
    assert {(f.id, f.file) for f in report.findings} == {
        ("AWS Access Key", "p/app/settings.py"),
        ("Secret Keyword", "p/app/other.py"),
    }


LICENSES = [
    {"Name": "flask", "Version": "3.1.3", "License": "BSD License"},
    {"Name": "gpl-thing", "Version": "1.0", "License": "GPLv3; MIT"},
    {"Name": "mystery", "Version": "0.1", "License": "UNKNOWN"},
]


def test_license_policy_deny_wins_and_allow_accepts_dual_licences():
    policy = LicensePolicy(allow=("BSD License", "MIT"), deny=("GPLv3",))
    report = pip_licenses.parse_report(json.dumps(LICENSES), policy)
    verdicts = {f.package: (f.severity, f.rule) for f in report.findings}
    assert verdicts == {
        "gpl-thing": (Severity.HIGH, "license-denied"),
        "mystery": (Severity.MEDIUM, "license-not-allowed"),
    }


def test_no_license_policy_means_no_license_findings():
    assert pip_licenses.parse_report(json.dumps(LICENSES), LicensePolicy()).findings == ()


# What a broken or impostor scanner prints. None of these is "no findings".
HOSTILE_REPORTS = [
    "",
    "{}",
    "[]",
    '{"results": [{}]}',
    '{"results": {"a.py": [{}]}}',
    '{"resu',
    "null",
]
PARSERS = {
    "bandit": lambda text: bandit.parse_report(text, ROOT / "p", ROOT),
    "detect-secrets": lambda text: detect_secrets.parse_report(text, ROOT / "p", ROOT),
    "pip-audit": pip_audit.parse_report,
    "pip-licenses": lambda text: pip_licenses.parse_report(text, LicensePolicy(deny=("GPL",))),
    "trivy": trivy.parse_report,
}


@pytest.mark.parametrize("text", HOSTILE_REPORTS)
@pytest.mark.parametrize("tool", sorted(PARSERS))
def test_a_report_without_the_tools_documented_shape_is_an_error_never_a_clean_scan(tool, text):
    with pytest.raises(ScannerError) as raised:
        PARSERS[tool](text)
    assert raised.value.tool == tool


def test_the_shape_error_says_which_field_is_off():
    bad = json.loads(json.dumps(SECRETS))
    del bad["results"]["app/other.py"][0]["line_number"]
    with pytest.raises(ScannerError, match=r"results\.app/other\.py\[0\]\.line_number: is missing"):
        detect_secrets.parse_report(json.dumps(bad), ROOT / "p", ROOT)

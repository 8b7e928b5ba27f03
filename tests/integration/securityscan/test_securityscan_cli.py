"""`paved security-scan` with the real tools on fixture projects and the example service."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from scan_support import DATA, OFFLINE, ROOT, copy_project, scan

pytestmark = pytest.mark.integration

FIXTURE = ROOT / "tests" / "fixtures" / "security-project"
SCHEMA = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
_copy = copy_project
_scan = scan


def _valid_sarif(document: dict) -> list[dict]:
    runs = []
    for entry in document["sarif_files"]:
        sarif = json.loads(Path(entry["path"]).read_text(encoding="utf-8"))
        jsonschema.Draft4Validator(SCHEMA).validate(sarif)
        runs.extend(sarif["runs"])
    return runs


@pytest.fixture(scope="module")
def fixture_scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict, str]:
    project = _copy(FIXTURE, tmp_path_factory.mktemp("fixture"), "security-project")
    return _scan(project, *OFFLINE)


def test_the_fixture_reports_exactly_what_the_tools_and_the_database_say(fixture_scan):
    code, outcome, log = fixture_scan
    assert code == 1, log
    found = {(f["tool"], f["id"]) for f in outcome["findings"]}
    assert found == {
        ("bandit", "B602"),
        ("bandit", "B404"),
        ("detect-secrets", "AWS Access Key"),
        ("osv-offline", "PYSEC-2023-62"),
        ("osv-offline", "PYSEC-2023-45"),
        ("osv-offline", "PYSEC-2023-46"),
        ("osv-offline", "PYSEC-2022-42969"),
    }
    by_id = {f["id"]: f for f in outcome["findings"]}
    assert by_id["PYSEC-2023-62"]["aliases"] == ["CVE-2023-30861", "GHSA-m2qf-hxjv-5gpq"]
    assert by_id["PYSEC-2023-62"]["fixed_versions"] == ["2.3.2"]
    assert (by_id["PYSEC-2023-62"]["file"], by_id["PYSEC-2023-62"]["line"]) == (
        "security-project/requirements.txt",
        3,
    )
    assert by_id["PYSEC-2023-45"]["fixed_versions"] == ["4.4.3", "4.5.3"]
    assert by_id["PYSEC-2022-42969"]["fixed_versions"] == []  # last_affected: no fix known
    assert (by_id["B602"]["file"], by_id["B602"]["line"]) == ("security-project/app/runner.py", 8)
    assert by_id["AWS Access Key"]["file"] == "security-project/app/settings.py"
    assert "PYSEC-2022-15" not in by_id  # withdrawn
    assert outcome["result"] == "failed"
    assert outcome["high"] == 2
    assert outcome["unknown"] == 4


def test_every_sarif_file_validates_and_the_sbom_lists_the_pins(fixture_scan):
    _, outcome, _ = fixture_scan
    runs = _valid_sarif(outcome)
    assert sorted(r["tool"]["driver"]["name"] for r in runs) == [
        "bandit",
        "detect-secrets",
        "osv-offline",
    ]
    sbom = json.loads(Path(outcome["sbom_path"]).read_text(encoding="utf-8"))
    assert {(c["name"], c["version"]) for c in sbom["components"]} == {
        ("flask", "2.3.1"),
        ("redis", "4.4.1"),
        ("py", "1.11.0"),
        ("loguru", "0.5.3"),
    }


def test_ignored_and_optional_make_the_same_fixture_pass(tmp_path: Path):
    project = _copy(FIXTURE, tmp_path, "security-project")
    ignore = tmp_path / "ignore.yml"
    entries = [
        ("B602", "fixture"),
        ("AWS Access Key", "AWS's documented example key"),
        ("CVE-2023-30861", "no caching proxy"),
        ("PYSEC-2023-45", "sync client only"),
        ("CVE-2023-28859", "sync client only"),
        ("GHSA-w596-4wvx-j9j6", "no svn"),
    ]
    ignore.write_text(
        "ignore:\n"
        + "".join(f"  - id: {i}\n    reason: {r}\n    expires: 2099-01-01\n" for i, r in entries),
        encoding="utf-8",
    )
    code, outcome, log = _scan(project, *OFFLINE, f"--ignore-file={ignore}", "--jobs=1")
    assert code == 0, log
    assert outcome["ignored"] == 6
    assert {f["expires"] for f in outcome["ignored_findings"]} == {"2099-01-01"}
    assert [f["id"] for f in outcome["findings"]] == ["B404"]


def test_an_expired_ignore_fails_loudly_with_exit_2(tmp_path: Path):
    project = _copy(FIXTURE, tmp_path, "security-project")
    ignore = tmp_path / "ignore.yml"
    ignore.write_text(
        "ignore:\n  - id: B602\n    reason: r\n    expires: 2020-01-01\n", encoding="utf-8"
    )
    code, outcome, log = _scan(project, *OFFLINE, f"--ignore-file={ignore}")
    assert code == 2
    assert "ignore.yml:4:14" in log
    assert "expired on 2020-01-01" in outcome["error"]["message"]


def test_pip_audit_without_its_service_is_exit_3_never_a_pass(tmp_path: Path):
    project = _copy(FIXTURE, tmp_path, "security-project")
    code, outcome, log = _scan(project, "--scanners=dependencies")
    assert code == 3, log
    [run] = outcome["scanners"]
    assert (run["tool"], run["status"]) == ("pip-audit", "error")
    assert "could not audit" in run["error"]
    assert outcome["sarif_files"] == []  # nothing uploaded that would close alerts


def test_a_missing_trivy_is_exit_3_unless_optional(tmp_path: Path):
    project = _copy(FIXTURE, tmp_path, "security-project")
    flags = ("--scanners=trivy", "--image=alpine:3.10")
    code, outcome, _ = _scan(project, *flags)
    assert code == 3
    assert outcome["scanners"][0]["status"] == "missing"
    code, outcome, _ = _scan(project, *flags, "--optional=trivy")
    assert code == 0
    assert outcome["scanners_failed"] == 1


def test_licenses_of_an_installed_environment_against_a_deny_policy(tmp_path: Path):
    project = _copy(FIXTURE, tmp_path, "security-project")
    code, outcome, log = _scan(
        project,
        "--scanners=licenses",
        f"--python={sys.executable}",
        "--license-deny=MIT License,MIT",
    )
    assert code == 1, log
    denied = {f["package"] for f in outcome["findings"]}
    assert "PyYAML" in denied  # paved's own venv: PyYAML is MIT-licensed
    assert all(f["kind"] == "license" for f in outcome["findings"])


def test_a_secrets_baseline_hides_known_secrets(tmp_path: Path):
    project = _copy(FIXTURE, tmp_path, "security-project")
    baseline = project / ".secrets.baseline"
    scanned = subprocess.run(
        [sys.executable, "-m", "detect_secrets", "scan", "--all-files", "."],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    )
    baseline.write_text(scanned.stdout, encoding="utf-8")
    code, outcome, log = _scan(project, "--scanners=secrets", f"--secrets-baseline={baseline}")
    assert code == 0, log
    assert outcome["total"] == 0


def test_the_example_service_passes_offline_and_its_tests_asserts_are_not_findings(
    tmp_path: Path,
):
    project = _copy(ROOT / "examples" / "python-service", tmp_path, "service")
    code, outcome, log = _scan(project, *OFFLINE)
    assert code == 0, log
    assert outcome["findings"] == []
    assert [r["status"] for r in outcome["scanners"]] == ["ok"] * 4
    _valid_sarif(outcome)

    code, everything, log = _scan(project, *OFFLINE, "--exclude=none", "--fail-on=none")
    assert code == 0, log
    in_tests = [f for f in everything["findings"] if f["file"].startswith("service/tests/")]
    # bandit's B101 on every test assert: what `exclude` leaves out by default.
    assert "B101" in {f["rule"] for f in in_tests}
    assert {f["tool"] for f in everything["findings"]} == {"bandit"}


def test_bandit_follows_the_projects_own_configuration(tmp_path: Path):
    project = _copy(FIXTURE, tmp_path, "security-project")
    plain_code, plain, _ = _scan(project, "--scanners=bandit", "--fail-on=none")
    (project / "pyproject.toml").write_text('[tool.bandit]\nskips = ["B404"]\n', encoding="utf-8")
    code, configured, log = _scan(project, "--scanners=bandit", "--fail-on=none")

    assert (plain_code, code) == (0, 0), log
    assert {f["rule"] for f in plain["findings"]} == {"B602", "B404"}
    # The team's own skips hold in CI exactly as in their local `bandit -c pyproject.toml`.
    assert {f["rule"] for f in configured["findings"]} == {"B602"}

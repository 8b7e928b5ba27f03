"""The gate: 0 pass, 1 findings at or above fail-on, 2 bad ignore file, 3 scanner missing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from fakes.scanners import FakeScanner
from paved.adapters.scanners import ScannerError, Severity
from paved.errors import ConfigError, ExitCode
from paved.model import Result
from paved.report.securityscan import render
from paved.securityscan import ScannerKind, security_scan
from securityscan_fakes import files_only, finding, missing

ROOT = Path(__file__).resolve().parents[3]


def _scan(options, **scanners):
    backends = {ScannerKind(k): v for k, v in scanners.items()}
    return security_scan(options, backends, files_only())


def test_no_findings_at_or_above_the_gate_passes(options):
    outcome = _scan(
        options,
        bandit=FakeScanner("bandit", finding(Severity.LOW)),
        dependencies=FakeScanner("pip-audit"),
    )
    assert outcome.result is Result.PASSED
    assert render(outcome).exit_code is ExitCode.OK


def test_a_high_finding_fails_a_high_gate_and_not_a_critical_one(options):
    scanners = {
        "bandit": FakeScanner("bandit", finding(Severity.HIGH)),
        "dependencies": FakeScanner("pip-audit"),
    }
    assert render(_scan(options, **scanners)).exit_code is ExitCode.CHECK_FAILED
    relaxed = replace(options, fail_on=Severity.CRITICAL)
    assert render(_scan(relaxed, **scanners)).exit_code is ExitCode.OK


def test_an_unrated_advisory_counts_as_high_for_the_gate(options):
    unrated = finding(Severity.UNKNOWN, "PYSEC-1", "osv-offline")
    outcome = _scan(
        options, bandit=FakeScanner("bandit"), dependencies=FakeScanner("osv-offline", unrated)
    )
    assert outcome.result is Result.FAILED


def test_a_missing_scanner_is_never_a_pass_even_with_no_findings(options):
    outcome = _scan(
        options,
        bandit=FakeScanner("bandit"),
        dependencies=FakeScanner("pip-audit", error=missing("pip-audit")),
    )
    rendered = render(outcome)
    assert outcome.result is Result.ERROR
    assert rendered.exit_code is ExitCode.ENVIRONMENT
    assert "pip-audit" in rendered.console_text
    assert "is not installed" in rendered.summary_markdown
    assert rendered.outputs["scanners-failed"] == "1"


def test_a_scanner_that_errors_fails_with_exit_3_and_says_why(options):
    broken = ScannerError("pip-audit", "could not audit 6 of 6 package(s): service unreachable")
    outcome = _scan(
        options, bandit=FakeScanner("bandit"), dependencies=FakeScanner("pip-audit", error=broken)
    )
    rendered = render(outcome)
    assert rendered.exit_code is ExitCode.ENVIRONMENT
    assert "service unreachable" in rendered.console_text


def test_an_optional_scanner_may_fail_without_failing_the_run(options):
    optional = replace(options, optional=frozenset({ScannerKind.DEPENDENCIES}))
    outcome = _scan(
        optional,
        bandit=FakeScanner("bandit"),
        dependencies=FakeScanner("pip-audit", error=missing("pip-audit")),
    )
    assert outcome.result is Result.PASSED
    assert "optional" in render(outcome).summary_markdown


def test_fail_on_none_reports_findings_without_failing(options):
    relaxed = replace(options, fail_on=None)
    outcome = _scan(
        relaxed,
        bandit=FakeScanner("bandit", finding(Severity.CRITICAL)),
        dependencies=FakeScanner("pip-audit"),
    )
    assert outcome.result is Result.PASSED
    assert render(outcome).outputs["critical"] == "1"


def test_an_expired_ignore_stops_before_any_scanner_runs(options, tmp_path):
    ignore = tmp_path / "ignore.yml"
    text = "ignore:\n  - id: B602\n    reason: r\n    expires: 2020-01-01\n"
    never = FakeScanner("bandit", error=AssertionError("must not run"))  # type: ignore[arg-type]
    with pytest.raises(ConfigError) as caught:
        security_scan(
            replace(options, ignore_file=ignore),
            {ScannerKind.BANDIT: never, ScannerKind.DEPENDENCIES: never},
            files_only({ignore: text}),
        )
    assert str(caught.value).startswith("ignore.yml:4:14:")
    assert caught.value.exit_code is ExitCode.USAGE


def test_ignored_findings_are_listed_with_their_expiry(options, tmp_path):
    ignore = tmp_path / "ignore.yml"
    text = "ignore:\n  - id: B602\n    reason: reviewed\n    expires: 2026-12-31\n"
    outcome = security_scan(
        replace(options, ignore_file=ignore),
        {
            ScannerKind.BANDIT: FakeScanner("bandit", finding(Severity.HIGH)),
            ScannerKind.DEPENDENCIES: FakeScanner("pip-audit"),
        },
        files_only({ignore: text}),
    )
    rendered = render(outcome)
    assert outcome.result is Result.PASSED
    assert rendered.outputs["ignored"] == "1"
    assert "2026-12-31" in rendered.summary_markdown
    assert "reviewed" in rendered.summary_markdown


def test_outputs_mirror_the_json_outcome_and_the_action(options):
    outcome = _scan(options, bandit=FakeScanner("bandit"), dependencies=FakeScanner("pip-audit"))
    declared = yaml.safe_load((ROOT / "actions" / "security-scan" / "action.yml").read_text())
    assert list(declared["outputs"]) == [*render(outcome).outputs, "outcome-path"]

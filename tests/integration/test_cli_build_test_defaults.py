"""`paved build-test` with no flags: real pytest, pip, ruff and coverage.py on real layouts."""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
ITSDANGEROUS = ROOT / "tests" / "data" / "real-projects" / "itsdangerous-2.2.0.tar.gz"
ITSDANGEROUS_SHA256 = "e0050c0b7da1eea53ffaf149c0cfbb5c6e2e2b69c4bef22c81fa6eb73e5f6173"


def test_counts_are_pytests_own_xfail_and_xpass_included(paved):
    run = paved("outcomes-project")

    outcome = run.outcome
    # pytest itself: "1 failed, 2 passed, 1 skipped, 1 xfailed, 1 xpassed, 1 error"
    counts = {k: outcome[k] for k in ("passed", "failed", "skipped", "xfailed", "xpassed")}
    assert counts == {"passed": 2, "failed": 1, "skipped": 1, "xfailed": 1, "xpassed": 1}
    assert outcome["errors"] == 1
    assert outcome["collection_errors"] == []
    assert "2 passed, 1 failed, 1 skipped, 1 xfailed, 1 xpassed, 1 errors" in run.stdout
    assert run.exit_code == 1


def test_the_dependency_group_is_installed_and_no_checker_runs_unasked(paved):
    run = paved("outcomes-project")

    steps = {s["name"]: s for s in run.outcome["steps"]}
    # the test imports six, which only the group (through include-group) brings
    assert steps["install"]["command"].split("; ")[0].endswith(" six")
    assert (steps["format"]["status"], steps["lint"]["status"]) == ("skipped", "skipped")


def test_coverage_is_coverage_pys_total_with_branches(paved):
    run = paved("outcomes-project")

    # calc.py: 8 statements, 4 run; 4 branches, 1 taken: (4 + 1) / (8 + 4), as coverage.py says
    # (line coverage alone would be 50%).
    assert run.outcome["coverage_percent"] == 41.67
    assert run.outcome["branch_coverage_percent"] == 25.0


def test_collection_errors_are_reported_as_such(paved):
    run = paved("collection-error-project")

    assert run.exit_code == 1
    assert run.outcome["collection_errors"] == ["tests/test_missing.py"]
    assert [f["message"] for f in run.outcome["failures"]] == [
        "1 test module could not be collected, so pytest ran no tests"
    ]
    assert "collection error: tests/test_missing.py" in run.stdout


def test_pytest_args_may_start_with_a_dash(paved):
    run = paved("collection-error-project", "--pytest-args", "-v --continue-on-collection-errors")

    assert run.exit_code == 1, run.stderr
    assert run.outcome["passed"] == 1
    assert run.outcome["collection_errors"] == ["tests/test_missing.py"]
    test_step = next(s for s in run.outcome["steps"] if s["name"] == "test")
    assert test_step["command"].endswith("-v --continue-on-collection-errors")


def test_a_real_sdist_passes_with_no_flags_as_plain_pytest_does(paved, tmp_path):
    assert hashlib.sha256(ITSDANGEROUS.read_bytes()).hexdigest() == ITSDANGEROUS_SHA256
    with tarfile.open(ITSDANGEROUS) as archive:
        archive.extractall(tmp_path / "sdist", filter="data")
    project = tmp_path / "sdist" / "itsdangerous-2.2.0"

    # Its own pins (pytest 8.1.1) go into a venv of its own.
    run = paved(project, "--venv-dir", str(tmp_path / "venv"))

    assert run.exit_code == 0, run.stdout[-3000:]
    assert (run.outcome["passed"], run.outcome["failed"], run.outcome["skipped"]) == (297, 0, 0)
    steps = {s["name"]: s for s in run.outcome["steps"]}
    assert "-r requirements/tests.txt -e ." in steps["install"]["command"]
    assert (steps["format"]["status"], steps["lint"]["status"]) == ("passed", "passed")
    assert 90 < run.outcome["coverage_percent"] < 100

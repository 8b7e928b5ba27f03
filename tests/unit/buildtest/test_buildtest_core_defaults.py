"""build-test with no options on the layouts real projects have."""

import json

from paved.buildtest import FailureKind, StepKind, build_and_test
from paved.buildtest.tally import TALLY_SCHEMA
from paved.model import Result, StepStatus

LIBRARY = """\
[build-system]
requires = ["flit_core"]
build-backend = "flit_core.buildapi"

[project]
name = "lib"
version = "1.0"

[project.optional-dependencies]
docs = ["sphinx"]
tests = ["pytest", "freezegun"]

[dependency-groups]
tests = ["hypothesis", {include-group = "typing"}]
typing = ["mypy"]
"""

# The older hook ids (ruff, not ruff-check), as pluggy 1.5.0 has them.
PRE_COMMIT = """\
repos:
- repo: https://github.com/astral-sh/ruff-pre-commit
  rev: "v0.15.6"
  hooks:
  -   id: ruff
  -   id: ruff-format
"""


def tally(**counts):
    errors = counts.pop("collection_errors", [])
    return json.dumps({"schema": TALLY_SCHEMA, "counts": counts, "collection_errors": errors})


def test_test_requirements_extras_and_groups_are_installed(python_workspace, options, paths):
    python_workspace.files[paths["project"] / "pyproject.toml"] = LIBRARY
    python_workspace.files[paths["project"] / "requirements" / "tests.txt"] = "pytest==8.1.1\n"
    build_and_test(options(), python_workspace)
    [install] = [c for c in python_workspace.commands if "-e" in c.argv]
    assert install.argv[-6:] == (
        "-r",
        "requirements/tests.txt",
        "-e",
        ".[tests]",
        "hypothesis",
        "mypy",
    )


def test_a_project_without_checker_configuration_is_not_formatted_or_linted(
    python_workspace, options, paths
):
    python_workspace.files[paths["project"] / "pyproject.toml"] = LIBRARY
    outcome = build_and_test(options(), python_workspace)
    assert outcome.step(StepKind.FORMAT).status is StepStatus.SKIPPED
    assert outcome.step(StepKind.LINT).status is StepStatus.SKIPPED
    [probe] = [c for c in python_workspace.commands if "find_spec" in c.display()]
    assert probe.argv[-2:] == ("pytest", "pytest_cov")
    assert outcome.result is Result.PASSED


def test_the_projects_pre_commit_ruff_is_installed_and_run_as_it_is(
    python_workspace, options, paths
):
    python_workspace.files[paths["project"] / "pyproject.toml"] = LIBRARY
    python_workspace.files[paths["project"] / ".pre-commit-config.yaml"] = PRE_COMMIT
    python_workspace.script("find_spec", output="ruff\n")
    outcome = build_and_test(options(), python_workspace)
    [tools] = [c for c in python_workspace.commands if c.argv[-1] == "ruff==0.15.6"]
    assert "install" in tools.argv
    [fmt] = [c for c in python_workspace.commands if "format" in c.argv]
    assert "--extend-exclude=*.md" not in fmt.argv
    assert outcome.step(StepKind.FORMAT).status is StepStatus.PASSED


def test_counts_come_from_pytests_own_tally(python_workspace, options, paths):
    python_workspace.script(
        "paved_pytest_tally",
        writes={
            paths["results"] / "junit.xml": "<testsuite name='pytest'/>",
            paths["results"] / "pytest-tally.json": tally(passed=3, xfailed=1, xpassed=2),
        },
    )
    outcome = build_and_test(options(), python_workspace)
    assert outcome.counts is not None
    assert (outcome.counts.passed, outcome.counts.xfailed, outcome.counts.xpassed) == (3, 1, 2)
    assert outcome.result is Result.PASSED


def test_collection_errors_fail_as_collection_errors_not_as_failed_tests(
    python_workspace, options, paths
):
    python_workspace.script(
        "paved_pytest_tally",
        exit_code=2,
        writes={
            paths["results"] / "junit.xml": "<testsuite name='pytest'/>",
            paths["results"] / "pytest-tally.json": tally(
                collection_errors=["tests/test_a.py", "tests/test_b.py"]
            ),
        },
    )
    outcome = build_and_test(options(), python_workspace)
    assert [(f.kind, f.count) for f in outcome.failures] == [(FailureKind.COLLECTION_FAILED, 2)]


def test_coverage_is_coverage_pys_total_from_its_json(python_workspace, options, paths):
    python_workspace.script(
        "paved_pytest_tally",
        writes={
            paths["results"] / "junit.xml": "<testsuite name='pytest'/>",
            paths["results"] / "pytest-tally.json": tally(passed=1),
            paths["results"] / "coverage.json": json.dumps(
                {
                    "files": {},
                    "totals": {
                        "covered_lines": 99,
                        "num_statements": 100,
                        "percent_covered": 97.24,
                        "num_branches": 20,
                        "covered_branches": 18,
                    },
                }
            ),
            paths["results"] / "coverage.xml": "<coverage/>",
        },
    )
    outcome = build_and_test(options(coverage_threshold=97.24), python_workspace)
    assert outcome.coverage is not None
    assert outcome.coverage.percent == 97.24
    assert outcome.result is Result.PASSED


PLUGGY_SETUP_CFG = """\
[metadata]
name = pluggy
[options.extras_require]
testing =
    pytest
"""


def test_a_project_pytest_depends_on_is_not_replaced_by_the_tools(python_workspace, options, paths):
    python_workspace.files[paths["project"] / "pyproject.toml"] = "[tool.ruff]\n"
    python_workspace.files[paths["project"] / "setup.py"] = "from setuptools import setup\n"
    python_workspace.files[paths["project"] / "setup.cfg"] = PLUGGY_SETUP_CFG
    python_workspace.script("find_spec", output="pytest pytest_cov\n")
    build_and_test(options(), python_workspace)
    installs = [c.argv for c in python_workspace.commands if "install" in c.argv]
    assert installs[0][-2:] == ("-e", ".[testing]")
    assert installs[1][-4:] == ("pytest", "pytest-cov", "-e", ".[testing]")


def test_ruff_that_stops_with_an_error_reports_no_stale_findings(python_workspace, options, paths):
    python_workspace.files[paths["venv"] / "paved-ruff-findings.json"] = (
        '[{"code": "F401", "message": "old", "filename": "x.py", "location": {"row": 1}}]'
    )
    python_workspace.script("ruff check", exit_code=2, output="ruff failed")
    outcome = build_and_test(options(), python_workspace)
    lint = outcome.step(StepKind.LINT)
    assert (lint.status, lint.findings) == (StepStatus.ERROR, ())
    python_workspace.script("ruff check", exit_code=1)
    assert [
        f.code for f in build_and_test(options(), python_workspace).step(StepKind.LINT).findings
    ] == ["F401"]

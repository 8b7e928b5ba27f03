import pytest
from paved.buildtest import FailureKind, Language, StepKind, build_and_test
from paved.buildtest.plan import TOOL_PINS
from paved.errors import EnvironmentProblemError, ExitCode, ToolNotFoundError, UsageError
from paved.model import Result, StepStatus

FAILING_JUNIT = """\
<testsuites><testsuite name="pytest" tests="2" time="0.3">
<testcase classname="tests.test_x" name="test_ok" file="tests/test_x.py" line="3" time="0.1"/>
<testcase classname="tests.test_x" name="test_sum" file="tests/test_x.py" line="9" time="0.2">
<failure message="assert 1 == 2">tests/test_x.py:11: AssertionError</failure></testcase>
</testsuite></testsuites>
"""

COVERAGE = """\
<coverage lines-valid="4" lines-covered="3" branches-valid="0" branch-rate="0">
<sources><source>/repo/examples/svc/service</source></sources>
<packages><package name="."><classes><class name="app.py" filename="app.py"><lines>
<line number="1" hits="1"/><line number="2" hits="1"/><line number="3" hits="1"/>
<line number="4" hits="0"/></lines></class></classes></package></packages>
</coverage>
"""


def statuses(outcome):
    return [(step.kind, step.status) for step in outcome.steps]


def ran(workspace, fragment):
    return [shown for shown in workspace.shown() if fragment in shown]


def test_a_python_package_runs_setup_install_format_lint_and_test_in_order(
    python_workspace, options
):
    outcome = build_and_test(options(), python_workspace)
    assert outcome.result is Result.PASSED
    assert outcome.language is Language.PYTHON
    assert outcome.project == "examples/svc"
    assert statuses(outcome) == [(kind, StepStatus.PASSED) for kind in StepKind]
    shown = python_workspace.shown()
    expected = [
        "-m venv",
        "pip install",
        "find_spec",
        "ruff format --check",
        "ruff check",
        "pytest",
    ]
    assert len(shown) == len(expected)
    assert [f for f, line in zip(expected, shown, strict=True) if f in line] == expected
    assert shown[1].endswith("-e .")


def test_an_existing_venv_is_reused(python_workspace, options, paths):
    python_workspace.files[paths["venv"] / "bin" / "python"] = ""
    outcome = build_and_test(options(), python_workspace)
    assert ran(python_workspace, "-m venv") == []
    assert outcome.step(StepKind.SETUP).status is StepStatus.PASSED


def test_tools_the_project_lacks_are_installed_at_their_pins(python_workspace, options):
    python_workspace.script("find_spec", output="pytest_cov ruff\n")
    outcome = build_and_test(options(), python_workspace)
    (tools,) = ran(python_workspace, TOOL_PINS["ruff"])
    assert TOOL_PINS["pytest_cov"] in tools
    assert TOOL_PINS["pytest"] not in tools
    install = outcome.step(StepKind.INSTALL)
    assert install.status is StepStatus.PASSED
    assert TOOL_PINS["ruff"] in install.command


def test_guessed_requirements_files_are_installed(python_workspace, options, paths):
    python_workspace.files[paths["project"] / "requirements.txt"] = "requests\n"
    python_workspace.files[paths["project"] / "requirements-dev.txt"] = "pytest\n"
    build_and_test(options(), python_workspace)
    (install,) = ran(python_workspace, "-r requirements.txt")
    assert install.endswith("-r requirements.txt -r requirements-dev.txt -e .")


def test_a_failed_install_skips_every_later_step(python_workspace, options):
    python_workspace.script("pip install", exit_code=1, output="ERROR: No matching distribution")
    outcome = build_and_test(options(coverage_threshold=80), python_workspace)
    assert statuses(outcome)[1:] == [
        (StepKind.INSTALL, StepStatus.FAILED),
        (StepKind.FORMAT, StepStatus.SKIPPED),
        (StepKind.LINT, StepStatus.SKIPPED),
        (StepKind.TEST, StepStatus.SKIPPED),
    ]
    assert ran(python_workspace, "ruff") == ran(python_workspace, "pytest") == []
    assert [f.kind for f in outcome.failures] == [FailureKind.STEP_FAILED]
    assert "No matching distribution" in outcome.step(StepKind.INSTALL).output_tail


def test_a_failed_venv_creation_skips_every_later_step(python_workspace, options):
    python_workspace.script("-m venv", exit_code=1, output="ensurepip is not available")
    outcome = build_and_test(options(), python_workspace)
    (only,) = python_workspace.shown()
    assert only == "python3 -m venv /cache/venv-svc"
    assert [s.status for s in outcome.steps[1:]] == [StepStatus.SKIPPED] * 4
    assert outcome.result is Result.FAILED


def test_format_findings_of_the_projects_pinned_ruff_fail_the_run_but_tests_still_run(
    python_workspace, options, paths
):
    python_workspace.files[paths["project"] / "requirements-dev.txt"] = "ruff==0.5.7\n"
    python_workspace.script("ruff format", exit_code=1, output="Would reformat: app.py\n")
    outcome = build_and_test(options(), python_workspace)
    assert [f.file for f in outcome.step(StepKind.FORMAT).findings] == ["app.py"]
    assert outcome.step(StepKind.FORMAT).status is StepStatus.FAILED
    assert outcome.step(StepKind.FORMAT).paved_checker is None
    assert outcome.step(StepKind.TEST).status is StepStatus.PASSED
    assert outcome.result is Result.FAILED


def test_findings_of_a_checker_at_paveds_version_warn_and_do_not_fail(python_workspace, options):
    python_workspace.script("ruff format", exit_code=1, output="Would reformat: app.py\n")
    python_workspace.script("ruff check", exit_code=1)
    outcome = build_and_test(options(), python_workspace)
    fmt, lint = outcome.step(StepKind.FORMAT), outcome.step(StepKind.LINT)
    assert (fmt.status, fmt.paved_checker) == (StepStatus.WARNED, TOOL_PINS["ruff"])
    assert [f.file for f in fmt.findings] == ["app.py"]
    assert (lint.status, lint.paved_checker) == (StepStatus.WARNED, TOOL_PINS["ruff"])
    assert outcome.result is Result.PASSED


def test_a_checker_at_paveds_version_that_breaks_still_fails(python_workspace, options):
    python_workspace.script("ruff check", exit_code=2, output="error: bad config\n")
    outcome = build_and_test(options(), python_workspace)
    assert outcome.step(StepKind.LINT).status is StepStatus.ERROR
    assert outcome.result is Result.FAILED


def test_failing_tests_and_coverage_are_read_from_the_results_dir(python_workspace, options, paths):
    reports = {paths["results"] / "junit.xml": FAILING_JUNIT}
    reports[paths["results"] / "coverage.xml"] = COVERAGE
    python_workspace.script("paved_pytest_tally", exit_code=1, writes=reports)
    outcome = build_and_test(options(coverage_threshold=75), python_workspace)
    assert [f.kind for f in outcome.failures] == [FailureKind.TESTS_FAILED]
    failed = [c for c in outcome.tests.cases if c.name == "test_sum"]
    assert (failed[0].file, failed[0].line) == ("tests/test_x.py", 11)
    assert outcome.coverage.percent == 75.0
    assert [f.path for f in outcome.coverage.files] == ["service/app.py"]
    assert outcome.junit_path == paths["results"] / "junit.xml"


def test_pytest_collecting_nothing_fails_as_no_tests(python_workspace, options, paths):
    empty = '<testsuites><testsuite name="pytest" tests="0"/></testsuites>'
    python_workspace.script(
        "paved_pytest_tally", exit_code=5, writes={paths["results"] / "junit.xml": empty}
    )
    outcome = build_and_test(options(), python_workspace)
    assert [f.kind for f in outcome.failures] == [FailureKind.NO_TESTS]


def test_pytest_collecting_nothing_passes_when_allowed(python_workspace, options, paths):
    empty = '<testsuites><testsuite name="pytest" tests="0"/></testsuites>'
    python_workspace.script(
        "paved_pytest_tally", exit_code=5, writes={paths["results"] / "junit.xml": empty}
    )
    outcome = build_and_test(options(allow_no_tests=True), python_workspace)
    assert outcome.result is Result.PASSED


def test_an_allowed_empty_test_run_does_not_show_a_failed_step(python_workspace, options, paths):
    empty = '<testsuites><testsuite name="pytest" tests="0"/></testsuites>'
    python_workspace.script(
        "paved_pytest_tally", exit_code=5, writes={paths["results"] / "junit.xml": empty}
    )
    outcome = build_and_test(options(allow_no_tests=True), python_workspace)
    assert outcome.step(StepKind.TEST).status is not StepStatus.FAILED


def test_a_missing_interpreter_is_an_environment_problem(python_workspace, options):
    python_workspace.programs = set()
    with pytest.raises(ToolNotFoundError) as caught:
        build_and_test(options(python="python3.12"), python_workspace)
    assert caught.value.exit_code is ExitCode.ENVIRONMENT
    assert int(caught.value.exit_code) == 3
    assert "'python3.12' was not found on PATH" in str(caught.value)
    assert python_workspace.commands == []


def test_a_missing_project_directory_is_a_usage_error(workspace, options):
    workspace.dirs = set()
    with pytest.raises(UsageError, match=r"^project-dir: /repo/examples/svc does not exist"):
        build_and_test(options(), workspace)
    assert workspace.commands == []


def test_a_requirements_file_that_does_not_exist_is_a_usage_error(python_workspace, options):
    with pytest.raises(UsageError) as caught:
        build_and_test(options(requirements=("requirements-ci.txt",)), python_workspace)
    assert str(caught.value).startswith("requirements: requirements-ci.txt does not exist")
    assert ran(python_workspace, "pip install") == []


def test_a_pyproject_that_does_not_parse_is_a_usage_error(python_workspace, options, paths):
    python_workspace.files[paths["project"] / "pyproject.toml"] = "[project\nname = 'svc'"
    with pytest.raises(UsageError, match=r"pyproject\.toml: is not valid TOML"):
        build_and_test(options(), python_workspace)


def test_a_venv_that_cannot_run_python_is_an_environment_problem(python_workspace, options):
    python_workspace.script("find_spec", exit_code=127, output="bad interpreter")
    with pytest.raises(EnvironmentProblemError, match="cannot run Python: bad interpreter"):
        build_and_test(options(), python_workspace)

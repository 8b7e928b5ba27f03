import pytest
from paved.buildtest import FailureKind, Language, Shell, StepKind, build_and_test
from paved.errors import ToolNotFoundError
from paved.model import Result, StepStatus

JEST_JUNIT = """\
<testsuites name="jest tests" tests="2" failures="1" time="0.9">
<testsuite name="math" tests="2" failures="1" time="0.9">
<testcase classname="math adds" name="adds" time="0.01"/>
<testcase classname="math divides" name="divides" time="0.02"><failure>Error: boom</failure>
</testcase></testsuite></testsuites>
"""


@pytest.fixture
def node_workspace(workspace, paths):
    workspace.files[paths["project"] / "package.json"] = "{}"
    return workspace


def test_a_node_project_with_a_lockfile_installs_with_npm_ci(node_workspace, options, paths):
    node_workspace.files[paths["project"] / "package-lock.json"] = "{}"
    outcome = build_and_test(options(), node_workspace)
    assert node_workspace.shown() == ["npm ci --no-audit --no-fund", "npm test"]
    assert outcome.language is Language.NODE
    assert [(s.kind, s.status) for s in outcome.steps] == [
        (StepKind.SETUP, StepStatus.SKIPPED),
        (StepKind.INSTALL, StepStatus.PASSED),
        (StepKind.FORMAT, StepStatus.SKIPPED),
        (StepKind.LINT, StepStatus.SKIPPED),
        (StepKind.TEST, StepStatus.PASSED),
    ]
    # npm test passed, but without a JUnit file nothing says a test ran.
    assert [f.kind for f in outcome.failures] == [FailureKind.NO_TEST_REPORT]
    assert outcome.result is Result.FAILED
    assert build_and_test(options(allow_no_tests=True), node_workspace).result is Result.PASSED


def test_a_node_project_without_a_lockfile_installs_with_npm_install(node_workspace, options):
    build_and_test(options(), node_workspace)
    assert node_workspace.shown()[0] == "npm install --no-audit --no-fund"


def test_a_go_project_downloads_modules_and_tests_every_package(workspace, options, paths):
    workspace.files[paths["project"] / "go.mod"] = "module example.com/calc\n"
    outcome = build_and_test(options(), workspace)
    assert workspace.shown() == ["go mod download", "go test ./..."]
    assert outcome.language is Language.GO


def test_a_junit_file_the_test_command_did_not_write_is_reported(node_workspace, options, paths):
    outcome = build_and_test(options(junit_file="reports/junit.xml"), node_workspace)
    assert [(f.kind, f.detail) for f in outcome.failures] == [
        (FailureKind.JUNIT_MISSING, str(paths["project"] / "reports" / "junit.xml"))
    ]
    assert outcome.result is Result.FAILED


def test_the_junit_file_the_test_command_wrote_is_judged(node_workspace, options, paths):
    junit = paths["project"] / "reports" / "junit.xml"
    node_workspace.script("npm test", exit_code=1, writes={junit: JEST_JUNIT})
    outcome = build_and_test(options(junit_file="reports/junit.xml"), node_workspace)
    assert [(f.kind, f.count) for f in outcome.failures] == [(FailureKind.TESTS_FAILED, 1)]
    assert outcome.junit_path == junit
    assert outcome.tests.total == 2


def test_configured_commands_run_through_the_chosen_shell(node_workspace, options):
    chosen = options(
        shell=Shell.BASH,
        install_command="npm ci --ignore-scripts",
        lint_command="npx eslint . && npx tsc --noEmit",
        test_command="npm test -- --ci",
    )
    outcome = build_and_test(chosen, node_workspace)
    assert [c.argv for c in node_workspace.commands] == [
        ("bash", "-e", "-c", "npm ci --ignore-scripts"),
        ("bash", "-e", "-c", "npx eslint . && npx tsc --noEmit"),
        ("bash", "-e", "-c", "npm test -- --ci"),
    ]
    assert outcome.step(StepKind.LINT).status is StepStatus.PASSED


def test_a_missing_npm_is_an_environment_problem(node_workspace, options):
    node_workspace.programs = {"python3"}
    with pytest.raises(ToolNotFoundError, match="'npm' was not found on PATH"):
        build_and_test(options(), node_workspace)
    assert node_workspace.commands == []

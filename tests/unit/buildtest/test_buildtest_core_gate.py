"""Every reason the gate can give is reachable through a whole build-test run."""

import pytest
from paved.buildtest import FailureKind, build_and_test
from paved.model import Result

JUNIT = "results/junit.xml"
COVERAGE = "results/coverage.xml"
PASSING = '<testsuite name="pytest"><testcase classname="t" name="test_ok"/></testsuite>'
FAILING = (
    '<testsuite name="pytest"><testcase classname="t" name="test_bad">'
    '<failure message="assert False"/></testcase></testsuite>'
)
EMPTY = '<testsuites><testsuite name="pytest" tests="0"/></testsuites>'
ONLY_SKIPPED = (
    '<testsuite name="pytest"><testcase classname="t" name="test_later">'
    '<skipped message="not yet"/></testcase></testsuite>'
)
UNCOLLECTABLE = (
    '<testsuite name="pytest"><testcase classname="" name="tests.test_x">'
    '<error message="collection failure">ModuleNotFoundError</error></testcase></testsuite>'
)
HALF_COVERED = (
    '<coverage><packages><package><classes><class filename="app.py"><lines>'
    '<line number="1" hits="1"/><line number="2" hits="0"/>'
    "</lines></class></classes></package></packages></coverage>"
)

# kind -> (step to script, its exit code, reports it writes, options)
SCENARIOS = {
    # ruff exit 2: it broke (findings alone, from a ruff the project never pinned, only warn).
    FailureKind.STEP_FAILED: ("ruff check", 2, {JUNIT: PASSING}, {}),
    FailureKind.TESTS_FAILED: ("paved_pytest_tally", 1, {JUNIT: FAILING}, {}),
    FailureKind.NO_TESTS: ("paved_pytest_tally", 5, {JUNIT: EMPTY}, {}),
    FailureKind.NO_TEST_RAN: ("paved_pytest_tally", 0, {JUNIT: ONLY_SKIPPED}, {}),
    FailureKind.COLLECTION_FAILED: ("paved_pytest_tally", 2, {JUNIT: UNCOLLECTABLE}, {}),
    FailureKind.TEST_RUN_BROKEN: ("paved_pytest_tally", 3, {JUNIT: PASSING}, {}),
    FailureKind.JUNIT_MISSING: ("paved_pytest_tally", 0, {}, {}),
    FailureKind.REPORT_INVALID: ("paved_pytest_tally", 0, {JUNIT: "<html><body>oops"}, {}),
    FailureKind.COVERAGE_MISSING: (
        "paved_pytest_tally",
        0,
        {JUNIT: PASSING},
        {"coverage_threshold": 80},
    ),
    FailureKind.COVERAGE_BELOW: (
        "paved_pytest_tally",
        0,
        {JUNIT: PASSING, COVERAGE: HALF_COVERED},
        {"coverage_threshold": 80},
    ),
}


NOT_PYTHON = {FailureKind.NO_TEST_REPORT}
"""pytest always writes a report paved asked for; a command of the user's own may not
(tests/unit/buildtest/test_buildtest_core_node_go.py)."""


def test_every_failure_kind_has_a_scenario():
    assert set(SCENARIOS) | NOT_PYTHON == set(FailureKind)


@pytest.mark.parametrize("kind", sorted(SCENARIOS))
def test_failure_kind_is_reachable_through_a_run(python_workspace, options, paths, kind):
    fragment, exit_code, reports, overrides = SCENARIOS[kind]
    results = paths["results"]
    written = {results / name.removeprefix("results/"): text for name, text in reports.items()}
    python_workspace.script("paved_pytest_tally", writes={results / "junit.xml": PASSING})
    python_workspace.script(fragment, exit_code=exit_code, writes=written)
    outcome = build_and_test(options(**overrides), python_workspace)
    assert kind in [failure.kind for failure in outcome.failures]
    assert outcome.result is Result.FAILED


def test_the_passing_baseline_has_no_failures(python_workspace, options, paths):
    coverage = HALF_COVERED.replace('hits="0"', 'hits="1"')
    python_workspace.script(
        "paved_pytest_tally",
        writes={
            paths["results"] / "junit.xml": PASSING,
            paths["results"] / "coverage.xml": coverage,
        },
    )
    outcome = build_and_test(options(coverage_threshold=100), python_workspace)
    assert outcome.failures == ()
    assert outcome.result is Result.PASSED

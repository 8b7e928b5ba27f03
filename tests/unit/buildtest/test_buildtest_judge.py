import pytest
from paved.buildtest import junit
from paved.buildtest.coverage import CoverageReport
from paved.buildtest.judge import judge
from paved.buildtest.junit import CaseStatus
from paved.buildtest.outcome import FailureKind, GateFailure, StepKind, StepResult
from paved.buildtest.tally import Tally, tally_from_report
from paved.model import StepStatus

PASSED = StepStatus.PASSED
FAILED = StepStatus.FAILED
ERROR = StepStatus.ERROR
SKIPPED = StepStatus.SKIPPED


def steps(**status: StepStatus) -> tuple[StepResult, ...]:
    """All five steps, passed unless named; a failed step exited 1, a broken one 4."""
    codes = {PASSED: 0, FAILED: 1, ERROR: 4, SKIPPED: None}
    results = []
    for kind in StepKind:
        state = status.get(kind.value, PASSED)
        results.append(StepResult(kind=kind, status=state, exit_code=codes[state]))
    return tuple(results)


def report_of(*statuses: CaseStatus) -> Tally:
    cases = tuple(
        junit.TestCase(name=f"test_{i}", classname="tests.test_x", status=s, time=0.1)
        for i, s in enumerate(statuses)
    )
    return tally_from_report(junit.TestReport(cases=cases, time=0.1 * len(cases)))


def coverage(covered: int, valid: int = 100) -> CoverageReport:
    return CoverageReport(lines_valid=valid, lines_covered=covered, files=())


def verdict(run_steps=None, report=None, cov=None, *, threshold=None, allow_no_tests=False):
    return judge(
        run_steps or steps(),
        report,
        cov,
        coverage_threshold=threshold,
        allow_no_tests=allow_no_tests,
    )


GREEN = Tally(passed=1)


def kinds(failures):
    return [failure.kind for failure in failures]


def test_everything_green_passes():
    assert verdict(report=report_of(CaseStatus.PASSED, CaseStatus.SKIPPED)) == ()


def test_a_failed_check_step_fails_the_gate_with_its_exit_code():
    failures = verdict(steps(lint=FAILED), report_of(CaseStatus.PASSED))
    assert failures == (GateFailure(FailureKind.STEP_FAILED, step=StepKind.LINT, count=1),)


def test_failed_and_errored_cases_are_counted_together():
    report = report_of(CaseStatus.PASSED, CaseStatus.FAILED, CaseStatus.ERROR)
    failures = verdict(steps(test=FAILED), report)
    assert failures == (GateFailure(FailureKind.TESTS_FAILED, count=2),)


def test_no_tests_fails_by_default():
    assert kinds(verdict(steps(test=FAILED), report_of())) == [FailureKind.NO_TESTS]


def test_no_tests_passes_when_allowed():
    assert verdict(report=report_of(), allow_no_tests=True) == ()


def test_a_test_run_that_broke_is_reported_with_its_exit_code():
    failures = verdict(steps(test=ERROR), None)
    assert failures == (GateFailure(FailureKind.TEST_RUN_BROKEN, count=4),)


def test_a_failed_test_command_without_failing_cases_still_fails():
    failures = verdict(steps(test=FAILED), report_of(CaseStatus.PASSED))
    assert failures == (GateFailure(FailureKind.STEP_FAILED, step=StepKind.TEST, count=1),)


def test_missing_coverage_with_a_threshold_never_passes():
    failures = verdict(report=report_of(CaseStatus.PASSED), threshold=0)
    assert failures == (GateFailure(FailureKind.COVERAGE_MISSING, threshold=0),)


def test_coverage_below_the_threshold_fails_with_both_figures():
    failures = verdict(report=report_of(CaseStatus.PASSED), cov=coverage(799, 1000), threshold=80)
    assert failures == (GateFailure(FailureKind.COVERAGE_BELOW, actual=79.9, threshold=80),)


@pytest.mark.parametrize(
    ("covered", "valid", "threshold"), [(80, 100, 80), (10, 11, 90.91), (0, 0, 100)]
)
def test_coverage_exactly_at_the_threshold_passes(covered, valid, threshold):
    assert verdict(report=GREEN, cov=coverage(covered, valid), threshold=threshold) == ()


def test_coverage_a_hundredth_below_the_threshold_fails():
    failures = verdict(report=GREEN, cov=coverage(9090, 10000), threshold=90.91)
    assert failures == (GateFailure(FailureKind.COVERAGE_BELOW, actual=90.9, threshold=90.91),)


def test_coverage_is_not_judged_without_a_threshold():
    assert verdict(report=GREEN, cov=coverage(0)) == ()


def test_skipped_tests_after_a_broken_install_report_only_the_install():
    failures = verdict(
        steps(install=FAILED, format=SKIPPED, lint=SKIPPED, test=SKIPPED), None, threshold=90
    )
    assert failures == (GateFailure(FailureKind.STEP_FAILED, step=StepKind.INSTALL, count=1),)


@pytest.mark.parametrize(
    "report",
    [Tally(skipped=3), Tally(xfailed=2), Tally(skipped=1, xfailed=1)],
    ids=["all-skipped", "xfail-only", "skipped-and-xfail"],
)
def test_a_suite_where_no_test_ran_fails_unless_allowed(report):
    assert kinds(verdict(report=report)) == [FailureKind.NO_TEST_RAN]
    assert verdict(report=report, allow_no_tests=True) == ()


def test_an_xpass_or_a_failure_counts_as_a_test_that_ran():
    assert kinds(verdict(report=Tally(xpassed=1, skipped=4))) == []
    assert kinds(verdict(report=Tally(failed=1, skipped=4))) == [FailureKind.TESTS_FAILED]


def test_a_passing_test_command_without_any_report_fails_unless_allowed():
    assert kinds(verdict(report=None)) == [FailureKind.NO_TEST_REPORT]
    assert verdict(report=None, allow_no_tests=True) == ()

"""The gate: decide from step results, tests and coverage whether the build passed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.buildtest.outcome import FailureKind, GateFailure, StepKind
from paved.model import StepStatus

COVERAGE_DECIMALS = 2
"""Coverage is reported and judged at this precision."""

if TYPE_CHECKING:
    from paved.buildtest.coverage import CoverageReport
    from paved.buildtest.outcome import StepResult
    from paved.buildtest.tally import Tally


def judge(
    steps: tuple[StepResult, ...],
    tests: Tally | None,
    coverage: CoverageReport | None,
    *,
    coverage_threshold: float | None,
    allow_no_tests: bool,
) -> tuple[GateFailure, ...]:
    """Every reason the build fails; empty means it passed. Never passes without data."""
    failures = [
        GateFailure(FailureKind.STEP_FAILED, step=step.kind, count=step.exit_code)
        for step in steps
        if step.kind is not StepKind.TEST and step.status in {StepStatus.FAILED, StepStatus.ERROR}
    ]
    test_step = next((s for s in steps if s.kind is StepKind.TEST), None)
    if test_step is None or test_step.status is StepStatus.SKIPPED:
        return tuple(failures)
    failures += _test_failures(test_step, tests, allow_no_tests=allow_no_tests)
    if coverage_threshold is not None:
        if coverage is None:
            failures.append(GateFailure(FailureKind.COVERAGE_MISSING, threshold=coverage_threshold))
        # Judge the figure users see (two decimals), so "90.91%" meets a 90.91 threshold.
        elif round(coverage.percent, COVERAGE_DECIMALS) < coverage_threshold:
            failures.append(
                GateFailure(
                    FailureKind.COVERAGE_BELOW,
                    actual=round(coverage.percent, COVERAGE_DECIMALS),
                    threshold=coverage_threshold,
                )
            )
    return tuple(failures)


def _test_failures(
    test_step: StepResult, tests: Tally | None, *, allow_no_tests: bool
) -> list[GateFailure]:
    failures = []
    collection_failed = tests is not None and bool(tests.collection_errors)
    if tests is not None:
        if collection_failed:
            failures.append(
                GateFailure(FailureKind.COLLECTION_FAILED, count=len(tests.collection_errors))
            )
        if tests.broken:
            failures.append(GateFailure(FailureKind.TESTS_FAILED, count=tests.broken))
        if tests.total == 0 and not allow_no_tests and not collection_failed:
            failures.append(GateFailure(FailureKind.NO_TESTS))
        elif tests.executed == 0 and not allow_no_tests and not collection_failed:
            shown = f"{tests.skipped} skipped, {tests.xfailed} expected to fail"
            failures.append(GateFailure(FailureKind.NO_TEST_RAN, detail=shown))
    elif not allow_no_tests and test_step.status is StepStatus.PASSED:
        # A command of the user's own that wrote no report: green would mean "nothing seen".
        failures.append(GateFailure(FailureKind.NO_TEST_REPORT))
    # pytest stops after collection errors (exit code 2): that, not a crash, is why it ended.
    if test_step.status is StepStatus.ERROR and not collection_failed:
        failures.append(GateFailure(FailureKind.TEST_RUN_BROKEN, count=test_step.exit_code))
    elif test_step.status is StepStatus.FAILED and not failures:
        # The command failed but no failing case says why (no JUnit, or a crash after it).
        failures.append(
            GateFailure(FailureKind.STEP_FAILED, step=StepKind.TEST, count=test_step.exit_code)
        )
    return failures

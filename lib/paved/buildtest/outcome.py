"""What a build-test run produced: steps, tests, coverage and the gate's verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from paved.buildtest.tally import Tally, tally_from_report
from paved.model import Result, StepStatus

if TYPE_CHECKING:
    from pathlib import Path

    from paved.buildtest.coverage import CoverageReport
    from paved.buildtest.findings import CodeFinding
    from paved.buildtest.junit import TestReport
    from paved.buildtest.options import Language


class StepKind(StrEnum):
    """The steps of a build, in order."""

    SETUP = "setup"
    INSTALL = "install"
    FORMAT = "format"
    LINT = "lint"
    TEST = "test"


@dataclass(frozen=True)
class StepResult:
    """How one step ended."""

    kind: StepKind
    status: StepStatus
    duration_seconds: float = 0.0
    command: str = ""
    exit_code: int | None = None
    findings: tuple[CodeFinding, ...] = ()
    output_tail: str = ""
    """The last lines the step printed, for the summary when it failed."""
    paved_checker: str | None = None
    """The checker paved chose the version of (`ruff==0.17.6`), as the project pins none:
    its findings make the step WARNED, not FAILED."""


class FailureKind(StrEnum):
    """Why the gate did not pass."""

    STEP_FAILED = "step-failed"
    TESTS_FAILED = "tests-failed"
    COLLECTION_FAILED = "collection-failed"
    NO_TESTS = "no-tests"
    NO_TEST_RAN = "no-test-ran"
    """Tests were collected, but every one was skipped or an expected failure."""
    NO_TEST_REPORT = "no-test-report"
    """The test command ran, but wrote no report that says any test ran."""
    TEST_RUN_BROKEN = "test-run-broken"
    JUNIT_MISSING = "junit-missing"
    REPORT_INVALID = "report-invalid"
    COVERAGE_MISSING = "coverage-missing"
    COVERAGE_BELOW = "coverage-below-threshold"


@dataclass(frozen=True)
class GateFailure:
    """One reason the run failed, with the figures that explain it."""

    kind: FailureKind
    step: StepKind | None = None
    count: int | None = None
    actual: float | None = None
    threshold: float | None = None
    detail: str = ""


@dataclass(frozen=True)
class BuildTestOutcome:
    """The whole result of build-test."""

    language: Language
    project: str
    """The project directory relative to the repository root."""
    steps: tuple[StepResult, ...]
    tests: TestReport | None
    """The test cases (JUnit), for failing tests and timings."""
    coverage: CoverageReport | None
    junit_path: Path | None
    coverage_path: Path | None
    coverage_threshold: float | None
    failures: tuple[GateFailure, ...] = field(default=())
    tally: Tally | None = None
    """How many tests ended how, as pytest itself counts them (None: count the JUnit cases)."""

    @property
    def counts(self) -> Tally | None:
        """The tally, or the counts the JUnit report gives when there is none."""
        if self.tally is not None or self.tests is None:
            return self.tally
        return tally_from_report(self.tests)

    @property
    def result(self) -> Result:
        """Passed only when nothing failed."""
        return Result.FAILED if self.failures else Result.PASSED

    @property
    def duration_seconds(self) -> float:
        """Time spent in all steps."""
        return sum(step.duration_seconds for step in self.steps)

    def step(self, kind: StepKind) -> StepResult | None:
        """The result of the step of `kind`, if it was planned."""
        return next((s for s in self.steps if s.kind is kind), None)

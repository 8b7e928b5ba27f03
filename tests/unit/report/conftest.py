"""Build-test outcomes as the core would produce them, for the report tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from paved.buildtest import junit
from paved.buildtest.coverage import CoverageReport, FileCoverage
from paved.buildtest.findings import CodeFinding
from paved.buildtest.junit import CaseStatus
from paved.buildtest.options import Language
from paved.buildtest.outcome import (
    BuildTestOutcome,
    FailureKind,
    GateFailure,
    StepKind,
    StepResult,
)
from paved.model import StepStatus

RESULTS = Path("/repo/examples/svc/.paved/build-test")


def case(name, status=CaseStatus.PASSED, *, line=4, time=0.1, message="", detail=""):
    return junit.TestCase(
        name=name,
        classname="tests.test_x",
        status=status,
        time=time,
        file="tests/test_x.py",
        line=line,
        message=message,
        detail=detail,
    )


def step(kind, status=StepStatus.PASSED, **fields):
    exit_code = {StepStatus.PASSED: 0, StepStatus.FAILED: 1}.get(status)
    return StepResult(kind=kind, status=status, duration_seconds=1.5, exit_code=exit_code, **fields)


@pytest.fixture
def make_case():
    return case


@pytest.fixture
def passing_outcome() -> BuildTestOutcome:
    cases = (case("test_ok", time=0.25), case("test_skip", CaseStatus.SKIPPED, time=0.0))
    return BuildTestOutcome(
        language=Language.PYTHON,
        project="examples/svc",
        steps=tuple(step(kind, command=f"run {kind.value}") for kind in StepKind),
        tests=junit.TestReport(cases=cases, time=0.25),
        coverage=CoverageReport(
            lines_valid=10,
            lines_covered=9,
            files=(FileCoverage("service/app.py", 10, 9),),
            branch_percent=75.0,
        ),
        junit_path=RESULTS / "junit.xml",
        coverage_path=RESULTS / "coverage.xml",
        coverage_threshold=80.0,
    )


@pytest.fixture
def failing_outcome(passing_outcome: BuildTestOutcome) -> BuildTestOutcome:
    """Lint found an unused import, one test failed at tests/test_x.py:15, coverage 70%."""
    finding = CodeFinding("app.py", 3, 8, "F401", "`os` imported but unused")
    failed = case(
        "test_sum",
        CaseStatus.FAILED,
        line=15,
        time=0.5,
        message="assert 1 == 2\n +  where 1 = total()",
        detail="tests/test_x.py:15: AssertionError",
    )
    steps = (
        step(StepKind.SETUP, command="python3 -m venv /cache/venv"),
        step(StepKind.INSTALL, command="pip install -e ."),
        step(StepKind.FORMAT, command="ruff format --check ."),
        step(StepKind.LINT, StepStatus.FAILED, command="ruff check .", findings=(finding,)),
        step(StepKind.TEST, StepStatus.FAILED, command="pytest", output_tail="1 failed"),
    )
    return replace(
        passing_outcome,
        steps=steps,
        tests=junit.TestReport(cases=(case("test_ok"), failed), time=0.6),
        coverage=CoverageReport(
            lines_valid=10,
            lines_covered=7,
            files=(FileCoverage("service/app.py", 5, 2), FileCoverage("service/db.py", 5, 5)),
        ),
        failures=(
            GateFailure(FailureKind.STEP_FAILED, step=StepKind.LINT, count=1),
            GateFailure(FailureKind.TESTS_FAILED, count=1),
            GateFailure(FailureKind.COVERAGE_BELOW, actual=70.0, threshold=80.0),
        ),
    )

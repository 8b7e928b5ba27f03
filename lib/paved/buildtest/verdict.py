"""After the steps: read the reports a test step wrote, and judge the whole run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from paved.buildtest.coverage import parse_cobertura, parse_coverage_json
from paved.buildtest.judge import judge
from paved.buildtest.junit import TestReport, parse_junit
from paved.buildtest.options import BuildTestOptions, Language
from paved.buildtest.outcome import (
    BuildTestOutcome,
    FailureKind,
    GateFailure,
    StepKind,
    StepResult,
)
from paved.buildtest.tally import parse_tally, tally_from_report
from paved.errors import UsageError
from paved.model import StepStatus, repo_relative

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from paved.adapters.workspace import Workspace

PYTEST_NO_TESTS = 5
"""pytest's exit code when it collected no tests."""


@dataclass(frozen=True)
class WrittenReports:
    """The reports a test step may have written; None where it writes none."""

    junit: Path | None = None
    coverage: Path | None = None
    coverage_json: Path | None = None
    tally: Path | None = None


def finish(
    options: BuildTestOptions,
    workspace: Workspace,
    steps: list[StepResult],
    reports: WrittenReports,
) -> BuildTestOutcome:
    problems: list[GateFailure] = []
    test_step = next(s for s in steps if s.kind is StepKind.TEST)
    ran = test_step.status is not StepStatus.SKIPPED
    project = options.project_dir.as_posix()
    read = _Reader(workspace, problems, ran)
    tests = read(
        reports.junit, lambda text, source: parse_junit(text, source=source, project=project)
    )
    if tests is None and reports.junit is not None and ran:
        problems.append(GateFailure(FailureKind.JUNIT_MISSING, detail=str(reports.junit)))
    tally = read(reports.tally, lambda text, source: parse_tally(text, source=source))
    coverage = read(
        reports.coverage_json,
        lambda text, source: parse_coverage_json(text, source=source, project=project),
    ) or read(
        reports.coverage,
        lambda text, source: parse_cobertura(text, source=source, project=project),
    )
    no_tests = options.language is Language.PYTHON and test_step.exit_code == PYTEST_NO_TESTS
    if no_tests and tests is None:
        tests = TestReport(cases=(), time=0.0)
    failures = judge(
        tuple(steps),
        tally or (tally_from_report(tests) if tests is not None else None),
        coverage,
        coverage_threshold=options.coverage_threshold,
        allow_no_tests=options.allow_no_tests,
    )
    if no_tests and options.allow_no_tests:
        failures = tuple(f for f in failures if f.step is not StepKind.TEST)
    if any(p.kind is FailureKind.JUNIT_MISSING for p in problems):
        # The missing report is already named, with its path.
        failures = tuple(f for f in failures if f.kind is not FailureKind.NO_TEST_REPORT)
    return BuildTestOutcome(
        language=options.language,
        project=repo_relative(options.project_dir, options.repo_root),
        steps=tuple(steps),
        tests=tests,
        tally=tally,
        coverage=coverage,
        junit_path=reports.junit if read.found(reports.junit) else None,
        coverage_path=reports.coverage if read.found(reports.coverage) else None,
        coverage_threshold=options.coverage_threshold,
        failures=(*failures, *problems),
    )


_T = TypeVar("_T")


class _Reader:
    """Reads the reports of a test step that ran; one that does not parse is a gate failure."""

    def __init__(self, workspace: Workspace, problems: list[GateFailure], ran: bool) -> None:
        self.workspace = workspace
        self.problems = problems
        self.ran = ran
        self.present: set[Path] = set()

    def __call__(self, path: Path | None, parse: Callable[[str, str], _T]) -> _T | None:
        text = self.workspace.read_text(path) if path is not None and self.ran else None
        if path is None or text is None:
            return None
        self.present.add(path)
        try:
            return parse(text, str(path))
        except UsageError as exc:
            self.problems.append(GateFailure(FailureKind.REPORT_INVALID, detail=str(exc)))
            return None

    def found(self, path: Path | None) -> bool:
        """Whether the report at `path` existed."""
        return path in self.present

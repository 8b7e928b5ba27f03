"""build-test as text: job summary, console report, JSON outcome, outputs and annotations."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from paved.buildtest.judge import COVERAGE_DECIMALS
from paved.buildtest.junit import CaseStatus
from paved.buildtest.outcome import BuildTestOutcome, FailureKind, GateFailure
from paved.model import Annotation, Level, Rendered
from paved.report import markdown as md
from paved.report.outcome_json import RESULT_ICON, assemble

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from paved.buildtest.junit import TestCase
    from paved.buildtest.outcome import StepResult
    from paved.buildtest.tally import Tally

CAPABILITY = "build-test"
_SLOWEST = 5
_LOWEST = 5
_FAILING_SHOWN = 25
_FINDINGS_SHOWN = 50
_MESSAGE_LIMIT = 2000


def render(outcome: BuildTestOutcome) -> Rendered:
    """Everything a front end shows for one build-test outcome."""
    return assemble(
        CAPABILITY,
        outcome.result,
        outcome_fields(outcome),
        summary=summary(outcome),
        console=console(outcome),
        annotations=annotations_for(outcome),
    )


def outcome_fields(outcome: BuildTestOutcome) -> dict[str, object]:
    """The JSON outcome's fields; top-level scalars are also the action's outputs."""
    tests = outcome.tests
    tally = outcome.counts
    cov = outcome.coverage
    return {
        "result": outcome.result.value,
        "passed": tally.passed if tally else None,
        "failed": tally.failed if tally else None,
        "skipped": tally.skipped if tally else None,
        "xfailed": tally.xfailed if tally else None,
        "xpassed": tally.xpassed if tally else None,
        "errors": tally.errors if tally else None,
        "collection_errors": list(tally.collection_errors) if tally else [],
        "total": tally.total if tally else None,
        "duration_seconds": round(outcome.duration_seconds, 3),
        "coverage_percent": round(cov.percent, COVERAGE_DECIMALS) if cov else None,
        "coverage_threshold": outcome.coverage_threshold,
        "junit_path": str(outcome.junit_path) if outcome.junit_path else None,
        "coverage_path": str(outcome.coverage_path) if outcome.coverage_path else None,
        "project": outcome.project,
        "language": outcome.language.value,
        "failures": [
            {"kind": f.kind.value, "message": failure_message(f)} for f in outcome.failures
        ],
        "steps": [
            {
                "name": s.kind.value,
                "status": s.status.value,
                "duration_seconds": round(s.duration_seconds, 3),
                "command": s.command,
                "exit_code": s.exit_code,
                "findings": len(s.findings),
                "paved_checker": s.paved_checker,
            }
            for s in outcome.steps
        ],
        "failing_tests": [
            {
                "name": _test_id(case),
                "status": case.status.value,
                "file": _repo_path(outcome, case.file),
                "line": case.line,
                "message": case.message or _first_line(case.detail),
            }
            for case in _failing(outcome)
        ],
        "slowest_tests": [
            {"name": _test_id(c), "seconds": round(c.time, 3)}
            for c in (tests.slowest(_SLOWEST) if tests else ())
        ],
        "coverage_files": [
            {
                "path": f.path,
                "lines": f.lines_valid,
                "covered": f.lines_covered,
                "percent": round(f.percent, 2),
            }
            for f in (cov.files if cov else ())
        ],
        "branch_coverage_percent": round(cov.branch_percent, 2)
        if cov and cov.branch_percent is not None
        else None,
    }


def _plural(count: int | None, one: str, many: str) -> str:
    return one if count == 1 else many


_MESSAGES: dict[FailureKind, Callable[[GateFailure], str]] = {
    FailureKind.STEP_FAILED: lambda f: (
        f"the {f.step.value if f.step else 'a step'} step failed (exit code {f.count})"
    ),
    FailureKind.TESTS_FAILED: lambda f: f"{f.count} {_plural(f.count, 'test', 'tests')} failed",
    FailureKind.COLLECTION_FAILED: lambda f: (
        f"{f.count} {_plural(f.count, 'test module', 'test modules')} could not be collected, "
        "so pytest ran no tests"
    ),
    FailureKind.NO_TESTS: lambda _: (
        "no tests were collected: add tests, or set allow-no-tests if that is intended"
    ),
    FailureKind.NO_TEST_RAN: lambda f: (
        f"no test ran ({f.detail}): skips and expected failures prove nothing; "
        "set allow-no-tests if that is intended"
    ),
    FailureKind.NO_TEST_REPORT: lambda _: (
        "the test command passed but wrote no JUnit report, so paved cannot see that any "
        "test ran: name it with junit-file, or set allow-no-tests"
    ),
    FailureKind.TEST_RUN_BROKEN: lambda f: (
        f"the test run stopped before it finished (exit code {f.count})"
    ),
    FailureKind.JUNIT_MISSING: lambda f: f"the test command wrote no JUnit report at {f.detail}",
    FailureKind.REPORT_INVALID: lambda f: f"a report could not be read: {f.detail}",
    FailureKind.COVERAGE_MISSING: lambda f: (
        f"no coverage report, so the {f.threshold:g}% coverage gate cannot pass"
    ),
    FailureKind.COVERAGE_BELOW: lambda f: (
        f"coverage {f.actual:g}% is below the threshold {f.threshold:g}%"
    ),
}
"""One sentence per reason the gate gives (a unit test checks every kind has one)."""


def failure_message(failure: GateFailure) -> str:
    """One sentence saying why the gate failed."""
    return _MESSAGES[failure.kind](failure)


def summary(outcome: BuildTestOutcome) -> str:
    """The job summary in GitHub-flavoured markdown."""
    result = outcome.result
    title = f"{md.code(outcome.project)} ({outcome.language.value})"
    parts = [
        f"## {RESULT_ICON[result.value]} build-test {result.value}: {title}",
        _totals_table(outcome),
    ]
    if outcome.failures:
        parts.append(
            "### Why it failed\n"
            + "\n".join(f"- {md.escape_text(failure_message(f))}" for f in outcome.failures)
        )
    parts.append(
        "### Steps\n"
        + md.table(
            ["Step", "Status", "Time", "Command"],
            [
                [
                    s.kind.value,
                    s.status.value,
                    md.seconds(s.duration_seconds),
                    md.Raw(md.code(s.command)) if s.command else "—",
                ]
                for s in outcome.steps
            ],
            "llrl",
        )
    )
    warned = [paved_checker_note(s) for s in outcome.steps if s.paved_checker]
    if warned:
        parts.append("### Warnings only\n" + "\n".join(f"- {md.escape_text(n)}" for n in warned))
    failing = _failing(outcome)
    if failing:
        rows = [
            [_test_id(c), _where(outcome, c), _first_line(c.message or c.detail)]
            for c in failing[:_FAILING_SHOWN]
        ]
        more = len(failing) - _FAILING_SHOWN
        tail = f"\n\n…and {more} more in the JUnit report." if more > 0 else ""
        parts.append("### Failing tests\n" + md.table(["Test", "Where", "Message"], rows) + tail)
    findings = [(s.kind.value, f) for s in outcome.steps for f in s.findings]
    if findings:
        rows = [
            [step, _location(outcome, f.file, f.line, f.column), f.code, f.message]
            for step, f in findings[:_FINDINGS_SHOWN]
        ]
        parts.append(
            "### Format and lint findings\n" + md.table(["Step", "Where", "Rule", "Message"], rows)
        )
    parts.extend(
        md.details(f"Output of the {s.kind.value} step (last lines)", md.code_block(s.output_tail))
        for s in outcome.steps
        if s.output_tail and not s.findings
    )
    if outcome.tests and outcome.tests.total:
        parts.append(
            "### Slowest tests\n"
            + md.table(
                ["Test", "Time"],
                [[_test_id(c), md.seconds(c.time)] for c in outcome.tests.slowest(_SLOWEST)],
                "lr",
            )
        )
    if outcome.coverage and outcome.coverage.files:
        parts.append(
            "### Lowest coverage\n"
            + md.table(
                ["File", "Lines", "Covered", "Coverage"],
                [
                    [f.path, f.lines_valid, f.lines_covered, md.percent(f.percent)]
                    for f in outcome.coverage.lowest(_LOWEST)
                ],
                "lrrr",
            )
        )
    return "\n\n".join(parts) + "\n"


def _totals_table(outcome: BuildTestOutcome) -> str:
    tally = outcome.counts
    cov = outcome.coverage
    gate = (
        f" (gate {outcome.coverage_threshold:g}%)" if outcome.coverage_threshold is not None else ""
    )
    coverage = (md.percent(cov.percent) if cov else "—") + gate
    counts: list[object] = ["—"] * 7 if tally is None else list(_counts(tally))
    return md.table(
        [
            "Tests",
            "Passed",
            "Failed",
            "Skipped",
            "XFailed",
            "XPassed",
            "Errors",
            "Duration",
            "Coverage",
        ],
        [[*counts, md.seconds(outcome.duration_seconds), coverage]],
        "rrrrrrrrr",
    )


def _counts(tally: Tally) -> tuple[int, ...]:
    return (
        tally.total,
        tally.passed,
        tally.failed,
        tally.skipped,
        tally.xfailed,
        tally.xpassed,
        tally.errors,
    )


def console(outcome: BuildTestOutcome) -> str:
    """A short plain-text report for a terminal."""
    tally = outcome.counts
    lines = [f"build-test {outcome.result.value}: {outcome.project} ({outcome.language.value})"]
    lines.extend(
        f"  {s.kind.value:<8} {s.status.value:<8} {md.seconds(s.duration_seconds):>9}  {s.command}"
        for s in outcome.steps
    )
    if tally is not None:
        lines.append(
            f"  tests: {tally.total} total, {tally.passed} passed, {tally.failed} failed, "
            f"{tally.skipped} skipped, {tally.xfailed} xfailed, {tally.xpassed} xpassed, "
            f"{tally.errors} errors"
        )
        lines.extend(f"  collection error: {name}" for name in tally.collection_errors)
    if outcome.coverage is not None:
        lines.append(f"  coverage: {md.percent(outcome.coverage.percent)}")
    lines.extend(
        f"  FAILED {_where(outcome, c)} {_test_id(c)}: {_first_line(c.message or c.detail)}"
        for c in _failing(outcome)
    )
    lines.extend(f"  - {failure_message(f)}" for f in outcome.failures)
    lines.extend(f"  note: {paved_checker_note(s)}" for s in outcome.steps if s.paved_checker)
    return "\n".join(lines) + "\n"


def paved_checker_note(step: StepResult) -> str:
    """Why a step's findings warn instead of failing, and how to make them fail."""
    checker = step.paved_checker or ""
    name = checker.split("==", 1)[0]
    return (
        f"{step.kind.value}: {len(step.findings)} finding(s) from {checker}, paved's version, "
        f"as the project pins no {name}: reported as warnings, not failing the build. Pin one "
        f"({name}==VERSION in the test requirements, a dependency group or extra, or a "
        "pre-commit rev) to have its findings fail the build."
    )


def annotations_for(outcome: BuildTestOutcome) -> tuple[Annotation, ...]:
    """The reasons first, then one error per failing test at its file and line, then findings."""
    found: list[Annotation] = []
    if outcome.failures:
        reasons = "; ".join(failure_message(f) for f in outcome.failures)
        found.append(Annotation(level=Level.ERROR, title="build-test failed", message=reasons))
    found.extend(
        Annotation(
            level=Level.ERROR,
            title=f"{case.status.value}: {_test_id(case)}",
            message=(case.message or case.detail or "test failed")[:_MESSAGE_LIMIT],
            file=_repo_path(outcome, case.file),
            line=case.line,
        )
        for case in _failing(outcome)
    )
    found.extend(
        Annotation(
            level=Level.WARNING,
            title=f"{step.kind.value}: {finding.code}",
            message=finding.message,
            file=_repo_path(outcome, finding.file),
            line=finding.line,
            column=finding.column,
        )
        for step in outcome.steps
        for finding in step.findings
    )
    return tuple(found)


def _first_line(text: str) -> str:
    stripped = text.strip()
    return stripped.splitlines()[0] if stripped else ""


def _failing(outcome: BuildTestOutcome) -> list[TestCase]:
    if outcome.tests is None:
        return []
    return [c for c in outcome.tests.cases if c.status in {CaseStatus.FAILED, CaseStatus.ERROR}]


def _test_id(case: TestCase) -> str:
    return f"{case.classname}::{case.name}" if case.classname else case.name


def _repo_path(outcome: BuildTestOutcome, file: str | None) -> str | None:
    """A path the tool printed relative to the project, made relative to the repository."""
    if not file:
        return None
    if posixpath.isabs(file) or outcome.project in {"", "."}:
        return posixpath.normpath(file)
    return posixpath.normpath(posixpath.join(outcome.project, file))


def _location(
    outcome: BuildTestOutcome, file: str | None, line: int | None, column: int | None = None
) -> str:
    path = _repo_path(outcome, file) or "?"
    return ":".join(str(p) for p in (path, line, column) if p is not None)


def _where(outcome: BuildTestOutcome, case: TestCase) -> str:
    return _location(outcome, case.file, case.line)


def path_text(path: Path | None) -> str:
    """A path for display."""
    return str(path) if path else "—"

"""build-test: install, format check, lint and tests, then the gate. Knows only interfaces."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from paved import log
from paved.buildtest import plan
from paved.buildtest.checkers import choose_formatter, choose_linter, project_pins
from paved.buildtest.coverage import parse_cobertura, parse_coverage_json
from paved.buildtest.findings import (
    CodeFinding,
    parse_format_output,
    parse_lint_output,
    parse_ruff_json,
)
from paved.buildtest.judge import judge
from paved.buildtest.junit import TestReport, parse_junit
from paved.buildtest.options import BuildTestOptions, Language, Linter, validate
from paved.buildtest.outcome import (
    BuildTestOutcome,
    FailureKind,
    GateFailure,
    StepKind,
    StepResult,
)
from paved.buildtest.project import CONFIG_FILES, ProjectFiles, project_files
from paved.buildtest.tally import parse_tally, tally_from_report
from paved.buildtest.testdeps import Dependencies, find_test_dependencies
from paved.errors import EnvironmentProblemError, ToolNotFoundError, UsageError
from paved.model import StepStatus

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from paved.adapters.workspace import Command, Workspace

_PYTEST_NO_TESTS = 5
_PYTEST_TESTS_FAILED = 1
_TAIL_LINES = 30
_TOP_MARKERS = (
    "pyproject.toml",
    "setup.py",
    "requirements.txt",
    "package.json",
    "package-lock.json",
    "go.mod",
)


def build_and_test(options: BuildTestOptions, workspace: Workspace) -> BuildTestOutcome:
    """Run every step that applies to the project and judge the result."""
    validate(options)
    if not workspace.exists(options.project_dir):
        raise UsageError(
            f"{options.project_dir} does not exist",
            name="project-dir",
            valid="a directory in the repository",
        )
    present = {m for m in _TOP_MARKERS if workspace.exists(options.project_dir / m)}
    language = options.language
    if language is Language.AUTO:
        language = plan.detect_language(present, str(options.project_dir))
    options = replace(options, language=language)
    runner = _StepRunner(workspace)
    if language is Language.PYTHON:
        files = project_files(_read_config(options, workspace), str(options.project_dir))
        options = replace(
            options,
            formatter=choose_formatter(files, options.formatter),
            linter=choose_linter(files, options.linter),
        )
        reports = _python_steps(options, workspace, runner, files)
    else:
        reports = _other_steps(options, workspace, present, runner)
    return _finish(options, workspace, runner.steps, reports)


def _read_config(options: BuildTestOptions, workspace: Workspace) -> dict[str, str]:
    texts = {name: workspace.read_text(options.project_dir / name) for name in CONFIG_FILES}
    return {name: text for name, text in texts.items() if text is not None}


class _StepRunner:
    """Runs steps in order, records their results, and skips the rest after a broken setup."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.steps: list[StepResult] = []
        self.broken = False

    def execute(
        self,
        kind: StepKind,
        command: Command | None,
        parse: Callable[[str], tuple[CodeFinding, ...]] | None = None,
        status_of: Callable[[int], StepStatus] | None = None,
    ) -> StepResult:
        """Run one command as a step, without recording it."""
        if command is None or self.broken:
            return StepResult(kind=kind, status=StepStatus.SKIPPED)
        with log.section(f"{kind.value}: {command.display()}"):
            ended = self.workspace.run(command)
        status = (status_of or _zero_passes)(ended.exit_code)
        failed = status is not StepStatus.PASSED
        return StepResult(
            kind=kind,
            status=status,
            duration_seconds=ended.duration_seconds,
            command=command.display(),
            exit_code=ended.exit_code,
            findings=parse(ended.output) if parse and failed else (),
            output_tail="\n".join(ended.output.splitlines()[-_TAIL_LINES:]) if failed else "",
        )

    def record(self, result: StepResult) -> StepResult:
        """Add a step's result; a failed setup or install skips everything after it."""
        self.steps.append(result)
        if result.kind in {StepKind.SETUP, StepKind.INSTALL} and result.status in {
            StepStatus.FAILED,
            StepStatus.ERROR,
        }:
            self.broken = True
        return result

    def run(
        self,
        kind: StepKind,
        command: Command | None,
        parse: Callable[[str], tuple[CodeFinding, ...]] | None = None,
        status_of: Callable[[int], StepStatus] | None = None,
    ) -> StepResult:
        """Run and record one step."""
        return self.record(self.execute(kind, command, parse, status_of))


def _zero_passes(exit_code: int) -> StepStatus:
    return StepStatus.PASSED if exit_code == 0 else StepStatus.FAILED


def _pytest_status(allow_no_tests: bool) -> Callable[[int], StepStatus]:
    """pytest's exit codes: 1 tests failed, 5 no tests (fine only when allowed), else broken."""

    def status(exit_code: int) -> StepStatus:
        if exit_code == 0 or (exit_code == _PYTEST_NO_TESTS and allow_no_tests):
            return StepStatus.PASSED
        if exit_code in {_PYTEST_TESTS_FAILED, _PYTEST_NO_TESTS}:
            return StepStatus.FAILED
        return StepStatus.ERROR

    return status


def _python_steps(
    options: BuildTestOptions, workspace: Workspace, runner: _StepRunner, files: ProjectFiles
) -> _Reports:
    if workspace.which(options.python) is None:
        raise ToolNotFoundError(options.python, hint="set python to an interpreter that exists")
    for requirement in options.requirements:
        if not workspace.exists(options.project_dir / requirement):
            raise UsageError(
                f"{requirement} does not exist in {options.project_dir}",
                name="requirements",
                valid="requirements files relative to the project directory",
            )
    dependencies = find_test_dependencies(
        files, requirements=options.requirements, extras=options.extras
    )
    _log_dependencies(dependencies)
    if workspace.exists(plan.venv_python(options)):
        log.info(f"reusing the project venv {options.venv_dir}")
        runner.record(StepResult(kind=StepKind.SETUP, status=StepStatus.PASSED))
    else:
        runner.run(StepKind.SETUP, plan.create_venv(options))
    install = plan.python_install(options, dependencies, _has_project_table(files))
    pins = project_pins(files)
    runner.record(_install_with_tools(options, workspace, runner, install, pins))
    runner.run(
        StepKind.FORMAT,
        plan.python_format(options, our_ruff="ruff" not in pins),
        parse_format_output,
    )
    runner.run(StepKind.LINT, *_lint(options, workspace))
    if options.test_command is not None:
        # The user's own test command writes its reports where they say.
        runner.run(StepKind.TEST, plan.user_command(options, "test-command", options.test_command))
        return _user_reports(options)
    reports = plan.ReportPaths.under(options.results_dir)
    runner.run(
        StepKind.TEST,
        plan.python_test(options, reports),
        status_of=_pytest_status(options.allow_no_tests),
    )
    return _Reports(
        junit=reports.junit,
        coverage=reports.coverage_xml,
        coverage_json=reports.coverage_json,
        tally=reports.tally,
    )


def _log_dependencies(found: Dependencies) -> None:
    parts = [
        *(f"-r {name}" for name in found.requirement_files),
        *(f"extra {name}" for name in found.extras),
        *(f"group {name}" for name in found.groups),
    ]
    log.info("test dependencies: " + (", ".join(parts) if parts else "none declared"))


def _lint(
    options: BuildTestOptions, workspace: Workspace
) -> tuple[Command | None, Callable[[str], tuple[CodeFinding, ...]]]:
    """The lint command and how to read its findings (ruff: its JSON file; flake8: its lines)."""
    if options.lint_command is None and options.linter is Linter.RUFF:
        report = options.results_dir / "ruff.json"
        project = options.project_dir.as_posix()

        def from_report(_output: str) -> tuple[CodeFinding, ...]:
            return parse_ruff_json(workspace.read_text(report) or "", project)

        return plan.python_lint(options, report), from_report
    return plan.python_lint(options, options.results_dir / "ruff.json"), parse_lint_output


def _user_reports(options: BuildTestOptions) -> _Reports:
    junit = options.project_dir / options.junit_file if options.junit_file else None
    coverage = options.project_dir / options.coverage_file if options.coverage_file else None
    return _Reports(junit=junit, coverage=coverage)


def _install_with_tools(
    options: BuildTestOptions,
    workspace: Workspace,
    runner: _StepRunner,
    install: Command | None,
    pins: dict[str, str],
) -> StepResult:
    """Install the project, then the pinned tools it lacks (pytest, pytest-cov, the checkers)."""
    first = runner.execute(StepKind.INSTALL, install)
    if runner.broken or first.status is StepStatus.FAILED:
        return first
    modules = plan.needed_modules(options)
    probe = workspace.run(plan.find_missing(options, modules))
    if probe.exit_code != 0:
        raise EnvironmentProblemError(
            f"the project venv {options.venv_dir} cannot run Python: {probe.output.strip()}"
        )
    missing = tuple(m for m in probe.output.split() if m in plan.TOOL_PINS)
    if not missing:
        return first
    log.info("installing tools the project did not install: " + ", ".join(missing))
    tools = runner.execute(StepKind.INSTALL, plan.install_tools(options, missing, pins))
    return StepResult(
        kind=StepKind.INSTALL,
        status=tools.status,
        duration_seconds=first.duration_seconds + tools.duration_seconds,
        command="; ".join(c for c in (first.command, tools.command) if c),
        exit_code=tools.exit_code,
        output_tail=tools.output_tail,
    )


def _has_project_table(files: ProjectFiles) -> bool:
    """Whether pip can install the project itself (an application has only tool settings)."""
    if files.has("setup.py"):
        return True
    return "project" in files.pyproject and "build-system" in files.pyproject


def _other_steps(
    options: BuildTestOptions, workspace: Workspace, present: set[str], runner: _StepRunner
) -> _Reports:
    tool = "npm" if options.language is Language.NODE else "go"
    if options.test_command is None and workspace.which(tool) is None:
        raise ToolNotFoundError(tool)
    runner.record(StepResult(kind=StepKind.SETUP, status=StepStatus.SKIPPED))
    runner.run(StepKind.INSTALL, plan.other_install(options, present))
    runner.run(
        StepKind.FORMAT,
        plan.user_command(options, "format-command", options.format_command)
        if options.format_command
        else None,
        parse_lint_output,
    )
    runner.run(
        StepKind.LINT,
        plan.user_command(options, "lint-command", options.lint_command)
        if options.lint_command
        else None,
        parse_lint_output,
    )
    runner.run(StepKind.TEST, plan.other_test(options))
    return _user_reports(options)


@dataclass(frozen=True)
class _Reports:
    """The reports a test step may have written; None where it writes none."""

    junit: Path | None = None
    coverage: Path | None = None
    coverage_json: Path | None = None
    tally: Path | None = None


def _finish(
    options: BuildTestOptions,
    workspace: Workspace,
    steps: list[StepResult],
    reports: _Reports,
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
    no_tests = options.language is Language.PYTHON and test_step.exit_code == _PYTEST_NO_TESTS
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
    return BuildTestOutcome(
        language=options.language,
        project=_relative(options.project_dir, options.repo_root),
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


def _relative(path: Path, root: Path) -> str:
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
    return relative or "."

"""build-test: install, format check, lint and tests, then the gate. Knows only interfaces."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved import log
from paved.buildtest import plan
from paved.buildtest.coverage import CoverageReport, parse_cobertura
from paved.buildtest.findings import CodeFinding, parse_format_output, parse_lint_output
from paved.buildtest.judge import judge
from paved.buildtest.junit import TestReport, parse_junit
from paved.buildtest.options import BuildTestOptions, Language, validate
from paved.buildtest.outcome import (
    BuildTestOutcome,
    FailureKind,
    GateFailure,
    StepKind,
    StepResult,
)
from paved.errors import EnvironmentProblemError, ToolNotFoundError, UsageError
from paved.model import StepStatus, repo_relative

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
_REQUIREMENT_GUESSES = ("requirements.txt", "requirements-dev.txt", "requirements-test.txt")


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
    options = _with_language(options, language)
    runner = _StepRunner(workspace)
    if language is Language.PYTHON:
        junit, coverage = _python_steps(options, workspace, runner)
    else:
        junit, coverage = _other_steps(options, workspace, present, runner)
    return _finish(options, workspace, runner.steps, junit, coverage)


def _with_language(options: BuildTestOptions, language: Language) -> BuildTestOptions:
    from dataclasses import replace  # noqa: PLC0415 - one use

    return replace(options, language=language)


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
    options: BuildTestOptions, workspace: Workspace, runner: _StepRunner
) -> tuple[Path | None, Path | None]:
    if workspace.which(options.python) is None:
        raise ToolNotFoundError(options.python, hint="set python to an interpreter that exists")
    requirements = options.requirements or tuple(
        name for name in _REQUIREMENT_GUESSES if workspace.exists(options.project_dir / name)
    )
    for requirement in requirements:
        if not workspace.exists(options.project_dir / requirement):
            raise UsageError(
                f"{requirement} does not exist in {options.project_dir}",
                name="requirements",
                valid="requirements files relative to the project directory",
            )
    if workspace.exists(plan.venv_python(options)):
        log.info(f"reusing the project venv {options.venv_dir}")
        runner.record(StepResult(kind=StepKind.SETUP, status=StepStatus.PASSED))
    else:
        runner.run(StepKind.SETUP, plan.create_venv(options))
    install = plan.python_install(options, requirements, _has_project_table(options, workspace))
    runner.record(_install_with_tools(options, workspace, runner, install))
    runner.run(StepKind.FORMAT, plan.python_format(options), parse_format_output)
    runner.run(StepKind.LINT, plan.python_lint(options), parse_lint_output)
    if options.test_command is not None:
        # The user's own test command writes its reports where they say.
        runner.run(
            StepKind.TEST, plan.python_test(options, options.results_dir, options.results_dir)
        )
        return _user_reports(options)
    junit = options.results_dir / "junit.xml"
    coverage = options.results_dir / "coverage.xml"
    runner.run(
        StepKind.TEST,
        plan.python_test(options, junit, coverage),
        status_of=_pytest_status(options.allow_no_tests),
    )
    return junit, coverage


def _user_reports(options: BuildTestOptions) -> tuple[Path | None, Path | None]:
    junit = options.project_dir / options.junit_file if options.junit_file else None
    coverage = options.project_dir / options.coverage_file if options.coverage_file else None
    return junit, coverage


def _install_with_tools(
    options: BuildTestOptions, workspace: Workspace, runner: _StepRunner, install: Command | None
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
    log.info("installing tools the project does not pin: " + ", ".join(missing))
    tools = runner.execute(StepKind.INSTALL, plan.install_tools(options, missing))
    return StepResult(
        kind=StepKind.INSTALL,
        status=tools.status,
        duration_seconds=first.duration_seconds + tools.duration_seconds,
        command="; ".join(c for c in (first.command, tools.command) if c),
        exit_code=tools.exit_code,
        output_tail=tools.output_tail,
    )


def _has_project_table(options: BuildTestOptions, workspace: Workspace) -> bool:
    text = workspace.read_text(options.project_dir / "pyproject.toml")
    if text is None:
        return workspace.exists(options.project_dir / "setup.py")
    import tomllib  # noqa: PLC0415 - only Python projects need it

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(
            f"is not valid TOML: {exc}",
            name=str(options.project_dir / "pyproject.toml"),
            valid="a pyproject.toml that parses",
        ) from exc
    return "project" in document and "build-system" in document


def _other_steps(
    options: BuildTestOptions, workspace: Workspace, present: set[str], runner: _StepRunner
) -> tuple[Path | None, Path | None]:
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


def _finish(
    options: BuildTestOptions,
    workspace: Workspace,
    steps: list[StepResult],
    junit_path: Path | None,
    coverage_path: Path | None,
) -> BuildTestOutcome:
    problems: list[GateFailure] = []
    tests: TestReport | None = None
    coverage: CoverageReport | None = None
    test_step = next(s for s in steps if s.kind is StepKind.TEST)
    ran = test_step.status is not StepStatus.SKIPPED
    junit_text = workspace.read_text(junit_path) if junit_path and ran else None
    if junit_text is not None:
        try:
            tests = parse_junit(
                junit_text, source=str(junit_path), project=options.project_dir.as_posix()
            )
        except UsageError as exc:
            problems.append(GateFailure(FailureKind.REPORT_INVALID, detail=str(exc)))
    elif junit_path is not None and ran:
        problems.append(GateFailure(FailureKind.JUNIT_MISSING, detail=str(junit_path)))
    coverage_text = workspace.read_text(coverage_path) if coverage_path and ran else None
    if coverage_text is not None:
        try:
            coverage = parse_cobertura(
                coverage_text, source=str(coverage_path), project=options.project_dir.as_posix()
            )
        except UsageError as exc:
            problems.append(GateFailure(FailureKind.REPORT_INVALID, detail=str(exc)))
    no_tests = options.language is Language.PYTHON and test_step.exit_code == _PYTEST_NO_TESTS
    if no_tests and tests is None:
        tests = TestReport(cases=(), time=0.0)
    failures = judge(
        tuple(steps),
        tests,
        coverage,
        coverage_threshold=options.coverage_threshold,
        allow_no_tests=options.allow_no_tests,
    )
    if no_tests and options.allow_no_tests:
        failures = tuple(f for f in failures if f.step is not StepKind.TEST)
    return BuildTestOutcome(
        language=options.language,
        project=repo_relative(options.project_dir, options.repo_root),
        steps=tuple(steps),
        tests=tests,
        coverage=coverage,
        junit_path=junit_path if junit_text is not None else None,
        coverage_path=coverage_path if coverage_text is not None else None,
        coverage_threshold=options.coverage_threshold,
        failures=(*failures, *problems),
    )

"""build-test: install, format check, lint and tests, then the gate. Knows only interfaces."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from paved import log
from paved.buildtest import plan
from paved.buildtest.checkers import choose_formatter, choose_linter, project_pins
from paved.buildtest.findings import (
    CodeFinding,
    parse_format_output,
    parse_lint_output,
    parse_ruff_json,
)
from paved.buildtest.options import BuildTestOptions, Language, Linter, validate
from paved.buildtest.outcome import (
    BuildTestOutcome,
    StepKind,
    StepResult,
)
from paved.buildtest.project import CONFIG_FILES, ProjectFiles, project_files
from paved.buildtest.testdeps import Dependencies, find_test_dependencies, normalize
from paved.buildtest.verdict import PYTEST_NO_TESTS, WrittenReports, finish
from paved.errors import EnvironmentProblemError, ToolNotFoundError, UsageError
from paved.model import StepStatus

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from paved.adapters.workspace import Command, Workspace

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
    return finish(options, workspace, runner.steps, reports)


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
            findings=parse(ended.output) if parse and status is StepStatus.FAILED else (),
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
        if exit_code == 0 or (exit_code == PYTEST_NO_TESTS and allow_no_tests):
            return StepStatus.PASSED
        if exit_code in {_PYTEST_TESTS_FAILED, PYTEST_NO_TESTS}:
            return StepStatus.FAILED
        return StepStatus.ERROR

    return status


def _python_steps(
    options: BuildTestOptions, workspace: Workspace, runner: _StepRunner, files: ProjectFiles
) -> WrittenReports:
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
    keep = None
    if _has_project_table(files) and normalize(files.name or "") in plan.TOOL_DEPENDENCIES:
        keep = plan.project_spec(dependencies)
    runner.record(
        _install_with_tools(options, workspace, runner, install, pins=pins, keep_project=keep)
    )
    ours = _paved_checkers(options, pins, keep_project=keep)
    runner.record(
        _advisory(
            runner.execute(
                StepKind.FORMAT,
                plan.python_format(options, our_ruff="ruff" not in pins),
                parse_format_output,
            ),
            ours.get(StepKind.FORMAT),
        )
    )
    runner.record(
        _advisory(
            runner.execute(StepKind.LINT, *_lint(options, workspace)), ours.get(StepKind.LINT)
        )
    )
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
    return WrittenReports(
        junit=reports.junit,
        coverage=reports.coverage_xml,
        coverage_json=reports.coverage_json,
        tally=reports.tally,
    )


def _paved_checkers(
    options: BuildTestOptions, pins: Mapping[str, str], *, keep_project: str | None
) -> dict[StepKind, str]:
    """Step -> the checker paved picks the version of, for the checks the project never pinned.

    A user's own command, or a checker the project pins (requirements, groups, extras,
    pre-commit rev), is the project's choice: its findings fail the step as always.
    """
    chosen: dict[StepKind, str] = {}
    if options.format_command is None and options.formatter.value in plan.TOOL_PINS:
        chosen[StepKind.FORMAT] = options.formatter.value
    if options.lint_command is None and options.linter.value in plan.TOOL_PINS:
        chosen[StepKind.LINT] = options.linter.value
    return {
        step: module if keep_project else plan.TOOL_PINS[module]
        for step, module in chosen.items()
        if module not in pins
    }


def _advisory(result: StepResult, paved_checker: str | None) -> StepResult:
    """Findings of a checker at paved's version warn; a checker that broke still fails."""
    if paved_checker is None or result.status is not StepStatus.FAILED:
        return result
    return replace(result, status=StepStatus.WARNED, paved_checker=paved_checker)


def _log_dependencies(found: Dependencies) -> None:
    parts = [
        *(f"-r {name}" for name in found.requirement_files),
        *(f"extra {name}" for name in found.extras),
        *(f"group {name}" for name in found.groups),
    ]
    log.info("test dependencies: " + (", ".join(parts) if parts else "none declared"))


def _lint(
    options: BuildTestOptions, workspace: Workspace
) -> tuple[
    Command | None, Callable[[str], tuple[CodeFinding, ...]], Callable[[int], StepStatus] | None
]:
    """The lint command, how to read its findings (ruff: its JSON file; flake8: its lines) and
    how to read its exit code."""
    # In the venv, which exists by now: ruff before 0.5 does not create the folder it writes to.
    report = options.venv_dir / "paved-ruff-findings.json"
    if options.lint_command is None and options.linter is Linter.RUFF:
        project = options.project_dir.as_posix()

        def from_report(_output: str) -> tuple[CodeFinding, ...]:
            return parse_ruff_json(workspace.read_text(report) or "", project)

        return plan.python_lint(options, report), from_report, _ruff_status
    return plan.python_lint(options, report), parse_lint_output, None


def _ruff_status(exit_code: int) -> StepStatus:
    """ruff: 1 means findings (its report is fresh); anything else means it did not finish."""
    if exit_code == 0:
        return StepStatus.PASSED
    return StepStatus.FAILED if exit_code == 1 else StepStatus.ERROR


def _user_reports(options: BuildTestOptions) -> WrittenReports:
    junit = options.project_dir / options.junit_file if options.junit_file else None
    coverage = options.project_dir / options.coverage_file if options.coverage_file else None
    return WrittenReports(junit=junit, coverage=coverage)


def _install_with_tools(
    options: BuildTestOptions,
    workspace: Workspace,
    runner: _StepRunner,
    install: Command | None,
    *,
    pins: dict[str, str],
    keep_project: str | None,
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
    tools = runner.execute(
        StepKind.INSTALL, plan.install_tools(options, missing, pins, keep_project)
    )
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
) -> WrittenReports:
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

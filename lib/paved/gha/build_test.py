"""The build-test action's inputs (as action.yml declares them) and their CLI flags."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from paved.buildtest import Formatter, Language, Linter, Shell
from paved.gha.inputs import (
    BooleanInput,
    EnumInput,
    MultilineInput,
    OptionalNumberInput,
    PathInput,
    StringInput,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from paved.gha.inputs import Inputs, InputSpec


def _values(enum: type[Language | Formatter | Linter | Shell]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


WORKING_DIRECTORY = PathInput("working-directory", default=".")
LANGUAGE = EnumInput("language", choices=_values(Language), default="auto")
PYTHON = StringInput("python", default="python3")
REQUIREMENTS = MultilineInput("requirements", default=())
EXTRAS = StringInput("extras", default="")
FORMATTER = EnumInput("formatter", choices=_values(Formatter), default="auto")
LINTER = EnumInput("linter", choices=_values(Linter), default="auto")
INSTALL_COMMAND = StringInput("install-command", default="")
FORMAT_COMMAND = StringInput("format-command", default="")
LINT_COMMAND = StringInput("lint-command", default="")
TEST_COMMAND = StringInput("test-command", default="")
SHELL = EnumInput("shell", choices=_values(Shell), default="none")
JUNIT_FILE = PathInput("junit-file", default="")
COVERAGE_FILE = PathInput("coverage-file", default="")
COVERAGE_SOURCE = StringInput("coverage-source", default="")
COVERAGE_THRESHOLD = OptionalNumberInput("coverage-threshold", minimum=0, maximum=100)
PYTEST_ARGS = StringInput("pytest-args", default="")
ALLOW_NO_TESTS = BooleanInput("allow-no-tests", default=False)
RESULTS_DIR = PathInput("results-dir", allow_outside=True, default="")

INPUTS: tuple[InputSpec[object], ...] = (  # type: ignore[assignment]
    WORKING_DIRECTORY,
    LANGUAGE,
    PYTHON,
    REQUIREMENTS,
    EXTRAS,
    FORMATTER,
    LINTER,
    INSTALL_COMMAND,
    FORMAT_COMMAND,
    LINT_COMMAND,
    TEST_COMMAND,
    SHELL,
    JUNIT_FILE,
    COVERAGE_FILE,
    COVERAGE_SOURCE,
    COVERAGE_THRESHOLD,
    PYTEST_ARGS,
    ALLOW_NO_TESTS,
    RESULTS_DIR,
)


def to_argv(inputs: Inputs, environ: Mapping[str, str]) -> list[str]:
    """The `paved build-test` arguments for validated inputs; values are data, never code."""
    workspace = Path(environ.get("GITHUB_WORKSPACE") or ".")
    project = workspace / inputs.value(WORKING_DIRECTORY)
    # flag=value throughout: a value such as "-x" must never be read as a flag of its own.
    argv = [
        "build-test",
        str(project),
        f"--repo-root={workspace}",
        f"--language={inputs.value(LANGUAGE)}",
        f"--python={inputs.value(PYTHON)}",
        f"--formatter={inputs.value(FORMATTER)}",
        f"--linter={inputs.value(LINTER)}",
        f"--shell={inputs.value(SHELL)}",
        f"--extras={inputs.value(EXTRAS)}",
        f"--pytest-args={inputs.value(PYTEST_ARGS)}",
    ]
    argv += inputs.repeated((("--requirements", REQUIREMENTS),))
    argv += inputs.flags(
        (
            ("--install-command", INSTALL_COMMAND),
            ("--format-command", FORMAT_COMMAND),
            ("--lint-command", LINT_COMMAND),
            ("--test-command", TEST_COMMAND),
            ("--junit-file", JUNIT_FILE),
            ("--coverage-file", COVERAGE_FILE),
            ("--coverage-source", COVERAGE_SOURCE),
            ("--coverage-threshold", COVERAGE_THRESHOLD),
        )
    )
    if inputs.value(ALLOW_NO_TESTS):
        argv.append("--allow-no-tests")
    results = inputs.value(RESULTS_DIR)
    if results:
        argv.append(f"--results-dir={workspace / results}")
    runner_temp = environ.get("RUNNER_TEMP")
    if runner_temp:
        key = hashlib.sha256(str(project).encode()).hexdigest()[:12]
        argv.append(f"--venv-dir={Path(runner_temp) / 'paved' / f'build-test-venv-{key}'}")
    return argv

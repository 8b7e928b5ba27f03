"""The commands build-test runs, per language. Pure: no process is started here."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from paved.adapters.workspace import Command
from paved.buildtest.options import (
    BuildTestOptions,
    Formatter,
    Language,
    Linter,
    Shell,
    split_command,
)
from paved.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from paved.buildtest.testdeps import Dependencies

TOOL_PINS: dict[str, str] = {
    "pytest": "pytest==9.2.0",
    "pytest_cov": "pytest-cov==7.1.0",
    "ruff": "ruff==0.17.6",
    "black": "black==26.10.1",
    "flake8": "flake8==7.5.0",
}
"""Module name -> the version installed into the project's venv when the project lacks it."""

TOOL_DEPENDENCIES = frozenset(
    {
        "pluggy",
        "iniconfig",
        "packaging",
        "pygments",
        "colorama",
        "exceptiongroup",
        "tomli",
        "coverage",
        "click",
        "mypy-extensions",
        "pathspec",
        "platformdirs",
        "pytokens",
        "mccabe",
        "pycodestyle",
        "pyflakes",
    }
)
"""What the tools depend on (normalized names). A project that is one of them is installed
together with the tools, unpinned, so pip keeps the project under test rather than upgrading it
to satisfy our pins (pytest 9.2 needs a newer pluggy than pluggy 1.5.0 is)."""

PYTEST_PLUGIN_DIR = Path(__file__).parent / "pytest_plugin"
"""Holds paved_pytest_tally, which pytest loads from the project's venv (standard library only)."""
PYTEST_TALLY_ENV = "PAVED_PYTEST_TALLY"
# `python -m pytest`, with the plugin's folder appended to sys.path (the project's own modules
# keep precedence) and no PYTHONPATH changed for the tests themselves.
_PYTEST_MAIN = (
    "import sys; sys.path.append(sys.argv.pop(1)); import pytest; raise SystemExit(pytest.main())"
)

_MARKERS: tuple[tuple[str, Language], ...] = (
    ("pyproject.toml", Language.PYTHON),
    ("setup.py", Language.PYTHON),
    ("requirements.txt", Language.PYTHON),
    ("package.json", Language.NODE),
    ("go.mod", Language.GO),
)

FIND_MISSING_MODULES = (
    "import importlib.util, sys; "
    "print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))"
)


def detect_language(present: set[str], project: str) -> Language:
    """The project's language from the marker files present at its top."""
    for marker, language in _MARKERS:
        if marker in present:
            return language
    raise UsageError(
        f"cannot tell the language of {project}: it has no "
        + ", ".join(marker for marker, _ in _MARKERS),
        name="language",
        valid="python, node or go, or a project with one of those files",
    )


def venv_python(options: BuildTestOptions) -> Path:
    """The project venv's interpreter."""
    return options.venv_dir / "bin" / "python"


def user_command(options: BuildTestOptions, name: str, command: str) -> Command:
    """A command the user configured, as an argument list or through their chosen shell."""
    if options.shell is Shell.NONE:
        argv = split_command(name, command)
    else:
        argv = (options.shell.value, "-e", "-c", command)
    return Command(
        argv=argv, cwd=options.project_dir, env=options.extra_env, prepend_path=_bin(options)
    )


def _bin(options: BuildTestOptions) -> tuple[str, ...]:
    if options.language is Language.PYTHON:
        return (str(options.venv_dir / "bin"),)
    return ()


def _python(options: BuildTestOptions, *args: str) -> Command:
    env = {"VIRTUAL_ENV": str(options.venv_dir), **options.extra_env}
    return Command(
        argv=(str(venv_python(options)), *args),
        cwd=options.project_dir,
        env=env,
        prepend_path=_bin(options),
    )


def create_venv(options: BuildTestOptions) -> Command:
    """Make the isolated venv for a Python project."""
    return Command(
        argv=(options.python, "-m", "venv", str(options.venv_dir)), cwd=options.project_dir
    )


def python_install(
    options: BuildTestOptions, dependencies: Dependencies, project_table: bool
) -> Command | None:
    """pip install of the requirements files, the project (if it is a package) with its extras,
    and the requirements of its dependency groups."""
    if options.install_command is not None:
        return user_command(options, "install-command", options.install_command)
    args: list[str] = []
    for requirement in dependencies.requirement_files:
        args += ["-r", requirement]
    if project_table:
        args += ["-e", project_spec(dependencies)]
    # pip reads groups itself only from 25.1 on; the venv's pip may be older, so resolve here.
    args += dependencies.group_requirements
    if not args:
        return None
    return _python(
        options, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", *args
    )


_CHECKERS = {Formatter.RUFF, Formatter.BLACK, Linter.RUFF, Linter.FLAKE8}


def project_spec(dependencies: Dependencies) -> str:
    """The project itself with its extras, as pip installs it (`.[tests]`)."""
    return f".[{','.join(dependencies.extras)}]" if dependencies.extras else "."


def needed_modules(options: BuildTestOptions) -> tuple[str, ...]:
    """The tool modules a Python run needs in the project's venv."""
    modules = ["pytest", "pytest_cov"]
    if options.format_command is None and options.formatter in _CHECKERS:
        modules.append(options.formatter.value)
    if options.lint_command is None and options.linter in _CHECKERS:
        modules.append(options.linter.value)
    return tuple(dict.fromkeys(modules))


def find_missing(options: BuildTestOptions, modules: tuple[str, ...]) -> Command:
    """A command that prints which of `modules` the venv lacks."""
    return _python(options, "-c", FIND_MISSING_MODULES, *modules)


def install_tools(
    options: BuildTestOptions,
    modules: tuple[str, ...],
    project_pins: Mapping[str, str],
    keep_project: str | None = None,
) -> Command:
    """Install the tools the project did not bring itself: at its own pins, else at ours.

    `keep_project` (a pip spec such as `.[tests]`) is installed with them and our pins are
    dropped, so pip picks tool versions that work with the project as it is.
    """
    pins = [
        project_pins.get(module)
        or (TOOL_PINS[module].split("==")[0] if keep_project else TOOL_PINS[module])
        for module in modules
    ]
    keep = ("-e", keep_project) if keep_project else ()
    return _python(
        options, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", *pins, *keep
    )


def python_format(options: BuildTestOptions, *, our_ruff: bool = True) -> Command | None:
    """The format check, or None when switched off; `our_ruff`: ruff is paved's pin."""
    if options.format_command is not None:
        return user_command(options, "format-command", options.format_command)
    if options.formatter is Formatter.RUFF:
        # One line per file; ruff before 0.9 ignores the variable and prints "Would reformat".
        # Our ruff also formats code blocks in Markdown, which a project that never chose this
        # ruff did not ask for; a project's own (older) ruff neither does that nor knows the flag.
        exclude = ("--extend-exclude=*.md",) if our_ruff else ()
        command = _python(options, "-m", "ruff", "format", "--check", *exclude, ".")
        return replace(command, env={**command.env, "RUFF_OUTPUT_FORMAT": "concise"})
    if options.formatter is Formatter.BLACK:
        return _python(options, "-m", "black", "--check", ".")
    return None


def python_lint(options: BuildTestOptions, report: Path) -> Command | None:
    """The linter, or None when switched off; ruff writes its JSON findings to `report`."""
    if options.lint_command is not None:
        return user_command(options, "lint-command", options.lint_command)
    if options.linter is Linter.RUFF:
        return _python(
            options,
            "-m",
            "ruff",
            "check",
            "--output-format=json",
            f"--output-file={report}",
            "--no-fix",
            ".",
        )
    if options.linter is Linter.FLAKE8:
        return _python(options, "-m", "flake8", ".")
    return None


@dataclass(frozen=True)
class ReportPaths:
    """Where a pytest run writes what build-test reads back."""

    junit: Path
    coverage_xml: Path
    coverage_json: Path
    tally: Path

    @classmethod
    def under(cls, results_dir: Path) -> ReportPaths:
        """The usual names in the results directory."""
        return cls(
            junit=results_dir / "junit.xml",
            coverage_xml=results_dir / "coverage.xml",
            coverage_json=results_dir / "coverage.json",
            tally=results_dir / "pytest-tally.json",
        )


def python_test(options: BuildTestOptions, reports: ReportPaths) -> Command:
    """pytest with JUnit (xunit1 keeps file and line per case), coverage.py's XML and JSON
    reports, and pytest's own verdicts per test (the paved_pytest_tally plugin)."""
    if options.test_command is not None:
        return user_command(options, "test-command", options.test_command)
    cov = f"--cov={options.coverage_source}" if options.coverage_source else "--cov"
    command = _python(
        options,
        "-c",
        _PYTEST_MAIN,
        str(PYTEST_PLUGIN_DIR),
        "-p",
        "paved_pytest_tally",
        f"--junitxml={reports.junit}",
        "-o",
        "junit_family=xunit1",
        cov,
        f"--cov-report=xml:{reports.coverage_xml}",
        f"--cov-report=json:{reports.coverage_json}",
        "--cov-report=term",
        *options.pytest_args,
    )
    return replace(command, env={**command.env, PYTEST_TALLY_ENV: str(reports.tally)})


def other_install(options: BuildTestOptions, present: set[str]) -> Command | None:
    """Node and Go: the configured install command, or the ecosystem's usual one."""
    if options.install_command is not None:
        return user_command(options, "install-command", options.install_command)
    argv: tuple[str, ...] = ("go", "mod", "download")
    if options.language is Language.NODE:
        verb = "ci" if "package-lock.json" in present else "install"
        argv = ("npm", verb, "--no-audit", "--no-fund")
    return Command(argv=argv, cwd=options.project_dir, env=options.extra_env)


def other_test(options: BuildTestOptions) -> Command:
    """Node and Go: the configured test command, or `npm test` / `go test ./...`."""
    if options.test_command is not None:
        return user_command(options, "test-command", options.test_command)
    argv = ("npm", "test") if options.language is Language.NODE else ("go", "test", "./...")
    return Command(argv=argv, cwd=options.project_dir, env=options.extra_env)

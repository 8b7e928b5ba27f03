"""The commands build-test runs, per language. Pure: no process is started here."""

from __future__ import annotations

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
    from pathlib import Path

TOOL_PINS: dict[str, str] = {
    "pytest": "pytest==9.2.0",
    "pytest_cov": "pytest-cov==7.1.0",
    "ruff": "ruff==0.17.6",
    "black": "black==26.10.1",
    "flake8": "flake8==7.5.0",
}
"""Module name -> the version installed into the project's venv when the project lacks it."""

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
    options: BuildTestOptions, requirements: tuple[str, ...], project_table: bool
) -> Command | None:
    """pip install of the requirements files and, if it is a package, the project itself."""
    if options.install_command is not None:
        return user_command(options, "install-command", options.install_command)
    args: list[str] = []
    for requirement in requirements:
        args += ["-r", requirement]
    if project_table:
        extras = f"[{','.join(options.extras)}]" if options.extras else ""
        args += ["-e", f".{extras}"]
    if not args:
        return None
    return _python(
        options, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", *args
    )


def needed_modules(options: BuildTestOptions) -> tuple[str, ...]:
    """The tool modules a Python run needs in the project's venv."""
    modules = ["pytest", "pytest_cov"]
    if options.format_command is None and options.formatter is not Formatter.NONE:
        modules.append(options.formatter.value)
    if options.lint_command is None and options.linter is not Linter.NONE:
        modules.append(options.linter.value)
    return tuple(dict.fromkeys(modules))


def find_missing(options: BuildTestOptions, modules: tuple[str, ...]) -> Command:
    """A command that prints which of `modules` the venv lacks."""
    return _python(options, "-c", FIND_MISSING_MODULES, *modules)


def install_tools(options: BuildTestOptions, modules: tuple[str, ...]) -> Command:
    """Install the pinned tool versions the project did not bring itself."""
    pins = [TOOL_PINS[module] for module in modules]
    return _python(
        options, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", *pins
    )


def python_format(options: BuildTestOptions) -> Command | None:
    """The format check, or None when switched off."""
    if options.format_command is not None:
        return user_command(options, "format-command", options.format_command)
    if options.formatter is Formatter.RUFF:
        return _python(options, "-m", "ruff", "format", "--check", ".")
    if options.formatter is Formatter.BLACK:
        return _python(options, "-m", "black", "--check", ".")
    return None


def python_lint(options: BuildTestOptions) -> Command | None:
    """The linter, or None when switched off."""
    if options.lint_command is not None:
        return user_command(options, "lint-command", options.lint_command)
    if options.linter is Linter.RUFF:
        return _python(options, "-m", "ruff", "check", "--output-format=concise", "--no-fix", ".")
    if options.linter is Linter.FLAKE8:
        return _python(options, "-m", "flake8", ".")
    return None


def python_test(options: BuildTestOptions, junit: Path, coverage: Path) -> Command:
    """pytest with JUnit (xunit1 keeps file and line per case) and Cobertura coverage."""
    if options.test_command is not None:
        return user_command(options, "test-command", options.test_command)
    cov = f"--cov={options.coverage_source}" if options.coverage_source else "--cov"
    return _python(
        options,
        "-m",
        "pytest",
        f"--junitxml={junit}",
        "-o",
        "junit_family=xunit1",
        cov,
        f"--cov-report=xml:{coverage}",
        "--cov-report=term",
        *options.pytest_args,
    )


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

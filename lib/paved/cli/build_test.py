"""`paved build-test`: flags to BuildTestOptions, run, render."""

from __future__ import annotations

import hashlib
import os
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from paved.adapters.workspace.local import LocalWorkspace
from paved.buildtest import (
    BuildTestOptions,
    Formatter,
    Language,
    Linter,
    Shell,
    build_and_test,
)
from paved.buildtest.options import choices
from paved.errors import UsageError
from paved.report import buildtest as report

if TYPE_CHECKING:
    import argparse

    from paved.model import Rendered

_E = TypeVar("_E", Language, Formatter, Linter, Shell)

DASHED_VALUES = ("--pytest-args",)
"""Flags whose value may start with a dash (`--pytest-args -v`)."""


def add_parser(commands: argparse._SubParsersAction[Any], summary: str) -> None:
    """Register the build-test subcommand."""
    from paved.cli import add_common  # noqa: PLC0415 - avoids an import cycle

    parser = commands.add_parser(
        "build-test",
        help=summary,
        description="Build and test a project the way the build-test action does: an isolated "
        "venv, a format check, a linter, pytest with JUnit and coverage (Python), or your "
        "install and test commands (Node, Go), then a gate.",
    )
    parser.add_argument("project", nargs="?", default=".", type=Path, help="project directory")
    parser.add_argument("--language", default="auto", help=f"one of {choices(Language)}")
    parser.add_argument("--python", default="python3", help="interpreter for the project venv")
    parser.add_argument(
        "--requirements",
        action="append",
        default=[],
        metavar="FILE",
        help="requirements file, relative to the project (repeat; default: requirements*.txt)",
    )
    parser.add_argument("--extras", default="", help="comma-separated pyproject extras")
    parser.add_argument("--formatter", default="auto", help=f"one of {choices(Formatter)}")
    parser.add_argument("--linter", default="auto", help=f"one of {choices(Linter)}")
    for name in ("install", "format", "lint", "test"):
        parser.add_argument(f"--{name}-command", metavar="CMD", help=f"your own {name} command")
    parser.add_argument(
        "--shell", default="none", help=f"run your commands through: {choices(Shell)}"
    )
    parser.add_argument("--junit-file", help="JUnit XML your test command writes (Node, Go)")
    parser.add_argument("--coverage-file", help="Cobertura XML your test command writes")
    parser.add_argument("--coverage-source", help="what pytest-cov measures (default: config)")
    parser.add_argument("--coverage-threshold", type=_percent, metavar="PERCENT")
    parser.add_argument(
        "--pytest-args", default="", help="extra pytest arguments, one string ('-v -x')"
    )
    parser.add_argument("--allow-no-tests", action="store_true", help="pass with no tests")
    parser.add_argument("--results-dir", type=Path, help="default: PROJECT/.paved/build-test")
    parser.add_argument("--venv-dir", type=Path, help="default: a per-project cache directory")
    parser.add_argument(
        "--repo-root", type=Path, default=Path(), help="annotations are relative to it"
    )
    add_common(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> Rendered:
    """Run build-test for parsed arguments."""
    options = options_from(args)
    return report.render(build_and_test(options, LocalWorkspace()))


def options_from(args: argparse.Namespace) -> BuildTestOptions:
    """BuildTestOptions from parsed flags; choices are checked here with what is valid."""
    project = args.project.resolve()
    return BuildTestOptions(
        project_dir=project,
        repo_root=args.repo_root.resolve(),
        results_dir=(args.results_dir or project / ".paved" / "build-test").resolve(),
        venv_dir=(args.venv_dir or _default_venv(project)).resolve(),
        language=_choice(Language, args.language, "--language"),
        python=args.python,
        requirements=tuple(args.requirements),
        extras=tuple(e.strip() for e in args.extras.split(",") if e.strip()),
        formatter=_choice(Formatter, args.formatter, "--formatter"),
        linter=_choice(Linter, args.linter, "--linter"),
        install_command=args.install_command,
        format_command=args.format_command,
        lint_command=args.lint_command,
        test_command=args.test_command,
        shell=_choice(Shell, args.shell, "--shell"),
        junit_file=args.junit_file,
        coverage_file=args.coverage_file,
        coverage_source=args.coverage_source,
        coverage_threshold=args.coverage_threshold,
        pytest_args=tuple(_split(args.pytest_args)),
        allow_no_tests=args.allow_no_tests,
    )


def _choice(enum: type[_E], value: str, flag: str) -> _E:
    try:
        return enum(value)
    except ValueError:
        raise UsageError(f"{value!r} is not a choice", name=flag, valid=choices(enum)) from None


def _percent(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise UsageError(
            f"{value!r} is not a number", name="--coverage-threshold", valid="0 to 100"
        ) from None
    return number


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError as exc:
        raise UsageError(f"cannot split {text!r}: {exc}", name="--pytest-args") from exc


def _default_venv(project: Path) -> Path:
    cache = os.environ.get("XDG_CACHE_HOME")
    base = (
        os.environ.get("PAVED_CACHE_DIR")
        or (Path(cache) if cache else Path.home() / ".cache") / "paved"
    )
    key = hashlib.sha256(str(project).encode()).hexdigest()[:12]
    return Path(base) / "build-test" / f"venv-{project.name}-{key}"

"""`paved build-test`: parsed flags to BuildTestOptions, run, render (flags: buildtest.params)."""

from __future__ import annotations

import hashlib
import os
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from paved.adapters.workspace.local import LocalWorkspace
from paved.buildtest import BuildTestOptions, build_and_test
from paved.errors import UsageError
from paved.params import parse_list
from paved.report import buildtest as report

if TYPE_CHECKING:
    import argparse

    from paved.model import Rendered

DASHED_VALUES = ("--pytest-args",)
"""Flags whose value may start with a dash (`--pytest-args -v`)."""


def handle(args: argparse.Namespace) -> Rendered:
    """Run build-test for parsed arguments."""
    options = options_from(args)
    return report.render(build_and_test(options, LocalWorkspace()))


def options_from(args: argparse.Namespace) -> BuildTestOptions:
    """BuildTestOptions from parsed flags (already typed by the declaration)."""
    project = args.working_directory.resolve()
    return BuildTestOptions(
        project_dir=project,
        repo_root=args.repo_root.resolve(),
        results_dir=(args.results_dir or project / ".paved" / "build-test").resolve(),
        venv_dir=(args.venv_dir or _default_venv(project)).resolve(),
        language=args.language,
        python=args.python,
        requirements=args.requirements,
        extras=parse_list(args.extras or ""),
        formatter=args.formatter,
        linter=args.linter,
        install_command=args.install_command,
        format_command=args.format_command,
        lint_command=args.lint_command,
        test_command=args.test_command,
        shell=args.shell,
        junit_file=_text(args.junit_file),
        coverage_file=_text(args.coverage_file),
        coverage_source=args.coverage_source,
        coverage_threshold=args.coverage_threshold,
        pytest_args=_split(args.pytest_args or ""),
        allow_no_tests=args.allow_no_tests,
    )


def _text(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _split(text: str) -> tuple[str, ...]:
    try:
        return tuple(shlex.split(text))
    except ValueError as exc:
        raise UsageError(f"cannot split {text!r}: {exc}", name="--pytest-args") from exc


def _default_venv(project: Path) -> Path:
    key = hashlib.sha256(str(project).encode()).hexdigest()[:12]
    runner_temp = os.environ.get("RUNNER_TEMP")
    if runner_temp:
        # In an action step: the job's temporary directory, cleaned after the job.
        return Path(runner_temp) / "paved" / f"build-test-venv-{key}"
    cache = os.environ.get("XDG_CACHE_HOME")
    base = (
        os.environ.get("PAVED_CACHE_DIR")
        or (Path(cache) if cache else Path.home() / ".cache") / "paved"
    )
    return Path(base) / "build-test" / f"venv-{project.name}-{key}"

"""build-test's parameters, declared once (see paved.params)."""

from __future__ import annotations

from paved.buildtest.options import Formatter, Language, Linter, Shell
from paved.params import (
    Base,
    Choice,
    Declaration,
    Flag,
    Lines,
    Number,
    PathParam,
    Program,
    Text,
    repo_root,
)

DECLARATION = Declaration(
    "build-test",
    description="Build and test a project the way the build-test action does: an isolated "
    "venv, a format check, a linter, pytest with JUnit and coverage (Python), or your install "
    "and test commands (Node, Go), then a gate.",
    params=(
        PathParam(
            name="working-directory",
            default=".",
            positional=True,
            metavar="PROJECT",
            help="The project directory, relative to the workspace.",
        ),
        Choice(
            name="language",
            choices=Language,
            default="auto",
            help="The project's language: auto, python, node or go. auto looks for "
            "pyproject.toml, setup.py, requirements.txt, package.json or go.mod.",
        ),
        Program(
            name="python",
            default="python3",
            help="Interpreter that creates the project's isolated venv (Python projects).",
        ),
        Lines(
            name="requirements",
            metavar="FILE",
            help="Requirements files to install, one per line, relative to the project. Empty "
            "means what the project declares: requirements.txt, its test requirements "
            "(requirements/tests.txt, requirements/test.txt, tests/requirements.txt, "
            "requirements-test(s).txt, requirements-dev.txt, ...) and its PEP 735 dependency "
            "group test, tests or testing (else dev).",
        ),
        Text(
            name="extras",
            help="Comma-separated pyproject extras to install with the project (pip install "
            "-e .[extras]). Empty means its test, tests or testing extras (else dev), where it "
            "has them.",
        ),
        Choice(
            name="formatter",
            choices=Formatter,
            default="auto",
            help="Python format check: auto, ruff, black or none. auto runs the formatter the "
            "project configures ([tool.black], [tool.ruff], ruff.toml, its pre-commit hooks), at "
            "the version it pins, or none.",
        ),
        Choice(
            name="linter",
            choices=Linter,
            default="auto",
            help="Python linter: auto, ruff, flake8 or none. auto runs the linter the project "
            "configures ([tool.ruff], ruff.toml, a [flake8] section, its pre-commit hooks), at "
            "the version it pins, or none.",
        ),
        Text(
            name="install-command",
            metavar="CMD",
            help="Your own install command (replaces the default pip install, npm ci or go mod "
            "download).",
        ),
        Text(name="format-command", metavar="CMD", help="Your own format check command."),
        Text(name="lint-command", metavar="CMD", help="Your own lint command."),
        Text(
            name="test-command",
            metavar="CMD",
            help="Your own test command (replaces pytest, npm test or go test ./...).",
        ),
        Choice(
            name="shell",
            choices=Shell,
            default="none",
            help="How your commands run: none (split into an argument list, no shell), bash or sh.",
        ),
        PathParam(
            name="junit-file",
            base=Base.PROJECT,
            help="JUnit XML your test command writes, relative to the project (Node, Go, or a "
            "custom Python test command).",
        ),
        PathParam(
            name="coverage-file",
            base=Base.PROJECT,
            help="Cobertura XML your test command writes, relative to the project.",
        ),
        Text(
            name="coverage-source",
            help="What pytest-cov measures (--cov=SOURCE). Empty uses the project's coverage "
            "configuration.",
        ),
        Number(
            name="coverage-threshold",
            minimum=0,
            maximum=100,
            metavar="PERCENT",
            help="Minimum coverage in percent (0-100), judged on coverage.py's TOTAL. Empty means "
            "no coverage gate.",
        ),
        Text(
            name="pytest-args",
            help="Extra pytest arguments, split like a shell would (no shell runs them).",
        ),
        Flag(
            name="allow-no-tests",
            default="false",
            help="Pass when the project has no tests (otherwise a run without tests fails).",
        ),
        PathParam(
            name="results-dir",
            allow_outside=True,
            help="Where the JUnit and coverage XML files go. Empty means "
            "<project>/.paved/build-test.",
        ),
        PathParam(
            name="venv-dir",
            action=False,
            help="The project's venv (default: a per-project cache directory).",
        ),
        repo_root("Annotations name files"),
    ),
)

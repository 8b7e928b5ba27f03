"""The format checker and linter a project asked for, at the version it pins."""

import pytest
from paved.buildtest.checkers import (
    choose_formatter,
    choose_linter,
    pre_commit_hooks,
    project_pins,
)
from paved.buildtest.options import Formatter, Linter
from paved.buildtest.project import project_files

PRE_COMMIT = """\
repos:
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.15.6
    hooks:
      - id: ruff-check
        args: [--fix]
      - id: ruff-format
  - repo: https://github.com/psf/black-pre-commit-mirror
    rev: "24.8.0"  # pinned
    hooks:
    -   id: black
  - repo: https://github.com/PyCQA/flake8
    rev: 7.1.1
    hooks:
      - id: flake8
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v5.0.0
    hooks:
      - id: end-of-file-fixer
"""

RUFF_LINT_ONLY_HOOKS = """\
repos:
- repo: https://github.com/astral-sh/ruff-pre-commit
  rev: "v0.3.5"
  hooks:
    - id: ruff
"""


def test_pre_commit_hooks_give_ids_and_the_revs_of_known_checkers():
    hooks = pre_commit_hooks(PRE_COMMIT)
    assert {"ruff-check", "ruff-format", "black", "flake8", "end-of-file-fixer"} <= hooks.ids
    assert hooks.revs == {"ruff": "0.15.6", "black": "24.8.0", "flake8": "7.1.1"}


@pytest.mark.parametrize(
    ("texts", "formatter", "linter"),
    [
        ({}, Formatter.NONE, Linter.NONE),
        ({"pyproject.toml": "[tool.pytest.ini_options]\n"}, Formatter.NONE, Linter.NONE),
        ({"pyproject.toml": "[tool.ruff]\nline-length = 99\n"}, Formatter.RUFF, Linter.RUFF),
        ({"pyproject.toml": "[tool.ruff.lint]\nselect = ['E']\n"}, Formatter.RUFF, Linter.RUFF),
        ({"ruff.toml": "line-length = 99\n"}, Formatter.RUFF, Linter.RUFF),
        ({".ruff.toml": ""}, Formatter.RUFF, Linter.RUFF),
        ({"pyproject.toml": "[tool.black]\nline-length = 79\n"}, Formatter.BLACK, Linter.NONE),
        (
            {"setup.cfg": "[metadata]\nname = x\n[flake8]\nmax-line-length = 99\n"},
            Formatter.NONE,
            Linter.FLAKE8,
        ),
        ({"tox.ini": "[tox]\n[flake8]\nignore = E203\n"}, Formatter.NONE, Linter.FLAKE8),
        ({".flake8": "[flake8]\n"}, Formatter.NONE, Linter.FLAKE8),
        ({"setup.cfg": "[metadata]\nname = x\n"}, Formatter.NONE, Linter.NONE),
        (
            {"pyproject.toml": "[tool.black]\n[tool.ruff]\n"},
            Formatter.BLACK,
            Linter.RUFF,
        ),
        (
            {"pyproject.toml": "[tool.ruff]\n", ".pre-commit-config.yaml": RUFF_LINT_ONLY_HOOKS},
            Formatter.NONE,
            Linter.RUFF,
        ),
        ({".pre-commit-config.yaml": PRE_COMMIT}, Formatter.BLACK, Linter.RUFF),
    ],
)
def test_auto_runs_what_the_project_configures(texts, formatter, linter):
    project = project_files(texts, "svc")
    assert choose_formatter(project, Formatter.AUTO) is formatter
    assert choose_linter(project, Linter.AUTO) is linter


def test_an_explicit_choice_wins_over_the_configuration():
    project = project_files({"pyproject.toml": "[tool.ruff]\n"}, "svc")
    assert choose_formatter(project, Formatter.NONE) is Formatter.NONE
    assert choose_linter(project, Linter.FLAKE8) is Linter.FLAKE8


def test_an_unreadable_ini_file_configures_nothing():
    project = project_files({"setup.cfg": "no section header\n[flake8"}, "svc")
    assert choose_linter(project, Linter.AUTO) is Linter.NONE


def test_exact_pins_in_requirements_groups_and_extras_come_before_pre_commit_revs():
    project = project_files(
        {
            "requirements-dev.txt": "pytest\nruff==0.6.9  # lint\nblack>=24\n",
            "pyproject.toml": (
                '[project]\nname = "x"\nversion = "1"\n'
                '[project.optional-dependencies]\nlint = ["flake8 == 7.0.0"]\n'
                '[dependency-groups]\nstyle = ["black==24.1.0", {include-group = "lint"}]\n'
                'lint = "not a list"\n'
            ),
            ".pre-commit-config.yaml": PRE_COMMIT,
        },
        "svc",
    )
    assert project_pins(project) == {
        "ruff": "ruff==0.6.9",
        "black": "black==24.1.0",
        "flake8": "flake8==7.0.0",
    }


def test_a_project_without_pins_gets_none():
    assert project_pins(project_files({"requirements-dev.txt": "ruff>=0.5\n"}, "svc")) == {}

"""Which format checker and linter a project asked for, and at which version. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from paved.buildtest.options import Formatter, Linter

if TYPE_CHECKING:
    from collections.abc import Iterator

    from paved.buildtest.project import ProjectFiles

CHECKER_MODULES = ("ruff", "black", "flake8")

# pre-commit hook repositories -> the PyPI package their rev is a version of.
_HOOK_REPOS = (
    ("ruff-pre-commit", "ruff"),
    ("black-pre-commit-mirror", "black"),
    ("psf/black", "black"),
    ("pycqa/flake8", "flake8"),
)
_YAML_KEY = re.compile(r"^\s*(?:-\s+)?(?P<key>repo|rev|id):\s*['\"]?(?P<value>[^'\"\s#]+)")
_VERSION = re.compile(r"^v?(?P<version>\d+(?:\.\d+)*(?:(?:a|b|rc|\.post|\.dev)\d+)?)$")
_PIN = re.compile(
    r"^\s*(?P<name>ruff|black|flake8)\s*(?:\[[^\]]*\])?\s*==\s*(?P<version>[\w.+!-]+)"
)


@dataclass(frozen=True)
class PreCommitHooks:
    """The hooks of .pre-commit-config.yaml that matter here: ids, and revs per package."""

    ids: frozenset[str] = frozenset()
    revs: dict[str, str] = field(default_factory=dict)


def pre_commit_hooks(text: str | None) -> PreCommitHooks:
    """Read the repos, revs and hook ids of a pre-commit configuration, line by line."""
    ids: set[str] = set()
    revs: dict[str, str] = {}
    package: str | None = None
    for line in (text or "").splitlines():
        match = _YAML_KEY.match(line)
        if match is None:
            continue
        key, value = match["key"], match["value"]
        if key == "repo":
            package = next((p for repo, p in _HOOK_REPOS if repo in value.lower()), None)
        elif key == "rev" and package is not None:
            version = _VERSION.match(value)
            if version:
                revs.setdefault(package, version["version"])
        elif key == "id":
            ids.add(value)
    return PreCommitHooks(ids=frozenset(ids), revs=revs)


def _ruff_configured(files: ProjectFiles) -> bool:
    return files.tool("ruff") is not None or files.has("ruff.toml") or files.has(".ruff.toml")


def choose_formatter(files: ProjectFiles, asked: Formatter) -> Formatter:
    """AUTO becomes the formatter the project configures (black, then ruff), else NONE."""
    if asked is not Formatter.AUTO:
        return asked
    hooks = pre_commit_hooks(files.texts.get(".pre-commit-config.yaml"))
    if files.tool("black") is not None or "black" in hooks.ids:
        return Formatter.BLACK
    if "ruff-format" in hooks.ids:
        return Formatter.RUFF
    ruff_hooks = {"ruff", "ruff-check"} & hooks.ids
    # A project whose pre-commit runs ruff's linter but not its formatter does not format with it.
    if _ruff_configured(files) and not ruff_hooks:
        return Formatter.RUFF
    return Formatter.NONE


def choose_linter(files: ProjectFiles, asked: Linter) -> Linter:
    """AUTO becomes the linter the project configures (ruff, then flake8), else NONE."""
    if asked is not Linter.AUTO:
        return asked
    hooks = pre_commit_hooks(files.texts.get(".pre-commit-config.yaml"))
    if _ruff_configured(files) or {"ruff", "ruff-check"} & hooks.ids:
        return Linter.RUFF
    flake8_sections = any(
        "flake8" in files.ini_sections(name) for name in ("setup.cfg", "tox.ini", ".flake8")
    )
    if flake8_sections or files.has(".flake8") or "flake8" in hooks.ids:
        return Linter.FLAKE8
    return Linter.NONE


def project_pins(files: ProjectFiles) -> dict[str, str]:
    """Checker module -> the requirement the project pins it at (its own version wins over ours).

    Exact pins in requirements files, dependency groups and extras come first, then the revs of
    pre-commit hooks.
    """
    pins: dict[str, str] = {}
    for requirement in _declared_requirements(files):
        match = _PIN.match(requirement)
        if match:
            pins.setdefault(match["name"], f"{match['name']}=={match['version']}")
    for package, version in pre_commit_hooks(
        files.texts.get(".pre-commit-config.yaml")
    ).revs.items():
        pins.setdefault(package, f"{package}=={version}")
    return pins


def _declared_requirements(files: ProjectFiles) -> Iterator[str]:
    for name, text in files.texts.items():
        if name.endswith(".txt"):
            yield from text.splitlines()
    for table in (files.pyproject.get("dependency-groups"), _extras(files)):
        for items in table.values() if isinstance(table, dict) else ():
            if isinstance(items, list):
                yield from (item for item in items if isinstance(item, str))


def _extras(files: ProjectFiles) -> object:
    project = files.pyproject.get("project")
    return project.get("optional-dependencies") if isinstance(project, dict) else None

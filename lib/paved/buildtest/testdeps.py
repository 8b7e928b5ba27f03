"""Which requirements files, extras and dependency groups a project's tests need. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paved.buildtest.project import RUNTIME_REQUIREMENT_FILES, TEST_REQUIREMENT_FILES
from paved.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from paved.buildtest.project import ProjectFiles

TEST_NAMES = ("test", "tests", "testing")
"""Extras and dependency groups that hold test dependencies."""
FALLBACK_NAMES = ("dev",)
"""Used only when a project has none of TEST_NAMES: 'dev' usually includes the test tools."""


@dataclass(frozen=True)
class Dependencies:
    """What to install beside the project so its tests can run."""

    requirement_files: tuple[str, ...] = ()
    """Relative to the project, installed with -r."""
    extras: tuple[str, ...] = ()
    """pyproject extras installed with the project (-e .[extras])."""
    groups: tuple[str, ...] = ()
    """PEP 735 dependency groups whose requirements are installed."""
    group_requirements: tuple[str, ...] = ()
    """The groups' requirements with include-group resolved, in order, without repeats."""


def find_test_dependencies(
    files: ProjectFiles, *, requirements: tuple[str, ...], extras: tuple[str, ...]
) -> Dependencies:
    """The given requirements and extras, or what the project's own layout says.

    Given requirements files replace the detected files and dependency groups; given extras
    replace the detected extras.
    """
    if not extras:
        extras = _pick(_optional_dependencies(files))
    if requirements:
        return Dependencies(requirement_files=requirements, extras=extras)
    found = tuple(
        name for name in (*RUNTIME_REQUIREMENT_FILES, *TEST_REQUIREMENT_FILES) if files.has(name)
    )
    table = _dependency_groups(files)
    groups = _pick(table)
    resolved: dict[str, None] = {}
    for group in groups:
        resolved.update(dict.fromkeys(_resolve(table, group)))
    return Dependencies(
        requirement_files=found, extras=extras, groups=groups, group_requirements=tuple(resolved)
    )


def normalize(name: str) -> str:
    """Extra and group names compare as PEP 685 / PEP 735 say: case and -_. do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pick(names: Mapping[str, object]) -> tuple[str, ...]:
    by_normal = {normalize(name): name for name in names}
    chosen = tuple(by_normal[n] for n in TEST_NAMES if n in by_normal)
    return chosen or tuple(by_normal[n] for n in FALLBACK_NAMES if n in by_normal)


def _optional_dependencies(files: ProjectFiles) -> Mapping[str, object]:
    """Extras from [project.optional-dependencies], else setup.cfg's [options.extras_require]."""
    project = files.pyproject.get("project")
    table = project.get("optional-dependencies") if isinstance(project, dict) else None
    if isinstance(table, dict):
        return table
    return files.ini_section("setup.cfg", "options.extras_require")


def _dependency_groups(files: ProjectFiles) -> Mapping[str, object]:
    table = files.pyproject.get("dependency-groups")
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise _bad_groups("[dependency-groups] is not a table")
    return table


def _resolve(table: Mapping[str, object], group: str) -> Iterator[str]:
    by_normal = {normalize(name): items for name, items in table.items()}
    yield from _visit(by_normal, normalize(group), ())


def _visit(by_normal: Mapping[str, object], group: str, chain: tuple[str, ...]) -> Iterator[str]:
    if group in chain:
        raise _bad_groups(f"include-group makes a cycle: {' -> '.join((*chain, group))}")
    items = by_normal.get(group)
    if items is None:
        raise _bad_groups(f"include-group names {group!r}, which is not a group")
    if not isinstance(items, list):
        raise _bad_groups(f"group {group!r} is not a list")
    for item in items:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict) and isinstance(item.get("include-group"), str):
            yield from _visit(by_normal, normalize(item["include-group"]), (*chain, group))
        else:
            raise _bad_groups(
                f"group {group!r} has an entry that is neither text nor include-group"
            )


def _bad_groups(problem: str) -> UsageError:
    return UsageError(
        problem,
        name="pyproject.toml [dependency-groups]",
        valid="PEP 735 groups: lists of requirements and {include-group = NAME} tables",
    )

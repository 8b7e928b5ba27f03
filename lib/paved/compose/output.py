"""Where a generated workflow may go: GitHub runs only files directly in .github/workflows/."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.errors import UsageError

if TYPE_CHECKING:
    from pathlib import PurePath

SUFFIXES = (".yml", ".yaml")


def check_output(path: PurePath) -> PurePath:
    """`path` if GitHub would run a workflow written there; else one UsageError saying why."""
    parent = path.parent
    if parent.name != "workflows" or parent.parent.name != ".github":
        raise UsageError(
            f"GitHub runs only the workflows directly in a repository's .github/workflows/ "
            f"directory (no other directory, no subfolder), so {path} would never run",
            name="--output",
            valid="<repository>/.github/workflows/<name>.yml or .yaml",
        )
    if path.suffix not in SUFFIXES:
        raise UsageError(
            f"GitHub reads only .yml and .yaml files as workflows, so {path} would never run",
            name="--output",
            valid="a name ending in .yml or .yaml",
        )
    return path

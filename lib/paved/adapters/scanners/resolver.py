"""The full dependency set, resolved by pip's own resolver without installing anything:
`python -m pip install --dry-run --ignore-installed --quiet --report FILE -r REQUIREMENTS`.

pip runs with paved's interpreter, so environment markers are judged for that Python. Each
resolved package is traced back to the project's requirement line that brought it in.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.markers import InvalidMarker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from paved.adapters.scanners import process
from paved.adapters.scanners.interface import Package, ScannerError
from paved.adapters.scanners.requirements import RequirementLine

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

_REPORT_NAME = "pip-report.json"


def resolve(tool: str, lines: Sequence[RequirementLine], cwd: Path) -> tuple[Package, ...]:
    """Every package pip would install for `lines`, each with the line that brought it in.

    Raise ScannerError (with pip's last lines) when pip cannot resolve them: the index is
    unreachable, or the requirements conflict.
    """
    wanted = [line for line in lines if line.applies()]
    if not wanted:
        return ()
    with tempfile.TemporaryDirectory(prefix="paved-resolve-") as folder:
        requirements = Path(folder) / "requirements.txt"
        requirements.write_text("".join(f"{line.text}\n" for line in wanted), encoding="utf-8")
        text = _pip_report(tool, ["-r", str(requirements)], Path(folder), cwd)
    return packages_from_report(tool, text, wanted)


def resolve_project(tool: str, project_dir: Path, shown: str) -> tuple[Package, ...]:
    """The dependencies of the project itself, as its build backend declares them (setup.py,
    dynamic dependencies): pip builds its metadata, then resolves. The project is left out."""
    with tempfile.TemporaryDirectory(prefix="paved-resolve-") as folder:
        text = _pip_report(tool, [str(project_dir)], Path(folder), project_dir)
    try:
        installs = json.loads(text)["install"]
        [own] = [item for item in installs if item.get("requested")]
        requires = own["metadata"].get("requires_dist") or ()
        own_name = str(canonicalize_name(own["metadata"]["name"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise ScannerError(tool, f"pip's installation report is not readable: {exc}") from exc
    lines = [
        RequirementLine(requirement, shown, None)
        for item in requires
        if (requirement := _requirement(item, frozenset())) is not None
    ]
    packages = packages_from_report(tool, text, lines)
    return tuple(p for p in packages if str(canonicalize_name(p.name)) != own_name)


def _pip_report(tool: str, what: list[str], folder: Path, cwd: Path) -> str:
    report = folder / _REPORT_NAME
    argv = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--ignore-installed",
        "--quiet",
        "--disable-pip-version-check",
        "--report",
        str(report),
        *what,
    ]
    done = process.run(tool, argv, cwd=cwd, env={"PIP_NO_INPUT": "1"})
    if done.exit_code != 0 or not report.is_file():
        raise ScannerError(tool, f"pip could not resolve the requirements: {done.tail()}")
    return report.read_text(encoding="utf-8")


def packages_from_report(
    tool: str, text: str, lines: Sequence[RequirementLine]
) -> tuple[Package, ...]:
    """The packages of a pip installation report (`--report`), traced to `lines`."""
    try:
        installs = json.loads(text)["install"]
        nodes = {
            str(canonicalize_name(item["metadata"]["name"])): (
                str(item["metadata"]["name"]),
                str(item["metadata"]["version"]),
                tuple(item["metadata"].get("requires_dist") or ()),
            )
            for item in installs
        }
    except (ValueError, KeyError, TypeError) as exc:
        raise ScannerError(tool, f"pip's installation report is not readable: {exc}") from exc
    origin = _origins(nodes, lines)
    packages = []
    for key, (name, version, _) in nodes.items():
        line = origin.get(key)
        direct = line is not None and str(canonicalize_name(line.requirement.name)) == key
        packages.append(
            Package(
                name,
                version,
                line.file if line else None,
                line.line if line else None,
                via=line.text if line else None,
                direct=direct if line else None,
            )
        )
    return tuple(packages)


def _origins(
    nodes: Mapping[str, tuple[str, str, tuple[str, ...]]], lines: Sequence[RequirementLine]
) -> dict[str, RequirementLine]:
    """Package -> the first requirement line (in file order) whose dependency tree holds it,
    by a breadth-first walk so the shortest chain wins."""
    origin: dict[str, RequirementLine] = {}
    queue: deque[tuple[str, frozenset[str], RequirementLine]] = deque()
    for line in lines:
        key = str(canonicalize_name(line.requirement.name))
        if key in nodes and key not in origin:
            origin[key] = line
            queue.append((key, frozenset(line.requirement.extras), line))
    while queue:
        key, extras, line = queue.popleft()
        for text in nodes[key][2]:
            child = _requirement(text, extras)
            if child is None:
                continue
            child_key = str(canonicalize_name(child.name))
            if child_key in nodes and child_key not in origin:
                origin[child_key] = line
                queue.append((child_key, frozenset(child.extras), line))
    return origin


def _requirement(text: str, extras: frozenset[str]) -> Requirement | None:
    """The requirement `text` when its marker holds for one of `extras` (or none), else None."""
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    if requirement.marker is None:
        return requirement
    for extra in ("", *sorted(extras)):
        try:
            if requirement.marker.evaluate({"extra": extra}):
                return requirement
        except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
            return requirement
    return None

"""The dependency set an audit checks: the requirements files, or else the project's declared
dependencies, resolved to every package pip would install (transitive ones included)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from paved import log
from paved.adapters.scanners.declared import declared_dependencies
from paved.adapters.scanners.interface import Package, Resolution, ScannerError
from paved.adapters.scanners.requirements import direct_pins, read_requirement_lines
from paved.adapters.scanners.resolver import resolve, resolve_project
from paved.model import repo_relative

if TYPE_CHECKING:
    from pathlib import Path

    from paved.adapters.scanners.interface import ScanTarget
    from paved.adapters.scanners.requirements import RequirementLine


_BUILD_FILES = ("setup.py", "pyproject.toml")


def requirement_lines(tool: str, target: ScanTarget) -> tuple[RequirementLine, ...] | None:
    """The requirements files' lines, else the dependencies the project's metadata declares;
    None when only its build backend knows them (setup.py, dynamic dependencies)."""
    if target.requirements:
        return read_requirement_lines(tool, target.requirements, target.repo_root)
    declared = declared_dependencies(tool, target.project_dir, target.repo_root)
    if declared is None and not _build_file(target):
        raise ScannerError(
            tool,
            "nothing to audit: no requirements files, no pyproject.toml, setup.cfg or "
            "setup.py, and no python",
            hint="give requirements, or python (an installed environment)",
        )
    return declared


def _build_file(target: ScanTarget) -> Path | None:
    found = (target.project_dir / name for name in _BUILD_FILES)
    return next((path for path in found if path.is_file()), None)


def dependency_set(tool: str, target: ScanTarget) -> tuple[Package, ...]:
    """Every package to audit, each saying whether it is direct and through which line.

    Resolution that fails (index unreachable, conflicting pins) falls back to the direct pins
    with a warning naming what was not audited, unless the target requires resolution: a scan
    left on in CI should not turn red when PyPI is briefly away, and the pins it can read are
    still audited; a team that needs the full set every time sets `resolve: require`.
    """
    lines = requirement_lines(tool, target)
    if lines is None:
        return _project_dependencies(tool, target)
    pins, unpinned = direct_pins(tool, lines)
    if target.resolution is Resolution.OFF:
        _warn_unaudited(tool, unpinned, "resolve is off")
        return pins
    try:
        resolved = resolve(tool, lines, target.project_dir)
    except ScannerError as exc:
        if target.resolution is Resolution.REQUIRE:
            raise
        log.warning(
            f"{tool}: the dependency set could not be resolved, so only the {len(pins)} "
            f"pinned direct requirement(s) are audited and no transitive dependency is: "
            f"{exc.reason}"
        )
        _warn_unaudited(tool, unpinned, "they could not be resolved")
        return pins
    # A second pin of one package at another version (pip installs one) is audited too.
    chosen = {(canonicalize_name(p.name), p.version) for p in resolved}
    extra = [p for p in pins if (canonicalize_name(p.name), p.version) not in chosen]
    return resolved + tuple(extra)


def _project_dependencies(tool: str, target: ScanTarget) -> tuple[Package, ...]:
    """Resolve the project itself when only its build backend knows its dependencies."""
    build = _build_file(target)
    shown = repo_relative(build, target.repo_root) if build else "."
    if target.resolution is Resolution.OFF:
        log.warning(f"{tool}: NOT AUDITED, as resolve is off: the dependencies {shown} computes")
        return ()
    try:
        return resolve_project(tool, target.project_dir, shown)
    except ScannerError as exc:
        if target.resolution is Resolution.REQUIRE:
            raise
        log.warning(
            f"{tool}: NOT AUDITED: the dependencies {shown} computes could not be resolved, "
            f"so no dependency is audited: {exc.reason}"
        )
        return ()


def _warn_unaudited(tool: str, unpinned: tuple[RequirementLine, ...], why: str) -> None:
    if unpinned:
        shown = "; ".join(f"{line.file}:{line.line} {line.text}" for line in unpinned)
        log.warning(f"{tool}: NOT AUDITED, as {why}: {shown}")

"""The dependencies a project declares in its metadata, for projects with no requirements file:
`[project].dependencies` in pyproject.toml, else `install_requires` in setup.cfg."""

from __future__ import annotations

import configparser
import tomllib
from typing import TYPE_CHECKING

from packaging.requirements import InvalidRequirement, Requirement

from paved.adapters.scanners.interface import ScannerError
from paved.adapters.scanners.requirements import RequirementLine
from paved.model import repo_relative

if TYPE_CHECKING:
    from pathlib import Path


def declared_dependencies(
    tool: str, project_dir: Path, repo_root: Path
) -> tuple[RequirementLine, ...] | None:
    """The project's declared runtime dependencies; None when it declares them nowhere
    paved can read without running code (setup.py, or `dependencies` listed as dynamic)."""
    pyproject = project_dir / "pyproject.toml"
    if pyproject.is_file():
        text = _read(tool, pyproject)
        try:
            project = tomllib.loads(text).get("project")
        except tomllib.TOMLDecodeError as exc:
            raise ScannerError(tool, f"{pyproject}: not valid TOML: {exc}") from exc
        if isinstance(project, dict) and "dependencies" not in project.get("dynamic", []):
            items = project.get("dependencies", [])
            return _lines(
                tool, pyproject, text, items if isinstance(items, list) else [], repo_root
            )
    setup_cfg = project_dir / "setup.cfg"
    if setup_cfg.is_file():
        text = _read(tool, setup_cfg)
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text)
        except configparser.Error as exc:
            raise ScannerError(tool, f"{setup_cfg}: cannot read it: {exc}") from exc
        if parser.has_section("options"):
            raw = parser.get("options", "install_requires", fallback="")
            items = [item.strip() for item in raw.splitlines()]
            kept: list[object] = [i for i in items if i and not i.startswith("#")]
            return _lines(tool, setup_cfg, text, kept, repo_root)
    return None


def _lines(
    tool: str, path: Path, text: str, items: list[object], repo_root: Path
) -> tuple[RequirementLine, ...]:
    shown = repo_relative(path, repo_root)
    source = text.splitlines()
    found = []
    for item in items:
        where = next((n for n, line in enumerate(source, start=1) if str(item) in line), 1)
        try:
            requirement = Requirement(str(item))
        except InvalidRequirement as exc:
            raise ScannerError(tool, f"{shown}:{where}: cannot read {item!r}: {exc}") from exc
        found.append(RequirementLine(requirement, shown, where))
    return tuple(found)


def _read(tool: str, path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScannerError(tool, f"cannot read {path}: {exc}") from exc

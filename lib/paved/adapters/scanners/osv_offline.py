"""The offline dependency audit's I/O: an OSV database directory and the packages to check.

The database is laid out as the PyPA advisory database is: `vulns/<package>/<ID>.yaml`
(JSON records are read too). Matching versions against records is pure logic in
paved.securityscan.osv.
"""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING

import yaml
from packaging.utils import canonicalize_name

from paved.adapters.scanners import process
from paved.adapters.scanners.interface import (
    AdvisoryDatabase,
    Package,
    PackageInventory,
    ScannerError,
    ScanTarget,
)
from paved.adapters.scanners.requirements import read_pinned

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

TOOL = "osv-offline"
_LIST_DISTRIBUTIONS = (
    "import importlib.metadata as m, json; "
    "print(json.dumps([[d.metadata['Name'], d.version] for d in m.distributions() "
    "if d.metadata['Name']]))"
)


class OsvDirectory(AdvisoryDatabase):
    """OSV records on disk, indexed by normalised package name on first use."""

    name = "osv-offline"

    def __init__(self, root: Path) -> None:
        self.root = root / "vulns" if (root / "vulns").is_dir() else root
        self._index: dict[str, Path] | None = None
        self._lock = threading.Lock()

    def records_for(self, package: str) -> tuple[Mapping[str, object], ...]:
        folder = self._folders().get(str(canonicalize_name(package)))
        if folder is None:
            return ()
        files = sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml", ".json"})
        return tuple(_load(path) for path in files)

    def _folders(self) -> dict[str, Path]:
        with self._lock:
            if self._index is None:
                if not self.root.is_dir():
                    raise ScannerError(TOOL, f"the OSV database {self.root} is not a directory")
                self._index = {
                    str(canonicalize_name(p.name)): p for p in self.root.iterdir() if p.is_dir()
                }
                if not self._index:
                    raise ScannerError(TOOL, f"the OSV database {self.root} has no records")
            return self._index


def _load(path: Path) -> Mapping[str, object]:
    try:
        text = path.read_text(encoding="utf-8")
        document = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ScannerError(TOOL, f"cannot read the OSV record {path}: {exc}") from exc
    if not isinstance(document, dict) or "id" not in document:
        raise ScannerError(TOOL, f"{path} is not an OSV record (no id)")
    return document


class ProjectInventory(PackageInventory):
    """The installed environment when a python is given, else the pinned requirements."""

    def packages(self, target: ScanTarget) -> tuple[Package, ...]:
        if target.python:
            return environment_packages(target.python, target.project_dir)
        if not target.requirements:
            raise ScannerError(TOOL, "nothing to audit: no requirements files and no python")
        return read_pinned(TOOL, target.requirements, target.repo_root)


def environment_packages(python: str, cwd: Path) -> tuple[Package, ...]:
    """The distributions installed for `python`, read by that interpreter itself."""
    done = process.run(TOOL, [python, "-c", _LIST_DISTRIBUTIONS], cwd=cwd)
    if done.exit_code != 0:
        raise ScannerError(TOOL, f"{python} could not list its packages: {done.tail()}")
    try:
        pairs = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise ScannerError(TOOL, f"{python} printed no package list ({exc})") from exc
    unique = {str(canonicalize_name(name)): Package(name, version) for name, version in pairs}
    return tuple(unique.values())

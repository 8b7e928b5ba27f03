"""The offline dependency audit's I/O: an OSV database directory and the packages to check.

The database is laid out as the PyPA advisory database is: `vulns/<package>/<ID>.yaml`
(JSON records are read too; `paved advisories` imports OSV's own zip into this layout).
`survey` gathers the facts paved.securityscan.advisorydb judges before an audit; matching
versions against records is pure logic in paved.securityscan.osv.
"""

from __future__ import annotations

import json
import os
import re
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from packaging.utils import canonicalize_name

from paved.adapters.scanners import process
from paved.adapters.scanners.dependencies import dependency_set
from paved.adapters.scanners.interface import (
    AdvisoryDatabase,
    DatabaseLayout,
    DatabaseManifest,
    DatabaseSurvey,
    Package,
    PackageInventory,
    RecordFault,
    RecordFaultKind,
    ScannerError,
    ScanTarget,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

TOOL = "osv-offline"
MANIFEST = "paved-advisories.json"
"""Written by `paved advisories` beside the records it imported: source, time, count."""
RECORD_SUFFIXES = frozenset({".yaml", ".yml", ".json"})
_SAMPLE = 32
_PACKAGE_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")
"""A valid distribution name (PEP 508): anything else is never a folder name."""
_MODIFIED = {
    ".json": re.compile(r'"modified"\s*:\s*"([^"]+)"'),
    ".yaml": re.compile(r"""^modified:\s*['"]?([0-9][^'"\s]*)""", re.MULTILINE),
}
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
        files = sorted(p for p in folder.iterdir() if p.suffix in RECORD_SUFFIXES)
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


def survey(root: Path) -> DatabaseSurvey:
    """What `root` holds: layout, packages, records, the newest `modified` time, and the faults
    of an even sample of records (and of the newest) parsed in full."""
    if not root.is_dir():
        return DatabaseSurvey(root=root, exists=False, layout=DatabaseLayout.UNKNOWN)
    folder = root / "vulns" if (root / "vulns").is_dir() else root
    packages = {name: files for name, files in _package_folders(folder) if files}
    if not packages:
        return DatabaseSurvey(root=root, exists=True, layout=_other_layout(root))
    records = [path for files in packages.values() for path in files]
    dated = {path: when for path in records if (when := _modified(path)) is not None}
    newest = max(dated, key=dated.__getitem__, default=None)
    sample = dict.fromkeys(
        [
            records[i * len(records) // min(_SAMPLE, len(records))]
            for i in range(min(_SAMPLE, len(records)))
        ]
        + ([newest] if newest is not None else [])
    )
    faults = tuple(
        RecordFault(path.relative_to(root).as_posix(), kind)
        for path in sample
        if (kind := _fault(path)) is not None
    )
    return DatabaseSurvey(
        root=root,
        exists=True,
        layout=DatabaseLayout.PYPA,
        packages=len(packages),
        records=len(records),
        newest_modified=dated[newest] if newest is not None else None,
        undated=len(records) - len(dated),
        sampled=len(sample),
        faults=faults,
        manifest=read_manifest(root),
    )


def _package_folders(folder: Path) -> list[tuple[str, list[Path]]]:
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir() and not entry.name.startswith("."):
                with os.scandir(entry.path) as inside:
                    files = sorted(
                        Path(f.path)
                        for f in inside
                        if f.is_file() and Path(f.name).suffix in RECORD_SUFFIXES
                    )
                found.append((entry.name, files))
    return sorted(found)


def _other_layout(root: Path) -> DatabaseLayout:
    """Name the layout of a folder that holds no `<package>/<record>` files."""
    if (root / "advisories" / "github-reviewed").is_dir() or root.name in {
        "github-reviewed",
        "unreviewed",
    }:
        return DatabaseLayout.GITHUB
    if any(root.glob("*.json")):
        return DatabaseLayout.OSV_EXPORT
    return DatabaseLayout.UNKNOWN


def _modified(path: Path) -> datetime | None:
    pattern = _MODIFIED[".json" if path.suffix == ".json" else ".yaml"]
    try:
        found = pattern.search(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    return parse_time(found.group(1)) if found else None


def parse_time(text: str) -> datetime | None:
    """An RFC 3339 time as OSV writes it (`2024-07-11T17:21:37.216928Z`), in UTC."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _fault(path: Path) -> RecordFaultKind | None:
    """Why the record at `path` is not an OSV record of its folder's PyPI package, if it is not."""
    try:
        record = _load(path)
    except ScannerError:
        return RecordFaultKind.UNREADABLE
    if not isinstance(record.get("id"), str):
        return RecordFaultKind.NO_ID
    if record["id"] != path.stem:
        return RecordFaultKind.ID_MISMATCH
    if not record.get("modified"):
        return RecordFaultKind.NO_MODIFIED
    package = canonicalize_name(path.parent.name)
    if package not in affected_pypi_packages(record):
        return RecordFaultKind.OTHER_PACKAGE
    return None


def affected_pypi_packages(record: Mapping[str, object]) -> set[str]:
    """The normalised names of the PyPI packages a record says are affected."""
    affected = record.get("affected")
    names = set()
    for entry in affected if isinstance(affected, list) else []:
        about = entry.get("package") if isinstance(entry, dict) else None
        if isinstance(about, dict) and about.get("ecosystem") == "PyPI":
            name = about.get("name")
            if isinstance(name, str) and _PACKAGE_NAME.match(name):
                names.add(str(canonicalize_name(name)))
    return names


def read_manifest(root: Path) -> DatabaseManifest | None:
    """The manifest `paved advisories` wrote, if there is a readable one."""
    try:
        document = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        imported = parse_time(str(document["imported_at"]))
        records = document["records"]
        source = document["source"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if imported is None or not isinstance(records, int) or not isinstance(source, str):
        return None
    return DatabaseManifest(source=source, imported_at=imported, records=records)


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
    """The installed environment when a python is given, else the resolved requirements."""

    def packages(self, target: ScanTarget) -> tuple[Package, ...]:
        if target.python:
            return environment_packages(target.python, target.project_dir)
        return dependency_set(TOOL, target)


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

"""Reading pinned requirements files (`name==version`, `-r other.txt`) without pip."""

from __future__ import annotations

from typing import TYPE_CHECKING

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from paved import log
from paved.adapters.scanners.interface import Package, ScannerError
from paved.model import repo_relative

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from pathlib import Path

_INCLUDE = ("-r", "--requirement")
_SKIPPED_OPTIONS = ("-c", "--constraint", "-i", "--index-url", "--extra-index-url", "-f")
_SKIPPED_PREFIX = ("--hash", "--find-links", "--no-binary", "--only-binary", "--pre", "--trusted")


def read_pinned(tool: str, files: Sequence[Path], repo_root: Path) -> tuple[Package, ...]:
    """Every requirement of `files` (and the files they include) with its exact version.

    A requirement without an exact `==` pin cannot be audited offline: that is an error
    naming file:line, never a silent skip.
    """
    found: dict[tuple[str, str], Package] = {}
    unpinned: list[str] = []
    seen: set[Path] = set()
    for file in files:
        for path, number, text in _lines(tool, file.resolve(), seen):
            where = f"{_shown(path, repo_root)}:{number}"
            try:
                requirement = Requirement(text)
            except InvalidRequirement as exc:
                raise ScannerError(tool, f"{where}: cannot read {text!r}: {exc}") from exc
            if requirement.marker is not None and not requirement.marker.evaluate():
                continue
            pins = [s for s in requirement.specifier if s.operator in {"==", "==="}]
            if len(pins) != 1 or "*" in pins[0].version:
                unpinned.append(f"{where} {text}")
                continue
            # Every pinned version is audited: when two files pin one package differently,
            # the first file read must not hide the other's (perhaps vulnerable) pin.
            found.setdefault(
                (canonicalize_name(requirement.name), pins[0].version),
                Package(requirement.name, pins[0].version, _shown(path, repo_root), number),
            )
    if unpinned:
        raise ScannerError(
            tool,
            "these requirements are not pinned with ==, so their versions are unknown: "
            + "; ".join(unpinned),
            hint="pin them, or give python (an installed environment) instead",
        )
    _warn_conflicts(tool, found.values())
    return tuple(found.values())


def conflicting_pins(packages: Iterable[Package]) -> dict[str, tuple[Package, ...]]:
    """Normalised name -> the packages pinning it, for names pinned at more than one version."""
    by_name: dict[str, list[Package]] = {}
    for package in packages:
        by_name.setdefault(canonicalize_name(package.name), []).append(package)
    return {name: tuple(pins) for name, pins in by_name.items() if len(pins) > 1}


def _warn_conflicts(tool: str, packages: Iterable[Package]) -> None:
    for name, pins in conflicting_pins(packages).items():
        shown = ", ".join(f"{p.version} ({p.file}:{p.line})" for p in pins)
        log.warning(f"{tool}: {name} is pinned at different versions: {shown}; each is audited")


def pinned_lines(files: Sequence[Path], repo_root: Path) -> dict[str, tuple[str, int]]:
    """Normalised package name -> (repository-relative file, line) where it is required."""
    places: dict[str, tuple[str, int]] = {}
    seen: set[Path] = set()
    for file in files:
        try:
            lines = list(_lines("requirements", file.resolve(), seen))
        except ScannerError:
            continue
        for path, number, text in lines:
            try:
                name = canonicalize_name(Requirement(text).name)
            except InvalidRequirement:
                continue
            places.setdefault(name, (_shown(path, repo_root), number))
    return places


def _lines(tool: str, path: Path, seen: set[Path]) -> Iterator[tuple[Path, int, str]]:
    """(file, line number, requirement text), following -r includes once each."""
    if path in seen:
        return
    seen.add(path)
    raw = _read(tool, path)
    pending = ""
    start = 0
    for number, line in enumerate(raw, start=1):
        text = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not pending:
            start = number
        if text.endswith("\\"):
            pending += text[:-1] + " "
            continue
        text = (pending + text).strip()
        pending = ""
        if not text:
            continue
        head, _, rest = text.partition(" ")
        if head in _INCLUDE or head.startswith(("-r", "--requirement=")):
            name = rest.strip() if head in _INCLUDE else head.split("=", 1)[-1].removeprefix("-r")
            yield from _lines(tool, (path.parent / name.strip()).resolve(), seen)
            continue
        if head in _SKIPPED_OPTIONS or head.startswith(_SKIPPED_PREFIX + _SKIPPED_OPTIONS):
            continue
        if head in {"-e", "--editable"} and rest.strip() in {".", "./"}:
            # `-e .` installs the project itself: it is what is scanned, not a dependency.
            continue
        if head in {"-e", "--editable"} or text.startswith("-"):
            raise ScannerError(tool, f"{path}:{start}: {text!r} has no version to audit")
        # `name==1.0 --hash=...`: the hashes are not part of the requirement.
        yield path, start, text.split(" --hash", 1)[0].strip()


def _read(tool: str, path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ScannerError(tool, f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ScannerError(
            tool,
            f"{path}: byte {exc.start} is not UTF-8, so the file cannot be read as requirements",
        ) from exc


def _shown(path: Path, repo_root: Path) -> str:
    return repo_relative(path, repo_root.resolve())

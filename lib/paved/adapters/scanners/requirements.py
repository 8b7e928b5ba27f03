"""Reading requirements files (`name==version`, `-r other.txt`, markers) without pip."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class RequirementLine:
    """One requirement the project states, and where."""

    requirement: Requirement
    file: str
    """Repository-relative file."""
    line: int | None
    """None when the line is not known (requirements a build backend computed)."""

    @property
    def text(self) -> str:
        """The requirement as written (normalised by packaging)."""
        return str(self.requirement)

    @property
    def pin(self) -> str | None:
        """The exact version when the line pins one with ==, else None."""
        pins = [s for s in self.requirement.specifier if s.operator in {"==", "==="}]
        if len(pins) != 1 or "*" in pins[0].version:
            return None
        return pins[0].version

    def applies(self) -> bool:
        """Whether its environment marker (if any) holds for this interpreter."""
        return self.requirement.marker is None or self.requirement.marker.evaluate()


def read_requirement_lines(
    tool: str, files: Sequence[Path], repo_root: Path
) -> tuple[RequirementLine, ...]:
    """Every requirement of `files` (and the files they include), with its place."""
    found: list[RequirementLine] = []
    seen: set[Path] = set()
    for file in files:
        for path, number, text in _lines(tool, file.resolve(), seen):
            where = f"{_shown(path, repo_root)}:{number}"
            try:
                requirement = Requirement(text)
            except InvalidRequirement as exc:
                raise ScannerError(tool, f"{where}: cannot read {text!r}: {exc}") from exc
            found.append(RequirementLine(requirement, _shown(path, repo_root), number))
    return tuple(found)


def direct_pins(
    tool: str, lines: Sequence[RequirementLine]
) -> tuple[tuple[Package, ...], tuple[RequirementLine, ...]]:
    """The exactly pinned lines as packages, and the lines whose version is not pinned."""
    found: dict[tuple[str, str], Package] = {}
    unpinned = []
    for line in lines:
        if not line.applies():
            continue
        version = line.pin
        if version is None:
            unpinned.append(line)
            continue
        # Every pinned version is audited: when two files pin one package differently,
        # the first file read must not hide the other's (perhaps vulnerable) pin.
        found.setdefault(
            (canonicalize_name(line.requirement.name), version),
            Package(
                line.requirement.name, version, line.file, line.line, via=line.text, direct=True
            ),
        )
    _warn_conflicts(tool, found.values())
    return tuple(found.values()), tuple(unpinned)


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

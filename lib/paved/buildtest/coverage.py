"""Parse Cobertura coverage XML (coverage.py, pytest-cov, istanbul, gocover-cobertura)."""

from __future__ import annotations

from dataclasses import dataclass

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from paved.errors import UsageError


@dataclass(frozen=True)
class FileCoverage:
    """Line coverage of one source file."""

    path: str
    lines_valid: int
    lines_covered: int

    @property
    def percent(self) -> float:
        """Covered lines in percent; an empty file counts as fully covered."""
        return 100.0 if self.lines_valid == 0 else 100.0 * self.lines_covered / self.lines_valid


@dataclass(frozen=True)
class CoverageReport:
    """Line coverage of a whole run: the gate uses `percent`."""

    lines_valid: int
    lines_covered: int
    files: tuple[FileCoverage, ...]
    branch_percent: float | None = None

    @property
    def percent(self) -> float:
        """Covered lines in percent of measured lines."""
        return 100.0 if self.lines_valid == 0 else 100.0 * self.lines_covered / self.lines_valid

    def lowest(self, n: int) -> tuple[FileCoverage, ...]:
        """The `n` files with the lowest coverage, lowest first."""
        return tuple(sorted(self.files, key=lambda f: (f.percent, f.path))[:n])


def parse_cobertura(text: str, *, source: str = "coverage XML") -> CoverageReport:
    """Parse a Cobertura XML document; raise UsageError naming `source` if it is not one."""
    try:
        root = SafeET.fromstring(text)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise UsageError(
            f"is not well-formed XML: {exc}", name=source, valid="a Cobertura XML report"
        ) from exc
    if root.tag != "coverage":
        raise UsageError(
            f"has root element <{root.tag}>",
            name=source,
            valid="a Cobertura XML report with <coverage> at its root",
        )
    per_file: dict[str, tuple[set[int], set[int]]] = {}
    for klass in root.iter("class"):
        path = klass.get("filename") or klass.get("name") or "?"
        valid, covered = per_file.setdefault(path, (set(), set()))
        lines = klass.find("lines")
        for line in lines.iter("line") if lines is not None else ():
            number = int(line.get("number") or 0)
            valid.add(number)
            if int(line.get("hits") or 0) > 0:
                covered.add(number)
    files = tuple(
        FileCoverage(path=path, lines_valid=len(valid), lines_covered=len(covered))
        for path, (valid, covered) in sorted(per_file.items())
    )
    branch_rate = root.get("branch-rate")
    has_branches = int(root.get("branches-valid") or 0) > 0
    return CoverageReport(
        lines_valid=sum(f.lines_valid for f in files),
        lines_covered=sum(f.lines_covered for f in files),
        files=files,
        branch_percent=100.0 * float(branch_rate) if branch_rate and has_branches else None,
    )

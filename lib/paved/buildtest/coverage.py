"""Parse coverage reports: coverage.py's JSON, and Cobertura XML (pytest-cov, istanbul, gocover)."""

from __future__ import annotations

import json
import posixpath
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
    total_percent: float | None = None
    """coverage.py's own TOTAL (lines and, with branch coverage on, branches), when known."""

    @property
    def percent(self) -> float:
        """coverage.py's TOTAL when the report has it, else covered lines in percent."""
        if self.total_percent is not None:
            return self.total_percent
        return 100.0 if self.lines_valid == 0 else 100.0 * self.lines_covered / self.lines_valid

    def lowest(self, n: int) -> tuple[FileCoverage, ...]:
        """The `n` files with the lowest coverage, lowest first."""
        return tuple(sorted(self.files, key=lambda f: (f.percent, f.path))[:n])


def parse_cobertura(
    text: str, *, source: str = "coverage XML", project: str | None = None
) -> CoverageReport:
    """Parse a Cobertura XML document; raise UsageError naming `source` if it is not one.

    File names are made relative to `project` when the report's <source> lets us (coverage.py
    writes them relative to its source directory, which may be a subfolder).
    """
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
    sources = [(s.text or "").strip() for s in root.iter("source") if (s.text or "").strip()]
    per_file: dict[str, tuple[set[int], set[int]]] = {}
    for klass in root.iter("class"):
        path = _project_path(klass.get("filename") or klass.get("name") or "?", sources, project)
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


def _project_path(filename: str, sources: list[str], project: str | None) -> str:
    if project is None or posixpath.isabs(filename) or not sources:
        return filename
    full = posixpath.normpath(posixpath.join(sources[0], filename))
    root = posixpath.normpath(project)
    if full.startswith(root + "/"):
        return full[len(root) + 1 :]
    return filename


def parse_coverage_json(
    text: str, *, source: str = "coverage JSON", project: str | None = None
) -> CoverageReport:
    """coverage.py's JSON report (`coverage json`, pytest-cov --cov-report=json): its own totals."""
    valid = "a coverage.py JSON report with files and totals"
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"is not JSON: {exc}", name=source, valid=valid) from exc
    totals = document.get("totals") if isinstance(document, dict) else None
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(totals, dict) or not isinstance(files, dict):
        raise UsageError("has no totals or files", name=source, valid=valid)
    per_file = tuple(
        FileCoverage(
            path=_json_path(str(path), project),
            lines_valid=_int(summary, "num_statements"),
            lines_covered=_int(summary, "covered_lines"),
        )
        for path, entry in sorted(files.items())
        if isinstance(entry, dict) and isinstance(summary := entry.get("summary"), dict)
    )
    branches = _int(totals, "num_branches")
    percent = totals.get("percent_covered")
    return CoverageReport(
        lines_valid=_int(totals, "num_statements"),
        lines_covered=_int(totals, "covered_lines"),
        files=per_file,
        branch_percent=100.0 * _int(totals, "covered_branches") / branches if branches else None,
        total_percent=float(percent) if isinstance(percent, int | float) else None,
    )


def _int(table: dict[str, object], key: str) -> int:
    value = table.get(key)
    return value if isinstance(value, int) else 0


def _json_path(path: str, project: str | None) -> str:
    if project is None or not posixpath.isabs(path):
        return path
    root = posixpath.normpath(project)
    return path[len(root) + 1 :] if path.startswith(root + "/") else path

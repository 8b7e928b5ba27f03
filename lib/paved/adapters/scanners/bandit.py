"""SAST with bandit: `python -m bandit -r PROJECT -f json`."""

from __future__ import annotations

import tomllib
from typing import TYPE_CHECKING

from paved.adapters.scanners import process, shape
from paved.adapters.scanners.interface import (
    Finding,
    FindingKind,
    Scanner,
    ScannerError,
    ScanReport,
    ScanTarget,
    Severity,
)

if TYPE_CHECKING:
    from pathlib import Path

TOOL = "bandit"
_SEVERITY = {"HIGH": Severity.HIGH, "MEDIUM": Severity.MEDIUM, "LOW": Severity.LOW}
_FINDINGS_FOUND = 1
REPORT_SHAPE = {
    "results": [
        {
            "test_id": str,
            "filename": str,
            "issue_text": str,
            "issue_severity": str,
            "line_number": int,
        }
    ],
    "errors": list,
    "metrics": {"_totals": {"loc": int}},
}
"""What `bandit -f json` writes and the gate relies on: the results and the lines it scanned."""


class BanditScanner(Scanner):
    """bandit over the project's Python files, excluded directories left out."""

    tool = TOOL

    def scan(self, target: ScanTarget) -> ScanReport:
        own = project_config_flags(target.project_dir)
        # The project's own bandit configuration decides what is scanned; else paved's skips.
        skipped = () if own else target.skip_findings_in
        excluded = ",".join(
            [str(target.project_dir / name) for name in target.exclude]
            + [glob for entry in skipped for glob in exclude_globs(target.project_dir, entry)]
        )
        argv = [
            *process.module_command("bandit"),
            "-r",
            str(target.project_dir),
            "-f",
            "json",
            "-q",
            "-x",
            excluded,
        ]
        argv += own
        done = process.run(TOOL, argv, cwd=target.project_dir, install_hint="pip install bandit")
        if done.exit_code not in {0, _FINDINGS_FOUND}:
            raise ScannerError(TOOL, f"exited with {done.exit_code}: {done.tail()}")
        return parse_report(done.stdout, target.project_dir, target.repo_root)


def exclude_globs(project_dir: Path, entry: str) -> tuple[str, ...]:
    """bandit -x globs for a directory name anywhere (`tests`) or a relative path (`src/gen`).

    Globs end in `/*`, so bandit's substring test never matches a longer name (`tests_x.py`).
    """
    if "/" in entry:
        return (f"{project_dir / entry}/*", str(project_dir / entry))
    return (f"{project_dir / entry}/*", f"{project_dir}/*/{entry}/*")


def project_config_flags(project_dir: Path) -> list[str]:
    """The project's own bandit settings (skips, exclude_dirs...), as bandit would read them.

    `[tool.bandit]` in pyproject.toml is passed with -c, a `.bandit` INI file with --ini;
    without either, bandit's defaults apply. A pyproject that does not parse is left for
    bandit itself to report.
    """
    pyproject = project_dir / "pyproject.toml"
    if pyproject.is_file():
        try:
            document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            document = {}
        if "bandit" in document.get("tool", {}):
            return ["-c", str(pyproject)]
    ini = project_dir / ".bandit"
    if ini.is_file():
        return ["--ini", str(ini)]
    return []


def parse_report(text: str, project_dir: Path, repo_root: Path) -> ScanReport:
    """Findings from bandit's JSON report; files it could not scan make the run fail."""
    document = shape.load(TOOL, text, REPORT_SHAPE)
    errors = document["errors"]
    if errors:
        failed = "; ".join(f"{e.get('filename')}: {e.get('reason')}" for e in errors)
        raise ScannerError(TOOL, f"could not scan {len(errors)} file(s): {failed}")
    findings = tuple(
        Finding(
            id=item["test_id"],
            tool=TOOL,
            rule=item["test_id"],
            severity=_SEVERITY.get(item.get("issue_severity", ""), Severity.UNKNOWN),
            message=f"{item['issue_text']} ({item.get('test_name', '')}, "
            f"confidence {str(item.get('issue_confidence', '')).lower()})",
            kind=FindingKind.CODE,
            file=process.relative(item["filename"], project_dir, repo_root),
            line=item.get("line_number"),
            column=_column(item.get("col_offset")),
            end_line=max(item.get("line_range") or [item.get("line_number") or 0]) or None,
            help_url=item.get("more_info"),
        )
        for item in document["results"]
    )
    return ScanReport(tool=TOOL, findings=findings, checked=document["metrics"]["_totals"]["loc"])


def _column(offset: object) -> int | None:
    # bandit counts columns from 0; annotations and SARIF count from 1.
    return offset + 1 if isinstance(offset, int) else None

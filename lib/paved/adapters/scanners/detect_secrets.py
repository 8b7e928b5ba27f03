"""Secrets with detect-secrets: `python -m detect_secrets scan --all-files`, baseline honoured.

The baseline is read, never rewritten: a secret already in it is not new, unless the
baseline's audit marked it as a real secret (`is_secret: true`), which stays a finding.
"""

from __future__ import annotations

import json
import re
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

TOOL = "detect-secrets"
_HELP = "https://github.com/Yelp/detect-secrets#viewing-results"
REPORT_SHAPE = {
    "version": str,
    "plugins_used": [dict],
    "results": shape.Mapping([{"type": str, "hashed_secret": str, "line_number": int}]),
}
"""What `detect-secrets scan` writes (and a baseline holds): the plugins run and the results."""


class DetectSecretsScanner(Scanner):
    """detect-secrets over every file of the project except the excluded directories."""

    tool = TOOL

    def scan(self, target: ScanTarget) -> ScanReport:
        excluded = excluded_files(target.exclude)
        baseline = _baseline_text(target)
        if baseline is None:
            excluded = excluded_files((*target.exclude, *target.skip_findings_in))
        else:
            # The project's baseline decides what is left out: its own exclude-files patterns.
            excluded = "|".join([excluded, *baseline_excludes(baseline)])
        if target.secrets_baseline is not None:
            # The baseline lists hashes that look like secrets: never scan it.
            shown = process.relative(
                target.secrets_baseline, target.project_dir, target.project_dir
            )
            excluded += f"|^(\\./)?{re.escape(shown)}$"
        argv = [
            *process.module_command("detect_secrets"),
            "scan",
            "--all-files",
            "--exclude-files",
            excluded,
            ".",
        ]
        done = process.run(
            TOOL, argv, cwd=target.project_dir, install_hint="pip install detect-secrets"
        )
        if done.exit_code != 0:
            raise ScannerError(TOOL, f"exited with {done.exit_code}: {done.tail()}")
        return parse_report(done.stdout, target.project_dir, target.repo_root, baseline)


def excluded_files(entries: tuple[str, ...]) -> str:
    """The --exclude-files regex for directory names anywhere and project-relative paths."""
    names = "|".join(re.escape(e) for e in entries if "/" not in e)
    paths = "|".join(re.escape(e) for e in entries if "/" in e)
    parts = [f"(^|/)({names})(/|$)"] if names else []
    parts += [f"^(\\./)?({paths})(/|$)"] if paths else []
    return "|".join(parts) or "^$"


def baseline_excludes(text: str) -> list[str]:
    """The exclude-files patterns a baseline was made with (its `filters_used`)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return []
    filters = document.get("filters_used") if isinstance(document, dict) else None
    patterns: list[str] = []
    for item in filters if isinstance(filters, list) else []:
        if isinstance(item, dict) and item.get("path", "").endswith("should_exclude_file"):
            found = item.get("pattern") or []
            patterns += [str(p) for p in (found if isinstance(found, list) else [found])]
    return patterns


def _baseline_text(target: ScanTarget) -> str | None:
    if target.secrets_baseline is None:
        return None
    try:
        return target.secrets_baseline.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScannerError(
            TOOL, f"cannot read the baseline {target.secrets_baseline}: {exc.strerror}"
        ) from exc


def parse_report(
    text: str, project_dir: Path, repo_root: Path, baseline: str | None = None
) -> ScanReport:
    """Findings from a `detect-secrets scan` document, minus what the baseline knows."""
    document = shape.load(TOOL, text, REPORT_SHAPE)
    known = _baseline_keys(baseline) if baseline is not None else {}
    findings: list[Finding] = []
    files = document["results"]
    for filename, secrets in files.items():
        for secret in secrets:
            key = (filename, secret.get("type"), secret.get("hashed_secret"))
            if key in known and known[key] is not True:
                continue
            kind = str(secret.get("type", "secret"))
            findings.append(
                Finding(
                    id=kind,
                    tool=TOOL,
                    rule=kind,
                    # detect-secrets does not rate; a committed secret is treated as high.
                    severity=Severity.HIGH,
                    message=f"Possible secret: {kind}"
                    + (" (confirmed in the baseline)" if known.get(key) is True else ""),
                    kind=FindingKind.SECRET,
                    file=process.relative(filename, project_dir, repo_root),
                    line=secret.get("line_number"),
                    help_url=_HELP,
                )
            )
    return ScanReport(tool=TOOL, findings=tuple(findings), tool_version=document.get("version"))


def _baseline_keys(text: str) -> dict[tuple[object, object, object], object]:
    """(file, type, hash) -> the baseline's is_secret verdict (None when not audited)."""
    try:
        document = shape.load(TOOL, text, {"results": REPORT_SHAPE["results"]})
    except ScannerError as exc:
        raise ScannerError(TOOL, f"the secrets baseline is not usable: {exc.reason}") from exc
    return {
        (filename, s.get("type"), s.get("hashed_secret")): s.get("is_secret")
        for filename, secrets in document["results"].items()
        for s in secrets
    }

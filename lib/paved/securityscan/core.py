"""security-scan: run the scanners (in parallel), fold their findings, apply ignores, judge.

Knows the scanner and workspace interfaces only; the front end picks the backends.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from paved import log
from paved.adapters.scanners.interface import ScannerError, ScannerMissing, ScanTarget
from paved.errors import ConfigError, PavedError
from paved.model import repo_relative
from paved.securityscan.findings import merge, ordered
from paved.securityscan.ignores import apply_ignores, parse_ignore_file
from paved.securityscan.options import ScannerKind, SecurityScanOptions, validate
from paved.securityscan.outcome import IgnoredFinding, RunStatus, ScannerRun, SecurityScanOutcome

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from paved.adapters.scanners.interface import Scanner, ScanReport
    from paved.adapters.workspace import Workspace
    from paved.securityscan.ignores import IgnoreEntry


def security_scan(
    options: SecurityScanOptions,
    scanners: Mapping[ScannerKind, Scanner],
    workspace: Workspace,
) -> SecurityScanOutcome:
    """Run every selected scanner and judge what they found."""
    validate(options)
    started = time.monotonic()
    entries = _ignore_entries(options, workspace)
    selected = options.selected
    missing = [kind.value for kind in selected if kind not in scanners]
    if missing:
        msg = f"no scanner backend for {', '.join(missing)}"
        raise PavedError(msg)
    target = ScanTarget(
        project_dir=options.project_dir,
        repo_root=options.repo_root,
        output_dir=options.output_dir,
        requirements=options.requirements,
        python=options.python,
        image=options.image,
        secrets_baseline=options.secrets_baseline,
        license_policy=options.license_policy,
        skip_findings_in=options.exclude,
        resolution=options.resolution,
    )
    jobs = options.jobs or len(selected)
    # Scanners are subprocesses: threads wait on them in parallel without contention. The
    # pool runs each in a copy of this context, so their lines reach the installed sink.
    with log.worker_pool(max(1, jobs), name="scanner") as pool:
        futures = {
            kind: pool.submit(_run, kind, scanners[kind], target, kind in options.optional)
            for kind in selected
        }
        results = {kind: future.result() for kind, future in futures.items()}
    runs = tuple(run for run, _ in results.values())
    found = [finding for _, report in results.values() if report for finding in report.findings]
    kept, ignored = apply_ignores(merge(found), entries)
    used = {id(entry) for _, entry in ignored}
    return SecurityScanOutcome(
        project=_relative(options),
        fail_on=options.fail_on,
        runs=runs,
        findings=ordered(kept),
        ignored=tuple(IgnoredFinding(f, e) for f, e in ignored),
        unused_ignores=tuple(e for e in entries if id(e) not in used),
        output_dir=options.output_dir,
        today=options.today,
        duration_seconds=time.monotonic() - started,
        jobs=jobs,
        manifest=_manifest(options),
    )


def _run(
    kind: ScannerKind, scanner: Scanner, target: ScanTarget, optional: bool
) -> tuple[ScannerRun, ScanReport | None]:
    """One scanner's run; its failure is recorded, never raised, so the others finish."""
    started = time.monotonic()
    log.info(f"{kind.value}: running {scanner.tool}")
    try:
        report = scanner.scan(target)
    except ScannerMissing as exc:
        return _failed(kind, scanner, RunStatus.MISSING, exc, optional, started), None
    except ScannerError as exc:
        return _failed(kind, scanner, RunStatus.ERROR, exc, optional, started), None
    seconds = time.monotonic() - started
    log.info(f"{kind.value}: {scanner.tool} reported {len(report.findings)} in {seconds:.1f} s")
    run = ScannerRun(
        kind=kind,
        tool=report.tool,
        status=RunStatus.OK,
        optional=optional,
        seconds=seconds,
        findings=len(report.findings),
        artifact=report.artifact,
        checked=report.checked,
        tool_version=report.tool_version,
    )
    return run, report


def _failed(  # noqa: PLR0917 - one call site, all needed
    kind: ScannerKind,
    scanner: Scanner,
    status: RunStatus,
    error: ScannerError,
    optional: bool,
    started: float,
) -> ScannerRun:
    what = "optional, so the run goes on" if optional else "the run cannot pass"
    log.warning(f"{kind.value}: {error} ({what})")
    return ScannerRun(
        kind=kind,
        tool=scanner.tool,
        status=status,
        optional=optional,
        seconds=time.monotonic() - started,
        error=str(error),
    )


def _ignore_entries(options: SecurityScanOptions, workspace: Workspace) -> tuple[IgnoreEntry, ...]:
    if options.ignore_file is None:
        return ()
    text = workspace.read_text(options.ignore_file)
    if text is None:
        raise ConfigError(
            f"{options.ignore_file} does not exist",
            name="ignore-file",
            valid="a YAML file with an `ignore:` list",
        )
    return parse_ignore_file(text, _shown(options, options.ignore_file), options.today)


def _shown(options: SecurityScanOptions, path: Path) -> str:
    return repo_relative(path, options.repo_root)


def _manifest(options: SecurityScanOptions) -> str:
    """Where a finding without a file of its own is shown: the first requirements file."""
    if options.requirements:
        return _shown(options, options.requirements[0])
    return _relative(options)


def _relative(options: SecurityScanOptions) -> str:
    return _shown(options, options.project_dir)

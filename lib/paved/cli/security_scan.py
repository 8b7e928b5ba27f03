"""`paved security-scan`: parsed flags (securityscan.params) to SecurityScanOptions, pick the
scanners, run, write, render."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from paved import redact
from paved.adapters.scanners.bandit import BanditScanner
from paved.adapters.scanners.cyclonedx import CycloneDxScanner
from paved.adapters.scanners.detect_secrets import DetectSecretsScanner
from paved.adapters.scanners.interface import LicensePolicy, Severity
from paved.adapters.scanners.osv_offline import OsvDirectory, ProjectInventory
from paved.adapters.scanners.pip_audit import PipAuditScanner
from paved.adapters.scanners.pip_licenses import PipLicensesScanner
from paved.adapters.scanners.trivy import TrivyScanner
from paved.adapters.workspace.local import LocalWorkspace
from paved.cli.advisories import check_database
from paved.errors import UsageError
from paved.params import parse_list, path_problem
from paved.report import sarif
from paved.report import securityscan as report
from paved.report.securityscan_text import sarif_dir
from paved.securityscan import ScannerKind, SecurityScanOptions, security_scan
from paved.securityscan.options import parse_scanners
from paved.securityscan.osv import OfflineAudit

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

    from paved.adapters.scanners.interface import Scanner
    from paved.model import Rendered
    from paved.report.sarif import SarifFile
    from paved.securityscan.outcome import SecurityScanOutcome

_REQUIREMENT_GLOB = "requirements*.txt"
_OWN_BASELINE = ".secrets.baseline"


def handle(args: argparse.Namespace) -> Rendered:
    """Run security-scan for parsed arguments; write the SARIF files; render."""
    options = options_from(args)
    if options.osv_database is not None:
        check_database(options.osv_database, args.osv_max_age, datetime.now(UTC))
    outcome = security_scan(options, scanners_for(options), LocalWorkspace())
    files = sarif.documents(outcome)  # built once: written here, counted in the report
    write_sarif(outcome, files)
    return report.render(outcome, files)


def options_from(args: argparse.Namespace) -> SecurityScanOptions:
    """SecurityScanOptions from parsed flags; every path checked with what is valid."""
    project = args.working_directory.resolve()
    if not project.is_dir():
        raise UsageError(f"{args.working_directory} is not a directory", name="project")
    requirements = tuple(_requirement(project, name) for name in args.requirements) or tuple(
        sorted(project.glob(_REQUIREMENT_GLOB))
    )
    return SecurityScanOptions(
        project_dir=project,
        repo_root=args.repo_root.resolve(),
        output_dir=(args.output_dir or project / ".paved" / "security-scan").resolve(),
        today=datetime.now(UTC).date(),
        scanners=parse_scanners(args.scanners, "--scanners"),
        optional=frozenset(parse_scanners(args.optional or "", "--optional")),
        fail_on=None if args.fail_on == "none" else Severity(args.fail_on),
        ignore_file=_existing(args.ignore_file, "--ignore-file"),
        osv_database=_directory(args.osv_database, "--osv-database"),
        requirements=requirements,
        python=args.python or None,
        image=args.image or None,
        secrets_baseline=_existing(args.secrets_baseline, "--secrets-baseline")
        or _own_baseline(project),
        license_policy=LicensePolicy(
            allow=parse_list(args.license_allow or ""), deny=parse_list(args.license_deny or "")
        ),
        jobs=args.jobs,
        exclude=_excluded(args.exclude),
        resolution=args.resolve,
    )


def scanners_for(options: SecurityScanOptions) -> dict[ScannerKind, Scanner]:
    """The concrete backend for each scanner kind."""
    dependencies: Scanner = PipAuditScanner()
    if options.osv_database is not None:
        dependencies = OfflineAudit(OsvDirectory(options.osv_database), ProjectInventory())
    return {
        ScannerKind.BANDIT: BanditScanner(),
        ScannerKind.DEPENDENCIES: dependencies,
        ScannerKind.SECRETS: DetectSecretsScanner(),
        ScannerKind.LICENSES: PipLicensesScanner(),
        ScannerKind.SBOM: CycloneDxScanner(),
        ScannerKind.TRIVY: TrivyScanner(),
    }


def write_sarif(outcome: SecurityScanOutcome, files: Sequence[SarifFile]) -> list[Path]:
    """Write the SARIF files (one per tool) into the output directory's sarif/ folder."""
    folder = Path(sarif_dir(outcome))
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.sarif"):
            stale.unlink()
        for document in files:
            path = folder / document.name
            path.write_text(redact.redact(document.text), encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise UsageError(f"cannot write {folder}: {exc.strerror}", name="--output-dir") from exc
    return written


def _own_baseline(project: Path) -> Path | None:
    """detect-secrets' conventional baseline in the project, used when none is given."""
    path = project / _OWN_BASELINE
    return path.resolve() if path.is_file() else None


def _excluded(text: str) -> tuple[str, ...]:
    items = parse_list(text)
    if items == ("none",):
        return ()
    for item in items:
        if item.startswith("/") or ".." in item.split("/"):
            raise UsageError(
                f"{item} is not inside the project",
                name="--exclude",
                valid="directory names or paths relative to the project, or none",
            )
    return tuple(item.strip("/") for item in items)


def _requirement(project: Path, name: str) -> Path:
    problem = path_problem(name)
    if problem:
        raise UsageError(problem, name="--requirements", valid="a file name the system accepts")
    path = (project / name).resolve()
    if not path.is_file():
        raise UsageError(
            f"{name} does not exist in {project}",
            name="--requirements",
            valid="requirements files relative to the project directory",
        )
    return path


def _existing(path: Path | None, flag: str) -> Path | None:
    if path is None or str(path) in {"", "."}:
        return None
    if not path.is_file():
        raise UsageError(f"{path} does not exist", name=flag, valid="an existing file")
    return path.resolve()


def _directory(path: Path | None, flag: str) -> Path | None:
    if path is None or str(path) in {"", "."}:
        return None
    if not path.is_dir():
        raise UsageError(f"{path} is not a directory", name=flag, valid="an OSV database folder")
    return path.resolve()

"""`paved security-scan`: flags to SecurityScanOptions, pick the scanners, run, write, render."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paved.adapters.scanners.bandit import BanditScanner
from paved.adapters.scanners.cyclonedx import CycloneDxScanner
from paved.adapters.scanners.detect_secrets import DetectSecretsScanner
from paved.adapters.scanners.interface import LicensePolicy
from paved.adapters.scanners.osv_offline import OsvDirectory, ProjectInventory
from paved.adapters.scanners.pip_audit import PipAuditScanner
from paved.adapters.scanners.pip_licenses import PipLicensesScanner
from paved.adapters.scanners.trivy import TrivyScanner
from paved.adapters.workspace.local import LocalWorkspace
from paved.cli.advisories import check_database
from paved.errors import UsageError
from paved.report import sarif
from paved.report import securityscan as report
from paved.report.securityscan_text import sarif_dir
from paved.securityscan import ScannerKind, SecurityScanOptions, security_scan
from paved.securityscan.advisorydb import DEFAULT_MAX_AGE, parse_max_age
from paved.securityscan.options import FAIL_ON_CHOICES, parse_fail_on, parse_scanners
from paved.securityscan.osv import OfflineAudit

if TYPE_CHECKING:
    import argparse

    from paved.adapters.scanners.interface import Scanner
    from paved.model import Rendered
    from paved.securityscan.outcome import SecurityScanOutcome

_REQUIREMENT_GLOB = "requirements*.txt"


def add_parser(commands: argparse._SubParsersAction[Any], summary: str) -> None:
    """Register the security-scan subcommand."""
    from paved.cli import add_common  # noqa: PLC0415 - avoids an import cycle

    parser = commands.add_parser(
        "security-scan",
        help=summary,
        description="Scan a project the way the security-scan action does: bandit, pip-audit "
        "(or an offline OSV database), detect-secrets, pip-licenses, cyclonedx-py and Trivy, "
        "in parallel; one findings model, SARIF 2.1.0 per tool, a severity gate. A scanner "
        "that cannot run fails the scan (exit 3) unless marked optional.",
    )
    parser.add_argument("project", nargs="?", default=".", type=Path, help="project directory")
    parser.add_argument(
        "--scanners",
        default="auto",
        help="comma-separated: auto, or any of "
        + ", ".join(k.value for k in ScannerKind)
        + " (auto: bandit, dependencies, secrets, sbom; licenses with --python; trivy with "
        "--image)",
    )
    parser.add_argument("--optional", default="", help="scanners whose failure does not fail")
    parser.add_argument(
        "--fail-on", default="high", help=f"gate threshold: one of {', '.join(FAIL_ON_CHOICES)}"
    )
    parser.add_argument("--ignore-file", type=Path, help="YAML ignore file (id, reason, expires)")
    parser.add_argument("--osv-database", type=Path, help="OSV database directory: audit offline")
    parser.add_argument(
        "--osv-max-age",
        default=str(DEFAULT_MAX_AGE.days),
        help="days the OSV database's newest record may be old, or 'any' (default: %(default)s)",
    )
    parser.add_argument(
        "--requirements",
        action="append",
        default=[],
        metavar="FILE",
        help="pinned requirements file, relative to the project (repeat; default: "
        "requirements*.txt)",
    )
    parser.add_argument("--python", help="interpreter of the project's installed environment")
    parser.add_argument("--image", help="container image reference for trivy")
    parser.add_argument("--secrets-baseline", type=Path, help="detect-secrets baseline file")
    parser.add_argument("--license-allow", default="", help="allowed licenses, comma-separated")
    parser.add_argument("--license-deny", default="", help="denied licenses, comma-separated")
    parser.add_argument("--output-dir", type=Path, help="default: PROJECT/.paved/security-scan")
    parser.add_argument("--jobs", type=int, default=0, help="scanners at once (0 all, 1 serial)")
    parser.add_argument(
        "--repo-root", type=Path, default=Path(), help="SARIF and annotations are relative to it"
    )
    add_common(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> Rendered:
    """Run security-scan for parsed arguments; write the SARIF files; render."""
    options = options_from(args)
    max_age = parse_max_age(args.osv_max_age, "--osv-max-age")
    if options.osv_database is not None:
        check_database(options.osv_database, max_age, datetime.now(UTC))
    outcome = security_scan(options, scanners_for(options), LocalWorkspace())
    write_sarif(outcome)
    return report.render(outcome)


def options_from(args: argparse.Namespace) -> SecurityScanOptions:
    """SecurityScanOptions from parsed flags; every path checked with what is valid."""
    project = args.project.resolve()
    if not project.is_dir():
        raise UsageError(f"{args.project} is not a directory", name="project")
    requirements = tuple(_requirement(project, name) for name in args.requirements) or tuple(
        sorted(project.glob(_REQUIREMENT_GLOB))
    )
    return SecurityScanOptions(
        project_dir=project,
        repo_root=args.repo_root.resolve(),
        output_dir=(args.output_dir or project / ".paved" / "security-scan").resolve(),
        today=datetime.now(UTC).date(),
        scanners=parse_scanners(args.scanners, "--scanners"),
        optional=frozenset(parse_scanners(args.optional, "--optional")),
        fail_on=parse_fail_on(args.fail_on, "--fail-on"),
        ignore_file=_existing(args.ignore_file, "--ignore-file"),
        osv_database=_directory(args.osv_database, "--osv-database"),
        requirements=requirements,
        python=args.python or None,
        image=args.image or None,
        secrets_baseline=_existing(args.secrets_baseline, "--secrets-baseline"),
        license_policy=LicensePolicy(
            allow=_names(args.license_allow), deny=_names(args.license_deny)
        ),
        jobs=args.jobs,
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


def write_sarif(outcome: SecurityScanOutcome) -> list[Path]:
    """Write one SARIF file per tool into the output directory's sarif/ folder."""
    folder = Path(sarif_dir(outcome))
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.sarif"):
            stale.unlink()
        for document in sarif.documents(outcome):
            path = folder / document.name
            path.write_text(document.text, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise UsageError(f"cannot write {folder}: {exc.strerror}", name="--output-dir") from exc
    return written


def _requirement(project: Path, name: str) -> Path:
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


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())

"""What a user can ask security-scan to do, validated once at the edge."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from paved.adapters.scanners.interface import LicensePolicy, Resolution, Severity
from paved.errors import UsageError
from paved.params import choices_text, parse_choice

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path


class ScannerKind(StrEnum):
    """The scanners security-scan can run; each maps to one tool."""

    BANDIT = "bandit"
    DEPENDENCIES = "dependencies"
    SECRETS = "secrets"
    LICENSES = "licenses"
    SBOM = "sbom"
    TRIVY = "trivy"


DEFAULT_EXCLUDE = ("tests", "test", "testing", "docs", "doc", "examples", "example")
"""Where example code and example secrets live: left out of SAST and secret findings."""

FAIL_ON_CHOICES = ("critical", "high", "medium", "low", "info", "none")
"""The gate's thresholds; `none` reports findings without failing on them."""


def parse_scanners(text: str, name: str) -> tuple[ScannerKind, ...]:
    """A comma- or space-separated list of scanner names (or `auto`, returned as empty)."""
    items = [item.strip() for item in text.replace(",", " ").split() if item.strip()]
    if items in ([], ["auto"]):
        return ()
    valid = f"auto or {choices_text(ScannerKind)}"
    kinds = (parse_choice(ScannerKind, item, name, valid=valid) for item in items)
    return tuple(dict.fromkeys(kinds))


@dataclass(frozen=True)
class SecurityScanOptions:
    """Everything security-scan needs; paths are absolute."""

    project_dir: Path
    repo_root: Path
    """SARIF URIs and annotations are relative to this (the checkout root)."""
    output_dir: Path
    """Where the SARIF files and the SBOM are written."""
    today: date
    """Ignore entries that expired before this day fail the run."""
    scanners: tuple[ScannerKind, ...] = ()
    """Empty means auto: see `selected`."""
    optional: frozenset[ScannerKind] = frozenset()
    """Scanners whose failure or absence is reported without failing the run."""
    fail_on: Severity | None = Severity.HIGH
    ignore_file: Path | None = None
    osv_database: Path | None = None
    """An OSV database directory: the dependency audit runs offline against it."""
    requirements: tuple[Path, ...] = ()
    python: str | None = None
    """The interpreter of the project's installed environment, when there is one."""
    image: str | None = None
    secrets_baseline: Path | None = None
    license_policy: LicensePolicy = field(default_factory=LicensePolicy)
    jobs: int = 0
    """Scanners run at once; 0 means all of them, 1 means one after another."""
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    """Directory names or project-relative paths whose SAST and secret findings are left out."""
    resolution: Resolution = Resolution.AUTO

    @property
    def selected(self) -> tuple[ScannerKind, ...]:
        """The scanners that will run. Auto: bandit, dependencies, secrets and sbom; licenses
        when an environment is given (pip-licenses reads installed packages); trivy when an
        image is given."""
        if self.scanners:
            return self.scanners
        kinds = [ScannerKind.BANDIT, ScannerKind.DEPENDENCIES, ScannerKind.SECRETS]
        if self.python:
            kinds.append(ScannerKind.LICENSES)
        kinds.append(ScannerKind.SBOM)
        if self.image:
            kinds.append(ScannerKind.TRIVY)
        return tuple(kinds)


def validate(options: SecurityScanOptions) -> SecurityScanOptions:
    """Check what can be checked before anything runs."""
    chosen = set(options.selected)
    if ScannerKind.LICENSES in chosen and not options.python:
        raise UsageError(
            "the licenses scanner reads an installed environment",
            name="python",
            valid="the interpreter of the project's environment (e.g. .venv/bin/python)",
        )
    if ScannerKind.TRIVY in chosen and not options.image:
        raise UsageError("the trivy scanner needs an image", name="image", valid="an image ref")
    if options.jobs < 0:
        raise UsageError(f"{options.jobs} is negative", name="jobs", valid="0 (all) or more")
    both = {n.lower() for n in options.license_policy.allow} & {
        n.lower() for n in options.license_policy.deny
    }
    if both:
        raise UsageError(
            f"{', '.join(sorted(both))} is both allowed and denied",
            name="license-deny",
            valid="licenses that are not also in license-allow",
        )
    return options

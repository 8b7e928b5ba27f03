"""The scanner interface: one findings model every backend translates its tool's output into."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from paved.errors import EnvironmentProblemError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime
    from pathlib import Path


class Severity(StrEnum):
    """How bad a finding is, as the tool or the database rates it."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"
    UNKNOWN = "unknown"
    """The tool or database gives no rating (PyPA advisories, pip-audit)."""

    @property
    def rank(self) -> int:
        """Higher is worse. An unrated advisory ranks as high: a known vulnerability that
        nobody scored must not slip under a high gate."""
        return _RANK[self]


_RANK = {
    Severity.CRITICAL: 5,
    Severity.HIGH: 4,
    Severity.UNKNOWN: 4,
    Severity.MEDIUM: 3,
    Severity.LOW: 2,
    Severity.INFO: 1,
}


class FindingKind(StrEnum):
    """What sort of problem a finding is."""

    VULNERABILITY = "vulnerability"
    CODE = "code"
    SECRET = "secret"  # noqa: S105 - a category name, not a password
    LICENSE = "license"
    MISCONFIGURATION = "misconfiguration"


@dataclass(frozen=True)
class Finding:
    """One problem a tool reported, in the shape every output format reads."""

    id: str
    """The advisory id (PYSEC-..., CVE-...) or the rule id (B602, AWSKeyDetector)."""
    tool: str
    """The tool that reported it (bandit, pip-audit, osv-offline, ...)."""
    rule: str
    """The rule that matched; for advisories the advisory id itself."""
    severity: Severity
    message: str
    kind: FindingKind
    aliases: tuple[str, ...] = ()
    package: str | None = None
    installed_version: str | None = None
    fixed_versions: tuple[str, ...] = ()
    file: str | None = None
    """Repository-relative path with forward slashes, when the finding has a place."""
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    help_url: str | None = None
    via: str | None = None
    """For a dependency: the requirement line that brought it in (`requests==2.19.0`)."""
    direct: bool | None = None
    """For a dependency: required by the project itself (True) or by another package (False)."""
    tools: tuple[str, ...] = ()
    """Every tool that reported it, after deduplication (empty means just `tool`)."""

    @property
    def reported_by(self) -> tuple[str, ...]:
        """The tools that reported this finding."""
        return self.tools or (self.tool,)


class Resolution(StrEnum):
    """Whether the dependency audit resolves the full (transitive) dependency set."""

    AUTO = "auto"
    """Resolve; when the index cannot be reached, audit the direct pins with a warning."""
    REQUIRE = "require"
    """Resolve, or stop the audit (exit 3) when that is not possible."""
    OFF = "off"
    """Audit only the exactly pinned direct requirements."""


@dataclass(frozen=True)
class LicensePolicy:
    """Licenses a project may (allow) or must not (deny) depend on; names match exactly,
    case-insensitively, against each of the licenses a package declares."""

    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScanTarget:
    """What to scan, and where a scanner may write its artifacts."""

    project_dir: Path
    repo_root: Path
    output_dir: Path
    requirements: tuple[Path, ...] = ()
    """Requirements files (absolute paths) describing the dependencies."""
    python: str | None = None
    """Interpreter of the installed environment to inspect, when there is one."""
    image: str | None = None
    secrets_baseline: Path | None = None
    license_policy: LicensePolicy = field(default_factory=LicensePolicy)
    skip_findings_in: tuple[str, ...] = ()
    """Directory names (anywhere) or project-relative paths whose SAST and secret findings are
    left out, unless the project's own bandit configuration or secrets baseline decides."""
    resolution: Resolution = Resolution.AUTO
    exclude: tuple[str, ...] = (
        ".git",
        ".venv",
        "venv",
        ".paved",
        ".tox",
        "node_modules",
        "__pycache__",
        ".pytest_cache",
        ".ruff_cache",
        ".mypy_cache",
    )
    """Directory names no file scanner descends into."""


@dataclass(frozen=True)
class ScanReport:
    """What one scanner found."""

    tool: str
    findings: tuple[Finding, ...] = ()
    tool_version: str | None = None
    artifact: Path | None = None
    """A file the scanner wrote (the SBOM)."""
    checked: int | None = None
    """How many packages, files or components the scanner looked at, when it says."""
    details: Mapping[str, object] = field(default_factory=dict)


class Scanner(ABC):
    """Runs one tool against a target and translates its output into findings."""

    tool: str = "scanner"
    """The tool's name as reports show it."""

    @abstractmethod
    def scan(self, target: ScanTarget) -> ScanReport:
        """Run the tool. Raise ScannerMissing when it is not installed and ScannerError
        when it ran but could not do its job; never return a report for a failed run."""


class ScannerError(EnvironmentProblemError):
    """A scanner ran but could not complete: its findings would be incomplete."""

    def __init__(self, tool: str, reason: str, *, hint: str | None = None) -> None:
        super().__init__(f"{tool}: {reason}", hint=hint)
        self.tool = tool
        self.reason = reason


class ScannerMissing(ScannerError):  # noqa: N818 - the brief's name; reads as a state
    """The scanner's program is not installed or not on PATH."""


@dataclass(frozen=True)
class Package:
    """An installed or pinned distribution."""

    name: str
    version: str
    file: str | None = None
    """The repository-relative file that requires it (or the package that brought it in)."""
    line: int | None = None
    via: str | None = None
    """The project's requirement line that brought it in."""
    direct: bool | None = None
    """Required by the project itself (True), by another package (False), or unknown."""


class PackageInventory(ABC):
    """Says which packages (and versions) a target depends on."""

    @abstractmethod
    def packages(self, target: ScanTarget) -> tuple[Package, ...]:
        """The packages; raise ScannerError when they cannot be known exactly."""


class AdvisoryDatabase(ABC):
    """A local collection of OSV records."""

    name: str = "osv"

    @abstractmethod
    def records_for(self, package: str) -> tuple[Mapping[str, object], ...]:
        """The OSV records filed under `package` (normalised name), as parsed documents."""


OSV_PYPI_ZIP = "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip"
"""OSV's public export of every PyPI record (PYSEC, GHSA and others), refreshed continuously."""


class DatabaseLayout(StrEnum):
    """How a folder of advisories is laid out, as far as its files tell."""

    PYPA = "pypa"
    """`vulns/<package>/<ID>.yaml|json`: the PyPA advisory database, or an import of OSV's."""
    OSV_EXPORT = "osv-export"
    """`<ID>.json` at the top: OSV's per-ecosystem zip, unpacked but not imported."""
    GITHUB = "github-advisory-database"
    """`advisories/github-reviewed/<year>/<month>/GHSA-.../`: GitHub's advisory database."""
    UNKNOWN = "unknown"


class RecordFaultKind(StrEnum):
    """Why a record file is not an OSV record of the PyPI package its folder names."""

    UNREADABLE = "unreadable"
    NO_ID = "no-id"
    ID_MISMATCH = "id-mismatch"
    NO_MODIFIED = "no-modified"
    OTHER_PACKAGE = "other-package"


@dataclass(frozen=True)
class RecordFault:
    """One record file that failed the survey's checks."""

    path: str
    """Relative to the database folder."""
    kind: RecordFaultKind


@dataclass(frozen=True)
class DatabaseManifest:
    """What `paved advisories` wrote beside the records it imported."""

    source: str
    imported_at: datetime
    records: int


@dataclass(frozen=True)
class DatabaseSurvey:
    """What a folder that should hold an OSV database holds: the facts a judge needs."""

    root: Path
    exists: bool
    layout: DatabaseLayout
    packages: int = 0
    records: int = 0
    newest_modified: datetime | None = None
    """The latest `modified` time of any record: how fresh the database is."""
    undated: int = 0
    """Records with no readable `modified` time (every OSV record has one)."""
    sampled: int = 0
    """How many records were parsed and checked in full."""
    faults: tuple[RecordFault, ...] = ()
    manifest: DatabaseManifest | None = None

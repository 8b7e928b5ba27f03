"""Scanners: one interface, one module per backend, each run as a subprocess."""

from paved.adapters.scanners.interface import (
    AdvisoryDatabase,
    Finding,
    FindingKind,
    LicensePolicy,
    Package,
    PackageInventory,
    Scanner,
    ScannerError,
    ScannerMissing,
    ScanReport,
    ScanTarget,
    Severity,
)

__all__ = [
    "AdvisoryDatabase",
    "Finding",
    "FindingKind",
    "LicensePolicy",
    "Package",
    "PackageInventory",
    "ScanReport",
    "ScanTarget",
    "Scanner",
    "ScannerError",
    "ScannerMissing",
    "Severity",
]

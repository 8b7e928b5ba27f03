"""security-scan: scanners behind one interface, one findings model, one honest gate."""

from paved.securityscan.core import security_scan
from paved.securityscan.options import ScannerKind, SecurityScanOptions
from paved.securityscan.outcome import RunStatus, ScannerRun, SecurityScanOutcome

__all__ = [
    "RunStatus",
    "ScannerKind",
    "ScannerRun",
    "SecurityScanOptions",
    "SecurityScanOutcome",
    "security_scan",
]

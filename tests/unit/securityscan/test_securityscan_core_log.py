"""Lines the scanner threads log reach the action's log sink: warnings become ::warning::,
debug lines (the scanners' commands) ::debug::."""

from __future__ import annotations

import contextvars
import io
from dataclasses import replace

from fakes.scanners import FakeScanner
from paved import log
from paved.adapters.scanners import ScanReport
from paved.gha.logsink import install_sink
from paved.securityscan import ScannerKind, security_scan
from securityscan_fakes import files_only, missing


class LoggingScanner(FakeScanner):
    """Logs its command from the scanner thread, as the real backends do."""

    def scan(self, target):
        log.debug(f"{self.tool}: bandit -r {target.project_dir}")
        return ScanReport(tool=self.tool)


def test_scanner_thread_lines_go_through_the_installed_sink(options):
    stream = io.StringIO()

    def run() -> None:
        with install_sink(stream):
            security_scan(
                replace(options, optional=frozenset({ScannerKind.DEPENDENCIES})),
                {
                    ScannerKind.BANDIT: LoggingScanner("bandit"),
                    ScannerKind.DEPENDENCIES: FakeScanner("pip-audit", error=missing("pip-audit")),
                },
                files_only(),
            )

    contextvars.copy_context().run(run)
    lines = stream.getvalue().splitlines()
    assert any(line.startswith("::debug::bandit: bandit -r ") for line in lines), lines
    assert any(line.startswith("::warning::dependencies: ") for line in lines), lines
    assert "bandit: running bandit" in lines

"""Fixtures for security-scan's unit tests."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from paved.securityscan import ScannerKind, SecurityScanOptions

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def options(tmp_path: Path) -> SecurityScanOptions:
    """Options for a project at tmp_path/project with bandit and dependencies selected."""
    return SecurityScanOptions(
        project_dir=tmp_path / "project",
        repo_root=tmp_path,
        output_dir=tmp_path / "out",
        today=date(2026, 7, 1),
        scanners=(ScannerKind.BANDIT, ScannerKind.DEPENDENCIES),
    )

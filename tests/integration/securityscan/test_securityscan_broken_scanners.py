"""Impostor scanners: a tool that exits 0 with a report that says nothing never passes the gate.

Each case puts a fake `bandit` or `detect_secrets` module first on PYTHONPATH, so the real CLI
runs it exactly where it would run the real scanner.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from scan_support import scan

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests" / "fixtures" / "security-project"

# What the fake prints on stdout, then exits 0 (or the code given).
BROKEN_OUTPUTS = {
    "empty-object": ("{}", 0),
    "empty-list": ("[]", 0),
    "result-without-fields": ('{"results": [{}], "errors": [], "metrics": {"_totals": {}}}', 0),
    "truncated": ('{"results": [', 0),
    "nothing": ("", 0),
    "wrong-schema": ('{"version": 2, "findings": []}', 0),
}
MODULES = {"bandit": "bandit", "secrets": "detect_secrets"}


def _fake_module(where: Path, module: str, output: str, code: int) -> None:
    package = where / module
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "__main__.py").write_text(
        f"import sys\nsys.stdout.write({output!r})\nsys.exit({code})\n", encoding="utf-8"
    )


@pytest.mark.parametrize("case", sorted(BROKEN_OUTPUTS))
@pytest.mark.parametrize("scanner", sorted(MODULES))
def test_a_scanner_that_prints_no_real_report_fails_the_scan_with_exit_3(tmp_path, scanner, case):
    project = tmp_path / "repo" / "project"
    shutil.copytree(FIXTURE, project)
    fakes = tmp_path / "fakes"
    _fake_module(fakes, MODULES[scanner], *BROKEN_OUTPUTS[case])
    code, outcome, shown = scan(
        project,
        f"--scanners={scanner}",
        env={"PYTHONPATH": f"{fakes}{os.pathsep}{ROOT / 'lib'}"},
    )
    assert code == 3, shown
    assert "Traceback" not in shown
    assert outcome["result"] != "passed"
    assert MODULES[scanner].replace("_", "-") in shown

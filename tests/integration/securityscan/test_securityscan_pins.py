"""Requirements files as teams write them: several files, conflicting pins, `-e .`, bad bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from scan_support import OFFLINE, scan

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.integration


def _audit(project: Path) -> tuple[int, dict, str]:
    return scan(project, "--scanners=dependencies", *OFFLINE)


def _project(tmp_path: Path, files: dict[str, bytes]) -> Path:
    project = tmp_path / "repo" / "service"
    project.mkdir(parents=True)
    for name, content in files.items():
        (project / name).write_bytes(content)
    return project


def test_conflicting_pins_are_each_audited_so_the_vulnerable_production_pin_is_found(tmp_path):
    project = _project(
        tmp_path,
        {
            # Read first (sorted), and safe: it must not hide the production pin below.
            "requirements-dev.txt": b"jinja2==3.1.6\n",
            "requirements.txt": b"-e .\njinja2==2.10\n",
        },
    )
    code, outcome, shown = _audit(project)
    assert code == 1, shown
    jinja = [f for f in outcome["findings"] if f["package"].lower() == "jinja2"]
    assert {f["installed_version"] for f in jinja} == {"2.10"}
    assert "PYSEC-2019-217" in {f["id"] for f in jinja}
    assert {f["file"] for f in jinja} == {"service/requirements.txt"}
    assert "jinja2 is pinned at different versions" in shown


def test_requirements_that_are_not_utf8_are_one_clear_error_not_a_traceback(tmp_path):
    project = _project(tmp_path, {"requirements.txt": b"flask==2.3.1\nr\xe9dis==4.4.1\n"})
    code, outcome, shown = _audit(project)
    assert code == 3, shown
    assert "Traceback" not in shown
    assert "is not UTF-8" in shown
    assert outcome["result"] == "error"

"""Tests, docs and examples are left out of bandit and detect-secrets findings by default,
with the real tools; the project's own bandit configuration or secrets baseline decides
when it has one."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from scan_support import make_project, scan

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.integration

_SHELL = "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"
_AWS_KEY = 'KEY = "AKIAIOSFODNN7EXAMPLE"\n'
FILES = {
    "app/main.py": _SHELL,
    "app/settings.py": _AWS_KEY,
    "tests/test_main.py": _SHELL + _AWS_KEY + "\n\ndef test_run():\n    assert run('true') == 0\n",
    "src/pkg/tests/test_deep.py": "def test_deep():\n    assert True\n",
    "docs/conf.py": _SHELL,
    "docs/guide.md": "Set `AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE` first.\n",
    "examples/demo.py": _SHELL,
}
FLAGS = ("--scanners=bandit,secrets", "--fail-on=none")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, "proj", FILES)


def _places(outcome: dict) -> set[tuple[str, str]]:
    """(tool, top directory under the project) of every finding."""
    return {(f["tool"], f["file"].split("/")[1]) for f in outcome["findings"]}


def test_by_default_only_the_projects_own_code_has_findings(project: Path):
    code, outcome, log = scan(project, *FLAGS)
    assert code == 0, log
    assert _places(outcome) == {("bandit", "app"), ("detect-secrets", "app")}


def test_exclude_none_reports_everything(project: Path):
    code, outcome, log = scan(project, *FLAGS, "--exclude=none")
    assert code == 0, log
    assert {"tests", "docs", "examples", "src"} <= {place for _, place in _places(outcome)}
    assert ("detect-secrets", "docs") in _places(outcome)


def test_exclude_names_what_is_left_out(project: Path):
    code, outcome, log = scan(project, *FLAGS, "--exclude=docs, src/pkg")
    assert code == 0, log
    assert {place for _, place in _places(outcome)} == {"app", "tests", "examples"}


def test_the_projects_bandit_configuration_decides_what_bandit_scans(project: Path):
    (project / "pyproject.toml").write_text(
        '[tool.bandit]\nexclude_dirs = ["docs"]\nskips = ["B101"]\n', encoding="utf-8"
    )
    code, outcome, log = scan(project, *FLAGS)
    assert code == 0, log
    bandit = {place for tool, place in _places(outcome) if tool == "bandit"}
    assert bandit == {"app", "tests", "examples"}
    secrets = {place for tool, place in _places(outcome) if tool == "detect-secrets"}
    assert secrets == {"app"}


def test_the_projects_secrets_baseline_decides_what_detect_secrets_leaves_out(project: Path):
    made = subprocess.run(
        [sys.executable, "-m", "detect_secrets", "scan", "--exclude-files", "^docs/", "app"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    )
    baseline = json.loads(made.stdout)
    baseline["results"] = {}
    (project / ".secrets.baseline").write_text(json.dumps(baseline), encoding="utf-8")

    code, outcome, log = scan(project, *FLAGS)

    assert code == 0, log
    secrets = {place for tool, place in _places(outcome) if tool == "detect-secrets"}
    # Not paved's default (tests/ would be out) but the baseline's own filter (docs/).
    assert secrets == {"app", "tests"}

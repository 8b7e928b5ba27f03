"""Every workflow in README.md is one a user can paste: complete, valid, enough permissions.

Each ```yaml block with `jobs:` is a workflow: it must have `on:` and `permissions:`, pass
actionlint, and grant each call of one of our reusable workflows every permission that
workflow's jobs ask for (a called workflow gets no more than its caller grants, and GitHub
refuses the run otherwise), and `contents: read` to a job that checks the code out. A block
that is part of a workflow (`steps:`, a job) is refused: a snippet is whole or it is not a
workflow. The checks are proven on the snippets the README used to have.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text(encoding="utf-8")
WORKFLOWS = ROOT / ".github" / "workflows"
_BLOCK = re.compile(r"^```ya?ml\n(.*?)^```", re.MULTILINE | re.DOTALL)
_OURS = re.compile(r"^pavedhq/paved/\.github/workflows/([\w.-]+)@")
_LEVEL = {"none": 0, "read": 1, "write": 2}
_FRAGMENT_KEYS = {"steps", "runs-on", "uses", "with", "permissions"}


def yaml_blocks(text: str) -> list[str]:
    """The body of every ```yaml block."""
    return [found.group(1) for found in _BLOCK.finditer(text)]


def _on(document: dict[Any, Any]) -> object:
    # YAML 1.1 reads a bare `on` key as True.
    return document.get("on", document.get(True))


def problems(snippet: str) -> list[str]:
    """What keeps `snippet` from being a whole, permitted workflow (empty: nothing)."""
    document = yaml.safe_load(snippet)
    if isinstance(document, list) or (
        isinstance(document, dict) and "jobs" not in document and _FRAGMENT_KEYS & set(document)
    ):
        return ["a fragment of a workflow: give the whole workflow"]
    if not isinstance(document, dict) or "jobs" not in document:
        return []  # not a workflow (an ignore file, a config example)
    found = []
    if _on(document) is None:
        found.append("no `on:`")
    if "permissions" not in document:
        found.append("no top-level `permissions:`")
    for name, job in (document.get("jobs") or {}).items():
        granted = _grants(job.get("permissions", document.get("permissions")))
        for scope, level in _needed(job).items():
            if granted.get(scope, 0) < level:
                found.append(f"job {name} needs `{scope}: {_name(level)}`")
    return found


def _needed(job: dict[str, Any]) -> dict[str, int]:
    called = _OURS.match(str(job.get("uses", "")))
    if called:
        return _asked(yaml.safe_load((WORKFLOWS / called.group(1)).read_text(encoding="utf-8")))
    checks_out = any(
        str(step.get("uses", "")).startswith("actions/checkout@") for step in job.get("steps", [])
    )
    return {"contents": _LEVEL["read"]} if checks_out else {}


def _asked(workflow: dict[str, Any]) -> dict[str, int]:
    """Every permission any job of a called workflow asks for, at its highest level."""
    asked: dict[str, int] = {}
    for job in workflow["jobs"].values():
        for scope, level in _grants(job.get("permissions", workflow.get("permissions"))).items():
            asked[scope] = max(asked.get(scope, 0), level)
    return asked


def _grants(permissions: object) -> dict[str, int]:
    if isinstance(permissions, str) and permissions in {"read-all", "write-all"}:
        level = _LEVEL[str(permissions).split("-", 1)[0]]
        return dict.fromkeys(_every_scope(), level)
    if isinstance(permissions, dict):
        return {str(scope): _LEVEL[str(level)] for scope, level in permissions.items()}
    return {}


def _every_scope() -> tuple[str, ...]:
    return ("actions", "checks", "contents", "deployments", "id-token", "issues",
            "packages", "pages", "pull-requests", "security-events", "statuses")  # fmt: skip


def _name(level: int) -> str:
    return next(name for name, value in _LEVEL.items() if value == level)


def _actionlint() -> str:
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.exists() else shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is not installed: run `make setup` (requirements/dev.txt)")
    return found


WORKFLOW_SNIPPETS = [s for s in yaml_blocks(README) if "jobs" in (yaml.safe_load(s) or {})]


def test_the_readme_has_workflow_snippets():
    assert len(WORKFLOW_SNIPPETS) >= 3


@pytest.mark.parametrize("snippet", yaml_blocks(README))
def test_every_yaml_block_is_a_whole_permitted_workflow_or_no_workflow(snippet: str):
    assert problems(snippet) == []


@pytest.mark.parametrize("index", range(len(WORKFLOW_SNIPPETS)))
def test_every_workflow_snippet_passes_actionlint(index: int, tmp_path: Path):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    path = folder / f"readme-{index}.yml"
    path.write_text(WORKFLOW_SNIPPETS[index], encoding="utf-8")
    done = subprocess.run(
        [_actionlint(), "-no-color", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


OLD_FIRST = """
permissions: {}
jobs:
  build:
    uses: pavedhq/paved/.github/workflows/build-and-test.yml@v1
    with:
      working-directory: service
"""
OLD_SECOND = """
    steps:
      - uses: actions/checkout@08eba0b27e820071cde6df949e0beb9ba4906955 # v4.3.0
      - uses: pavedhq/paved/actions/build-test@v1
"""


def test_the_old_first_snippet_is_caught():
    assert problems(OLD_FIRST) == ["no `on:`", "job build needs `contents: read`"]


def test_a_workflow_fragment_is_caught():
    assert problems(OLD_SECOND) == ["a fragment of a workflow: give the whole workflow"]


def test_a_caller_must_grant_what_the_called_workflow_asks():
    snippet = """
on: push
permissions: {}
jobs:
  scan:
    uses: pavedhq/paved/.github/workflows/security-scan.yml@v1
    permissions:
      contents: read
"""
    assert problems(snippet) == ["job scan needs `security-events: write`"]


def test_a_job_that_checks_out_needs_contents_read():
    snippet = """
on: push
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@08eba0b27e820071cde6df949e0beb9ba4906955 # v4.3.0
"""
    assert problems(snippet) == ["job test needs `contents: read`"]


def test_actionlint_rejects_a_workflow_without_on(tmp_path: Path):
    path = tmp_path / "bad.yml"
    path.write_text(OLD_FIRST, encoding="utf-8")
    done = subprocess.run(
        [_actionlint(), "-no-color", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert '"on" section is missing' in done.stdout


def test_the_readme_uses_no_internal_jargon():
    assert re.findall(r"(?i)\bseeds?\b(?: documents?)?|\bissue \d+", README) == []

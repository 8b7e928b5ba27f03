"""Every workflow `paved compose` generates from the corpus is lint-clean: actionlint (its
calls checked against paved's real reusable workflows) and zizmor --pedantic report zero."""

from __future__ import annotations

import json
import subprocess
from typing import TYPE_CHECKING

from compose_support import CORPUS, FIXTURES, LINTED, SHA, compose, local_calls, repository, tool

if TYPE_CHECKING:
    from pathlib import Path

# What README tells a team that pins paved by tag: allow exactly that, hash-pin the rest.
TAG_POLICY = """rules:
  unpinned-uses:
    config:
      policies:
        "pavedhq/paved/*": ref-pin
        "*": hash-pin
"""


def _zizmor(repo: Path) -> list[dict]:
    done = subprocess.run(
        [tool("zizmor"), "--offline", "--pedantic", "--no-progress", "--format=json", "."],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in {0, 10, 11, 12, 13, 14}, done.stderr
    return json.loads(done.stdout)


def _actionlint(repo: Path) -> list[dict]:
    done = subprocess.run(
        [tool("actionlint"), "-format", "{{json .}}"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in {0, 1}, done.stderr
    return json.loads(done.stdout or "[]")


def test_the_corpus_has_the_seed_configs_and_more():
    names = {path.name for path in CORPUS}
    assert {"seed-step1.yaml", "seed-python-api.yaml"} <= names
    assert len(names) >= 5
    assert {"consumer", "consumer-kubernetes"} <= set(LINTED)


def test_sha_pinned_workflows_pass_zizmor_pedantic_with_its_default_policy(tmp_path: Path):
    files = {f"{name}.yml": compose(p, f"--ref={SHA}") for name, p in LINTED.items()}
    assert _zizmor(repository(tmp_path, files)) == []


def test_tag_pinned_workflows_pass_zizmor_pedantic_with_the_documented_policy(tmp_path: Path):
    repo = repository(tmp_path, {f"{name}.yml": compose(p) for name, p in LINTED.items()})
    (repo / "zizmor.yml").write_text(TAG_POLICY, encoding="utf-8")
    assert _zizmor(repo) == []


def test_a_tag_pin_without_that_policy_is_what_zizmor_flags(tmp_path: Path):
    repo = repository(tmp_path, {"main.yml": compose(CORPUS[0])})
    assert {finding["ident"] for finding in _zizmor(repo)} == {"unpinned-uses"}


def test_actionlint_passes_every_call_against_paveds_own_workflows(tmp_path: Path):
    files = {f"gen-{name}.yml": local_calls(compose(p)) for name, p in LINTED.items()}
    assert _actionlint(repository(tmp_path, files, with_paved=True)) == []


def test_actionlint_passes_the_remote_form(tmp_path: Path):
    files = {f"{name}.yml": compose(p, f"--ref={SHA}") for name, p in LINTED.items()}
    assert _actionlint(repository(tmp_path, files)) == []


def test_actionlint_catches_a_wrong_input_so_the_check_above_means_something(tmp_path: Path):
    workflow = local_calls(compose(FIXTURES / "tasks-only.yaml"))
    broken = workflow.replace("    with:\n", "    with:\n      no-such-input: x\n", 1)
    found = _actionlint(repository(tmp_path, {"gen.yml": broken}, with_paved=True))
    assert [f["kind"] for f in found] == ["workflow-call"]
    assert "no-such-input" in found[0]["message"]

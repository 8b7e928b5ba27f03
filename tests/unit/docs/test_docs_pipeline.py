"""pipeline.yml, the whole path as one reusable workflow: its stages in order, each call's
inputs real and passed on with the called workflow's defaults, every permission granted, and
every input documented in README.md with its default and description."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from test_docs_readme_workflows import problems

ROOT = Path(__file__).resolve().parents[3]
WORKFLOWS = ROOT / ".github" / "workflows"
PIPELINE = WORKFLOWS / "pipeline.yml"
README = (ROOT / "README.md").read_text(encoding="utf-8")
_OURS = re.compile(r"^\$/\.github/workflows/([\w.-]+)$")
_PASSED = re.compile(r"^\$\{\{ inputs\.([\w-]+) \}\}$")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


SPEC = _load(PIPELINE)
CALL = SPEC[True]["workflow_call"]  # PyYAML reads the key `on` as True
INPUTS = CALL["inputs"]
JOBS = SPEC["jobs"]


def _called(job: dict) -> dict:
    found = _OURS.match(job["uses"])
    assert found, job["uses"]
    return _load(WORKFLOWS / found[1])[True]["workflow_call"]


def _shown(default: object) -> str:
    return str(default).lower() if isinstance(default, bool) else str(default)


def test_the_stages_run_in_the_delivery_order():
    order = [
        "build-and-test", "security-scan", "container-build", "deploy-staging",
        "deploy-production", "rollback-guard", "rollback-production", "ci-metrics",
    ]  # fmt: skip
    assert list(JOBS) == order
    needs = {name: set(job.get("needs", [])) for name, job in JOBS.items()}
    assert needs["container-build"] == {"build-and-test", "security-scan"}
    assert "container-build" in needs["deploy-staging"]
    assert "deploy-staging" in needs["deploy-production"]
    assert needs["rollback-guard"] == {"deploy-production"}
    assert "rollback-guard" in needs["rollback-production"]
    assert JOBS["deploy-staging"]["with"]["strategy"] == "blue-green"
    assert JOBS["deploy-production"]["with"]["strategy"] == "canary"
    # The image each deploy gets is the digest container-build pushed.
    for name in ("deploy-staging", "deploy-production"):
        assert JOBS[name]["with"]["image"] == "${{ needs.container-build.outputs.image }}"


@pytest.mark.parametrize("name", list(JOBS))
def test_each_call_gives_only_inputs_the_workflow_takes_and_passes_defaults_on(name: str):
    called = _called(JOBS[name])
    takes = called.get("inputs", {})
    for key, value in JOBS[name].get("with", {}).items():
        assert key in takes, f"{name}: {JOBS[name]['uses']} has no input {key!r}"
        passed = _PASSED.match(str(value))
        if passed and passed[1] == key and not INPUTS[key].get("required"):
            ours = _shown(INPUTS[key].get("default", ""))
            theirs = _shown(takes[key].get("default", ""))
            assert ours == theirs, f"{key}: pipeline.yml {ours!r}, {JOBS[name]['uses']} {theirs!r}"
    for key, given in takes.items():
        if given.get("required"):
            assert key in JOBS[name].get("with", {}), f"{name} does not give {key!r}"
    for secret in JOBS[name].get("secrets", {}):
        assert secret in called.get("secrets", {}), secret


def test_every_input_a_job_reads_is_declared():
    text = PIPELINE.read_text(encoding="utf-8")
    used = set(re.findall(r"inputs\.([\w-]+)", text))
    assert used <= set(INPUTS), used - set(INPUTS)
    assert set(INPUTS) <= used, f"declared and never used: {set(INPUTS) - used}"


def test_each_job_grants_what_the_workflow_it_calls_asks_for():
    assert SPEC["permissions"] == {}
    assert problems(PIPELINE.read_text(encoding="utf-8")) == []


def _readme_rows() -> dict[str, tuple[str, str]]:
    start = README.index("### The whole path as one workflow: pipeline.yml")
    section = README[start : README.index("\n## ", start)]
    rows = re.findall(r"^\| `([\w-]+)` \| (.*?) \| (.*?) \|$", section, re.MULTILINE)
    return {name: (default, help_) for name, default, help_ in rows}


@pytest.mark.parametrize("name", list(INPUTS))
def test_readme_documents_every_input_with_its_default(name: str):
    rows = _readme_rows()
    assert name in rows, f"README's pipeline.yml table lacks {name!r}"
    default, help_ = rows[name]
    given = INPUTS[name]
    expected = "required" if given.get("required") else _shown(given.get("default", ""))
    assert default.strip("`") == expected, name
    assert help_ == given["description"], name


def test_readme_documents_no_input_the_workflow_lacks():
    assert set(_readme_rows()) <= set(INPUTS)

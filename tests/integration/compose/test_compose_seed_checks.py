"""Seed 000's test-pipelines.py checks, made on what `paved compose` generates from the seed's
own configs: the workflows it calls exist, are workflow_call and have the inputs and outputs
it uses; the blue-green and canary deploys exist and the canary carries its weights; the Python
tools are valid."""

from __future__ import annotations

import py_compile
import re
import subprocess
import sys
from pathlib import Path  # noqa: TC003 - pytest resolves the annotations

import pytest
import yaml
from compose_support import FIXTURES, ROOT, WORKFLOWS, compose

SEEDS = [FIXTURES / "seed-step1.yaml", FIXTURES / "seed-python-api.yaml"]
_OUTPUT = re.compile(r"needs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)")


def _generated(seed: Path) -> dict:
    return yaml.safe_load(compose(seed))


def _called(uses: str) -> dict:
    name = uses.split("/.github/workflows/", 1)[1].split("@", 1)[0]
    path = WORKFLOWS / name
    assert path.is_file(), f"{name} is called but paved has no such workflow"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_called_workflow_exists_is_reusable_and_has_the_inputs_given(seed: Path):
    jobs = _generated(seed)["jobs"]
    called = {job["uses"].split("/.github/workflows/", 1)[1].split("@")[0] for job in jobs.values()}
    assert {"build-and-test.yml", "security-scan.yml", "deploy.yml"} <= called
    for job in jobs.values():
        trigger = _called(job["uses"])[True]  # PyYAML reads the key `on` as True
        assert "workflow_call" in trigger
        declared = trigger["workflow_call"].get("inputs", {})
        assert set(job.get("with", {})) <= set(declared)
        assert set(job.get("secrets", {})) <= set(trigger["workflow_call"].get("secrets", {}))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_output_a_job_reads_is_one_the_called_workflow_declares(seed: Path):
    jobs = _generated(seed)["jobs"]
    read = [
        (needed, output)
        for job in jobs.values()
        for value in job.get("with", {}).values()
        for needed, output in _OUTPUT.findall(str(value))
    ]
    assert ("container-build", "image") in read
    assert any(output == "previous-image" for _, output in read)
    for needed, output in read:
        outputs = _called(jobs[needed]["uses"])[True]["workflow_call"]["outputs"]
        assert output in outputs, f"{needed} has no output {output}"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_blue_green_goes_to_staging_and_the_canary_to_production_with_weights(seed: Path):
    deploys = {
        job["with"]["environment"]: job["with"]
        for job in _generated(seed)["jobs"].values()
        if job["name"].startswith("Deploy to ")
    }
    assert deploys["staging"]["strategy"] == "blue-green"
    assert deploys["production"]["strategy"] == "canary"
    weights = [int(w) for w in str(deploys["production"]["canary-steps"]).split(",")]
    assert weights[0] == 10
    assert weights[-1] == 100
    assert weights == sorted(weights)


def test_the_python_tools_are_valid(tmp_path: Path):
    for package in ("compose", "cli"):
        for module in sorted((ROOT / "lib" / "paved" / package).glob("*.py")):
            py_compile.compile(str(module), cfile=str(tmp_path / "x.pyc"), doraise=True)
    done = subprocess.run(
        [sys.executable, "-m", "paved", "compose", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--config" in done.stdout
    assert "--check" in done.stdout

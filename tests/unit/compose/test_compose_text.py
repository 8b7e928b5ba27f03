"""The workflow text: names, conditions, concurrency and scalars as GitHub reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from paved.compose.config import load
from paved.compose.graph import compose, pin
from paved.report.compose import workflow_text

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "compose"


@pytest.fixture(autouse=True)
def _rows(delivery_rows):
    return delivery_rows


def _workflow(name: str, ref: str = "v1") -> dict:
    path = SEEDS / name
    pipeline = compose(load(path.read_text(encoding="utf-8"), path.name), pin("pavedhq/paved", ref))
    return yaml.safe_load(workflow_text(pipeline, path.name))


def test_deploys_and_the_guard_run_one_at_a_time_per_environment_and_only_on_main():
    jobs = _workflow("seed-step1.yaml")["jobs"]
    production = jobs["deploy-production"]
    assert production["name"] == "Deploy to production"
    assert production["concurrency"] == {
        "group": "paved-pipeline-production",
        "cancel-in-progress": False,
    }
    assert (
        production["if"] == "${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}"
    )
    assert production["with"]["image"] == "${{ needs.container-build.outputs.image }}"
    guard = jobs["rollback-guard-deploy-production"]
    assert guard["concurrency"]["group"] == "paved-pipeline-production"
    assert "if" not in jobs["build-and-test"]
    assert guard["permissions"] == {}
    assert guard["with"]["prometheus-url"] == "${{ vars.PAVED_PROMETHEUS_URL }}"
    assert jobs["rollback-deploy-production"]["if"] == (
        "${{ !cancelled() && needs.rollback-guard-deploy-production.outputs.verdict == 'fail' "
        "&& needs.deploy-production.outputs.previous-image != '' }}"
    )
    assert jobs["ci-metrics"]["if"].startswith("${{ !cancelled() && ")
    assert jobs["ci-metrics"]["with"]["deploy-source"] == (
        "${{ vars.PAVED_DEPLOY_SOURCE || 'environment' }}"
    )
    assert production["with"]["docker-host"] == "${{ vars.PAVED_DOCKER_HOST }}"


def test_every_job_grants_its_workflows_permissions_and_nothing_at_the_top():
    workflow = _workflow("seed-python-api.yaml")
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["security-scan"]["permissions"] == {
        "contents": "read",
        "security-events": "write",
    }
    assert workflow["jobs"]["container-build"]["permissions"] == {
        "contents": "read",
        "packages": "write",
    }


def test_text_values_that_yaml_would_retype_are_quoted():
    jobs = _workflow("seed-python-api.yaml")["jobs"]
    assert jobs["deploy-prod"]["with"]["step-seconds"] == "300"
    assert jobs["build-and-test"]["with"]["python"] == "python3.10"


def test_the_pin_is_the_ref_given():
    sha = "0123456789abcdef0123456789abcdef01234567"
    jobs = _workflow("seed-step1.yaml", sha)["jobs"]
    assert {job["uses"].rsplit("@", 1)[1] for job in jobs.values()} == {sha}

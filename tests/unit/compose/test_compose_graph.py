"""The job graph: dependency order, the image before every deploy and its digest passed on,
one concurrency group per environment, the guard after production, DORA metrics last."""

from __future__ import annotations

from pathlib import Path

import pytest
from paved.compose.config import load
from paved.compose.graph import Gate, JobKind, Output, Variable, compose, pin
from paved.errors import ConfigError

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "compose"
PIN = pin("pavedhq/paved", "v1")


def _pipeline(name: str):
    path = SEEDS / name
    return compose(load(path.read_text(encoding="utf-8"), path.name), PIN)


@pytest.fixture(autouse=True)
def _rows(delivery_rows):
    return delivery_rows


def test_the_seeds_step1_config_becomes_seven_jobs_in_order():
    jobs = {job.id: job for job in _pipeline("seed-step1.yaml").jobs}
    assert list(jobs) == [
        "build-and-test",
        "security-scan",
        "container-build",
        "deploy-staging",
        "deploy-production",
        "rollback-guard-deploy-production",
        "rollback-deploy-production",
        "ci-metrics",
    ]
    assert jobs["container-build"].needs == ("build-and-test", "security-scan")
    assert jobs["deploy-staging"].needs == ("container-build",)
    assert jobs["deploy-production"].needs == ("deploy-staging", "container-build")
    assert jobs["rollback-guard-deploy-production"].needs == ("deploy-production",)
    assert jobs["rollback-deploy-production"].needs == (
        "deploy-production",
        "rollback-guard-deploy-production",
    )
    assert jobs["ci-metrics"].needs == ("rollback-deploy-production",)


def test_every_deploy_gets_the_built_image_its_environment_and_a_concurrency_group():
    jobs = _pipeline("seed-step1.yaml").jobs
    deploys = [job for job in jobs if job.kind is JobKind.DEPLOY]
    assert [dict(job.inputs)["image"] for job in deploys] == [
        Output("container-build", "image")
    ] * 2
    assert [dict(job.inputs)["environment"] for job in deploys] == ["staging", "production"]
    assert [job.environment for job in deploys] == ["staging", "production"]
    assert all(job.gate is Gate.DELIVERY for job in deploys)


def test_the_seeds_canary_block_becomes_weights_and_step_time():
    jobs = {job.id: dict(job.inputs) for job in _pipeline("seed-python-api.yaml").jobs}
    canary = jobs["deploy-prod"]
    assert canary["strategy"] == "canary"
    assert canary["canary-steps"] == "10,20,30,40,50,60,70,80,90,100"
    assert canary["step-seconds"] == "300"
    assert jobs["deploy-staging"]["strategy"] == "blue-green"
    assert "canary-steps" not in jobs["deploy-staging"]


def test_scan_container_scans_the_image_before_any_deploy():
    jobs = {job.id: job for job in _pipeline("seed-python-api.yaml").jobs}
    scan = jobs["image-scan"]
    assert scan.needs == ("container-build",)
    assert dict(scan.inputs)["image"] == Output("container-build", "image")
    assert dict(scan.inputs)["scanners"] == "trivy"
    assert jobs["deploy-staging"].needs == ("image-scan", "container-build")
    assert dict(jobs["container-build"].inputs)["prepare-command"] == "poetry build"


def test_dora_metrics_count_the_production_environments_deployments():
    metrics = _pipeline("seed-step1.yaml").jobs[-1]
    assert metrics.id == "ci-metrics"
    assert dict(metrics.inputs) == {
        "deploy-source": Variable("PAVED_DEPLOY_SOURCE", "environment"),
        "deploy-environment": "production",
        "deploy-records": Variable("PAVED_DEPLOY_RECORD"),
    }
    assert metrics.gate is Gate.AFTER_DELIVERY


def test_the_docker_host_and_the_deploy_record_come_from_the_platforms_variables():
    jobs = {job.id: dict(job.inputs) for job in _pipeline("seed-step1.yaml").jobs}
    for job in ("deploy-staging", "deploy-production", "rollback-deploy-production"):
        assert jobs[job]["docker-host"] == Variable("PAVED_DOCKER_HOST")
        assert jobs[job]["haproxy-socket"] == Variable("PAVED_HAPROXY_SOCKET")
        assert jobs[job]["docker-network"] == Variable("PAVED_DOCKER_NETWORK")
        assert jobs[job]["record"] == Variable("PAVED_DEPLOY_RECORD")
    assert jobs["container-build"]["registry"] == Variable("PAVED_REGISTRY", "ghcr.io")


def test_what_the_config_gives_wins_over_the_variables_and_kubernetes_needs_no_docker_host():
    text = (SEEDS / "seed-step1.yaml").read_text(encoding="utf-8")
    text += "deploy:\n  target: kubernetes\n  record: deploys.jsonl\n"
    text += "ci-metrics:\n  deploy-records: deploys.jsonl\n"
    jobs = {job.id: dict(job.inputs) for job in compose(load(text, "p"), PIN).jobs}
    production = jobs["deploy-production"]
    assert "docker-host" not in production
    assert "haproxy-socket" not in production
    assert production["record"] == "deploys.jsonl"
    assert jobs["ci-metrics"]["deploy-records"] == "deploys.jsonl"


def test_a_deploy_stage_may_name_its_own_app_and_the_guard_follows_production():
    text = (SEEDS / "seed-step1.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    environment: staging\n", "    environment: staging\n    app: myapp-staging\n"
    )
    jobs = {job.id: dict(job.inputs) for job in compose(load(text, "p"), PIN).jobs}
    assert jobs["deploy-staging"]["app"] == "myapp-staging"
    assert jobs["deploy-production"]["app"] == "myapp"
    assert jobs["rollback-guard-deploy-production"]["app"] == "myapp"
    assert jobs["rollback-deploy-production"]["app"] == "myapp"


def test_an_app_that_cannot_name_containers_is_an_error_at_its_place():
    text = (SEEDS / "seed-step1.yaml").read_text(encoding="utf-8")
    text = text.replace("    environment: staging\n", "    environment: staging\n    app: My_App\n")
    with pytest.raises(ConfigError) as caught:
        load(text, "p.yaml")
    assert "'My_App' cannot name an app on a target" in str(caught.value)


def test_an_expression_is_left_for_the_run_to_evaluate():
    text = (SEEDS / "seed-step1.yaml").read_text(encoding="utf-8")
    text += "security-scan:\n  osv-max-age: ${{ vars.PAVED_OSV_MAX_AGE }}\n"
    jobs = {job.id: dict(job.inputs) for job in compose(load(text, "p"), PIN).jobs}
    assert jobs["security-scan"]["osv-max-age"] == "${{ vars.PAVED_OSV_MAX_AGE }}"
    with pytest.raises(ConfigError):
        load(text.replace("${{ vars.PAVED_OSV_MAX_AGE }}", "soon"), "p")


def test_without_a_production_environment_the_guard_watches_the_last_deploy():
    text = (SEEDS / "seed-step1.yaml").read_text(encoding="utf-8").replace("production", "live")
    jobs = [job.id for job in compose(load(text, "p.yaml"), PIN).jobs]
    assert jobs[-4:] == [
        "deploy-live",
        "rollback-guard-deploy-live",
        "rollback-deploy-live",
        "ci-metrics",
    ]


def test_a_canary_weight_over_100_is_an_error_at_its_place():
    text = (SEEDS / "seed-python-api.yaml").read_text(encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(text.replace("max-weight: 100", "max-weight: 120"), "pipeline-config.yaml")
    assert str(caught.value) == (
        "pipeline-config.yaml:26:19: stages[2].canary.max-weight: 120 is out of range "
        "(valid: a whole number from 1 to 100)"
    )


def test_a_deploy_stage_can_set_deploy_settings_for_itself_over_the_deploy_block():
    text = (SEEDS / "seed-step1.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    environment: production\n", "    environment: production\n    replicas: 4\n"
    )
    jobs = {
        job.id: dict(job.inputs)
        for job in compose(load(text + "deploy:\n  replicas: 2\n", "p"), PIN).jobs
    }
    assert jobs["deploy-staging"]["replicas"] == "2"
    assert jobs["deploy-production"]["replicas"] == "4"


def test_a_deploy_setting_on_a_task_stage_is_an_error():
    text = (SEEDS / "seed-step1.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    tasks: [build-and-test, security-scan]\n",
        "    tasks: [build-and-test, security-scan]\n    replicas: 4\n",
    )
    with pytest.raises(ConfigError) as caught:
        load(text, "p.yaml")
    assert str(caught.value).startswith(
        "p.yaml:8:5: stages[0]: 'replicas' is a deploy setting, and this stage runs tasks"
    )


def test_the_guard_checks_the_slos_after_production_and_a_fail_rolls_back_to_what_served():
    jobs = {job.id: job for job in _pipeline("seed-step1.yaml").jobs}
    guard = dict(jobs["rollback-guard-deploy-production"].inputs)
    assert guard == {
        "prometheus-url": Variable("PAVED_PROMETHEUS_URL"),
        "app": "myapp",
        "mode": "slo",
    }
    rollback = jobs["rollback-deploy-production"]
    assert rollback.gate is Gate.GUARD_FAILED
    assert dict(rollback.inputs)["image"] == Output("deploy-production", "previous-image")
    assert dict(rollback.inputs)["strategy"] == "direct"
    assert rollback.environment == "production"


def test_the_guards_settings_come_from_its_block():
    text = (SEEDS / "seed-step1.yaml").read_text(encoding="utf-8")
    text += "rollback-guard:\n  prometheus-url: http://prometheus:9090\n  looks: 5\n"
    jobs = {job.id: dict(job.inputs) for job in compose(load(text, "p"), PIN).jobs}
    assert jobs["rollback-guard-deploy-production"] == {
        "prometheus-url": "http://prometheus:9090",
        "app": "myapp",
        "mode": "slo",
        "looks": "5",
    }


def test_a_rollback_keeps_the_stages_deploy_settings_but_never_waits_for_approval():
    text = (SEEDS / "seed-step1.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    environment: production\n",
        "    environment: production\n    replicas: 4\n    gate-after: '10'\n",
    )
    jobs = {job.id: dict(job.inputs) for job in compose(load(text, "p"), PIN).jobs}
    assert jobs["deploy-production"]["gate-after"] == "10"
    assert jobs["rollback-deploy-production"]["replicas"] == "4"
    assert "gate-after" not in jobs["rollback-deploy-production"]


def test_a_target_or_registry_known_only_at_run_time_keeps_the_platforms_variables():
    text = (SEEDS / "seed-step1.yaml").read_text(encoding="utf-8")
    text += "deploy:\n  target: ${{ vars.PAVED_DEPLOY_TARGET }}\n"
    text += "container-build:\n  registry: ${{ vars.MY_REGISTRY }}\n"
    jobs = {job.id: dict(job.inputs) for job in compose(load(text, "p"), PIN).jobs}
    assert jobs["deploy-production"]["target"] == "${{ vars.PAVED_DEPLOY_TARGET }}"
    assert jobs["deploy-production"]["docker-host"] == Variable("PAVED_DOCKER_HOST")
    assert jobs["container-build"]["registry"] == "${{ vars.MY_REGISTRY }}"

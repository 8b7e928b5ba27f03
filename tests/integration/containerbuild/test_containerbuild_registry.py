"""The example service image, built from the offline base, pushed, and checked in the registry."""

from __future__ import annotations

import json

import pytest
from components.registry import free_port
from containerbuild_integration_support import SHA

pytestmark = pytest.mark.integration


def test_release_tag_pushes_every_tag_to_the_digest_it_reports(
    paved, service_context, local_registry, engine
):
    run = paved(
        service_context,
        f"--registry={local_registry.host}",
        "--build-arg=APP_VERSION=1.2.3",
        ref="refs/tags/v1.2.3",
    )

    assert run.exit_code == 0, run.stderr[-3000:]
    outcome = run.outcome
    name = f"{local_registry.host}/pavedhq/python-service"
    digest = outcome["digest"]
    assert outcome["image"] == f"{name}@{digest}"
    assert outcome["tag_list"] == ["1.2.3", "1.2", "1", "v1.2.3", "sha-0123456", "latest"]
    for tag in outcome["tag_list"]:
        assert local_registry.manifest_digest("pavedhq/python-service", tag) == digest, tag
    assert outcome["verified"] is True
    assert outcome["pushed_size_bytes"] > 10_000_000
    labels = outcome["label_map"]
    assert labels["org.opencontainers.image.version"] == "1.2.3"
    assert labels["org.opencontainers.image.revision"] == SHA
    assert labels["org.opencontainers.image.licenses"] == "MIT"
    assert labels["org.opencontainers.image.source"] == "https://github.com/pavedhq/python-service"
    config = json.loads(engine.docker("image", "inspect", f"{name}:1.2.3").stdout)[0]["Config"]
    assert config["User"] == "10001:10001"
    assert "/health" in " ".join(config["Healthcheck"]["Test"])
    assert "8080/tcp" in config["ExposedPorts"]
    assert "APP_VERSION=1.2.3" in config["Env"]
    assert config["Labels"]["org.opencontainers.image.version"] == "1.2.3"


def test_a_rebuild_on_the_default_branch_uses_the_cache_and_moves_latest(
    paved, service_context, local_registry
):
    first = paved(
        service_context, f"--registry={local_registry.host}", "--image-name=pavedhq/cached"
    )
    second = paved(
        service_context, f"--registry={local_registry.host}", "--image-name=pavedhq/cached"
    )

    assert first.exit_code == second.exit_code == 0, second.stderr[-3000:]
    assert second.outcome["tag_list"] == ["main", "sha-0123456", "latest"]
    assert second.outcome["cache_hits"] >= 5
    assert local_registry.manifest_digest("pavedhq/cached", "latest") == second.outcome["digest"]


def test_a_failing_dockerfile_step_is_named_at_its_line_and_pushes_nothing(
    paved, broken_context, local_registry
):
    run = paved(broken_context, f"--registry={local_registry.host}", "--image-name=pavedhq/broken")

    assert run.exit_code == 1
    [failure] = run.outcome["failures"]
    lines = (broken_context / "Dockerfile").read_text(encoding="utf-8").splitlines()
    assert failure["kind"] == "build-failed"
    assert lines[failure["line"] - 1] == "RUN echo 'about to fail' && exit 7"
    assert "exit 7" in failure["message"]
    assert "returned a non-zero code: 7" in failure["message"]
    assert run.outcome["image"] is None
    assert local_registry.tags("pavedhq/broken") == []


def test_an_unreachable_registry_is_an_environment_error_before_anything_is_built(
    paved, service_context
):
    run = paved(
        service_context, f"--registry=127.0.0.1:{free_port()}", "--image-name=pavedhq/nowhere"
    )

    assert run.exit_code == 3
    assert "is not reachable" in run.stderr
    assert "registry 127.0.0.1:" in run.stderr
    assert run.outcome["result"] == "error"


def test_an_invalid_tag_template_names_the_rule_and_the_valid_placeholders(
    paved, service_context, local_registry
):
    run = paved(
        service_context,
        f"--registry={local_registry.host}",
        "--image-name=pavedhq/badtag",
        "--tag=type=raw,value={{nope}}",
    )

    assert run.exit_code == 2
    assert "type=raw,value={{nope}}" in run.stderr
    assert "unknown placeholder {{nope}}" in run.stderr
    assert "{{branch}}" in run.stderr
    assert local_registry.tags("pavedhq/badtag") == []


def test_a_missing_docker_engine_says_how_to_start_one(
    paved, service_context, local_registry, tmp_path
):
    missing = f"unix://{tmp_path / 'no-such-docker.sock'}"
    run = paved(
        service_context,
        f"--registry={local_registry.host}",
        "--image-name=pavedhq/noengine",
        env={"DOCKER_HOST": missing},
    )

    assert run.exit_code == 3
    assert f"the Docker engine at {missing} is not reachable" in run.stderr
    assert "start the engine" in run.stderr
    assert local_registry.tags("pavedhq/noengine") == []

"""What docker/build-push-action and metadata-action users expect, against the real engine and
registries: several images, no-cache, pull, imageid, metadata, a PEP 440 pre-release tag."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from components import registry as registry_component
from components.errors import ComponentError

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def second_registry():
    """Another registry on another port: another host, as ghcr.io beside docker.io."""
    try:
        with registry_component.running_registry() as running:
            yield running
    except ComponentError as exc:
        pytest.fail(str(exc))


def test_several_images_on_two_registries_are_each_pushed_and_verified_by_digest(
    paved, service_context, local_registry, second_registry
):
    first = f"{local_registry.host}/acme/multi"
    second = f"{second_registry.host}/mirror/multi"
    run = paved(service_context, f"--images={first}", f"--images={second}", ref="refs/tags/v1.2.3")

    assert run.exit_code == 0, run.stderr[-3000:]
    outcome = run.outcome
    tags = ["1.2.3", "1.2", "1", "v1.2.3", "sha-0123456", "latest"]
    assert outcome["tag_list"] == tags
    images = {image["name"]: image for image in outcome["images"]}
    assert list(images) == [first, second]
    for registry, name, repository in (
        (local_registry, first, "acme/multi"),
        (second_registry, second, "mirror/multi"),
    ):
        digest = images[name]["digest"]
        assert digest.startswith("sha256:")
        assert sorted(registry.tags(repository)) == sorted(tags)
        for tag in tags:
            assert registry.manifest_digest(repository, tag) == digest, f"{name}:{tag}"
    assert outcome["image"] == f"{first}@{images[first]['digest']}"
    assert outcome["tags"].splitlines() == [f"{n}:{t}" for n in (first, second) for t in tags]
    metadata = json.loads(outcome["metadata"])
    assert metadata["containerimage.digest"] == outcome["digest"] == images[first]["digest"]
    assert metadata["image.name"].split(",") == outcome["tags"].splitlines()
    assert [i["digest"] for i in metadata["paved.images"]] == [
        images[first]["digest"],
        images[second]["digest"],
    ]
    assert all(check["matches"] for check in outcome["tag_checks"])
    assert len(outcome["tag_checks"]) == 2 * len(tags)


def test_imageid_is_the_id_docker_image_inspect_shows(paved, service_context, engine):
    run = paved(service_context, "--image-name=acme/imageid", push=False)

    assert run.exit_code == 0, run.stderr[-3000:]
    reference = run.outcome["tags"].splitlines()[0]
    inspected = engine.docker("image", "inspect", "--format", "{{.Id}}", reference)
    assert inspected.returncode == 0, inspected.stderr
    assert run.outcome["imageid"] == inspected.stdout.strip()
    assert run.outcome["imageid"].startswith("sha256:")
    assert (
        json.loads(run.outcome["metadata"])["containerimage.config.digest"]
        == (run.outcome["imageid"])
    )


def test_push_defaults_to_false_as_in_build_push_action(
    paved, service_context, local_registry, engine
):
    run = paved(
        service_context,
        f"--registry={local_registry.host}",
        "--image-name=acme/notpushed",
        push=False,
    )

    assert run.exit_code == 0, run.stderr[-3000:]
    assert run.outcome["pushed"] is False
    assert run.outcome["image"] is None
    assert local_registry.tags("acme/notpushed") == []
    reference = f"{local_registry.host}/acme/notpushed:main"
    assert engine.docker("image", "inspect", reference).returncode == 0  # built and loaded


def test_no_cache_rebuilds_every_step_with_no_cache_hit(paved, service_context):
    warm = paved(service_context, "--image-name=acme/nocache", push=False)
    cold = paved(service_context, "--image-name=acme/nocache", "--no-cache", push=False)

    assert warm.exit_code == cold.exit_code == 0, cold.stderr[-3000:]
    assert warm.outcome["cache_hits"] >= 5
    assert cold.outcome["cache_hits"] == 0
    assert cold.outcome["build"]["steps"] == warm.outcome["build"]["steps"]
    assert "--no-cache" in cold.outcome["build"]["command"]
    assert cold.outcome["imageid"] != warm.outcome["imageid"]


def test_pull_takes_the_base_image_from_the_registry_not_the_engines_stale_copy(
    paved, base, engine, local_registry, tmp_path: Path
):
    upstream = f"{local_registry.host}/pulltest/base:1"
    assert engine.docker("tag", base.name, upstream).returncode == 0
    pushed = engine.docker("push", upstream, timeout=300)
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    # The engine's own copy of that name now differs from the registry's: it has /stale.
    stale = tmp_path / "stale"
    stale.mkdir()
    (stale / "Dockerfile").write_text(f"FROM {upstream}\nRUN touch /stale\n", encoding="utf-8")
    built = engine.docker("build", "--tag", upstream, str(stale), timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    context = tmp_path / "app"
    context.mkdir()
    (context / "Dockerfile").write_text(f"FROM {upstream}\nRUN test ! -e /stale\n", "utf-8")

    without = paved(context, "--image-name=acme/pull", "--builder=docker", push=False)
    pulled = paved(context, "--image-name=acme/pull", "--builder=docker", "--pull", push=False)

    assert without.exit_code == 1
    assert "test ! -e /stale" in without.outcome["failures"][0]["message"]
    assert pulled.exit_code == 0, pulled.stderr[-3000:]
    assert "--pull" in pulled.outcome["build"]["command"]


def test_a_pep440_pre_release_tag_gets_its_own_tag(paved, service_context, local_registry):
    run = paved(
        service_context,
        f"--registry={local_registry.host}",
        "--image-name=acme/rc",
        ref="refs/tags/1.2.3rc1",
    )

    assert run.exit_code == 0, run.stderr[-3000:]
    assert run.outcome["tag_list"] == ["1.2.3rc1", "sha-0123456"]
    assert run.outcome["version"] == "1.2.3rc1"
    digest = run.outcome["digest"]
    assert local_registry.manifest_digest("acme/rc", "1.2.3rc1") == digest
    assert sorted(local_registry.tags("acme/rc")) == ["1.2.3rc1", "sha-0123456"]


@pytest.mark.parametrize("flag", ["--provenance=mode=max", "--sbom=true"])
def test_attestations_need_buildx_and_say_to_install_it(paved, service_context, engine, flag):
    buildx = engine.docker("buildx", "version").returncode == 0
    run = paved(service_context, "--image-name=acme/attest", flag, push=False)
    classic = paved(service_context, "--image-name=acme/attest", "--builder=docker", flag)

    if buildx:
        assert run.exit_code == 0, run.stderr[-3000:]
        assert flag in run.outcome["build"]["command"]
    else:
        assert run.exit_code == 3
        assert "need docker buildx, which is not installed" in run.stderr
        assert "install the docker buildx plugin" in run.stderr
    assert classic.exit_code == 2
    assert "builder docker was asked for" in classic.stderr

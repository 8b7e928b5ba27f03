"""Orchestration with fakes of our own interfaces: push first, tags after, every tag checked."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from containerbuild_support import make_event
from fakes.docker import DIGEST, FakeEngine
from fakes.registry import FakeRegistry
from fakes.workspace import ScriptedWorkspace
from paved.adapters.docker import (
    BuildResult,
    FailedStep,
    PushResult,
)
from paved.adapters.docker.build_output import read_buildkit, read_legacy
from paved.containerbuild import (
    DEFAULT_RULES,
    ContainerBuildOptions,
    RegistryCredentials,
    build_and_push,
    parse_images,
    parse_rules,
)
from paved.report.containerbuild import failure_message, render

ROOT = Path(__file__).resolve().parents[3]
OTHER = "sha256:" + "b" * 64
DOCKERFILE = "FROM base\nRUN make\nRUN false\n"


def _workspace() -> ScriptedWorkspace:
    return ScriptedWorkspace(
        {Path("/src/Dockerfile"): DOCKERFILE}, dirs={Path("/src")}, commands_allowed=False
    )


def _options(**changes) -> ContainerBuildOptions:
    values = {
        "context": Path("/src"),
        "dockerfile": Path("/src/Dockerfile"),
        "registry": "127.0.0.1:5000",
        "repository": "acme/api",
        "tag_rules": parse_rules(DEFAULT_RULES),
        "push": True,
    }
    values.update(changes)
    return ContainerBuildOptions(**values)


def _run(engine, registry, **changes):
    registries = {"127.0.0.1:5000": registry, "ghcr.io": registry}
    return build_and_push(
        _options(**changes), make_event("refs/tags/v1.2.3"), engine, registries, _workspace()
    )


def test_the_anchor_is_pushed_first_then_the_other_tags_get_its_manifest():
    engine = FakeEngine(BuildResult(ok=True, duration_seconds=1.0))
    registry = FakeRegistry()
    registry.tags["sha-0123456"] = DIGEST  # what docker push wrote
    outcome = _run(engine, registry, credentials=RegistryCredentials("bot", "s3cret"))
    assert engine.calls == [
        "login bot",
        "build",
        "push 127.0.0.1:5000/acme/api:sha-0123456",
        "logout",
    ]
    assert registry.puts == ["1.2.3", "1.2", "1", "v1.2.3", "latest"]
    assert outcome.image == f"127.0.0.1:5000/acme/api@{DIGEST}"
    assert outcome.verified
    assert "s3cret" not in render(outcome).json_document
    assert "s3cret" not in repr(_options(credentials=RegistryCredentials("bot", "s3cret")))


def test_a_failed_push_moves_no_tag_and_fails():
    engine = FakeEngine(
        BuildResult(ok=True, duration_seconds=1.0),
        PushResult(ok=False, output_tail="blob upload unknown"),
    )
    registry = FakeRegistry()
    outcome = _run(engine, registry)
    assert registry.puts == []
    assert outcome.image is None
    assert outcome.failures[0].kind == "push-failed"
    assert render(outcome).exit_code == 1


def test_a_tag_that_differs_in_the_registry_fails_the_run():
    engine = FakeEngine(BuildResult(ok=True, duration_seconds=1.0))
    registry = FakeRegistry(drift={"1.2": OTHER})
    registry.tags["sha-0123456"] = DIGEST
    outcome = _run(engine, registry)
    assert not outcome.verified
    assert outcome.image is None
    [failure] = outcome.failures
    assert failure.kind == "digest-mismatch"
    assert ":1.2 is " + OTHER in failure_message(failure)
    assert render(outcome).outputs["digest"] == ""


def test_a_failing_step_is_located_at_its_dockerfile_line():
    step = FailedStep(
        instruction="RUN false",
        number=3,
        message="The command '/bin/sh -c false' returned a non-zero code: 1",
    )
    outcome = _run(
        FakeEngine(BuildResult(ok=False, duration_seconds=1.0, failed_step=step)), FakeRegistry()
    )
    [failure] = outcome.failures
    assert (failure.file, failure.line) == ("/src/Dockerfile", 3)
    assert "step 3 `RUN false`" in failure_message(failure)
    [annotation] = render(outcome).annotations
    assert annotation.line == 3


def test_outputs_are_the_action_outputs():
    engine = FakeEngine(BuildResult(ok=True, duration_seconds=1.0))
    registry = FakeRegistry()
    registry.tags["sha-0123456"] = DIGEST
    rendered = render(_run(engine, registry))
    action = yaml.safe_load(
        (ROOT / "actions" / "container-build" / "action.yml").read_text(encoding="utf-8")
    )
    assert set(action["outputs"]) == {*rendered.outputs, "outcome-path"}


LEGACY = """\
Step 1/3 : FROM base
 ---> 1234
Step 2/3 : RUN make
 ---> Using cache
 ---> 5678
Step 3/3 : RUN false
 ---> Running in 9abc
The command '/bin/sh -c false' returned a non-zero code: 1""".splitlines()

BUILDKIT = """\
#5 [2/3] RUN make
#5 CACHED
#6 [3/3] RUN false
#6 ERROR: process "/bin/sh -c false" did not complete successfully: exit code: 1
------
 > [3/3] RUN false:
------
Dockerfile:3
--------------------
   3 | >>> RUN false
--------------------
ERROR: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1
""".splitlines()


def test_build_output_of_both_builders_names_the_failing_step():
    legacy = read_legacy(LEGACY, failed=True)
    assert (legacy.steps, legacy.cache_hits) == (3, 1)
    assert legacy.failed_step == FailedStep(
        "RUN false", 3, None, "The command '/bin/sh -c false' returned a non-zero code: 1"
    )
    kit = read_buildkit(BUILDKIT, failed=True)
    assert kit.cache_hits == 1
    assert (kit.failed_step.instruction, kit.failed_step.number, kit.failed_step.line) == (
        "RUN false",
        3,
        3,
    )
    assert kit.failed_step.message.startswith("failed to solve")


def test_every_image_is_pushed_to_its_own_registry_and_verified_there():
    engine = FakeEngine(BuildResult(ok=True, duration_seconds=1.0, image_id="sha256:" + "c" * 64))
    here, there = FakeRegistry(), FakeRegistry()
    here.tags["sha-0123456"] = there.tags["sha-0123456"] = DIGEST
    images = parse_images(["127.0.0.1:5000/acme/api", "ghcr.io/acme/api"])
    outcome = build_and_push(
        _options(images=images, credentials=RegistryCredentials("bot", "s3cret")),
        make_event("refs/tags/v1.2.3"),
        engine,
        {"127.0.0.1:5000": here, "ghcr.io": there},
        _workspace(),
    )
    assert engine.calls == [
        "login bot",
        "build",
        "push 127.0.0.1:5000/acme/api:sha-0123456",
        "push ghcr.io/acme/api:sha-0123456",
        "logout",
    ]
    assert here.puts == there.puts == ["1.2.3", "1.2", "1", "v1.2.3", "latest"]
    assert outcome.verified
    assert [c.reference for c in outcome.tag_checks][:2] == [
        "127.0.0.1:5000/acme/api:1.2.3",
        "127.0.0.1:5000/acme/api:1.2",
    ]
    rendered = render(outcome)
    assert rendered.outputs["imageid"] == "sha256:" + "c" * 64
    metadata = json.loads(rendered.outputs["metadata"])
    assert metadata["containerimage.digest"] == DIGEST
    assert len(metadata["image.name"].split(",")) == 12


def test_one_image_that_fails_to_push_fails_the_run_and_reports_no_image():
    engine = FakeEngine(BuildResult(ok=True, duration_seconds=1.0))
    here, there = FakeRegistry(), FakeRegistry(drift={"latest": OTHER})
    here.tags["sha-0123456"] = there.tags["sha-0123456"] = DIGEST
    images = parse_images(["127.0.0.1:5000/acme/api", "ghcr.io/acme/api"])
    outcome = build_and_push(
        _options(images=images),
        make_event("refs/tags/v1.2.3"),
        engine,
        {"127.0.0.1:5000": here, "ghcr.io": there},
        _workspace(),
    )
    [failure] = outcome.failures
    assert failure_message(failure).startswith("ghcr.io/acme/api:latest is ")
    assert outcome.image is None
    assert "login bot" not in engine.calls
    assert render(outcome).outputs["digest"] == ""


def test_a_failed_push_of_one_of_several_images_names_that_image():
    engine = FakeEngine(
        BuildResult(ok=True, duration_seconds=1.0),
        PushResult(ok=False, output_tail="denied: no such repository"),
    )
    images = parse_images(["127.0.0.1:5000/acme/api", "ghcr.io/acme/api"])
    registries = {"127.0.0.1:5000": FakeRegistry(), "ghcr.io": FakeRegistry()}
    outcome = build_and_push(
        _options(images=images), make_event("refs/tags/v1.2.3"), engine, registries, _workspace()
    )
    assert [failure_message(f) for f in outcome.failures] == [
        "docker push 127.0.0.1:5000/acme/api:sha-0123456 failed: denied: no such repository",
        "docker push ghcr.io/acme/api:sha-0123456 failed: denied: no such repository",
    ]
    assert outcome.image is None

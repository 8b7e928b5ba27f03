"""container-build: tags and labels, build, push by digest, tag, verify. Knows only interfaces.

The order keeps every tag honest. The image content goes into the registry first (buildx:
push by digest, no tag; classic builder: `docker push` of one tag, whose manifest the registry
accepts only once every blob is there). Only then do the other tags get that same manifest,
and finally every tag is read back and compared with the digest we report.
"""

from __future__ import annotations

import shlex
from dataclasses import replace
from typing import TYPE_CHECKING

from paved import log
from paved.adapters.docker import BuildResult
from paved.containerbuild.dockerfile import locate
from paved.containerbuild.metadata import ImageMetadata, compute_metadata
from paved.containerbuild.options import ContainerBuildOptions, validate
from paved.containerbuild.outcome import ContainerBuildOutcome, Failure, FailureKind, TagCheck
from paved.containerbuild.plan import anchor_tag, build_request, choose_buildx, loaded
from paved.errors import UsageError
from paved.model import repo_relative

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from paved.adapters.docker import DockerEngine
    from paved.adapters.registry import Registry
    from paved.adapters.workspace import Workspace
    from paved.containerbuild.event import GitEvent
    from paved.containerbuild.options import ImageName


def build_and_push(
    options: ContainerBuildOptions,
    event: GitEvent,
    engine: DockerEngine,
    registries: Mapping[str, Registry],
    workspace: Workspace,
    *,
    repo_root: str = "",
) -> ContainerBuildOutcome:
    """Build the image, push it (to each image's registry in `registries`, by host), and prove
    every tag names the digest reported."""
    validate(options)
    if not workspace.exists(options.context):
        raise UsageError(f"{options.context} does not exist", name="context", valid="a directory")
    dockerfile_text = workspace.read_text(options.dockerfile)
    if dockerfile_text is None:
        raise UsageError(f"{options.dockerfile} does not exist", name="file", valid="a Dockerfile")
    metadata = compute_metadata(
        [target.name for target in options.targets],
        options.tag_rules,
        event,
        latest=options.latest,
        title=options.title,
        extra_labels=options.labels,
    )
    for note in metadata.notes:
        log.info(f"tags: {note}")
    log.info("tags: " + ", ".join(metadata.tags))
    info = engine.check()
    buildx = choose_buildx(options, buildx_installed=info.buildx)
    if options.push:
        _ping(options, registries)  # before a long build, not after it
    request = build_request(options, metadata, buildx=buildx)
    outcome = ContainerBuildOutcome(
        metadata=metadata,
        builder="buildx" if buildx else "docker",
        engine_version=info.server_version,
        dockerfile=repo_relative(options.dockerfile, repo_root)
        if repo_root
        else str(options.dockerfile),
        build=_not_run(),
        build_command=shlex.join(["docker", *request.args, str(options.context)]),
        push=options.push,
    )
    logged_in = False
    try:
        if options.push and options.credentials is not None and _logs_in(options):
            engine.login(
                options.registry, options.credentials.username, options.credentials.password
            )
            logged_in = True
        with log.section(f"build {metadata.name} ({outcome.builder})"):
            result = engine.build(request)
        outcome = _replace(outcome, build=result)
        if not result.ok:
            return _replace(outcome, failures=(_build_failure(result, dockerfile_text, outcome),))
        if loaded(options, buildx=buildx):
            outcome = _replace(outcome, image_size_bytes=engine.image_size(metadata.references[0]))
        if not options.push:
            return outcome
        return _push_and_verify(options, metadata, engine, registries, outcome)
    finally:
        if logged_in:
            engine.logout(options.registry)


def _push_and_verify(
    options: ContainerBuildOptions,
    metadata: ImageMetadata,
    engine: DockerEngine,
    registries: Mapping[str, Registry],
    outcome: ContainerBuildOutcome,
) -> ContainerBuildOutcome:
    """Each image in turn: its content in first, then its tags, then every tag read back."""
    for target in options.targets:
        outcome = _push_one(target, metadata, engine, registries[target.registry], outcome)
    return outcome


def _push_one(
    target: ImageName,
    metadata: ImageMetadata,
    engine: DockerEngine,
    registry: Registry,
    outcome: ContainerBuildOutcome,
) -> ContainerBuildOutcome:
    tagged_by_push: set[str] = set()
    digest = outcome.build.pushed_digest
    if outcome.builder == "docker":
        anchor = anchor_tag(metadata)
        with log.section(f"push {target.name}:{anchor}"):
            pushed = engine.push(f"{target.name}:{anchor}")
        if not pushed.ok:
            last = pushed.output_tail.strip().splitlines()[-1:] or ["no output"]
            failure = Failure(
                FailureKind.PUSH_FAILED, reference=f"{target.name}:{anchor}", detail=last[0]
            )
            return _replace(outcome, failures=(*outcome.failures, failure))
        digest = pushed.digest
        tagged_by_push.add(anchor)
    if digest is None:
        failure = Failure(FailureKind.PUSH_FAILED, reference=target.name)
        return _replace(outcome, failures=(*outcome.failures, failure))
    manifest = registry.manifest(target.repository, digest)
    if manifest is None:
        failure = Failure(FailureKind.PUSH_FAILED, reference=target.name, digest=digest)
        return _replace(outcome, failures=(*outcome.failures, failure))
    for tag in metadata.tags:
        if tag not in tagged_by_push:
            log.info(f"tag {target.name}:{tag} -> {digest}")
            registry.put_manifest(target.repository, tag, manifest)
    checks = []
    for tag in metadata.tags:
        found = registry.manifest(target.repository, tag)
        checks.append(
            TagCheck(
                tag=tag,
                registry_digest=found.digest if found else None,
                expected=digest,
                name=target.name,
            )
        )
    failures = tuple(_check_failure(check) for check in checks if not check.matches)
    first = not outcome.digests
    return _replace(
        outcome,
        digest=digest if first else outcome.digest,
        pushed_size_bytes=manifest.content_size if first else outcome.pushed_size_bytes,
        digests=(*outcome.digests, (target.name, digest)),
        tag_checks=(*outcome.tag_checks, *checks),
        failures=(*outcome.failures, *failures),
    )


def _ping(options: ContainerBuildOptions, registries: Mapping[str, Registry]) -> None:
    for host in dict.fromkeys(target.registry for target in options.targets):
        registries[host].ping()


def _logs_in(options: ContainerBuildOptions) -> bool:
    """The credentials are for `registry`: log in only when an image goes there."""
    return any(target.registry == options.registry for target in options.targets)


def _check_failure(check: TagCheck) -> Failure:
    reference = check.reference
    if check.registry_digest is None:
        return Failure(FailureKind.TAG_MISSING, reference=reference, digest=check.expected)
    return Failure(
        FailureKind.DIGEST_MISMATCH,
        reference=reference,
        digest=check.expected,
        found=check.registry_digest,
    )


def _build_failure(
    result: BuildResult, dockerfile_text: str, outcome: ContainerBuildOutcome
) -> Failure:
    step = result.failed_step
    if step is None:
        return Failure(FailureKind.BUILD_FAILED, file=outcome.dockerfile)
    line = step.line
    instruction = step.instruction
    found = locate(dockerfile_text, step.number, step.instruction)
    if found is not None:
        line = line or found.line
        instruction = instruction or found.text
    return Failure(
        FailureKind.BUILD_FAILED,
        file=outcome.dockerfile,
        line=line,
        step=step.number,
        instruction=instruction,
        detail=step.message or "",
    )


def _shown(path: Path, repo_root: str) -> str:
    return repo_relative(path, repo_root) if repo_root else str(path)


def _not_run() -> BuildResult:
    return BuildResult(ok=False, duration_seconds=0.0)


def _replace(outcome: ContainerBuildOutcome, **changes: object) -> ContainerBuildOutcome:
    return replace(outcome, **changes)  # type: ignore[arg-type]

"""container-build as text: job summary, console report, JSON outcome, outputs and annotations."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, assert_never

from paved.containerbuild.outcome import Failure, FailureKind
from paved.model import Annotation, Level, Rendered
from paved.report import markdown as md
from paved.report.outcome_json import RESULT_ICON, assemble

if TYPE_CHECKING:
    from paved.containerbuild.outcome import ContainerBuildOutcome

CAPABILITY = "container-build"


def render(outcome: ContainerBuildOutcome) -> Rendered:
    """Everything a front end shows for one container-build outcome."""
    return assemble(
        CAPABILITY,
        outcome.result,
        outcome_fields(outcome),
        summary=summary(outcome),
        console=console(outcome),
        annotations=annotations_for(outcome),
    )


def outcome_fields(outcome: ContainerBuildOutcome) -> dict[str, object]:
    """The JSON outcome's fields; top-level scalars are also the action's outputs."""
    meta = outcome.metadata
    build = outcome.build
    digests = dict(outcome.digests) if outcome.pushed else {}
    return {
        "result": outcome.result.value,
        "image": outcome.image,
        "digest": outcome.digest if outcome.pushed else None,
        "imageid": build.image_id,
        "metadata": json.dumps(build_metadata(outcome), sort_keys=True),
        "name": meta.name,
        "tags": "\n".join(meta.references),
        "labels": "\n".join(f"{k}={v}" for k, v in meta.labels),
        "version": meta.version,
        "pushed": outcome.pushed,
        "verified": outcome.verified,
        "builder": outcome.builder,
        "image_size_bytes": outcome.image_size_bytes,
        "pushed_size_bytes": outcome.pushed_size_bytes,
        "build_seconds": round(build.duration_seconds, 3),
        "cache_hits": build.cache_hits,
        "tag_list": list(meta.tags),
        "label_map": dict(meta.labels),
        "annotations": list(meta.annotations),
        "images": [
            {"name": name, "digest": digests.get(name), "tags": [f"{name}:{t}" for t in meta.tags]}
            for name in meta.names
        ],
        "tag_checks": [
            {
                "tag": c.tag,
                "reference": c.reference,
                "registry_digest": c.registry_digest,
                "matches": c.matches,
            }
            for c in outcome.tag_checks
        ],
        "failures": [
            {"kind": f.kind.value, "message": failure_message(f), "file": f.file, "line": f.line}
            for f in outcome.failures
        ],
        "build": {
            "command": outcome.build_command,
            "dockerfile": outcome.dockerfile,
            "engine_version": outcome.engine_version,
            "steps": build.steps,
            "image_id": build.image_id,
        },
        "notes": list(meta.notes),
    }


def build_metadata(outcome: ContainerBuildOutcome) -> dict[str, object]:
    """The `metadata` output, keyed as buildx's --metadata-file (docker/build-push-action's
    `metadata`): the manifest digest, the image id, every name:tag; plus each image's digest."""
    meta = outcome.metadata
    digests = dict(outcome.digests) if outcome.pushed else {}
    document: dict[str, object] = {
        "containerimage.config.digest": outcome.build.image_id,
        "image.name": ",".join(meta.references),
        "paved.images": [{"name": name, "digest": digests.get(name)} for name in meta.names],
    }
    if outcome.pushed and outcome.digest:
        document["containerimage.digest"] = outcome.digest
    return document


def summary(outcome: ContainerBuildOutcome) -> str:
    """The job summary in GitHub-flavoured markdown."""
    meta = outcome.metadata
    result = outcome.result
    parts = [f"## {RESULT_ICON[result.value]} container-build {result.value}: {md.code(meta.name)}"]
    build = outcome.build
    cache = "—" if build.cache_hits is None else f"{build.cache_hits}/{build.steps or '?'} steps"
    parts.append(
        md.table(
            ["Digest", "Size (pushed)", "Size (unpacked)", "Build time", "Cache hits", "Builder"],
            [
                [
                    md.Raw(md.code(outcome.digest)) if outcome.digest else "—",
                    _size(outcome.pushed_size_bytes),
                    _size(outcome.image_size_bytes),
                    md.seconds(build.duration_seconds),
                    cache,
                    outcome.builder,
                ]
            ],
            "lrrrrl",
        )
    )
    if outcome.failures:
        parts.append(
            "### Why it failed\n"
            + "\n".join(
                f"- {md.escape_text(_where(f.file, f.line))}{md.escape_text(failure_message(f))}"
                for f in outcome.failures
            )
        )
    checks = {c.reference: c for c in outcome.tag_checks}
    rows = []
    for reference in meta.references:
        check = checks.get(reference)
        state = "—" if check is None else ("✅ matches" if check.matches else "❌ differs")
        rows.append([md.Raw(md.code(reference)), state])
    parts.append("### Tags\n" + md.table(["Reference", "Registry digest"], rows))
    parts.append(
        "### Labels\n" + md.table(["Label", "Value"], [list(item) for item in meta.labels])
    )
    if build.output_tail and outcome.failures:
        parts.append(md.details("Build output (last lines)", md.code_block(build.output_tail)))
    return "\n\n".join(parts) + "\n"


def console(outcome: ContainerBuildOutcome) -> str:
    """A short plain-text report for a terminal."""
    meta = outcome.metadata
    build = outcome.build
    lines = [f"container-build {outcome.result.value}: {meta.name} ({outcome.builder})"]
    if outcome.image:
        lines.append(f"  image: {outcome.image}")
    cache = "" if build.cache_hits is None else f", {build.cache_hits} cached steps"
    lines.append(f"  build: {md.seconds(build.duration_seconds)}{cache}")
    checks = {c.reference: c for c in outcome.tag_checks}
    for reference in meta.references:
        check = checks.get(reference)
        state = (
            ""
            if check is None
            else ("  verified" if check.matches else f"  DIFFERS: {check.registry_digest}")
        )
        lines.append(f"  tag {reference}{state}")
    lines.extend(f"  - {_where(f.file, f.line)}{failure_message(f)}" for f in outcome.failures)
    return "\n".join(lines) + "\n"


def annotations_for(outcome: ContainerBuildOutcome) -> tuple[Annotation, ...]:
    """One error per failure; a failing Dockerfile step is shown at its line."""
    return tuple(
        Annotation(
            level=Level.ERROR,
            title=f"container-build: {f.kind.value}",
            message=failure_message(f),
            file=f.file if f.line is not None else None,
            line=f.line,
        )
        for f in outcome.failures
    )


def failure_message(failure: Failure) -> str:  # noqa: PLR0911 - one sentence per case
    """One sentence saying why the run failed."""
    kind = failure.kind
    if kind is FailureKind.BUILD_FAILED:
        if failure.instruction is None:
            return "the build failed"
        where = f"step {failure.step} " if failure.step else "step "
        detail = f": {failure.detail}" if failure.detail else ""
        return f"the build failed at {where}`{failure.instruction}`{detail}"
    if kind is FailureKind.PUSH_FAILED:
        # With several images the reference says which one's push failed.
        what = f" {failure.reference}" if failure.reference else ""
        if failure.detail:
            return f"docker push{what} failed: {failure.detail}"
        if failure.digest is not None:
            return f"the registry has no manifest {failure.digest}" + (
                f" for{what}" if what else ""
            )
        return f"the push{' of' + what if what else ''} reported no digest"
    if kind is FailureKind.TAG_MISSING:
        return f"the registry has no {failure.reference} after the push"
    if kind is FailureKind.DIGEST_MISMATCH:
        return f"{failure.reference} is {failure.found} in the registry, not {failure.digest}"
    assert_never(kind)


def _where(file: str | None, line: int | None) -> str:
    if file and line is not None:
        return f"{file}:{line}: "
    return ""


def _size(value: int | None) -> str:
    if value is None:
        return "—"
    size = float(value)
    for unit in ("B", "KiB", "MiB"):
        if size < 1024:  # noqa: PLR2004
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.2f} GiB"

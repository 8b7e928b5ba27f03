"""The docker command lines container-build runs. Pure: no process is started here.

buildx (when the plugin exists) builds and pushes by digest in one go: no tag moves until the
whole image is in the registry. The classic `docker build` tags locally; the push follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.adapters.docker import BuildRequest
from paved.containerbuild.options import Builder
from paved.errors import EnvironmentProblemError

if TYPE_CHECKING:
    from paved.containerbuild.metadata import ImageMetadata
    from paved.containerbuild.options import ContainerBuildOptions

BUILDX_HINT = (
    "install the docker buildx plugin (Debian trixie: docker-buildx; "
    "Docker's packages: docker-buildx-plugin)"
)


def choose_buildx(options: ContainerBuildOptions, *, buildx_installed: bool) -> bool:
    """Whether to build with buildx; raise when what was asked needs a plugin that is missing."""
    if options.builder is Builder.DOCKER:
        return False
    if buildx_installed:
        return True
    if options.builder is Builder.BUILDX:
        raise EnvironmentProblemError(
            "builder buildx was asked for but is not installed", hint=BUILDX_HINT
        )
    needs = [
        name
        for name, wanted in (
            ("secret-envs (build secrets)", options.secrets),
            ("cache-to", options.cache_to),
            ("several platforms", len(options.platforms) > 1),
        )
        if wanted
    ]
    if needs:
        raise EnvironmentProblemError(
            f"{', '.join(needs)} need docker buildx, which is not installed", hint=BUILDX_HINT
        )
    return False


def build_request(  # noqa: C901, PLR0912 - one branch per docker flag, flat on purpose
    options: ContainerBuildOptions, metadata: ImageMetadata, *, buildx: bool
) -> BuildRequest:
    """The build's argument list (after `docker`); secrets go by env name, never by value."""
    args: list[str] = ["buildx", "build", "--progress", "plain"] if buildx else ["build"]
    args += ["--file", str(options.dockerfile)]
    for key, value in metadata.labels:
        args += ["--label", f"{key}={value}"]
    for name, value in options.build_args:
        args += ["--build-arg", f"{name}={value}"]
    if options.platforms:
        args += ["--platform", ",".join(options.platforms)]
    for source in options.cache_from:
        args += ["--cache-from", source]
    if options.target:
        args += ["--target", options.target]
    if options.network:
        args += ["--network", options.network]
    if buildx:
        for secret in options.secrets:
            args += ["--secret", f"id={secret.id},env={secret.env}"]
        for sink in options.cache_to:
            args += ["--cache-to", sink]
        if options.push:
            # No tag in the registry moves here: the image goes in by digest, tags come after.
            output = (
                f"type=image,name={metadata.name},push-by-digest=true,name-canonical=true,push=true"
            )
            args += ["--output", output]
        else:
            args.append("--load")
    if not (buildx and options.push):
        for reference in metadata.references:
            args += ["--tag", reference]
    return BuildRequest(
        args=tuple(args),
        context=options.context,
        buildx=buildx,
        secret_envs=tuple(s.env for s in options.secrets) if buildx else (),
    )


def anchor_tag(metadata: ImageMetadata) -> str:
    """The one tag `docker push` moves first (classic builder): the commit's own tag if any.

    `docker push` uploads every layer and the config before it writes the manifest under the
    tag, and the registry refuses a manifest whose blobs are missing, so even this tag never
    names a half-pushed image. The other tags get the same manifest afterwards.
    """
    commit_tags = [t for t in metadata.tags if t.startswith("sha-")]
    return commit_tags[0] if commit_tags else metadata.tags[0]

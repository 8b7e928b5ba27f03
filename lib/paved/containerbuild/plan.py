"""The docker command lines container-build runs. Pure: no process is started here.

buildx (when the plugin exists) builds and pushes by digest in one go: no tag moves until the
whole image is in the registry. The classic `docker build` tags locally; the push follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.adapters.docker import BuildRequest
from paved.containerbuild.options import Builder
from paved.errors import EnvironmentProblemError, UsageError

if TYPE_CHECKING:
    from paved.containerbuild.metadata import ImageMetadata
    from paved.containerbuild.options import ContainerBuildOptions

BUILDX_HINT = (
    "install the docker buildx plugin (Debian trixie: docker-buildx; "
    "Docker's packages: docker-buildx-plugin)"
)


def choose_buildx(options: ContainerBuildOptions, *, buildx_installed: bool) -> bool:
    """Whether to build with buildx; raise when what was asked needs a plugin that is missing,
    or a builder that was ruled out."""
    needs = buildx_needs(options)
    if options.builder is Builder.DOCKER:
        if needs:
            raise UsageError(
                f"{', '.join(needs)} need buildx, but builder docker was asked for",
                name="builder",
                valid="auto or buildx, or drop those options",
            )
        return False
    if buildx_installed:
        return True
    if options.builder is Builder.BUILDX:
        raise EnvironmentProblemError(
            "builder buildx was asked for but is not installed", hint=BUILDX_HINT
        )
    if needs:
        raise EnvironmentProblemError(
            f"{', '.join(needs)} need docker buildx, which is not installed", hint=BUILDX_HINT
        )
    return False


def buildx_needs(options: ContainerBuildOptions) -> list[str]:
    """What was asked for that only buildx does."""
    return [
        name
        for name, wanted in (
            ("secret-envs (build secrets)", options.secrets),
            ("cache-to", options.cache_to),
            ("several platforms", len(options.platforms) > 1),
            ("provenance", options.provenance not in {None, "false"}),
            ("sbom", options.sbom not in {None, "false"}),
        )
        if wanted
    ]


def build_request(  # noqa: C901 - one branch per docker flag, flat on purpose
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
    if options.no_cache:
        args.append("--no-cache")
    if options.pull:
        args.append("--pull")
    if buildx:
        args += _buildx_only(options, metadata)
    if not (buildx and options.push):
        for reference in metadata.references:
            args += ["--tag", reference]
    return BuildRequest(
        args=tuple(args),
        context=options.context,
        buildx=buildx,
        secret_envs=tuple(s.env for s in options.secrets) if buildx else (),
    )


def _buildx_only(options: ContainerBuildOptions, metadata: ImageMetadata) -> list[str]:
    args: list[str] = []
    for secret in options.secrets:
        args += ["--secret", f"id={secret.id},env={secret.env}"]
    for sink in options.cache_to:
        args += ["--cache-to", sink]
    if options.provenance is not None:
        args.append(f"--provenance={options.provenance}")
    if options.sbom is not None:
        args.append(f"--sbom={options.sbom}")
    if options.push:
        # No tag in the registry moves here: the image goes in by digest, tags come after.
        names = ",".join(metadata.names)
        output = f'type=image,"name={names}",push-by-digest=true,name-canonical=true,push=true'
        args += ["--output", output]
        if options.load:
            # A second exporter (buildx 0.13+): the engine gets the image under every tag.
            args += ["--output", f'type=docker,"name={",".join(metadata.references)}"']
    elif options.load:
        args.append("--load")
    return args


def loaded(options: ContainerBuildOptions, *, buildx: bool) -> bool:
    """Whether the engine has the image afterwards (the classic builder always loads it)."""
    return not buildx or options.load


def anchor_tag(metadata: ImageMetadata) -> str:
    """The one tag `docker push` moves first (classic builder): the commit's own tag if any.

    `docker push` uploads every layer and the config before it writes the manifest under the
    tag, and the registry refuses a manifest whose blobs are missing, so even this tag never
    names a half-pushed image. The other tags get the same manifest afterwards.
    """
    commit_tags = [t for t in metadata.tags if t.startswith("sha-")]
    return commit_tags[0] if commit_tags else metadata.tags[0]

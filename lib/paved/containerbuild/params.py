"""container-build's parameters, declared once (see paved.params)."""

from __future__ import annotations

from paved.containerbuild.options import Builder
from paved.containerbuild.tags import LatestMode
from paved.params import Choice, Declaration, Flag, Lines, PathParam, Text, repo_root

DECLARATION = Declaration(
    "container-build",
    description="Build an image with OCI labels and metadata-action style tags, push it by "
    "digest, tag it, and check every tag in the registry names the digest reported.",
    params=(
        PathParam(
            name="context",
            default=".",
            positional=True,
            metavar="CONTEXT",
            help="The build context, relative to the workspace.",
        ),
        PathParam(
            name="file",
            help="The Dockerfile, relative to the workspace. Empty means <context>/Dockerfile.",
        ),
        Text(
            name="registry",
            default="ghcr.io",
            help="The registry host[:port] to push to, e.g. ghcr.io or 127.0.0.1:5000.",
        ),
        Text(
            name="image-name",
            help="The repository path in the registry (lower case). Empty means the GitHub "
            "repository, lower-cased.",
        ),
        Lines(
            name="images",
            metavar="HOST/PATH",
            help="Several images, one per line, each host/path (ghcr.io/acme/api, "
            "docker.io/acme/api; name=...,enable=false also works), lower-cased: every one gets "
            "the same tags and is pushed and verified. Empty means <registry>/<image-name>. "
            "registry-password is sent only to the registry input's host.",
        ),
        Lines(
            name="tags",
            metavar="RULE",
            old_flags=("--tag",),
            help="Tag rules, one per line, as docker/metadata-action (type=schedule, semver, "
            "pep440, match, edge, ref, raw, sha; with prefix=, suffix=, enable=, priority=). "
            "Empty means type=schedule, semver {{version}}, {{major}}.{{minor}} and {{major}}, "
            "ref branch, tag and pr, and sha.",
        ),
        Choice(
            name="latest",
            choices=LatestMode,
            default="auto",
            help="When to add the latest tag: auto (default branch or release tag), release, "
            "branch or never.",
        ),
        Text(
            name="title",
            help="org.opencontainers.image.title. Empty means the repository name.",
        ),
        Lines(
            name="labels",
            metavar="KEY=VALUE",
            old_flags=("--label",),
            help="Extra labels, key=value, one per line.",
        ),
        Lines(
            name="build-args",
            metavar="NAME=VALUE",
            old_flags=("--build-arg",),
            help="Build arguments, NAME=value, one per line. Names that look like secrets are "
            "refused: use secret-envs.",
        ),
        Lines(
            name="secret-envs",
            metavar="ID=ENV_NAME",
            old_flags=("--secret-env",),
            help="Build secrets, id=ENV_NAME, one per line: RUN --mount=type=secret,id=<id> "
            "reads the variable ENV_NAME from the step's env (needs buildx).",
        ),
        Lines(
            name="platforms",
            comma=True,
            metavar="OS/ARCH",
            old_flags=("--platform",),
            help="Target platforms, comma-separated (several need buildx).",
        ),
        Lines(
            name="cache-from",
            metavar="SOURCE",
            help="Cache sources, one per line (buildx syntax, or image references for docker "
            "build).",
        ),
        Lines(
            name="cache-to",
            metavar="SINK",
            help="Cache exports, one per line (needs buildx).",
        ),
        Text(name="target", help="The Dockerfile stage to build."),
        Text(
            name="network",
            help="Network for RUN steps: default, host or none. Empty means the engine's default.",
        ),
        Flag(
            name="push",
            default="false",
            help="Push every image and verify the digest of every tag. Default false, as "
            "docker/build-push-action: set push: true to publish (the reusable workflow does).",
        ),
        Flag(
            name="load",
            default="false",
            help="buildx: load the image into the Docker engine too (the classic builder always "
            "does).",
        ),
        Flag(name="no-cache", default="false", help="Build every step afresh, using no cache."),
        Flag(
            name="pull",
            default="false",
            help="Always pull the newest version of every base image.",
        ),
        Text(
            name="provenance",
            help="buildx --provenance (true, false, mode=max). Empty means the builder's "
            "default; any value but false needs buildx.",
        ),
        Text(
            name="sbom",
            help="buildx --sbom (true, false, generator=IMAGE). Empty means the builder's "
            "default; any value but false needs buildx.",
        ),
        Choice(
            name="builder",
            choices=Builder,
            default="auto",
            help="auto (buildx when installed, else docker build), buildx or docker.",
        ),
        Text(
            name="registry-username",
            help="Registry login. Empty means the workflow's actor when a password is given.",
        ),
        Text(
            name="registry-password",
            secret=True,
            help="Registry password or token (e.g. github.token for ghcr.io). Masked; given to "
            "docker login on stdin, never in arguments, logs or outputs.",
        ),
        Text(
            name="docker-host",
            help="The Docker engine to use (e.g. unix:///run/docker.sock). Empty means "
            "DOCKER_HOST or the default socket.",
        ),
        Text(name="event-name", action=False, help="The Git event (default: GITHUB_EVENT_NAME)."),
        Text(name="ref", action=False, help="The Git ref (default: GITHUB_REF)."),
        Text(name="sha", action=False, help="The commit (default: GITHUB_SHA)."),
        Text(
            name="repository",
            action=False,
            metavar="OWNER/NAME",
            help="The GitHub repository (default: GITHUB_REPOSITORY).",
        ),
        PathParam(
            name="event-path",
            action=False,
            help="The event payload file (default: GITHUB_EVENT_PATH).",
        ),
        repo_root("Paths are shown"),
    ),
)

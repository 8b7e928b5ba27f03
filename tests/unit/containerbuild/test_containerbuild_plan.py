"""The docker command lines: buildx pushes by digest, secrets are build secrets, never args."""

from __future__ import annotations

from pathlib import Path

import pytest
from containerbuild_support import make_event
from paved.containerbuild import (
    DEFAULT_RULES,
    Builder,
    ContainerBuildOptions,
    compute_metadata,
    parse_build_args,
    parse_images,
    parse_rules,
    parse_secrets,
)
from paved.containerbuild.dockerfile import instructions, locate
from paved.containerbuild.plan import anchor_tag, build_request, choose_buildx, loaded
from paved.errors import EnvironmentProblemError, UsageError


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


def _metadata(options):
    return compute_metadata(options.name, options.tag_rules, make_event("refs/tags/v1.2.3"))


def test_buildx_pushes_by_digest_with_secrets_as_build_secrets():
    options = _options(
        secrets=parse_secrets(["pip_token=PIP_TOKEN"]),
        build_args=parse_build_args(["APP_VERSION=1.2.3"]),
        cache_from=("type=gha",),
        cache_to=("type=gha,mode=max",),
        platforms=("linux/amd64", "linux/arm64"),
    )
    request = build_request(options, _metadata(options), buildx=True)
    args = list(request.args)
    assert args[:2] == ["buildx", "build"]
    assert args[args.index("--secret") : args.index("--secret") + 2] == [
        "--secret",
        "id=pip_token,env=PIP_TOKEN",
    ]
    assert "--tag" not in args
    output = args[args.index("--output") + 1]
    assert "push-by-digest=true" in output
    assert "name=127.0.0.1:5000/acme/api" in output
    assert args[args.index("--platform") + 1] == "linux/amd64,linux/arm64"
    assert "--cache-to" in args
    assert "--cache-from" in args
    assert request.secret_envs == ("PIP_TOKEN",)
    assert not any("PIP_TOKEN=" in a for a in args)


def test_the_classic_builder_tags_every_reference_locally():
    options = _options(build_args=parse_build_args(["APP_VERSION=1.2.3"]), network="none")
    metadata = _metadata(options)
    args = list(build_request(options, metadata, buildx=False).args)
    assert args[0] == "build"
    tags = [args[i + 1] for i, a in enumerate(args) if a == "--tag"]
    assert tags == list(metadata.references)
    assert args[args.index("--network") : args.index("--network") + 2] == ["--network", "none"]
    assert anchor_tag(metadata) == "sha-0123456"


@pytest.mark.parametrize("name", ["GITHUB_TOKEN", "NPM_PASSWORD", "db_secret", "API_KEY"])
def test_a_build_arg_named_like_a_secret_is_refused(name):
    with pytest.raises(UsageError, match="build secret"):
        parse_build_args([f"{name}=x"])


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"secrets": parse_secrets(["a=B"])}, "secret-envs"),
        ({"cache_to": ("type=local,dest=/c",)}, "cache-to"),
        ({"platforms": ("linux/amd64", "linux/arm64")}, "several platforms"),
        ({"builder": Builder.BUILDX}, "buildx was asked for"),
    ],
)
def test_what_needs_buildx_says_so_when_it_is_missing(changes, says):
    with pytest.raises(EnvironmentProblemError, match=says):
        choose_buildx(_options(**changes), buildx_installed=False)


def test_auto_uses_buildx_when_installed_and_docker_when_asked():
    assert choose_buildx(_options(), buildx_installed=True) is True
    assert choose_buildx(_options(), buildx_installed=False) is False
    assert choose_buildx(_options(builder=Builder.DOCKER), buildx_installed=True) is False


DOCKERFILE = """\
# syntax=docker/dockerfile:1
ARG BASE=x

FROM ${BASE} AS build
RUN a \\
    # a comment inside
    && b
COPY . /app
RUN false
"""


def test_instructions_are_numbered_as_the_classic_builder_counts_steps():
    listed = instructions(DOCKERFILE)
    assert [(i.line, i.keyword) for i in listed] == [
        (2, "ARG"),
        (4, "FROM"),
        (5, "RUN"),
        (8, "COPY"),
        (9, "RUN"),
    ]
    assert listed[2].text == "RUN a && b"
    assert locate(DOCKERFILE, 5, "RUN false").line == 9
    assert locate(DOCKERFILE, None, "COPY . /app").line == 8


def test_no_cache_and_pull_reach_both_builders():
    options = _options(no_cache=True, pull=True)
    for buildx in (True, False):
        args = build_request(options, _metadata(options), buildx=buildx).args
        assert "--no-cache" in args
        assert "--pull" in args
    plain = build_request(_options(), _metadata(_options()), buildx=False).args
    assert "--no-cache" not in plain
    assert "--pull" not in plain


def test_attestations_are_buildx_flags_and_need_buildx():
    options = _options(provenance="mode=max", sbom="true")
    args = build_request(options, _metadata(options), buildx=True).args
    assert "--provenance=mode=max" in args
    assert "--sbom=true" in args
    with pytest.raises(EnvironmentProblemError, match="provenance, sbom need docker buildx"):
        choose_buildx(options, buildx_installed=False)
    with pytest.raises(UsageError, match="builder docker was asked for"):
        choose_buildx(_options(sbom="true", builder=Builder.DOCKER), buildx_installed=True)
    # false asks for nothing buildx alone can do.
    assert choose_buildx(_options(provenance="false"), buildx_installed=False) is False


def test_buildx_pushes_every_image_by_digest_and_loads_only_when_asked():
    images = parse_images(["127.0.0.1:5000/acme/api", "ghcr.io/acme/api"])
    options = _options(images=images)
    metadata = compute_metadata(
        [i.name for i in images], options.tag_rules, make_event("refs/tags/v1.2.3")
    )
    args = list(build_request(options, metadata, buildx=True).args)
    outputs = [args[i + 1] for i, a in enumerate(args) if a == "--output"]
    assert outputs == [
        (
            'type=image,"name=127.0.0.1:5000/acme/api,ghcr.io/acme/api",push-by-digest=true,'
            "name-canonical=true,push=true"
        )
    ]
    assert "--load" not in args
    loading = _options(images=images, load=True)
    outputs = [
        a for a in build_request(loading, metadata, buildx=True).args if a.startswith("type=docker")
    ]
    assert outputs == [f'type=docker,"name={",".join(metadata.references)}"']
    assert loaded(_options(), buildx=True) is False
    assert loaded(_options(), buildx=False) is True
    built_only = list(build_request(_options(push=False, load=True), metadata, buildx=True).args)
    assert "--load" in built_only


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("ghcr.io/Acme/API", "ghcr.io/acme/api"),
        ("name=docker.io/acme/api", "docker.io/acme/api"),
        ("name=127.0.0.1:5000/acme/api,enable=true", "127.0.0.1:5000/acme/api"),
        ("localhost/acme/api", "localhost/acme/api"),
    ],
)
def test_image_names_as_metadata_action_writes_them(line, name):
    [image] = parse_images([line])
    assert image.name == name


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("acme/api", "names no registry host"),
        ("ghcr.io", "names no registry host"),
        ("ghcr.io/acme/API!", "not a valid image name"),
        ("name=ghcr.io/a,enable=maybe", "is not an image"),
        ("image=ghcr.io/a", "is not an image"),
    ],
)
def test_bad_image_names_are_one_clear_error(line, says):
    with pytest.raises(UsageError, match=says):
        parse_images([line])


def test_a_disabled_image_is_left_out_and_a_repeated_one_counted_once():
    images = parse_images(
        ["ghcr.io/acme/api", "name=docker.io/acme/api,enable=false", "GHCR.io/acme/api"]
    )
    assert [i.name for i in images] == ["ghcr.io/acme/api"]

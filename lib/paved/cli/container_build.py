"""`paved container-build`: parsed flags (containerbuild.params) and the GITHUB_* event to
options, run, render."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from paved.adapters.workspace.local import LocalWorkspace
from paved.containerbuild import (
    DEFAULT_RULES,
    ContainerBuildOptions,
    GitEvent,
    RegistryCredentials,
    build_and_push,
    event_from,
    parse_build_args,
    parse_images,
    parse_labels,
    parse_rules,
    parse_secrets,
)
from paved.errors import UsageError
from paved.report import containerbuild as report

if TYPE_CHECKING:
    import argparse

    from paved.adapters.registry import Registry
    from paved.model import Rendered

_EVENT_FLAGS = (
    ("GITHUB_EVENT_NAME", "event_name"),
    ("GITHUB_REF", "ref"),
    ("GITHUB_SHA", "sha"),
    ("GITHUB_REPOSITORY", "repository"),
)


def handle(args: argparse.Namespace) -> Rendered:
    """Run container-build for parsed arguments."""
    # Imported here: every action step imports the CLI; only container-build needs requests.
    from paved.adapters.docker.cli import DEFAULT_HOST, DockerCli  # noqa: PLC0415

    options = options_from(args, os.environ)
    event = read_event(args, os.environ)
    hidden = (args.registry_password_env,) if args.registry_password_env else ()
    host = args.docker_host or os.environ.get("DOCKER_HOST") or DEFAULT_HOST
    engine = DockerCli(host, hidden_env=hidden)
    outcome = build_and_push(
        options,
        event,
        engine,
        registries_for(options),
        LocalWorkspace(),
        repo_root=str(args.repo_root.resolve()),
    )
    return report.render(outcome)


def options_from(
    args: argparse.Namespace, environ: dict[str, str] | os._Environ[str]
) -> ContainerBuildOptions:
    """ContainerBuildOptions from parsed flags; choices are checked with what is valid."""
    context = args.context.resolve()
    images = parse_images(args.images, name="--images")
    repository = args.image_name or environ.get("GITHUB_REPOSITORY", "").lower()
    if not repository and not images:
        raise UsageError(
            "is not set", name="--image-name", valid="owner/name, or set GITHUB_REPOSITORY"
        )
    return ContainerBuildOptions(
        context=context,
        dockerfile=(args.file or context / "Dockerfile").resolve(),
        registry=args.registry,
        repository=repository,
        tag_rules=parse_rules(args.tags or DEFAULT_RULES, name="--tags"),
        latest=args.latest,
        title=args.title,
        labels=parse_labels(args.labels, name="--labels"),
        build_args=parse_build_args(args.build_args),
        secrets=parse_secrets(args.secret_envs),
        platforms=args.platforms,
        cache_from=args.cache_from,
        cache_to=args.cache_to,
        target=args.target,
        network=_network(args.network),
        push=args.push,
        builder=args.builder,
        credentials=_credentials(args, environ),
        images=images,
        load=args.load,
        no_cache=args.no_cache,
        pull=args.pull,
        provenance=args.provenance or None,
        sbom=args.sbom or None,
    )


def registries_for(options: ContainerBuildOptions) -> dict[str, Registry]:
    """A registry client per image host; the credentials go to the registry input's host only,
    never to another image's registry."""
    from paved.adapters.registry.distribution import DistributionRegistry  # noqa: PLC0415

    given = options.credentials
    registries: dict[str, Registry] = {}
    for host in dict.fromkeys(target.registry for target in options.targets):
        mine = given if given is not None and host == options.registry else None
        registries[host] = DistributionRegistry(
            api_host(host),
            username=mine.username if mine else None,
            password=mine.password if mine else None,
        )
    return registries


def api_host(registry: str) -> str:
    """Where a registry's API answers: Docker Hub's images are named docker.io, served by
    registry-1.docker.io."""
    return "registry-1.docker.io" if registry in {"docker.io", "index.docker.io"} else registry


NETWORKS = ("default", "host", "none")
"""What `docker build --network` takes for RUN steps (a build is not attached to user networks)."""


def _network(value: str | None) -> str | None:
    if not value:
        return None
    if value not in NETWORKS:
        raise UsageError(
            f"{value!r} is not a build network", name="--network", valid=", ".join(NETWORKS)
        )
    return value


def read_event(args: argparse.Namespace, environ: dict[str, str] | os._Environ[str]) -> GitEvent:
    """The Git event from flags, else GITHUB_* variables and the event payload file."""
    values = {name: getattr(args, attr) or environ.get(name, "") for name, attr in _EVENT_FLAGS}
    for name in ("GITHUB_SERVER_URL", "GITHUB_BASE_REF"):
        values[name] = environ.get(name, "")
    path = args.event_path or (
        Path(environ["GITHUB_EVENT_PATH"]) if environ.get("GITHUB_EVENT_PATH") else None
    )
    payload = None
    if path is not None:
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(
                f"cannot read the event payload {path}: {exc}", name="GITHUB_EVENT_PATH"
            ) from exc
    return event_from(values, payload if isinstance(payload, dict) else None, _created(environ))


def _created(environ: dict[str, str] | os._Environ[str]) -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise UsageError(
                f"{epoch!r} is not a number", name="SOURCE_DATE_EPOCH", valid="seconds since 1970"
            )
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC)


def _credentials(
    args: argparse.Namespace, environ: dict[str, str] | os._Environ[str]
) -> RegistryCredentials | None:
    """A login when a password is given; the username defaults to the workflow's actor."""
    name = args.registry_password_env
    password = environ.get(name, "") if name else ""
    if not password:
        if args.registry_username:
            raise UsageError(
                "a registry username needs a password",
                name="--registry-password-env",
                valid="the name of a set environment variable holding the password or token",
            )
        return None
    username = args.registry_username or environ.get("GITHUB_ACTOR", "")
    if not username:
        raise UsageError(
            "a registry password needs a username",
            name="--registry-username",
            valid="the registry login (or set GITHUB_ACTOR)",
        )
    return RegistryCredentials(username=username, password=password)

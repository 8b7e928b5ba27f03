"""`paved container-build`: flags and the GITHUB_* event to options, run, render."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paved.adapters.workspace.local import LocalWorkspace
from paved.containerbuild import (
    DEFAULT_RULES,
    Builder,
    ContainerBuildOptions,
    GitEvent,
    LatestMode,
    RegistryCredentials,
    build_and_push,
    event_from,
    parse_build_args,
    parse_labels,
    parse_rules,
    parse_secrets,
)
from paved.errors import UsageError
from paved.report import containerbuild as report

if TYPE_CHECKING:
    import argparse

    from paved.model import Rendered

_EVENT_FLAGS = (
    ("GITHUB_EVENT_NAME", "event_name"),
    ("GITHUB_REF", "ref"),
    ("GITHUB_SHA", "sha"),
    ("GITHUB_REPOSITORY", "repository"),
)


def add_parser(commands: argparse._SubParsersAction[Any], summary: str) -> None:
    """Register the container-build subcommand."""
    from paved.cli import add_common  # noqa: PLC0415 - avoids an import cycle

    parser = commands.add_parser(
        "container-build",
        help=summary,
        description="Build an image with OCI labels and metadata-action style tags, push it "
        "by digest, tag it, and check every tag in the registry names the digest reported.",
    )
    parser.add_argument("context", nargs="?", default=".", type=Path, help="build context")
    parser.add_argument("--file", type=Path, help="Dockerfile (default: CONTEXT/Dockerfile)")
    parser.add_argument("--registry", default="ghcr.io", help="registry host[:port]")
    parser.add_argument("--image-name", help="repository path (default: GITHUB_REPOSITORY)")
    parser.add_argument(
        "--tag", action="append", default=[], metavar="RULE", help="tag rule (repeat)"
    )
    parser.add_argument(
        "--latest", default="auto", help=f"when to tag latest: {_values(LatestMode)}"
    )
    parser.add_argument("--title", help="org.opencontainers.image.title (default: repo name)")
    for flag, meta in (
        ("--label", "KEY=VALUE"),
        ("--build-arg", "NAME=VALUE"),
        ("--secret-env", "ID=ENV_NAME"),
        ("--platform", "OS/ARCH"),
        ("--cache-from", "SOURCE"),
        ("--cache-to", "SINK"),
    ):
        parser.add_argument(flag, action="append", default=[], metavar=meta, help="repeat")
    parser.add_argument("--target", help="the Dockerfile stage to build")
    parser.add_argument("--network", help="network for RUN steps: default, host or none")
    parser.add_argument("--no-push", action="store_true", help="build and tag locally only")
    parser.add_argument("--builder", default="auto", help=f"one of {_values(Builder)}")
    parser.add_argument("--registry-username", help="registry login (with a password)")
    parser.add_argument(
        "--registry-password-env",
        metavar="NAME",
        help="environment variable holding the registry password (never a flag value)",
    )
    parser.add_argument("--docker-host", help="engine address (default: DOCKER_HOST)")
    parser.add_argument("--event-name", help="default: GITHUB_EVENT_NAME")
    parser.add_argument("--ref", help="default: GITHUB_REF")
    parser.add_argument("--sha", help="default: GITHUB_SHA")
    parser.add_argument("--repository", help="owner/name; default: GITHUB_REPOSITORY")
    parser.add_argument("--event-path", type=Path, help="default: GITHUB_EVENT_PATH")
    parser.add_argument("--repo-root", type=Path, default=Path(), help="paths are shown from it")
    add_common(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> Rendered:
    """Run container-build for parsed arguments."""
    # Imported here: every action step imports the CLI; only container-build needs requests.
    from paved.adapters.docker.cli import DockerCli  # noqa: PLC0415
    from paved.adapters.registry.distribution import DistributionRegistry  # noqa: PLC0415

    options = options_from(args, os.environ)
    event = read_event(args, os.environ)
    hidden = (args.registry_password_env,) if args.registry_password_env else ()
    engine = DockerCli(args.docker_host, hidden_env=hidden)
    credentials = options.credentials
    registry = DistributionRegistry(
        options.registry,
        username=credentials.username if credentials else None,
        password=credentials.password if credentials else None,
    )
    outcome = build_and_push(
        options,
        event,
        engine,
        registry,
        LocalWorkspace(),
        repo_root=str(args.repo_root.resolve()),
    )
    return report.render(outcome)


def options_from(
    args: argparse.Namespace, environ: dict[str, str] | os._Environ[str]
) -> ContainerBuildOptions:
    """ContainerBuildOptions from parsed flags; choices are checked with what is valid."""
    context = args.context.resolve()
    repository = args.image_name or environ.get("GITHUB_REPOSITORY", "").lower()
    if not repository:
        raise UsageError(
            "is not set", name="--image-name", valid="owner/name, or set GITHUB_REPOSITORY"
        )
    return ContainerBuildOptions(
        context=context,
        dockerfile=(args.file or context / "Dockerfile").resolve(),
        registry=args.registry,
        repository=repository,
        tag_rules=parse_rules(args.tag or list(DEFAULT_RULES), name="--tag"),
        latest=_choice(LatestMode, args.latest, "--latest"),
        title=args.title,
        labels=parse_labels(args.label, name="--label"),
        build_args=parse_build_args(args.build_arg),
        secrets=parse_secrets(args.secret_env),
        platforms=tuple(p.strip() for item in args.platform for p in item.split(",") if p.strip()),
        cache_from=tuple(args.cache_from),
        cache_to=tuple(args.cache_to),
        target=args.target,
        network=args.network,
        push=not args.no_push,
        builder=_choice(Builder, args.builder, "--builder"),
        credentials=_credentials(args, environ),
    )


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
    if not args.registry_username:
        return None
    name = args.registry_password_env
    password = environ.get(name, "") if name else ""
    if not password:
        raise UsageError(
            "a registry username needs a password",
            name="--registry-password-env",
            valid="the name of a set environment variable holding the password or token",
        )
    return RegistryCredentials(username=args.registry_username, password=password)


def _choice(enum: type[LatestMode | Builder], value: str, flag: str) -> Any:  # noqa: ANN401 - either enum
    try:
        return enum(value)
    except ValueError:
        raise UsageError(f"{value!r} is not a choice", name=flag, valid=_values(enum)) from None


def _values(enum: type[LatestMode | Builder]) -> str:
    return ", ".join(member.value for member in enum)

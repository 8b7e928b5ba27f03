"""The example service in several versions, built on the engine and pushed to the registry.

1.0.0 is the real build of examples/python-service; the others derive from it with one
Dockerfile line each (seconds to build): a healthy 2.0.0, a 3.0.0 that runs but never becomes
ready, and a 4.0.0 whose /api/data answers 500 (the service's own fault knob).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from components.errors import ComponentError
from components.service_image import prepare_context

if TYPE_CHECKING:
    from pathlib import Path

    from components.docker_engine import DockerEngine
    from components.registry import LocalRegistry


@dataclass(frozen=True)
class ServiceImages:
    """References by digest in the local registry."""

    v1: str
    v2: str
    never_ready: str
    """Serves on 8081 while its HEALTHCHECK probes 8080: it runs, and is never ready."""
    failing: str
    """Ready, but every /api/data answers 500 (FAULT_ERROR_RATE=1.0)."""


def _docker(engine: DockerEngine, *args: str) -> str:
    done = engine.docker(*args, timeout=900)
    if done.returncode != 0:
        msg = f"docker {' '.join(args[:2])} failed: {done.stderr.strip()[-800:]}"
        raise ComponentError(msg)
    return done.stdout


def _push(engine: DockerEngine, registry: LocalRegistry, tag: str) -> str:
    _docker(engine, "push", tag)
    repository, _, reference = tag.partition("/")[2].rpartition(":")
    digest = registry.manifest_digest(repository, reference)
    if not digest:
        msg = f"the registry has no {tag} after the push"
        raise ComponentError(msg)
    return f"{tag.rpartition(':')[0]}@{digest}"


def _derive(engine: DockerEngine, work: Path, base_tag: str, tag: str, *lines: str) -> None:
    folder = work / tag.rpartition(":")[2]
    folder.mkdir()
    (folder / "Dockerfile").write_text("\n".join((f"FROM {base_tag}", *lines, "")), "utf-8")
    _docker(engine, "build", "--quiet", "--tag", tag, str(folder))


def build_versions(
    engine: DockerEngine, registry: LocalRegistry, service: Path, work: Path
) -> ServiceImages:
    """Build every version (the base image must be in the engine) and push them."""
    context = prepare_context(service, work)
    name = f"{registry.host}/shop"
    v1 = f"{name}:1.0.0"
    _docker(
        engine, "build", "--quiet", "--build-arg", "APP_VERSION=1.0.0", "--tag", v1, str(context)
    )
    _derive(engine, work, v1, f"{name}:2.0.0", "ENV APP_VERSION=2.0.0")
    # The image's own entry point reads PORT; its HEALTHCHECK still probes 8080.
    _derive(
        engine, work, v1, f"{name}:3.0.0",
        "ENV APP_VERSION=3.0.0 PORT=8081", 'CMD ["python3", "-m", "service"]',
    )  # fmt: skip
    _derive(engine, work, v1, f"{name}:4.0.0", "ENV APP_VERSION=4.0.0 FAULT_ERROR_RATE=1.0")
    return ServiceImages(
        v1=_push(engine, registry, v1),
        v2=_push(engine, registry, f"{name}:2.0.0"),
        never_ready=_push(engine, registry, f"{name}:3.0.0"),
        failing=_push(engine, registry, f"{name}:4.0.0"),
    )

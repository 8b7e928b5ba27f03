"""The container calls the Docker-host target makes, through the `docker` client."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from typing import Any

from paved import log
from paved.adapters.docker.cli import DEFAULT_HOST, START_HINT, UNREACHABLE
from paved.errors import EnvironmentProblemError, ToolNotFoundError

_TIMEOUT = 120
MARKER_IMAGE = "paved/marker:1"
"""An empty image: the never-started containers that hold a lease or a rollout state."""


@dataclass(frozen=True)
class Container:
    """What `docker inspect` says about one container."""

    id: str
    name: str
    image: str
    labels: dict[str, str]
    running: bool
    exit_code: int
    health: str | None
    """starting, healthy, unhealthy; None when the container has no health check."""
    health_output: str
    ports: dict[str, tuple[str, int]]
    """'8080/tcp' -> (host address, host port) as published."""

    @classmethod
    def from_inspect(cls, raw: dict[str, Any]) -> Container:
        """From one element of `docker inspect`'s JSON array."""
        state = raw.get("State") or {}
        health = state.get("Health") or None
        logs = (health or {}).get("Log") or []
        ports: dict[str, tuple[str, int]] = {}
        for port, bindings in ((raw.get("NetworkSettings") or {}).get("Ports") or {}).items():
            for binding in bindings or []:
                ports.setdefault(port, (binding["HostIp"], int(binding["HostPort"])))
        return cls(
            id=raw["Id"],
            name=raw["Name"].lstrip("/"),
            image=(raw.get("Config") or {}).get("Image", ""),
            labels=(raw.get("Config") or {}).get("Labels") or {},
            running=bool(state.get("Running")),
            exit_code=int(state.get("ExitCode") or 0),
            health=health["Status"] if health else None,
            health_output=(logs[-1].get("Output") or "").strip() if logs else "",
            ports=ports,
        )


class DockerError(Exception):
    """A docker command that ran and failed (not an unreachable engine)."""

    def __init__(self, args: tuple[str, ...], message: str) -> None:
        super().__init__(f"docker {' '.join(args[:2])}: {message}")
        self.message = message


class ContainerEngine:
    """`docker` against one engine (DOCKER_HOST or the default socket)."""

    def __init__(self, host: str | None = None) -> None:
        self.host = host or os.environ.get("DOCKER_HOST") or DEFAULT_HOST
        program = shutil.which("docker")
        if program is None:
            raise ToolNotFoundError(
                "docker", hint="install the Docker client (Debian: apt-get install docker.io)"
            )
        self.program = program

    def run(self, *args: str, stdin: bytes | None = None, timeout: float = _TIMEOUT) -> str:
        """Run one docker command; its stdout, or DockerError / EnvironmentProblemError."""
        env = {**os.environ, "DOCKER_HOST": self.host}
        try:
            done = subprocess.run(
                [self.program, *args],
                input=stdin,
                env=env,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            msg = f"the Docker engine at {self.host} did not answer `docker {args[0]}` in time"
            raise EnvironmentProblemError(msg, hint=START_HINT) from exc
        err = done.stderr.decode(errors="replace").strip()
        if done.returncode != 0:
            if UNREACHABLE.search(err):
                msg = f"the Docker engine at {self.host} is not reachable: {err.splitlines()[-1]}"
                raise EnvironmentProblemError(msg, hint=START_HINT)
            raise DockerError(args, err.splitlines()[-1] if err else f"exit {done.returncode}")
        return done.stdout.decode(errors="replace")

    def version(self) -> str:
        """The engine's version (checks that it answers)."""
        return self.run("version", "--format", "{{.Server.Version}}", timeout=30).strip()

    def inspect(self, *names: str) -> list[Container]:
        """The containers named (those that exist)."""
        if not names:
            return []
        try:
            text = self.run("container", "inspect", *names)
        except DockerError:
            # Some of them are gone: ask one by one.
            found = []
            for name in names:
                try:
                    found += json.loads(self.run("container", "inspect", name))
                except DockerError:
                    continue
            return [Container.from_inspect(raw) for raw in found]
        return [Container.from_inspect(raw) for raw in json.loads(text)]

    def find(self, labels: dict[str, str]) -> list[Container]:
        """Every container (running or not) with all of `labels`."""
        filters = [f"--filter=label={k}={v}" for k, v in labels.items()]
        ids = self.run("ps", "--all", "--no-trunc", "--quiet", *filters).split()
        return self.inspect(*ids)

    def ensure_network(self, name: str) -> None:
        """A user-defined bridge network `name` (created once)."""
        try:
            self.run("network", "inspect", name)
        except DockerError:
            log.info(f"creating the Docker network {name}")
            try:
                self.run("network", "create", name)
            except DockerError as exc:
                if "already exists" not in exc.message:
                    raise

    def ensure_marker_image(self) -> None:
        """The empty image the lease and state containers are made from."""
        try:
            self.run("image", "inspect", MARKER_IMAGE)
        except DockerError:
            empty = io.BytesIO()
            with tarfile.open(fileobj=empty, mode="w"):
                pass
            self.run("import", "-", MARKER_IMAGE, stdin=empty.getvalue())

    def create_marker(self, name: str, labels: dict[str, str]) -> str:
        """A never-started container holding `labels`; fails if `name` is taken."""
        flags = [f"--label={k}={v}" for k, v in labels.items()]
        return self.run("create", "--name", name, *flags, MARKER_IMAGE, "/none").strip()

    def remove(self, *ids: str) -> None:
        """Remove containers at once (forcing); absent ones are fine."""
        if ids:
            try:
                self.run("rm", "--force", *ids)
            except DockerError as exc:
                if "No such container" not in exc.message:
                    raise

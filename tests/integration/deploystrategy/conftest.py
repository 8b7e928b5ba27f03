"""deploy-strategy against real components: a private dockerd, a registry, Debian's HAProxy."""

from __future__ import annotations

import itertools
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests"))
from components.errors import ComponentError  # noqa: E402
from components.haproxy import running_haproxy  # noqa: E402
from components.service_versions import ServiceImages, build_versions  # noqa: E402
from paved.adapters.deploy.containers import ContainerEngine  # noqa: E402
from paved.adapters.deploy.docker_host import DockerHostSettings, DockerHostTarget  # noqa: E402
from paved.adapters.http.stdlib import StdlibHttpClient  # noqa: E402
from paved.adapters.router.haproxy import HaproxyRuntime  # noqa: E402

NETWORK = "paved-it"
_names = itertools.count(1)


@pytest.fixture(scope="session")
def service_images(engine, local_registry, base, tmp_path_factory) -> ServiceImages:
    """The example service in four versions, pushed to the local registry, by digest."""
    try:
        return build_versions(
            engine,
            local_registry,
            ROOT / "examples" / "python-service",
            tmp_path_factory.mktemp("deploy-images"),
        )
    except ComponentError as exc:
        pytest.fail(str(exc))


@dataclass(frozen=True)
class DockerHost:
    """One app's place on the Docker host: its HAProxy backend and a target for it."""

    app: str
    url: str
    """Where users reach the app (HAProxy's frontend)."""
    haproxy_socket: Path
    docker_host: str
    network: str

    def target(self, **settings) -> DockerHostTarget:
        return DockerHostTarget(
            ContainerEngine(self.docker_host),
            HaproxyRuntime(self.haproxy_socket),
            StdlibHttpClient(),
            DockerHostSettings(backend=self.app, network=self.network, **settings),
        )

    def cli_flags(self) -> list[str]:
        return [
            "--target=docker",
            f"--docker-host={self.docker_host}",
            f"--haproxy-socket={self.haproxy_socket}",
            f"--docker-network={self.network}",
        ]


@pytest.fixture
def docker_host(engine, service_images):
    """A fresh app name and HAProxy per test; every container of the app removed afterwards."""
    app = f"shop{os.getpid() % 1000}-{next(_names)}"
    try:
        with running_haproxy((app,)) as haproxy:
            yield DockerHost(app, haproxy.url(app), haproxy.socket, engine.host, NETWORK)
    except ComponentError as exc:
        pytest.fail(str(exc))
    finally:
        ids = engine.docker("ps", "--all", "--quiet", f"--filter=label=paved.dev/app={app}")
        if ids.stdout.split():
            engine.docker("rm", "--force", *ids.stdout.split())
